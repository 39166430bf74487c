/**
 * Deno: a callable function from a native function pointer.
 *
 * `Deno.UnsafeFnPointer.call` goes through an op and libffi on every call: about 1,400 ns against 10 to 20 for
 * a symbol of `Deno.dlopen`, whose calls V8 makes directly (bench/probes/function_pointer.ts). So a
 * pointer to a function a shared library exports is bound again as that library's symbol: `dladdr` names the
 * library and the symbol at that exact address, `Deno.dlopen` binds it, and the binding is used only when the
 * symbol it resolves to is the very address given (a versioned or interposed symbol may resolve elsewhere).
 * Any other pointer (a static function, a callback's own pointer, code outside every library, Windows) is
 * called through `UnsafeFnPointer`. The library so opened stays open for the life of the process, which keeps
 * the function mapped.
 *
 * @module
 */
import { denoLoader } from "./_deno_loader.ts";

const bound = new Map<string, (...args: unknown[]) => unknown>();

/** The library symbol at exactly `pointer`, bound with `definition`, or `null`. */
function asSymbol(
  pointer: Deno.PointerObject,
  definition: Deno.ForeignFunction,
): ((...args: unknown[]) => unknown) | null {
  const system = denoLoader();
  if (system === null) return null;
  const info = new BigUint64Array(4);
  if (system.dladdr(pointer, info) === 0 || info[0] === 0n || info[2] === 0n) return null;
  const address = BigInt(Deno.UnsafePointer.value(pointer));
  if (info[3] !== address) return null;
  const file = Deno.UnsafePointerView.getCString(Deno.UnsafePointer.create(info[0]!)!);
  const name = Deno.UnsafePointerView.getCString(Deno.UnsafePointer.create(info[2]!)!);
  const key = `${address}\0${JSON.stringify(definition)}`;
  const known = bound.get(key);
  if (known !== undefined) return known;
  let library;
  try {
    library = Deno.dlopen(
      file,
      {
        call: { ...definition, name },
        address: { name, type: "pointer" },
      } as const,
    );
  } catch {
    return null; // an executable cannot be opened, for one
  }
  const resolved = library.symbols.address as unknown as Deno.PointerObject | null;
  if (resolved === null || BigInt(Deno.UnsafePointer.value(resolved)) !== address) {
    library.close();
    return null;
  }
  const call = library.symbols.call as unknown as (...args: unknown[]) => unknown;
  bound.set(key, call);
  return call;
}

/**
 * A function that calls the native function at `pointer` as `definition` says.
 *
 * @param pointer The function's address (checked by the caller: not null, not revoked).
 * @param definition Deno's definition of it.
 */
export function denoFunctionFromPointer(
  pointer: Deno.PointerObject,
  definition: Deno.ForeignFunction,
): (...args: unknown[]) => unknown {
  const symbol = asSymbol(pointer, definition);
  if (symbol !== null) return symbol;
  const fn = new Deno.UnsafeFnPointer(pointer as Deno.PointerObject<Deno.ForeignFunction>, definition);
  return (...args: unknown[]) => fn.call(...(args as never[]));
}

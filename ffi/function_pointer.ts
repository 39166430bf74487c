/**
 * Calling a native function pointer: what `dlsym` or `GetProcAddress` return, a vtable's entries (COM,
 * `sqlite3_module`), a struct of callbacks a library hands out, a `Callback`'s own pointer.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { isOwned, onRevoke } from "./_revoked.ts";
import type { Guard } from "./_call.ts";
import { rawSymbol, wrap } from "./_symbol_definition.ts";
import { variadicFunction } from "./_variadic_call.ts";
import type { ForeignFunction, SymbolDefinition } from "./types.ts";

/** A function pointer's signature: a symbol table entry without what only a library's symbol has. */
export type FunctionPointerDefinition = Omit<SymbolDefinition, "symbol" | "optional">;

/**
 * A typed function that calls the native function at `pointer`, with everything a symbol of `dlopen` gets: the
 * same argument checks, `errno` and `fails`, 64-bit integers taken as numbers, structs by value where the runtime
 * has them, and `variadic`.
 *
 * Unsafe, as `unsafePointerFromAddress` is: the toolkit can tell a `Pointer` from other values, and a null or
 * revoked one, but not whether code at that address is a function of this signature; calling anything else
 * crashes the process or worse. A symbol table's entry states a signature too, but of a name the loader found
 * in a library; here the address itself is vouched for.
 *
 * Lifetime: the function is valid while the code it points to is. A pointer to a `Callback` is refused once the
 * callback is closed, at every call (a `ClosedError`). A pointer into a library, on Deno, stays valid after that
 * library's `close()` (the toolkit keeps each library's code mapped, and a function a library exports is bound
 * again as a symbol of it, with its own reference); on Bun, only while some `Library` of that path is open or
 * one of its functions is reachable.
 *
 * Cost: on Bun and for a function a library exports on Deno, the same as a symbol; any other pointer on Deno is
 * called through `Deno.UnsafeFnPointer`, about 1.4 µs a call (bench/probes/function_pointer.ts).
 *
 * @param pointer The function's address.
 * @param definition Its signature: `{ args, returns, errno?, fails?, variadic? }`.
 * @returns The function, named "function pointer" in errors.
 * @throws {TypeError} When `pointer` is null or no `Pointer`, or the definition is malformed.
 * @throws {ClosedError} When `pointer` belongs to a freed or closed owner (then at every call too).
 *
 * @example Calling `abs` through the address `dlsym` returns
 * ```ts
 * import { buffer, cstring, dlopen, i32, pointer, unsafeFunctionFromPointer } from "../mod.ts";
 * using libc = dlopen("libc.so.6", { dlsym: { args: [pointer, buffer], returns: pointer } });
 * const address = libc.symbols.dlsym(null, cstring("abs"))!;
 * const abs = unsafeFunctionFromPointer(address, { args: [i32], returns: i32 });
 * console.log(abs(-5)); // 5
 * ```
 */
export function unsafeFunctionFromPointer<const D extends FunctionPointerDefinition>(
  pointer: Pointer,
  definition: D,
): ForeignFunction<D> {
  const name = "function pointer";
  if (pointer === null) {
    throw new TypeError("Cannot call a function pointer: it is null");
  }
  if (!backend.isPointer(pointer)) {
    throw new TypeError(`Cannot call a function pointer: expected a Pointer, got ${describe(pointer)}`);
  }
  const where = `the ${name}`;
  // Refuses a revoked pointer now, and one that can be revoked (a callback's, a library variable's) before each
  // call too: a closed callback's trampoline is gone.
  const test = backend.argumentConverter("pointer", where)!;
  test(pointer);
  let guard: Guard | null = null;
  if (isOwned(pointer)) {
    const flag = { revoked: false, refuse: () => void test(pointer) };
    onRevoke(pointer, () => void (flag.revoked = true));
    guard = flag;
  }
  if (definition !== null && typeof definition === "object") {
    for (const key of ["symbol", "optional"]) {
      if (key in definition) {
        throw new TypeError(`Cannot declare a function pointer: "${key}" belongs to a library's symbols`);
      }
    }
    // The toolkit's thread pool reopens a function by its library's path, which a bare address does not have.
    if ("nonblocking" in definition) {
      throw new TypeError(
        "Cannot declare a function pointer non-blocking: declare the function in a library's symbol table instead",
      );
    }
  }
  const symbol = rawSymbol(name, definition as SymbolDefinition);
  if (!definition.variadic) {
    return wrap(name, definition, symbol, backend.functionFromPointer(pointer, symbol), {
      extra: { guard },
    }) as ForeignFunction<D>;
  }
  return variadicFunction(
    name,
    definition,
    symbol,
    (full, shape, extra) =>
      wrap(name, full, shape, backend.functionFromPointer(pointer, shape), { extra: { ...extra, guard } }),
  ) as ForeignFunction<D>;
}

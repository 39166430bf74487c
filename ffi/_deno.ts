/**
 * The Deno backend: `Deno.dlopen`, `Deno.UnsafePointer`, `Deno.UnsafePointerView`, `Deno.UnsafeCallback`.
 *
 * A toolkit `Pointer` is a `Deno.PointerObject`, so pointers cross the boundary with no conversion.
 *
 * @module
 */
import { MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType, Pointer } from "../structs/scalars.ts";
import type {
  ArgumentKind,
  Backend,
  Converter,
  RawCallback,
  RawLibrary,
  RawSymbol,
  ResultKind,
} from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { LibraryNotFoundError, SymbolNotFoundError } from "./errors.ts";
import { markOwned, markRevoked, revoked, revokedError, revokedReachable } from "./_revoked.ts";
import { denoFunctionFromPointer } from "./_deno_function_pointer.ts";
import { globalScopeAddress } from "./_deno_loader.ts";

type DenoPointer = Deno.PointerObject;

// A Deno pointer object is opaque, frozen and has a null prototype. The prototype alone let any
// `Object.create(null)` or `Object.groupBy()` result through, to fail inside Deno with "expected external".
function isDenoPointer(value: unknown): value is DenoPointer {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === null &&
    !Object.isExtensible(value);
}

/** The pointer as Deno takes it, once it is known not to be revoked. */
function native(pointer: Pointer, where = "a pointer"): DenoPointer {
  // The look-up only while a revoked pointer is still reachable, as for call arguments (pointerArgument).
  if (revokedReachable() !== 0 && revoked.has(pointer as unknown as object)) {
    throw revokedError(pointer, where);
  }
  return pointer as unknown as DenoPointer;
}

/**
 * The converter of a pointer or function-pointer parameter: a revoked pointer is refused, and so is a value that
 * is no object at all, naming the argument (Deno's own words name neither the function nor the argument).
 */
function pointerArgument(where: string): Converter {
  return (value) => {
    if (value === null) return null;
    if (typeof value !== "object") {
      throw new TypeError(`Cannot pass ${where}: expected a Pointer or null, got ${describe(value)}`);
    }
    // The look-up only while a revoked pointer is still reachable: none can come back otherwise.
    if (revokedReachable() !== 0 && revoked.has(value)) throw revokedError(value, where);
    return value;
  };
}

/**
 * The error for memory read through something that is not a pointer, in place of Deno's "expected external" or
 * "pointer is null". Checked only once Deno has refused the value, so that a read through a pointer never
 * pays for it (no committed probe measures that yet).
 */
function notAPointer(value: unknown, error: unknown): unknown {
  if (isDenoPointer(value)) return error;
  return new TypeError(`Cannot use ${describe(value)} as a pointer: expected a Pointer`, { cause: error });
}

const MAX_ADDRESS = 2n ** 64n - 1n;

// Deno's fast call path takes only BigInts for 64-bit integer parameters; a number drops the whole call to the
// slow path (about 7× slower, bench/calls.ts). Converting here keeps every call on the fast path. A number
// BigInt() refuses (1.5, NaN) is named with the argument instead of "cannot be converted to a BigInt".
function toBigInt(where: string): Converter {
  return (value) => {
    if (typeof value !== "number") return value;
    try {
      return BigInt(value);
    } catch {
      throw new RangeError(`Cannot pass ${where}: ${value} is not an integer`);
    }
  };
}

// The kinds Deno's fast path wants as BigInts: the 64-bit integers of the machine-type records.
const SIXTY_FOUR_BIT = new Set<ArgumentKind>(
  (Object.keys(MACHINE_TYPES) as NativeType[]).filter((name) => MACHINE_TYPES[name].value === "bigint"),
);

function denoType(kind: ArgumentKind | ResultKind): Deno.NativeResultType {
  if (typeof kind !== "object") {
    return (kind in MACHINE_TYPES ? MACHINE_TYPES[kind as NativeType].deno : kind) as Deno.NativeResultType;
  }
  return { struct: kind.struct.map((member) => denoType(member) as Deno.NativeType) };
}

function toDenoSymbols(symbols: Record<string, RawSymbol>): Deno.ForeignLibraryInterface {
  const out: Record<string, Deno.ForeignFunction> = {};
  for (const [name, symbol] of Object.entries(symbols)) {
    out[name] = {
      parameters: symbol.args.map(denoType) as Deno.NativeType[],
      result: denoType(symbol.returns),
      ...(symbol.nonblocking ? { nonblocking: true } : {}),
    };
  }
  return out;
}

/**
 * Deno's loading error as the toolkit's own. Deno says "Failed to register symbol NAME: …" for a missing
 * symbol, and "Could not open library: " (twice) before the loader's own words for a library it cannot load.
 */
function openError(path: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const symbol = /^Failed to register symbol ([^\s:]+)/.exec(message)?.[1];
  if (symbol !== undefined) return new SymbolNotFoundError(path, symbol, { cause: error });
  if (!message.startsWith("Could not open library")) return error;
  const reason = message.replace(/^(Could not open library: )+/, "");
  return new LibraryNotFoundError(path, [], { cause: error, reason });
}

/**
 * A callback returning a struct, kept from throwing into Deno: Deno 2.9 panics when one does ("entered
 * unreachable code", ext/ffi/callback.rs), ending the process. C gets zeros instead, and the error is thrown
 * once JavaScript has control again (an uncaught error, which `globalThis`'s "error" event sees), since Deno
 * does not throw it from the foreign call as it does for other results.
 */
function structResultGuard(fn: (...args: never[]) => unknown, bytes: number): (...args: never[]) => unknown {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
      return new Uint8Array(bytes);
    }
  };
}

// One reader per machine type, made once, in place of a switch over the type on every read: a qsort
// comparator's two reads (bench/probes/callback_target.ts).
const READERS: Record<
  NativeType,
  (pointer: DenoPointer, byteOffset: number) => number | bigint | boolean | Pointer | null
> = {
  i8: (p, o) => new Deno.UnsafePointerView(p).getInt8(o),
  u8: (p, o) => new Deno.UnsafePointerView(p).getUint8(o),
  i16: (p, o) => new Deno.UnsafePointerView(p).getInt16(o),
  u16: (p, o) => new Deno.UnsafePointerView(p).getUint16(o),
  i32: (p, o) => new Deno.UnsafePointerView(p).getInt32(o),
  u32: (p, o) => new Deno.UnsafePointerView(p).getUint32(o),
  i64: (p, o) => new Deno.UnsafePointerView(p).getBigInt64(o),
  isize: (p, o) => new Deno.UnsafePointerView(p).getBigInt64(o),
  u64: (p, o) => new Deno.UnsafePointerView(p).getBigUint64(o),
  usize: (p, o) => new Deno.UnsafePointerView(p).getBigUint64(o),
  f32: (p, o) => new Deno.UnsafePointerView(p).getFloat32(o),
  f64: (p, o) => new Deno.UnsafePointerView(p).getFloat64(o),
  // C's truth: any byte but 0. Deno's getBool() read a byte 2 as false.
  bool: (p, o) => new Deno.UnsafePointerView(p).getUint8(o) !== 0,
  pointer: (p, o) => new Deno.UnsafePointerView(p).getPointer(o) as Pointer | null,
};

const backend: Backend = {
  runtime: "deno",
  os: Deno.build.os,
  arch: Deno.build.arch,
  slowSmallArrays: true,
  integerTestIsFree: false,
  bigintByTruncation: true,
  readChecksChooseView: false,
  structsByValue: true,
  functionsOutliveClose: true,

  exists(path: string): boolean {
    try {
      Deno.statSync(path);
      return true;
    } catch {
      return false;
    }
  },

  cwd(): string {
    return Deno.cwd();
  },

  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary {
    try {
      return Deno.dlopen(path, toDenoSymbols(symbols)) as unknown as RawLibrary;
    } catch (error) {
      throw openError(path, error);
    }
  },

  argumentConverter(kind: ArgumentKind, where = "an argument"): Converter | null {
    if (kind === "pointer" || kind === "function") return pointerArgument(where);
    return SIXTY_FOUR_BIT.has(kind) ? toBigInt(where) : null;
  },

  resultConverter(_kind: ResultKind): Converter | null {
    return null;
  },

  cstringResult: (value) =>
    value === null ? null : Deno.UnsafePointerView.getCString(value as Deno.PointerObject),

  fromAddress(address: bigint): Pointer | null {
    // Deno takes -1n as 2^64 - 1 without a word; Bun cannot hold it at all. Refused on both.
    if (typeof address !== "bigint" || address < 0n || address > MAX_ADDRESS) {
      throw new RangeError(
        `Cannot make a pointer from address ${String(address)}: expected a BigInt from 0 to 2^64 - 1`,
      );
    }
    return Deno.UnsafePointer.create(address) as Pointer | null;
  },

  toAddress(pointer: Pointer | null, where?: string): bigint {
    if (pointer === null) return 0n;
    const checked = native(pointer, where);
    try {
      return BigInt(Deno.UnsafePointer.value(checked));
    } catch (error) {
      throw notAPointer(pointer, error);
    }
  },

  isPointer(value: unknown): value is Pointer {
    return isDenoPointer(value);
  },

  own(pointer: Pointer): Pointer {
    return markOwned(
      Deno.UnsafePointer.create(Deno.UnsafePointer.value(native(pointer))) as unknown as Pointer,
    );
  },

  revoke(pointer: Pointer, why): void {
    markRevoked(pointer, why);
  },

  view(pointer: Pointer, byteOffset: number, byteLength: number, where?: string): ArrayBuffer {
    const checked = native(pointer, where);
    try {
      return Deno.UnsafePointerView.getArrayBuffer(checked, byteLength, byteOffset);
    } catch (error) {
      throw notAPointer(pointer, error);
    }
  },

  read(
    pointer: Pointer,
    byteOffset: number,
    type: NativeType,
    where?: string,
  ): number | bigint | boolean | Pointer | null {
    const checked = native(pointer, where);
    try {
      return READERS[type](checked, byteOffset);
    } catch (error) {
      throw notAPointer(pointer, error);
    }
  },

  readCString(pointer: Pointer, byteOffset: number, where?: string): string {
    const checked = native(pointer, where);
    try {
      return Deno.UnsafePointerView.getCString(checked, byteOffset);
    } catch (error) {
      throw notAPointer(pointer, error);
    }
  },

  callback(definition: RawSymbol, fn: (...args: never[]) => unknown, threadSafe = false): RawCallback {
    const signature = {
      parameters: definition.args.map(denoType) as Deno.NativeType[],
      result: denoType(definition.returns),
    };
    const body =
      (typeof definition.returns === "object"
        ? structResultGuard(fn, definition.returns.bytes)
        : fn) as unknown as Deno.UnsafeCallbackFunction;
    const callback = threadSafe
      ? Deno.UnsafeCallback.threadSafe(signature, body)
      : new Deno.UnsafeCallback(signature, body);
    if (threadSafe) callback.unref(); // the toolkit keeps the program alive its own way
    return { pointer: callback.pointer as unknown as Pointer, close: () => callback.close() };
  },

  functionFromPointer(pointer: Pointer, definition: RawSymbol): (...args: unknown[]) => unknown {
    return denoFunctionFromPointer(
      native(pointer),
      toDenoSymbols({ f: definition }).f as Deno.ForeignFunction,
    );
  },

  symbolAddress(path: string, name: string): { pointer: Pointer | null; close(): void } | null {
    let library;
    try {
      // A static of type "pointer" is the symbol's own address (ext/ffi/static.rs).
      library = Deno.dlopen(path, { address: { name, type: "pointer" } } as const);
    } catch (error) {
      const found = openError(path, error);
      if (found instanceof SymbolNotFoundError) return null;
      throw found;
    }
    const own = library.symbols.address as unknown as Deno.PointerObject | null;
    const global = own === null ? null : globalScopeAddress(name);
    const pointer = global === null || global === BigInt(Deno.UnsafePointer.value(own))
      ? own
      : Deno.UnsafePointer.create(global);
    return { pointer: pointer as unknown as Pointer | null, close: () => library.close() };
  },
};

export default backend;

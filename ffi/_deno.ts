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
import { markRevoked, revoked, revokedError, revokedReachable } from "./_revoked.ts";

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

const backend: Backend = {
  runtime: "deno",
  os: Deno.build.os,
  arch: Deno.build.arch,
  slowSmallArrays: true,
  integerTestIsFree: false,
  readChecksChooseView: false,
  structsByValue: true,
  functionsOutliveClose: true,

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
    return Deno.UnsafePointer.create(Deno.UnsafePointer.value(native(pointer))) as unknown as Pointer;
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
      const view = new Deno.UnsafePointerView(checked);
      switch (type) {
        case "i8":
          return view.getInt8(byteOffset);
        case "u8":
          return view.getUint8(byteOffset);
        case "i16":
          return view.getInt16(byteOffset);
        case "u16":
          return view.getUint16(byteOffset);
        case "i32":
          return view.getInt32(byteOffset);
        case "u32":
          return view.getUint32(byteOffset);
        case "i64":
        case "isize":
          return view.getBigInt64(byteOffset);
        case "u64":
        case "usize":
          return view.getBigUint64(byteOffset);
        case "f32":
          return view.getFloat32(byteOffset);
        case "f64":
          return view.getFloat64(byteOffset);
        case "bool":
          // C's truth: any byte but 0. Deno's getBool() read a byte 2 as false.
          return view.getUint8(byteOffset) !== 0;
        case "pointer":
          return view.getPointer(byteOffset) as Pointer | null;
      }
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
    const callback = threadSafe
      ? Deno.UnsafeCallback.threadSafe(signature, fn as unknown as Deno.UnsafeCallbackFunction)
      : new Deno.UnsafeCallback(signature, fn as unknown as Deno.UnsafeCallbackFunction);
    if (threadSafe) callback.unref(); // the toolkit keeps the program alive its own way
    return { pointer: callback.pointer as unknown as Pointer, close: () => callback.close() };
  },
};

export default backend;

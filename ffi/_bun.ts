/**
 * The Bun backend: `bun:ffi`.
 *
 * Bun represents a pointer as a plain number; the toolkit never hands such a number out. A toolkit `Pointer`
 * on Bun is a frozen box that holds the address under a private symbol, unboxed only at the call boundary.
 *
 * @module
 */
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

/** The subset of `bun:ffi` the toolkit uses. */
interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): RawLibrary;
  toArrayBuffer(address: number, byteOffset: number, byteLength: number): ArrayBuffer;
  read: Record<string, (address: number, byteOffset: number) => number | bigint>;
  CString: new (address: number, byteOffset?: number) => { toString(): string };
  JSCallback: new (
    fn: (...args: never[]) => unknown,
    definition: { args: string[]; returns: string },
  ) => { ptr: number | null; close(): void };
}

const bunFfiSpecifier = "bun:ffi";
const ffi: BunFfi = await import(bunFfiSpecifier);

const ADDRESS: unique symbol = Symbol("address");

class BunPointer {
  readonly [ADDRESS]: number;
  constructor(address: number) {
    this[ADDRESS] = address;
    Object.freeze(this);
  }
}

function box(address: number | null): Pointer | null {
  return address === null || address === 0 ? null : new BunPointer(address) as unknown as Pointer;
}

function unbox(value: unknown): number | null {
  if (value === null) return null;
  if (value instanceof BunPointer) return value[ADDRESS];
  throw new TypeError(`Cannot pass ${describe(value)} as a pointer: expected a Pointer or null`);
}

// Buffers travel as "ptr": Bun's "buffer" type refuses null (a NULL `LPCSTR` is common), while "ptr" takes
// typed arrays, DataViews, ArrayBuffers and null at the same speed. The toolkit validates buffers before.
const TYPE_NAMES: Partial<Record<string, string>> = { pointer: "ptr", buffer: "ptr" };

function bunType(kind: ArgumentKind | ResultKind): string {
  // dlopen refuses structs by value before they get here (`structsByValue`).
  if (typeof kind === "object") throw new TypeError("bun:ffi cannot pass a struct by value");
  return TYPE_NAMES[kind] ?? kind;
}

function toBunSymbols(
  symbols: Record<string, RawSymbol>,
): Record<string, { args: string[]; returns: string }> {
  const out: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, symbol] of Object.entries(symbols)) {
    out[name] = { args: symbol.args.map(bunType), returns: bunType(symbol.returns) };
  }
  return out;
}

const unboxPointer: Converter = unbox;
const boxPointer: Converter = (value) => box(value as number | null);

const READERS: Record<NativeType, string> = {
  i8: "i8",
  u8: "u8",
  i16: "i16",
  u16: "u16",
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "u64",
  f32: "f32",
  f64: "f64",
  bool: "u8",
  pointer: "ptr",
};

const platform = (globalThis as unknown as { process: { platform: string; arch: string } }).process;

const backend: Backend = {
  runtime: "bun",
  os: platform.platform === "win32" ? "windows" : platform.platform,
  arch: platform.arch === "x64" ? "x86_64" : platform.arch === "arm64" ? "aarch64" : platform.arch,
  slowSmallArrays: false,
  structsByValue: false,

  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary {
    return ffi.dlopen(path, toBunSymbols(symbols));
  },

  argumentConverter(kind: ArgumentKind): Converter | null {
    return kind === "pointer" || kind === "function" ? unboxPointer : null;
  },

  resultConverter(kind: ResultKind): Converter | null {
    return kind === "pointer" ? boxPointer : null;
  },

  fromAddress(address: bigint): Pointer | null {
    return box(Number(address));
  },

  toAddress(pointer: Pointer | null): bigint {
    return BigInt(unbox(pointer) ?? 0);
  },

  isPointer(value: unknown): value is Pointer {
    return value instanceof BunPointer;
  },

  view(pointer: Pointer, byteOffset: number, byteLength: number): ArrayBuffer {
    return ffi.toArrayBuffer(unbox(pointer)!, byteOffset, byteLength);
  },

  read(pointer: Pointer, byteOffset: number, type: NativeType): number | bigint | boolean | Pointer | null {
    const value = ffi.read[READERS[type]]!(unbox(pointer)!, byteOffset);
    if (type === "bool") return value !== 0;
    if (type === "pointer") return box(value as number);
    return value;
  },

  readCString(pointer: Pointer, byteOffset: number): string {
    return new ffi.CString(unbox(pointer)!, byteOffset).toString();
  },

  callback(definition: RawSymbol, fn: (...args: never[]) => unknown): RawCallback {
    const callback = new ffi.JSCallback(fn, {
      args: definition.args.map(bunType),
      returns: bunType(definition.returns),
    });
    if (callback.ptr === null) throw new Error("Cannot create callback: Bun returned no function pointer");
    return { pointer: box(callback.ptr)!, close: () => callback.close() };
  },
};

export default backend;

/**
 * The Deno backend: `Deno.dlopen`, `Deno.UnsafePointer`, `Deno.UnsafePointerView`, `Deno.UnsafeCallback`.
 *
 * A toolkit `Pointer` is a `Deno.PointerObject`, so pointers cross the boundary with no conversion.
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

type DenoPointer = Deno.PointerObject;

function native(pointer: Pointer): DenoPointer {
  return pointer as unknown as DenoPointer;
}

// Deno's fast call path takes only BigInts for 64-bit integer parameters; a number drops the whole call to the
// slow path (about 7× slower, bench/calls.ts). Converting here keeps every call on the fast path.
const toBigInt: Converter = (value) => typeof value === "number" ? BigInt(value) : value;

const SIXTY_FOUR_BIT = new Set<ArgumentKind>(["i64", "u64", "isize", "usize"]);

function denoType(kind: ArgumentKind | ResultKind): Deno.NativeResultType {
  if (typeof kind !== "object") return kind as Deno.NativeResultType;
  return { struct: kind.struct.map((member) => denoType(member) as Deno.NativeType) };
}

function toDenoSymbols(symbols: Record<string, RawSymbol>): Deno.ForeignLibraryInterface {
  const out: Record<string, Deno.ForeignFunction> = {};
  for (const [name, symbol] of Object.entries(symbols)) {
    out[name] = {
      parameters: symbol.args.map(denoType) as Deno.NativeType[],
      result: denoType(symbol.returns),
    };
  }
  return out;
}

const backend: Backend = {
  runtime: "deno",
  os: Deno.build.os,
  arch: Deno.build.arch,
  slowSmallArrays: true,
  structsByValue: true,

  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary {
    return Deno.dlopen(path, toDenoSymbols(symbols)) as unknown as RawLibrary;
  },

  argumentConverter(kind: ArgumentKind): Converter | null {
    return SIXTY_FOUR_BIT.has(kind) ? toBigInt : null;
  },

  resultConverter(_kind: ResultKind): Converter | null {
    return null;
  },

  fromAddress(address: bigint): Pointer | null {
    return Deno.UnsafePointer.create(address) as Pointer | null;
  },

  toAddress(pointer: Pointer | null): bigint {
    return pointer === null ? 0n : BigInt(Deno.UnsafePointer.value(native(pointer)));
  },

  isPointer(value: unknown): value is Pointer {
    // A Deno pointer object is an opaque object with a null prototype.
    return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === null;
  },

  view(pointer: Pointer, byteOffset: number, byteLength: number): ArrayBuffer {
    return Deno.UnsafePointerView.getArrayBuffer(native(pointer), byteLength, byteOffset);
  },

  read(pointer: Pointer, byteOffset: number, type: NativeType): number | bigint | boolean | Pointer | null {
    const view = new Deno.UnsafePointerView(native(pointer));
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
        return view.getBool(byteOffset);
      case "pointer":
        return view.getPointer(byteOffset) as Pointer | null;
    }
  },

  readCString(pointer: Pointer, byteOffset: number): string {
    return Deno.UnsafePointerView.getCString(native(pointer), byteOffset);
  },

  callback(definition: RawSymbol, fn: (...args: never[]) => unknown): RawCallback {
    const callback = new Deno.UnsafeCallback(
      {
        parameters: definition.args.map(denoType) as Deno.NativeType[],
        result: denoType(definition.returns),
      },
      fn as unknown as Deno.UnsafeCallbackFunction,
    );
    return { pointer: callback.pointer as unknown as Pointer, close: () => callback.close() };
  },
};

export default backend;

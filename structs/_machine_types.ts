/**
 * One record per machine type: everything `structs/` and `ffi/` need to know about `i8` … `pointer`, in one
 * place. The scalar sizes, the codecs' `DataView` calls, the columns' typed arrays and the backends' type names
 * are derived from it; adding a machine type means adding a record here.
 *
 * @module
 */
import type { NativeType } from "./scalars.ts";

/** The `DataView` methods that read a machine type. */
export type DataViewGetter =
  | "getInt8"
  | "getUint8"
  | "getInt16"
  | "getUint16"
  | "getInt32"
  | "getUint32"
  | "getBigInt64"
  | "getBigUint64"
  | "getFloat32"
  | "getFloat64";

/** The `DataView` methods that write a machine type. */
export type DataViewSetter = `set${DataViewGetter extends `get${infer R}` ? R : never}`;

/** A typed array constructor over a buffer, as the columns make them. */
export interface TypedArrayConstructor {
  new (
    buffer: ArrayBufferLike,
    byteOffset?: number,
    length?: number,
  ):
    | Int8Array
    | Uint8Array
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | BigInt64Array
    | BigUint64Array
    | Float32Array
    | Float64Array;
  /** The size of one element in bytes. */
  readonly BYTES_PER_ELEMENT: number;
}

/** What a machine type is, in memory, in JavaScript and for each FFI backend. */
export interface MachineType {
  /** Size in bytes. */
  readonly size: number;
  /** Natural alignment in bytes (x86-64 and AArch64 System V, and x64 Windows: the size). */
  readonly align: number;
  /** Whether it is a signed integer. */
  readonly signed: boolean;
  /** The JavaScript type of its values. */
  readonly value: "number" | "bigint" | "boolean" | "pointer";
  /** The smallest and largest value of an integer type; `undefined` for floats, `bool` and `pointer`. */
  readonly range: readonly [number, number] | readonly [bigint, bigint] | undefined;
  /** The `DataView` method that reads its bytes (a `bool` reads its byte, a pointer its address). */
  readonly get: DataViewGetter;
  /** The `DataView` method that writes its bytes. */
  readonly set: DataViewSetter;
  /** The typed array over its bytes; `undefined` for `pointer`, which is never a number. */
  readonly typedArray: TypedArrayConstructor | undefined;
  /** Deno's `Deno.NativeType` for it. */
  readonly deno: string;
  /** `bun:ffi`'s `FFIType` name for it in a symbol's arguments and result. */
  readonly bun: string;
  /** `bun:ffi`'s `read.*` function that reads it from memory. */
  readonly bunRead: string;
}

const SIGNED_64: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const UNSIGNED_64: readonly [bigint, bigint] = [0n, 2n ** 64n - 1n];

function integer(
  size: number,
  signed: boolean,
  typedArray: TypedArrayConstructor,
  name: string,
): MachineType {
  const bits = size * 8;
  const wide = bits === 64;
  const suffix = `${wide ? "Big" : ""}${signed ? "Int" : "Uint"}${bits}`;
  return {
    size,
    align: size,
    signed,
    value: wide ? "bigint" : "number",
    range: wide
      ? (signed ? SIGNED_64 : UNSIGNED_64)
      : (signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1]),
    get: `get${suffix}` as DataViewGetter,
    set: `set${suffix}` as DataViewSetter,
    typedArray,
    deno: name,
    bun: name,
    bunRead: wide ? (signed ? "i64" : "u64") : name,
  };
}

function float(size: 4 | 8, typedArray: TypedArrayConstructor, name: string): MachineType {
  return {
    size,
    align: size,
    signed: true,
    value: "number",
    range: undefined,
    get: `getFloat${size * 8}` as DataViewGetter,
    set: `setFloat${size * 8}` as DataViewSetter,
    typedArray,
    deno: name,
    bun: name,
    bunRead: name,
  };
}

/** Every machine type's record, by name. */
export const MACHINE_TYPES: Readonly<Record<NativeType, MachineType>> = Object.freeze({
  i8: integer(1, true, Int8Array, "i8"),
  u8: integer(1, false, Uint8Array, "u8"),
  i16: integer(2, true, Int16Array, "i16"),
  u16: integer(2, false, Uint16Array, "u16"),
  i32: integer(4, true, Int32Array, "i32"),
  u32: integer(4, false, Uint32Array, "u32"),
  i64: integer(8, true, BigInt64Array, "i64"),
  u64: integer(8, false, BigUint64Array, "u64"),
  isize: integer(8, true, BigInt64Array, "isize"),
  usize: integer(8, false, BigUint64Array, "usize"),
  f32: float(4, Float32Array, "f32"),
  f64: float(8, Float64Array, "f64"),
  bool: {
    size: 1,
    align: 1,
    signed: false,
    value: "boolean",
    range: undefined,
    get: "getUint8",
    set: "setUint8",
    typedArray: Uint8Array,
    deno: "bool",
    bun: "bool",
    bunRead: "u8",
  },
  pointer: {
    size: 8,
    align: 8,
    signed: false,
    value: "pointer",
    range: undefined,
    get: "getBigUint64",
    set: "setBigUint64",
    typedArray: undefined,
    deno: "pointer",
    bun: "ptr",
    bunRead: "ptr",
  },
});

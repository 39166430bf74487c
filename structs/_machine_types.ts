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

// Written out rather than computed: this table is made at every import, and literals cost a third of what
// calls making them did (docs/runtime-notes.md "Start-up"). tests/structs/machine_types_test.ts checks each
// record against cc and the DataView methods and typed arrays it names.
const SIGNED_64: readonly [bigint, bigint] = [-9223372036854775808n, 9223372036854775807n];
const UNSIGNED_64: readonly [bigint, bigint] = [0n, 18446744073709551615n];

/** Every machine type's record, by name. */
export const MACHINE_TYPES: Readonly<Record<NativeType, MachineType>> = Object.freeze({
  i8: {
    size: 1,
    align: 1,
    signed: true,
    value: "number",
    range: [-128, 127],
    get: "getInt8",
    set: "setInt8",
    typedArray: Int8Array,
    deno: "i8",
    bun: "i8",
    bunRead: "i8",
  },
  u8: {
    size: 1,
    align: 1,
    signed: false,
    value: "number",
    range: [0, 255],
    get: "getUint8",
    set: "setUint8",
    typedArray: Uint8Array,
    deno: "u8",
    bun: "u8",
    bunRead: "u8",
  },
  i16: {
    size: 2,
    align: 2,
    signed: true,
    value: "number",
    range: [-32768, 32767],
    get: "getInt16",
    set: "setInt16",
    typedArray: Int16Array,
    deno: "i16",
    bun: "i16",
    bunRead: "i16",
  },
  u16: {
    size: 2,
    align: 2,
    signed: false,
    value: "number",
    range: [0, 65535],
    get: "getUint16",
    set: "setUint16",
    typedArray: Uint16Array,
    deno: "u16",
    bun: "u16",
    bunRead: "u16",
  },
  i32: {
    size: 4,
    align: 4,
    signed: true,
    value: "number",
    range: [-2147483648, 2147483647],
    get: "getInt32",
    set: "setInt32",
    typedArray: Int32Array,
    deno: "i32",
    bun: "i32",
    bunRead: "i32",
  },
  u32: {
    size: 4,
    align: 4,
    signed: false,
    value: "number",
    range: [0, 4294967295],
    get: "getUint32",
    set: "setUint32",
    typedArray: Uint32Array,
    deno: "u32",
    bun: "u32",
    bunRead: "u32",
  },
  i64: {
    size: 8,
    align: 8,
    signed: true,
    value: "bigint",
    range: SIGNED_64,
    get: "getBigInt64",
    set: "setBigInt64",
    typedArray: BigInt64Array,
    deno: "i64",
    bun: "i64",
    bunRead: "i64",
  },
  u64: {
    size: 8,
    align: 8,
    signed: false,
    value: "bigint",
    range: UNSIGNED_64,
    get: "getBigUint64",
    set: "setBigUint64",
    typedArray: BigUint64Array,
    deno: "u64",
    bun: "u64",
    bunRead: "u64",
  },
  isize: {
    size: 8,
    align: 8,
    signed: true,
    value: "bigint",
    range: SIGNED_64,
    get: "getBigInt64",
    set: "setBigInt64",
    typedArray: BigInt64Array,
    deno: "isize",
    bun: "isize",
    bunRead: "i64",
  },
  usize: {
    size: 8,
    align: 8,
    signed: false,
    value: "bigint",
    range: UNSIGNED_64,
    get: "getBigUint64",
    set: "setBigUint64",
    typedArray: BigUint64Array,
    deno: "usize",
    bun: "usize",
    bunRead: "u64",
  },
  f32: {
    size: 4,
    align: 4,
    signed: true,
    value: "number",
    range: undefined,
    get: "getFloat32",
    set: "setFloat32",
    typedArray: Float32Array,
    deno: "f32",
    bun: "f32",
    bunRead: "f32",
  },
  f64: {
    size: 8,
    align: 8,
    signed: true,
    value: "number",
    range: undefined,
    get: "getFloat64",
    set: "setFloat64",
    typedArray: Float64Array,
    deno: "f64",
    bun: "f64",
    bunRead: "f64",
  },
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

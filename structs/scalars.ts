/**
 * The scalar type vocabulary shared by `structs/` (field types) and `ffi/` (argument and result types).
 *
 * A scalar is plain data: its name, the machine type it travels as, its size, its alignment and its byte
 * order. The same constant (`u32`, `DWORD`, `pid_t`, …) is used in a struct field list and in a symbol table,
 * so a layout and a call never disagree about what a `DWORD` is.
 *
 * Sizes are those of the two 64-bit ABIs the toolkit supports: LP64 (Linux, macOS on x86-64 and arm64) and
 * LLP64 (64-bit Windows). The only type that differs between them is C's `long`, resolved once at load.
 *
 * @module
 */

/** The machine types a value can travel as through a foreign call. */
export type NativeType =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "isize"
  | "usize"
  | "f32"
  | "f64"
  | "bool"
  | "pointer";

declare const pointerBrand: unique symbol;

/**
 * An opaque native pointer. It is never a number: the toolkit hands out pointers only as values tied to
 * whatever keeps their memory alive, and the null pointer is `null`.
 *
 * On Deno the value is a `Deno.PointerObject`; on Bun it is a small frozen object. Compare pointers with
 * `pointerEquals` from `ffi/`, never with `===`.
 */
export interface Pointer {
  readonly [pointerBrand]: "Pointer";
}

/** The byte order of a scalar: the host's, or fixed. */
export type Endian = "native" | "little" | "big";

/** The JavaScript value type of each machine type. 64-bit integers are `bigint` so that no bit is lost. */
export interface NativeValues {
  i8: number;
  u8: number;
  i16: number;
  u16: number;
  i32: number;
  u32: number;
  i64: bigint;
  u64: bigint;
  isize: bigint;
  usize: bigint;
  f32: number;
  f64: number;
  bool: boolean;
  pointer: Pointer | null;
}

/** A scalar type: a named machine type with its size, alignment and byte order. */
export interface Scalar<N extends NativeType = NativeType> {
  readonly kind: "scalar";
  /** The name it was declared with, e.g. `"DWORD"` or `"u16be"`. */
  readonly name: string;
  /** The machine type it travels as. */
  readonly native: N;
  /** Size in bytes. */
  readonly size: number;
  /** Natural alignment in bytes. */
  readonly align: number;
  /** Byte order in memory. Only `"native"` scalars may be used in a foreign call. */
  readonly endian: Endian;
}

const SIZES: Readonly<Record<NativeType, number>> = {
  i8: 1,
  u8: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  i64: 8,
  u64: 8,
  isize: 8,
  usize: 8,
  f32: 4,
  f64: 8,
  bool: 1,
  pointer: 8,
};

/**
 * Declares a scalar type under a new name, e.g. a C typedef.
 *
 * @param name The name shown in errors and introspection.
 * @param native The machine type it travels as.
 * @param endian The byte order in memory; defaults to the host's.
 * @returns A frozen scalar descriptor.
 *
 * @example Declaring a typedef
 * ```ts
 * import { scalar } from "./scalars.ts";
 * const dev_t = scalar("dev_t", "u64");
 * console.log(dev_t.size); // 8
 * ```
 */
export function scalar<N extends NativeType>(name: string, native: N, endian: Endian = "native"): Scalar<N> {
  const size = SIZES[native];
  if (size === undefined) {
    throw new TypeError(`Cannot declare scalar "${name}": unknown machine type "${native}"`);
  }
  return Object.freeze({ kind: "scalar", name, native, size, align: size, endian });
}

// The fixed-width vocabulary.
export const i8: Scalar<"i8"> = scalar("i8", "i8");
export const u8: Scalar<"u8"> = scalar("u8", "u8");
export const i16: Scalar<"i16"> = scalar("i16", "i16");
export const u16: Scalar<"u16"> = scalar("u16", "u16");
export const i32: Scalar<"i32"> = scalar("i32", "i32");
export const u32: Scalar<"u32"> = scalar("u32", "u32");
export const i64: Scalar<"i64"> = scalar("i64", "i64");
export const u64: Scalar<"u64"> = scalar("u64", "u64");
export const isize: Scalar<"isize"> = scalar("isize", "isize");
export const usize: Scalar<"usize"> = scalar("usize", "usize");
export const f32: Scalar<"f32"> = scalar("f32", "f32");
export const f64: Scalar<"f64"> = scalar("f64", "f64");
/** C's `_Bool`: one byte, 0 or 1. */
export const bool: Scalar<"bool"> = scalar("bool", "bool");
/** A native pointer (`void *`). */
export const pointer: Scalar<"pointer"> = scalar("pointer", "pointer");

// Explicit byte order, for wire formats: network order is big-endian.
export const i16le: Scalar<"i16"> = scalar("i16le", "i16", "little");
export const u16le: Scalar<"u16"> = scalar("u16le", "u16", "little");
export const i32le: Scalar<"i32"> = scalar("i32le", "i32", "little");
export const u32le: Scalar<"u32"> = scalar("u32le", "u32", "little");
export const i64le: Scalar<"i64"> = scalar("i64le", "i64", "little");
export const u64le: Scalar<"u64"> = scalar("u64le", "u64", "little");
export const f32le: Scalar<"f32"> = scalar("f32le", "f32", "little");
export const f64le: Scalar<"f64"> = scalar("f64le", "f64", "little");
export const i16be: Scalar<"i16"> = scalar("i16be", "i16", "big");
export const u16be: Scalar<"u16"> = scalar("u16be", "u16", "big");
export const i32be: Scalar<"i32"> = scalar("i32be", "i32", "big");
export const u32be: Scalar<"u32"> = scalar("u32be", "u32", "big");
export const i64be: Scalar<"i64"> = scalar("i64be", "i64", "big");
export const u64be: Scalar<"u64"> = scalar("u64be", "u64", "big");
export const f32be: Scalar<"f32"> = scalar("f32be", "f32", "big");
export const f64be: Scalar<"f64"> = scalar("f64be", "f64", "big");

/** True on 64-bit Windows, where C's `long` is 32 bits (LLP64). */
const llp64 = (globalThis as { process?: { platform?: string } }).process?.platform === "win32";

// C and POSIX names.
export const char: Scalar<"i8"> = scalar("char", "i8");
export const schar: Scalar<"i8"> = scalar("schar", "i8");
export const uchar: Scalar<"u8"> = scalar("uchar", "u8");
export const short: Scalar<"i16"> = scalar("short", "i16");
export const ushort: Scalar<"u16"> = scalar("ushort", "u16");
export const int: Scalar<"i32"> = scalar("int", "i32");
export const uint: Scalar<"u32"> = scalar("uint", "u32");
/**
 * C's `long`: 64 bits on LP64 (Linux, macOS), 32 bits on LLP64 (Windows), decided when the module loads. Its
 * values are therefore typed `number | bigint`: a `bigint` where it is 64 bits, a `number` on Windows. Code
 * that runs on both narrows with `typeof`; `longlong` (`bigint`) and `int` (`number`) are fixed everywhere.
 */
export const long: Scalar<"i64" | "i32"> = llp64 ? scalar("long", "i32") : scalar("long", "i64");
/**
 * C's `unsigned long`: 64 bits on LP64, 32 bits on LLP64, so its values are typed `number | bigint` like
 * `long`'s: a `bigint` on Linux and macOS, a `number` on Windows.
 */
export const ulong: Scalar<"u64" | "u32"> = llp64 ? scalar("ulong", "u32") : scalar("ulong", "u64");
export const longlong: Scalar<"i64"> = scalar("longlong", "i64");
export const ulonglong: Scalar<"u64"> = scalar("ulonglong", "u64");
export const float: Scalar<"f32"> = scalar("float", "f32");
export const double: Scalar<"f64"> = scalar("double", "f64");
export const size_t: Scalar<"usize"> = scalar("size_t", "usize");
export const ssize_t: Scalar<"isize"> = scalar("ssize_t", "isize");
export const intptr_t: Scalar<"isize"> = scalar("intptr_t", "isize");
export const uintptr_t: Scalar<"usize"> = scalar("uintptr_t", "usize");
export const ptrdiff_t: Scalar<"isize"> = scalar("ptrdiff_t", "isize");
export const pid_t: Scalar<"i32"> = scalar("pid_t", "i32");
export const uid_t: Scalar<"u32"> = scalar("uid_t", "u32");
export const gid_t: Scalar<"u32"> = scalar("gid_t", "u32");
export const mode_t: Scalar<"u32"> = scalar("mode_t", "u32");
export const off_t: Scalar<"i64"> = scalar("off_t", "i64");
export const time_t: Scalar<"i64"> = scalar("time_t", "i64");
export const socklen_t: Scalar<"u32"> = scalar("socklen_t", "u32");
export const sa_family_t: Scalar<"u16"> = scalar("sa_family_t", "u16");

// Windows data types (https://learn.microsoft.com/windows/win32/winprog/windows-data-types), 64-bit.
export const BOOL: Scalar<"i32"> = scalar("BOOL", "i32");
export const BOOLEAN: Scalar<"u8"> = scalar("BOOLEAN", "u8");
export const BYTE: Scalar<"u8"> = scalar("BYTE", "u8");
export const CHAR: Scalar<"i8"> = scalar("CHAR", "i8");
export const WCHAR: Scalar<"u16"> = scalar("WCHAR", "u16");
export const WORD: Scalar<"u16"> = scalar("WORD", "u16");
export const SHORT: Scalar<"i16"> = scalar("SHORT", "i16");
export const USHORT: Scalar<"u16"> = scalar("USHORT", "u16");
export const INT: Scalar<"i32"> = scalar("INT", "i32");
export const UINT: Scalar<"u32"> = scalar("UINT", "u32");
export const LONG: Scalar<"i32"> = scalar("LONG", "i32");
export const ULONG: Scalar<"u32"> = scalar("ULONG", "u32");
export const DWORD: Scalar<"u32"> = scalar("DWORD", "u32");
export const DWORD64: Scalar<"u64"> = scalar("DWORD64", "u64");
export const QWORD: Scalar<"u64"> = scalar("QWORD", "u64");
export const LONGLONG: Scalar<"i64"> = scalar("LONGLONG", "i64");
export const ULONGLONG: Scalar<"u64"> = scalar("ULONGLONG", "u64");
/** `LARGE_INTEGER` read as its `QuadPart`. */
export const LARGE_INTEGER: Scalar<"i64"> = scalar("LARGE_INTEGER", "i64");
export const SIZE_T: Scalar<"usize"> = scalar("SIZE_T", "usize");
export const SSIZE_T: Scalar<"isize"> = scalar("SSIZE_T", "isize");
export const ULONG_PTR: Scalar<"usize"> = scalar("ULONG_PTR", "usize");
export const LONG_PTR: Scalar<"isize"> = scalar("LONG_PTR", "isize");
export const DWORD_PTR: Scalar<"usize"> = scalar("DWORD_PTR", "usize");
export const HANDLE: Scalar<"pointer"> = scalar("HANDLE", "pointer");
export const HMODULE: Scalar<"pointer"> = scalar("HMODULE", "pointer");
export const HLOCAL: Scalar<"pointer"> = scalar("HLOCAL", "pointer");
export const LPVOID: Scalar<"pointer"> = scalar("LPVOID", "pointer");
export const LPCVOID: Scalar<"pointer"> = scalar("LPCVOID", "pointer");
export const PVOID: Scalar<"pointer"> = scalar("PVOID", "pointer");

/** Converts between pointer values and addresses; installed by `ffi/` for the runtime it runs on. */
export interface PointerCodec {
  /** Turns an address read from memory into a pointer (`null` for 0). */
  fromAddress(address: bigint): Pointer | null;
  /** Turns a pointer into the address to write to memory (`0n` for `null`). */
  toAddress(pointer: Pointer | null): bigint;
}

/** Stand-in used by `structs/` on its own, with no runtime FFI loaded: addresses stay opaque. */
class DetachedPointer {
  readonly address: bigint;
  constructor(address: bigint) {
    this.address = address;
    Object.freeze(this);
  }
}

let codec: PointerCodec = {
  fromAddress: (address) => address === 0n ? null : new DetachedPointer(address) as unknown as Pointer,
  toAddress(pointer) {
    if (pointer === null) return 0n;
    if (pointer instanceof DetachedPointer) return pointer.address;
    throw new TypeError("Cannot write a pointer: no FFI runtime is loaded to encode it");
  },
};

/** The pointer codec in force. Struct fields of type `pointer` read and write through it. */
export function pointerCodec(): PointerCodec {
  return codec;
}

/**
 * Installs the pointer codec of the running FFI runtime. Called once by `ffi/` when it loads.
 *
 * @param next The codec to use from now on.
 */
export function setPointerCodec(next: PointerCodec): void {
  codec = next;
}

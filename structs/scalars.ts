/**
 * The scalar type vocabulary shared by `structs/` (field types) and `ffi/` (argument and result types).
 *
 * A scalar is plain data: its name, the machine type it travels as, its size, its alignment and its byte
 * order. The same constant (`u32`, `pid_t`, …) is used in a struct field list and in a symbol table,
 * so a layout and a call never disagree about what a `pid_t` is. (The Windows typedefs are in `windows/types.ts`.)
 *
 * Sizes are those of the two 64-bit ABIs the toolkit supports: LP64 (Linux, macOS on x86-64 and arm64) and
 * LLP64 (64-bit Windows). The only type that differs between them is C's `long`, resolved once at load.
 *
 * @module
 */
import { MACHINE_TYPES } from "./_machine_types.ts";
import { hostPlatform } from "./_environment.ts";

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
  /**
   * A type-only brand, so that no other object passes as a pointer; it does not exist at run time.
   *
   * @ignore
   */
  readonly [pointerBrand]: "Pointer";
}

/** The byte order of a scalar: the host's, or fixed. */
export type Endian = "native" | "little" | "big";

/** The JavaScript value type of each machine type. 64-bit integers are `bigint` so that no bit is lost. */
export interface NativeValues {
  /** An 8-bit signed integer reads as a `number`. */
  i8: number;
  /** An 8-bit unsigned integer reads as a `number`. */
  u8: number;
  /** A 16-bit signed integer reads as a `number`. */
  i16: number;
  /** A 16-bit unsigned integer reads as a `number`. */
  u16: number;
  /** A 32-bit signed integer reads as a `number`. */
  i32: number;
  /** A 32-bit unsigned integer reads as a `number`. */
  u32: number;
  /** A 64-bit signed integer reads as a `bigint`. */
  i64: bigint;
  /** A 64-bit unsigned integer reads as a `bigint`. */
  u64: bigint;
  /** A signed pointer-sized integer reads as a `bigint`. */
  isize: bigint;
  /** An unsigned pointer-sized integer reads as a `bigint`. */
  usize: bigint;
  /** A 32-bit float reads as a `number`. */
  f32: number;
  /** A 64-bit float reads as a `number`. */
  f64: number;
  /** A `_Bool` reads as a `boolean`. */
  bool: boolean;
  /** A pointer reads as an opaque `Pointer`, or `null` for the null pointer. */
  pointer: Pointer | null;
}

/**
 * The JavaScript values a write of each machine type accepts: what it reads as, and for 64-bit integers a
 * number too, when it is a safe integer (`Number.isSafeInteger`), as a 64-bit call argument takes one. A number
 * past 2^53 - 1 is refused (`UnsafeIntegerError`): it may not be the integer that was meant.
 */
export type NativeInputs = {
  [N in NativeType]: NativeValues[N] extends bigint ? bigint | number : NativeValues[N];
};

/** A scalar type: a named machine type with its size, alignment and byte order. */
export interface Scalar<N extends NativeType = NativeType> {
  /** Tells a scalar from the other field types. */
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
  const size = MACHINE_TYPES[native]?.size;
  if (size === undefined) {
    throw new TypeError(`Cannot declare scalar "${name}": unknown machine type "${native}"`);
  }
  return Object.freeze({ kind: "scalar", name, native, size, align: size, endian });
}

// The fixed-width vocabulary.
/** Signed 8-bit integer (C `int8_t`). */
export const i8: Scalar<"i8"> = scalar("i8", "i8");
/** Unsigned 8-bit integer (C `uint8_t`). */
export const u8: Scalar<"u8"> = scalar("u8", "u8");
/** Signed 16-bit integer (C `int16_t`). */
export const i16: Scalar<"i16"> = scalar("i16", "i16");
/** Unsigned 16-bit integer (C `uint16_t`). */
export const u16: Scalar<"u16"> = scalar("u16", "u16");
/** Signed 32-bit integer (C `int32_t`). */
export const i32: Scalar<"i32"> = scalar("i32", "i32");
/** Unsigned 32-bit integer (C `uint32_t`). */
export const u32: Scalar<"u32"> = scalar("u32", "u32");
/** Signed 64-bit integer (C `int64_t`); values are `bigint`. */
export const i64: Scalar<"i64"> = scalar("i64", "i64");
/** Unsigned 64-bit integer (C `uint64_t`); values are `bigint`. */
export const u64: Scalar<"u64"> = scalar("u64", "u64");
/** Signed pointer-sized integer: 64 bits; values are `bigint`. */
export const isize: Scalar<"isize"> = scalar("isize", "isize");
/** Unsigned pointer-sized integer: 64 bits; values are `bigint`. */
export const usize: Scalar<"usize"> = scalar("usize", "usize");
/** IEEE 754 single-precision float (C `float`). */
export const f32: Scalar<"f32"> = scalar("f32", "f32");
/** IEEE 754 double-precision float (C `double`). */
export const f64: Scalar<"f64"> = scalar("f64", "f64");
/** C's `_Bool`: one byte, 0 or 1. */
export const bool: Scalar<"bool"> = scalar("bool", "bool");
/** A native pointer (`void *`). */
export const pointer: Scalar<"pointer"> = scalar("pointer", "pointer");

// Explicit byte order, for wire formats: network order is big-endian.
/** Little-endian 16-bit signed integer, whatever the host's byte order. */
export const i16le: Scalar<"i16"> = scalar("i16le", "i16", "little");
/** Little-endian 16-bit unsigned integer, whatever the host's byte order. */
export const u16le: Scalar<"u16"> = scalar("u16le", "u16", "little");
/** Little-endian 32-bit signed integer, whatever the host's byte order. */
export const i32le: Scalar<"i32"> = scalar("i32le", "i32", "little");
/** Little-endian 32-bit unsigned integer, whatever the host's byte order. */
export const u32le: Scalar<"u32"> = scalar("u32le", "u32", "little");
/** Little-endian 64-bit signed integer, whatever the host's byte order. */
export const i64le: Scalar<"i64"> = scalar("i64le", "i64", "little");
/** Little-endian 64-bit unsigned integer, whatever the host's byte order. */
export const u64le: Scalar<"u64"> = scalar("u64le", "u64", "little");
/** Little-endian 32-bit float, whatever the host's byte order. */
export const f32le: Scalar<"f32"> = scalar("f32le", "f32", "little");
/** Little-endian 64-bit float, whatever the host's byte order. */
export const f64le: Scalar<"f64"> = scalar("f64le", "f64", "little");
/** Big-endian (network order) 16-bit signed integer, whatever the host's byte order. */
export const i16be: Scalar<"i16"> = scalar("i16be", "i16", "big");
/** Big-endian (network order) 16-bit unsigned integer, whatever the host's byte order. */
export const u16be: Scalar<"u16"> = scalar("u16be", "u16", "big");
/** Big-endian (network order) 32-bit signed integer, whatever the host's byte order. */
export const i32be: Scalar<"i32"> = scalar("i32be", "i32", "big");
/** Big-endian (network order) 32-bit unsigned integer, whatever the host's byte order. */
export const u32be: Scalar<"u32"> = scalar("u32be", "u32", "big");
/** Big-endian (network order) 64-bit signed integer, whatever the host's byte order. */
export const i64be: Scalar<"i64"> = scalar("i64be", "i64", "big");
/** Big-endian (network order) 64-bit unsigned integer, whatever the host's byte order. */
export const u64be: Scalar<"u64"> = scalar("u64be", "u64", "big");
/** Big-endian (network order) 32-bit float, whatever the host's byte order. */
export const f32be: Scalar<"f32"> = scalar("f32be", "f32", "big");
/** Big-endian (network order) 64-bit float, whatever the host's byte order. */
export const f64be: Scalar<"f64"> = scalar("f64be", "f64", "big");

/** True on 64-bit Windows, where C's `long` is 32 bits (LLP64). */
const llp64 = hostPlatform() === "win32";

// C and POSIX names.
/** C `char`: 1 byte, read as signed (it is unsigned on arm64 Linux; use `uchar` there when it matters). */
export const char: Scalar<"i8"> = scalar("char", "i8");
/** C `signed char`: 1 byte. */
export const schar: Scalar<"i8"> = scalar("schar", "i8");
/** C `unsigned char`: 1 byte. */
export const uchar: Scalar<"u8"> = scalar("uchar", "u8");
/** C `short`: 2 bytes, signed. */
export const short: Scalar<"i16"> = scalar("short", "i16");
/** C `unsigned short`: 2 bytes. */
export const ushort: Scalar<"u16"> = scalar("ushort", "u16");
/** C `int`: 4 bytes, signed. */
export const int: Scalar<"i32"> = scalar("int", "i32");
/** C `unsigned int`: 4 bytes. */
export const uint: Scalar<"u32"> = scalar("uint", "u32");
/**
 * C's `long`: 64 bits on LP64 (Linux, macOS), 32 bits on LLP64 (Windows), decided when the module loads. Its
 * values are therefore typed `number | bigint`: a `bigint` where it is 64 bits, a `number` on Windows. Code
 * that runs on both narrows with `typeof`; `longlong` (`bigint`) and `int` (`number`) are fixed everywhere.
 * A layout for Linux or macOS only says `long_lp64` (exactly `bigint`), one for Windows only `LONG`.
 */
export const long: Scalar<"i64" | "i32"> = llp64 ? scalar("long", "i32") : scalar("long", "i64");
/**
 * C's `unsigned long`: 64 bits on LP64, 32 bits on LLP64, so its values are typed `number | bigint` like
 * `long`'s: a `bigint` on Linux and macOS, a `number` on Windows. `ulong_lp64` and `ULONG` are exact.
 */
export const ulong: Scalar<"u64" | "u32"> = llp64 ? scalar("ulong", "u32") : scalar("ulong", "u64");
/**
 * C's `long` where it is 64 bits: the LP64 model of Linux and macOS (x86-64 and arm64). For layouts that exist
 * only there (every Linux header), so that the type is exact: values are `bigint` (or wrap it in `asNumber`),
 * where `long` is typed `number | bigint` because Windows makes it 32 bits.
 */
export const long_lp64: Scalar<"i64"> = scalar("long", "i64");
/** C's `unsigned long` where it is 64 bits (LP64: Linux, macOS); values are `bigint`. See `long_lp64`. */
export const ulong_lp64: Scalar<"u64"> = scalar("ulong", "u64");
/** C `long long`: 8 bytes, signed; values are `bigint`. */
export const longlong: Scalar<"i64"> = scalar("longlong", "i64");
/** C11's `char16_t`: a UTF-16 code unit; `array(char16_t, n, { string: true })` reads a UTF-16 string. */
export const char16_t: Scalar<"u16"> = scalar("char16_t", "u16");
/** C11's `char32_t`: a UTF-32 code unit; `array(char32_t, n, { string: true })` reads a UTF-32 string. */
export const char32_t: Scalar<"u32"> = scalar("char32_t", "u32");
/**
 * C's `wchar_t`: a signed 32-bit UTF-32 unit on Linux and macOS, an unsigned 16-bit UTF-16 unit on Windows,
 * decided when the module loads as `long` is; `array(wchar_t, n, { string: true })` reads either.
 */
export const wchar_t: Scalar<"i32" | "u16"> = llp64 ? scalar("wchar_t", "u16") : scalar("wchar_t", "i32");
/** C `unsigned long long`: 8 bytes; values are `bigint`. */
export const ulonglong: Scalar<"u64"> = scalar("ulonglong", "u64");
/** C `float`: 4 bytes. */
export const float: Scalar<"f32"> = scalar("float", "f32");
/** C `double`: 8 bytes. */
export const double: Scalar<"f64"> = scalar("double", "f64");
/** C `size_t`: 8 bytes, unsigned. */
export const size_t: Scalar<"usize"> = scalar("size_t", "usize");
/** POSIX `ssize_t`: 8 bytes, signed. */
export const ssize_t: Scalar<"isize"> = scalar("ssize_t", "isize");
/** C `intptr_t`: 8 bytes, signed. */
export const intptr_t: Scalar<"isize"> = scalar("intptr_t", "isize");
/** C `uintptr_t`: 8 bytes, unsigned. */
export const uintptr_t: Scalar<"usize"> = scalar("uintptr_t", "usize");
/** C `ptrdiff_t`: 8 bytes, signed. */
export const ptrdiff_t: Scalar<"isize"> = scalar("ptrdiff_t", "isize");
/** POSIX `pid_t`: 4 bytes, signed. */
export const pid_t: Scalar<"i32"> = scalar("pid_t", "i32");
/** POSIX `uid_t`: 4 bytes, unsigned. */
export const uid_t: Scalar<"u32"> = scalar("uid_t", "u32");
/** POSIX `gid_t`: 4 bytes, unsigned. */
export const gid_t: Scalar<"u32"> = scalar("gid_t", "u32");
/** POSIX `mode_t`: 4 bytes, unsigned (Linux). */
export const mode_t: Scalar<"u32"> = scalar("mode_t", "u32");
/** POSIX `off_t`: 8 bytes, signed (64-bit Linux). */
export const off_t: Scalar<"i64"> = scalar("off_t", "i64");
/** C `time_t`: 8 bytes, signed (64-bit Linux). */
export const time_t: Scalar<"i64"> = scalar("time_t", "i64");
/** POSIX `socklen_t`: 4 bytes, unsigned. */
export const socklen_t: Scalar<"u32"> = scalar("socklen_t", "u32");
/** POSIX `sa_family_t`: 2 bytes, unsigned (Linux). */
export const sa_family_t: Scalar<"u16"> = scalar("sa_family_t", "u16");

/** Converts between pointer values and addresses; installed by `ffi/` for the runtime it runs on. */
export interface PointerCodec {
  /** Turns an address read from memory into a pointer (`null` for 0). */
  fromAddress(address: bigint): Pointer | null;
  /** Turns a pointer into the address to write to memory (`0n` for `null`). */
  toAddress(pointer: Pointer | null): bigint;
  /** Whether a value is a pointer of this codec's: for printing views with their pointers' addresses. */
  isPointer?(value: unknown): boolean;
}

/** Stand-in used by `structs/` on its own, with no runtime FFI loaded: addresses stay opaque. */
class DetachedPointer {
  readonly address: bigint;
  constructor(address: bigint) {
    this.address = address;
    Object.freeze(this);
  }
}

/**
 * The codec `structs/` uses on its own, before an FFI runtime installs its own: every address is kept as it is,
 * in an opaque box, and only such boxes can be written back.
 */
export const detachedPointerCodec: PointerCodec = Object.freeze({
  isPointer: (value: unknown) => value instanceof DetachedPointer,
  fromAddress: (address: bigint) =>
    address === 0n ? null : new DetachedPointer(address) as unknown as Pointer,
  toAddress(pointer: Pointer | null): bigint {
    if (pointer === null) return 0n;
    if (pointer instanceof DetachedPointer) return pointer.address;
    throw new TypeError("Cannot write a pointer: no FFI runtime is loaded to encode it");
  },
});

let codec: PointerCodec = detachedPointerCodec;

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

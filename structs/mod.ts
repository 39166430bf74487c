/**
 * C memory layouts over `ArrayBuffer` and `DataView`: declare a struct once, as data, then copy it out
 * (`read`), write it (`write`, `encode`), view it in place (`view`), cast bytes to it with a size check
 * (`cast`, `castOneOf`) and walk arrays of it (`array`: `at`, a cursor, columns, `toArray`). Layouts agree
 * with GCC and Clang on x86-64 and AArch64 Linux (checked against `cc` by the tests) and with MSVC on x64
 * (bitfields with `{ bitfields: "msvc" }`, checked against `cc`'s `ms_struct` and the mingw-w64 compiler for Windows). Pure, runtime-neutral TypeScript: the same code runs on Deno and Bun.
 *
 * Lifetimes, in plain words: a view, an array view, a cursor or a column holds a `DataView` of the bytes it was
 * made from, so it keeps an `ArrayBuffer` alive, and it reads the bytes as they are at the moment of each
 * access. Over native memory (an `ArrayBuffer` that `ffi/` made from a pointer) it is valid only while that
 * memory is; copy out with `read` or `toArray` what must outlive it. Pointer fields read and write through the
 * codec `ffi/` installs (`pointerCodec()`); a pointer is never a number.
 *
 * @example The seeds' table of TCP rows
 * ```ts
 * import { ANY_SIZE, array, struct, u16, u16be, u32 } from "./mod.ts";
 *
 * // A port is the low 16 bits of a DWORD in network byte order: a big-endian u16, then two unused bytes.
 * const MIB_TCPROW_OWNER_PID = struct({
 *   dwState: u32, dwLocalAddr: u32, dwLocalPort: u16be, localPortHigh: u16,
 *   dwRemoteAddr: u32, dwRemotePort: u16be, remotePortHigh: u16, dwOwningPid: u32,
 * });
 * const MIB_TCPTABLE_OWNER_PID = struct({
 *   dwNumEntries: u32,
 *   table: array(MIB_TCPROW_OWNER_PID, ANY_SIZE, { count: "dwNumEntries" }),
 * });
 *
 * const bytes = MIB_TCPTABLE_OWNER_PID.encode({
 *   dwNumEntries: 1,
 *   table: [{
 *     dwState: 5, dwLocalAddr: 0, dwLocalPort: 443, localPortHigh: 0,
 *     dwRemoteAddr: 0, dwRemotePort: 0, remotePortHigh: 0, dwOwningPid: 7,
 *   }],
 * });
 * const rows = MIB_TCPTABLE_OWNER_PID.cast(bytes, { prefix: true }).table;
 * const cursor = rows.cursor();
 * while (cursor.next()) console.log(cursor.row.dwOwningPid, cursor.row.dwLocalPort); // 7 443
 * ```
 *
 * @module
 */
export * from "./scalars.ts";
// The Windows typedefs (`DWORD`, `HANDLE`, …) live in `windows/types.ts`; kept here so that imports from
// `structs/` go on working.
export * from "../windows/types.ts";
export { aligned, type AlignedOptions } from "./aligned.ts";
export { asNumber, type NumberScalar, type WideInteger } from "./as_number.ts";
export { i128, type Int128Type, u128 } from "./int128.ts";
export type { Bytes } from "./_bytes.ts";
export { ANY_SIZE, array, type ArrayOptions, FLEXIBLE, type FlexibleArrayOptions } from "./array.ts";
export { ArrayView, type Column, Cursor, type Strided } from "./array_view.ts";
export { type BitFieldStorage, bits, padding } from "./bits.ts";
export { castOneOf, type FieldsOf, type ViewOfAny } from "./cast.ts";
export {
  LayoutError,
  type LayoutErrorOptions,
  UnsafeIntegerError,
  type UnsafeIntegerErrorOptions,
} from "./errors.ts";
export { formatIpAddress } from "./inet.ts";
export { alignOf, fieldsOf, offsetOf, sizeOf } from "./introspection.ts";
export {
  type ArrayOfOptions,
  type CastOptions,
  type CompositeType,
  struct,
  type StructOptions,
  type StructType,
  union,
  type UnionType,
} from "./struct.ts";
export type {
  Aligned,
  ArrayType,
  BitField,
  BitInput,
  BitValue,
  ColumnName,
  ColumnNative,
  ElementView,
  FieldInfo,
  Fields,
  FieldSpec,
  FieldsView,
  FieldType,
  FieldView,
  FlexibleArray,
  Infer,
  InferFields,
  InferInput,
  InferStructInput,
  InferUnionInput,
  IsValueField,
  Padding,
  ScalarValue,
  TypedArrays,
  View,
  WideBitWidth,
} from "./types.ts";

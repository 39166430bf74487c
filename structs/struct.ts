/**
 * `struct()` and `union()`: C memory layouts with copies (`read`, `write`, `encode`), in-place views (`view`),
 * checked casts (`cast`) and arrays of rows (`array`). The public types and the two functions; the layout
 * itself is `_composite.ts`.
 *
 * @module
 */
import type { Bytes } from "./_bytes.ts";
import { CompositeLayout } from "./_composite.ts";
import type { ArrayView } from "./array_view.ts";
import type {
  FieldInfo,
  Fields,
  FieldsView,
  InferFields,
  InferStructInput,
  InferUnionInput,
} from "./types.ts";

/** Layout options, as C attributes and pragmas. */
export interface StructOptions {
  /** The name used in errors and introspection; default `"struct"` or `"union"`. */
  name?: string;
  /**
   * `__attribute__((packed))`: every member at alignment 1 and bitfields packed bit by bit, except that an
   * `aligned(n)` member keeps alignment `n` and a `T : 0` still moves to the next boundary of `T`.
   */
  packed?: boolean;
  /**
   * `#pragma pack(n)`: every member's alignment is capped at `n` bytes (a power of two), `aligned()` members
   * included, and bitfields are packed bit by bit as under `packed`.
   */
  pack?: number;
  /**
   * `__attribute__((aligned(n)))` on the struct: at least `n`-byte alignment (a power of two), which `pack` does
   * not cap.
   */
  align?: number;
  /**
   * Whose rules place bitfields: `"sysv"` (the default: GCC and Clang on Linux and macOS) or `"msvc"` (Visual
   * C++, and GCC's `ms_struct`). See `bits`. Nothing else differs between the two on x64.
   */
  bitfields?: "sysv" | "msvc";
  /**
   * The most rows a count may give: the struct's flexible array (as its count field says, in `read`, `view`,
   * `cast` and `write`) and `T.array()` of this layout (unless the call sets its own). A count past it is a
   * `RangeError` naming the count, the limit and the field, raised before any row is made. Default: 65,536
   * (2^16) for rows of no bytes (`struct({})`), whose count nothing else bounds; none for rows that take bytes,
   * which the bytes bound. `Infinity` turns it off.
   */
  maxRows?: number;
}

/** Options of `cast`. Another key is an error, not ignored. */
export interface CastOptions {
  /** Accept bytes longer than the layout and view their prefix. */
  prefix?: boolean;
}

/** Options of `array`. Another key is an error, not ignored. */
export interface ArrayOfOptions {
  /** The number of rows; default: as many whole rows as the bytes after `byteOffset` hold. */
  count?: number;
  /** Where the first row starts, in bytes; default 0. */
  byteOffset?: number;
  /** The most rows `count` (or the bytes) may give; default: the layout's `maxRows` (see `StructOptions`). */
  maxRows?: number;
}

/** What struct and union types have in common. */
export interface CompositeType<F extends Fields, K extends "struct" | "union"> {
  /** `"struct"` or `"union"`: tells the two apart, and from the other field types. */
  readonly kind: K;
  /** The name given in the options. */
  readonly name: string;
  /**
   * `sizeof`, including tail padding; for a struct ending in `[ANY_SIZE]`, with one element, and in a C99
   * flexible array `[]`, with none.
   */
  readonly size: number;
  /** `_Alignof`. */
  readonly align: number;
  /** Every field, placed: name, offset, size, alignment and type. */
  readonly fields: readonly FieldInfo[];
  /** The field list as declared. */
  readonly declaration: F;
  /** Whether the last field is a flexible array. */
  readonly flexible: boolean;

  /**
   * Copies the struct at `byteOffset` out into a plain object. A `DataView` is used as is; for other bytes a
   * `DataView` is made and reused while the next call passes the same bytes object (a loop over one buffer
   * makes one), except over a resizable or growable buffer, whose typed arrays may change length. The offset
   * is a number (any safe integer: 4 GiB and past is fine where the buffer reaches); a struct ending in a
   * flexible array needs its fixed members' bytes there, then its elements' (see `cast`).
   */
  read(bytes: Bytes, byteOffset?: number): InferFields<F>;
  /**
   * An object whose fields read and write the bytes at `byteOffset` in place. `JSON.stringify(view)` writes
   * what `read` copies (`toJSON`). Once its buffer is detached or shrinks under it, the view prints as such and
   * its `toJSON` says so; its fields throw the engine's bounds error, and never read past the buffer (a
   * `try` around each field read, to say it in the toolkit's words, cost `at(i).field` 25 % on Bun).
   */
  view(bytes: Bytes, byteOffset?: number): FieldsView<F>;
  /**
   * A view of bytes whose length must be exactly this layout's size; with `prefix`, at least. A struct ending
   * in a flexible array needs its fixed members (`offsetof` the array) and then exactly the elements it has:
   * as many as its count field says (`offsetof(T, rows) + n * sizeof(row)`, as C allocates it, or `sizeof` when
   * that is larger, as `encode` makes it; more bytes only with `prefix`), or with no count field, as many as the
   * bytes hold. The count may not pass the layout's `maxRows` (a `RangeError`, as `read` gives).
   */
  cast(bytes: Bytes, options?: CastOptions): FieldsView<F>;
}

/** A struct type made by `struct()`. It is itself a field type, so structs nest. */
export interface StructType<F extends Fields = Fields> extends CompositeType<F, "struct"> {
  /**
   * Writes a plain value into the bytes at `byteOffset`. A field the value leaves out (or gives as `undefined`)
   * is written as zeros, nested structs likewise, as C's designated initializer `*p = (T){ .a = 1 }` zeroes the
   * rest: `write` means "the struct is now this value", so it gives the same bytes as `encode` whatever the bytes
   * held, and a value read back is the value written. To change some fields and keep the others, set them
   * through `view()`. A key that is not a field is refused when a field was left out (with every field given,
   * the value is written as it is, so a view or `{ ...row, extra }` serves). A flexible array left out has no
   * rows (its count field must then be 0). 64-bit integers take a `bigint` or a safe integer number. Padding
   * bytes are left as they are.
   */
  write(bytes: Bytes, value: InferStructInput<F>, byteOffset?: number): void;
  /**
   * Encodes a value into new zero-filled bytes, with room for a flexible array's elements: `sizeof` or more
   * when the array has a count field, and exactly up to the last element when it has none (the bytes' length
   * is then its count, so `read` gives the same elements back). Fields the value leaves out are zeros
   * (`T.encode({})` is C's `{ 0 }`); a key that is not a field is refused, as for `write`.
   */
  encode(value: InferStructInput<F>): Uint8Array;
  /** The rows of an array of this struct, in place. */
  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView<StructType<F>>;
}

/** A union type made by `union()`. */
export interface UnionType<F extends Fields = Fields> extends CompositeType<F, "union"> {
  /**
   * Zeroes the union's bytes at `byteOffset`, then writes the members present in `value` (in order: a later one
   * overwrites an earlier one's bytes), so that `write` gives the bytes `encode` gives. A key that is not a
   * member is refused.
   */
  write(bytes: Bytes, value: InferUnionInput<F>, byteOffset?: number): void;
  /** Encodes the members present in `value` into new zero-filled bytes. */
  encode(value: InferUnionInput<F>): Uint8Array;
  /** The elements of an array of this union, in place. */
  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView<UnionType<F>>;
}

/**
 * Declares a C struct: fields in order, at their natural alignment with padding between them and at the
 * end, as GCC and Clang lay them out on x86-64 and AArch64 (System V ABI) and MSVC on x64 (for bitfields,
 * with `{ bitfields: "msvc" }`).
 *
 * Scalar fields read as numbers (`bigint` for 64-bit integers, unless declared `asNumber(u64)`; `boolean` for
 * `bool`, `Pointer | null` for pointers), arrays as arrays, nested structs as objects; see `Infer`. Writes take
 * the same, a 64-bit integer also as a safe integer number, and a value may leave fields out: they are zeros,
 * as in C's `{ .a = 1 }` (see `write`).
 *
 * @param fields The fields in declaration order. A struct or union type is itself a field type.
 * @param options `name`, `packed`, `pack` and `align`, as the C attributes, and `bitfields` (`"sysv"` or
 *   `"msvc"`), whose rules place bitfields.
 * @returns The struct type.
 * @throws {TypeError} When a field is not a field type, a flexible array is not last or has a bad count, or an
 *   option is unknown.
 * @throws {RangeError} When `pack` or `align` is not a power of two.
 *
 * @example A row read three ways: copied, cast in place, written through the view
 * ```ts
 * import { struct, u16, u16be, u32, type Infer } from "./mod.ts";
 * // A port in network byte order, in the low half of a 32-bit field (as in MIB_TCPROW_OWNER_PID).
 * const Row = struct({ state: u32, localAddr: u32, localPort: u16be, portHigh: u16, owningPid: u32 });
 * const bytes = Row.encode({ state: 5, localAddr: 0, localPort: 443, portHigh: 0, owningPid: 42 });
 * const copy: Infer<typeof Row> = Row.read(bytes);
 * const view = Row.cast(bytes);
 * view.owningPid = 43;
 * console.log(Row.size, copy.localPort, view.owningPid); // 16 443 43
 * ```
 */
export function struct<const F extends Fields>(fields: F, options: StructOptions = {}): StructType<F> {
  return new CompositeLayout("struct", fields, options) as unknown as StructType<F>;
}

/**
 * Declares a C union: every member at offset 0; size the largest member's, rounded to the largest alignment.
 * `read` decodes every member; `write` and `encode` write the members present in the value.
 *
 * @param fields The members.
 * @param options `name`, `packed`, `pack`, `align` and `bitfields`, as for `struct`.
 * @returns The union type.
 * @throws {TypeError} When a member is not a field type or is a flexible array.
 *
 * @example A value seen as one u32 or four bytes
 * ```ts
 * import { array, u8, u32, union } from "./mod.ts";
 * const Word = union({ value: u32, bytes: array(u8, 4) });
 * console.log(Word.read(Word.encode({ value: 0x01020304 })).bytes); // [ 4, 3, 2, 1 ] on little-endian hosts
 * ```
 */
export function union<const F extends Fields>(fields: F, options: StructOptions = {}): UnionType<F> {
  return new CompositeLayout("union", fields, options) as unknown as UnionType<F>;
}

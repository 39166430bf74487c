/**
 * Array field types: fixed-length C arrays (`T name[n]`, with `char` arrays also readable as strings) and
 * the two trailing arrays whose length the struct's data gives: the Windows SDK's `T name[ANY_SIZE]` and
 * C99's flexible array member `T name[]`.
 *
 * @module
 */
import { decodeCString } from "./_c_string.ts";
import { loneSurrogate, markTextUnits, wideStringCodec } from "./_wide_string.ts";
import { checkOptions, describe } from "./_checks.ts";
import { CODEC, type Codec, codecOf } from "./_codec.ts";
import { generatedCodeLater } from "./_codegen.ts";
import { MACHINE_TYPES } from "./_machine_types.ts";
import { _elementsView, type RowCodec } from "./array_view.ts";
import type { Scalar } from "./scalars.ts";
import type { ArrayType, FieldType, FlexibleArray } from "./types.ts";

/**
 * The length of a trailing array as the Windows SDK declares it, `T name[ANY_SIZE]` (or `T name[1]`):
 * `table: array(Row, ANY_SIZE, { count })`. The SDK defines `ANY_SIZE` as 1, so C's `sizeof` counts one
 * element (`sizeof(MIB_TCPTABLE_OWNER_PID)` is 28); the real length comes from the count field of the same
 * struct, or else from the bytes that remain, and may be 0. Use it for Windows headers' `[ANY_SIZE]` and `[1]`
 * tables; for C99's `T name[]` (Linux uapi headers, `__DECLARE_FLEX_ARRAY`) use `FLEXIBLE`.
 */
export const ANY_SIZE: unique symbol = Symbol("ANY_SIZE");

/**
 * The length of a C99 flexible array member, `T name[]`: `rows: array(Row, FLEXIBLE, { count })`. C's
 * `sizeof` counts none of its elements. Use it for the `[]` members of Linux uapi headers (and their
 * `__DECLARE_FLEX_ARRAY`, and the older `[0]` form); for the Windows SDK's `[ANY_SIZE]` use `ANY_SIZE`.
 */
export const FLEXIBLE: unique symbol = Symbol("FLEXIBLE");

/** Options of a fixed-length array. */
export interface ArrayOptions {
  /**
   * Read and write the array as a NUL-terminated string: UTF-8 for one-byte integers (`char`), UTF-16 for
   * two-byte ones (`char16_t`, Windows' `wchar_t`), UTF-32 for four-byte ones (`char32_t`, Linux's `wchar_t`).
   */
  string?: boolean;
}

/** Options of a trailing array (`ANY_SIZE` or `FLEXIBLE`). */
export interface FlexibleArrayOptions {
  /** The integer field of the same struct holding the number of elements; default: the bytes that remain. */
  count?: string;
}

const encoder = new TextEncoder();

const FIXED_OPTIONS = ["string"];

// The elements an array read as a string may have: UTF-8 bytes, UTF-16 or UTF-32 code units.
const STRING_UNITS = new Set(["i8", "u8", "i16", "u16", "i32", "u32"]);
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const FLEXIBLE_OPTIONS = ["count"];

/**
 * Declares a C array field type `T name[n]`, or a trailing array whose length the data gives: with
 * `ANY_SIZE` the Windows SDK's `T name[ANY_SIZE]` (`sizeof` counts one element), with `FLEXIBLE` a C99
 * flexible array member `T name[]` (`sizeof` counts none). Either reads as many elements as its count field
 * says (or the bytes hold), 0 included, and needs `offsetof(T, name) + n * sizeof(element)` bytes.
 *
 * Fixed arrays read as plain arrays and view as `ArrayView`s; with `{ string: true }` a `char` array reads
 * and writes as a string (UTF-8 up to the first NUL; writing pads with NUL bytes), and a `char16_t` or
 * `char32_t` array as UTF-16 or UTF-32 code units. Writing refuses a NUL inside the string and a lone
 * surrogate, which would not read back.
 *
 * @param element The element type: a scalar, an array, a struct or a union.
 * @param length The number of elements, or `ANY_SIZE` or `FLEXIBLE`.
 * @param options `string` for `char` arrays; `count` for `ANY_SIZE` and `FLEXIBLE` arrays.
 * @returns The array type.
 * @throws {RangeError} When `length` is not a non-negative integer.
 * @throws {TypeError} When `element` is not a field type, `string` is asked of a non-byte element, or an
 *   option is unknown (`count` belongs to flexible arrays, `string` to fixed ones) or not of its type.
 *
 * @example A char array as a string, and a table with a count
 * ```ts
 * import { ANY_SIZE, array, char, FLEXIBLE, struct, u32 } from "./mod.ts";
 * const Name = struct({ name: array(char, 8, { string: true }) });
 * console.log(Name.read(Name.encode({ name: "eth0" })).name); // "eth0"
 * // Windows: typedef struct { DWORD count; DWORD rows[ANY_SIZE]; } TABLE; (sizeof 8)
 * const Table = struct({ count: u32, rows: array(u32, ANY_SIZE, { count: "count" }) });
 * console.log(Table.size, Table.read(new Uint32Array([2, 7, 9])).rows); // 8 [ 7, 9 ]
 * // Linux: struct list { __u32 count; __u32 rows[]; }; (sizeof 4)
 * const List = struct({ count: u32, rows: array(u32, FLEXIBLE, { count: "count" }) });
 * console.log(List.size, List.read(new Uint32Array([0])).rows); // 4 []
 * ```
 */
export function array<E extends FieldType>(
  element: E,
  length: number,
  options?: { string?: false },
): ArrayType<E, false>;
/**
 * Declares a `char` array `T name[n]` read and written as a NUL-terminated UTF-8 string, or a `char16_t`
 * (`u16`) or `char32_t` (`u32`, and Linux's `wchar_t`, `i32`) array as UTF-16 or UTF-32 in the element's byte
 * order.
 */
export function array<E extends Scalar<"i8" | "u8" | "i16" | "u16" | "i32" | "u32">>(
  element: E,
  length: number,
  options: { string: true },
): ArrayType<E, true>;
/**
 * Declares a trailing array, `T name[ANY_SIZE]` or `T name[]`, its length taken from the `count` field or the
 * bytes left.
 */
export function array<E extends FieldType>(
  element: E,
  length: typeof ANY_SIZE | typeof FLEXIBLE,
  options?: FlexibleArrayOptions,
): FlexibleArray<E>;
export function array(
  element: FieldType,
  length: number | typeof ANY_SIZE | typeof FLEXIBLE,
  options?: ArrayOptions & FlexibleArrayOptions,
): ArrayType | FlexibleArray {
  const unit = element as Scalar;
  const flexible = length === ANY_SIZE || length === FLEXIBLE;
  // A struct or union element of a trailing array is placed with the layout that holds the array, not here:
  // `windows/` declares its tables' rows at import (`CODEC in` reads no getter; codecOf() places a deferred one).
  const placedLater = flexible && typeof element === "object" && element !== null && CODEC in element;
  // A scalar element of a fixed array has its size and alignment written on it: its codec waits for the array's
  // (`linux/` and `windows/` declare ~20 such arrays at import, tests/structs/lazy_build_test.ts).
  const scalarLater = !flexible && isKnownScalar(element);
  let codec = placedLater || scalarLater ? undefined : codecOf(element);
  // An element that ends in a flexible array (GCC's extension): laid out at its `sizeof` (see `CompositeLayout`).
  const embedded = (codec as { embedded?: () => Codec } | undefined)?.embedded;
  if (embedded) codec = embedded();
  if (codec) textUnitsOf(codec, unit);
  if (flexible) {
    checkOptions(options, FLEXIBLE_OPTIONS, "declare a flexible array of", nameOf(element));
    const count = options?.count;
    if (count !== undefined && typeof count !== "string") {
      throw new TypeError(
        `Cannot declare a flexible array: count must be a field name, got ${describe(count)}`,
      );
    }
    // The elements C's `sizeof` counts: the SDK's `#define ANY_SIZE 1`, none for C99's `[]`.
    return Object.freeze({ kind: "flexible", element, count, declaredLength: length === ANY_SIZE ? 1 : 0 });
  }
  const fixed: Pick<Codec, "size" | "align" | "viewAt"> = codec ?? unit;
  checkOptions(options, FIXED_OPTIONS, "declare an array of", nameOf(element));
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(
      `Cannot declare an array of "${nameOf(element)}": length ${
        describe(length)
      } is not a non-negative integer`,
    );
  }
  const string = options?.string ?? false;
  if (typeof string !== "boolean") {
    throw new TypeError(
      `Cannot declare an array of "${nameOf(element)}": string must be a boolean, got ${describe(string)}`,
    );
  }
  const scalar = element as Scalar;
  if (
    string &&
    (fixed.viewAt || scalar.kind !== "scalar" || !STRING_UNITS.has(scalar.native) || scalar.native === "bool")
  ) {
    throw new TypeError(
      `Cannot read an array of "${
        nameOf(element)
      }" as a string: its elements are not 1-, 2- or 4-byte integers`,
    );
  }
  const name = `${nameOf(element)}[${length}]`;
  const generated = generatedCodeLater();
  // Made at the first layout that holds the array, not when declared: `linux/` and `windows/` declare ~100
  // arrays at import that most programs never read (docs/runtime-notes.md "Start-up").
  let arrayCodec: Codec | undefined;
  const makeCodec = (): Codec =>
    !string
      ? elementsCodec(codec ?? textUnitsOf(codecOf(element), unit), length, name, generated())
      : fixed.size === 1
      ? stringCodec(length, name)
      // char16_t and char32_t (and wchar_t): UTF-16 or UTF-32 in the element's byte order.
      : wideStringCodec(
        fixed.size as 2 | 4,
        scalar.endian === "little" || (scalar.endian === "native" && HOST_LITTLE),
        length,
        name,
      );
  return Object.freeze({
    kind: "array",
    element,
    length,
    string,
    size: fixed.size * length,
    align: fixed.align,
    name,
    get [CODEC]() {
      return arrayCodec ??= makeCodec();
    },
  }) as ArrayType;
}

/** Whether `type` is a scalar as `scalar()` makes them, whose codec's size and alignment are its own. */
function isKnownScalar(type: unknown): type is Scalar {
  const unit = type as Scalar;
  return typeof type === "object" && type !== null && unit.kind === "scalar" &&
    MACHINE_TYPES[unit.native]?.size === unit.size && unit.align === unit.size;
}

/**
 * Marks the codec of a 2- or 4-byte integer element as string code units, for `ArrayView.readString()` of a
 * char16_t, char32_t or wchar_t array; done before any view of the array is made. Returns the codec.
 */
function textUnitsOf(codec: Codec, unit: Scalar): Codec {
  if (
    unit.kind === "scalar" && STRING_UNITS.has(unit.native) && unit.native !== "bool" &&
    (codec.size === 2 || codec.size === 4)
  ) {
    markTextUnits(codec, codec.size, unit.endian === "little" || (unit.endian === "native" && HOST_LITTLE));
  }
  return codec;
}

function nameOf(type: unknown): string {
  return (type as { name?: string }).name ?? "?";
}

function stringCodec(length: number, name: string): Codec {
  return {
    size: length,
    align: 1,
    readAt: (dv, o) => decodeCString(dv, o, length),
    writeAt(dv, o, value, path) {
      if (typeof value !== "string") {
        throw new TypeError(`Cannot write "${path}": expected a string for ${name}, got ${describe(value)}`);
      }
      // What would not read back: a NUL ends the string early, and TextEncoder turns a lone surrogate into
      // U+FFFD. Refused, as `cstring()` refuses them.
      const nul = value.indexOf("\0");
      if (nul !== -1) throw new TypeError(`Cannot write "${path}": the string has a NUL at index ${nul}`);
      if (!value.isWellFormed()) {
        throw new TypeError(
          `Cannot write "${path}": the string has a lone surrogate at index ${loneSurrogate(value)}`,
        );
      }
      const encoded = encoder.encode(value);
      if (encoded.length > length) {
        throw new RangeError(
          `Cannot write "${path}": the string takes ${encoded.length} bytes but ${name} holds ${length}`,
        );
      }
      const target = new Uint8Array(dv.buffer, dv.byteOffset + o, length);
      target.set(encoded);
      target.fill(0, encoded.length);
    },
  };
}

/** `generated`: the code-generation choice made with the array type, which its views keep. */
function elementsCodec(element: RowCodec, length: number, name: string, generated: boolean): Codec {
  const stride = element.size;
  return {
    size: stride * length,
    align: element.align,
    readAt(dv, o) {
      const out = new Array(length);
      for (let i = 0; i < length; i++) out[i] = element.readAt(dv, o + i * stride);
      return out;
    },
    writeAt(dv, o, value, path) {
      // A zero-length array (`char _f[0]`, padding in `struct sysinfo`) holds nothing: it may be left out.
      if (length === 0 && value === undefined) return;
      if (
        typeof value !== "object" || value === null ||
        typeof (value as ArrayLike<unknown>).length !== "number"
      ) {
        throw new TypeError(`Cannot write "${path}": expected an array for ${name}, got ${describe(value)}`);
      }
      const values = value as ArrayLike<unknown>;
      if (values.length !== length) {
        throw new RangeError(
          `Cannot write "${path}": expected ${length} elements for ${name}, got ${values.length}`,
        );
      }
      for (let i = 0; i < length; i++) element.writeAt(dv, o + i * stride, values[i], `${path}[${i}]`);
    },
    viewAt: (dv, o) => _elementsView(element, dv, o, length, name, generated),
  };
}

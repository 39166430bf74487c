/**
 * The type vocabulary of layouts: field specifications, and the value, input and view types derived from them.
 *
 * A layout is written once, as data; `Infer<typeof T>` (what `read` returns), `InferInput<typeof T>` (what
 * `write` accepts) and `View<typeof T>` (what `view` returns) are all derived from it.
 *
 * @module
 */
import type { NativeInputs, NativeType, NativeValues, Scalar } from "./scalars.ts";
import type { NumberScalar } from "./as_number.ts";
import type { Int128Type } from "./int128.ts";
import type { ArrayView } from "./array_view.ts";
import type { StructType, UnionType } from "./struct.ts";

/** A fixed-length C array `T name[n]`, made by `array(T, n)`. */
export interface ArrayType<E extends FieldType = FieldType, S extends boolean = boolean> {
  /** Tells an array from the other field types. */
  readonly kind: "array";
  /** The element type. */
  readonly element: E;
  /** The number of elements. */
  readonly length: number;
  /** `true` when the array is read and written as a NUL-terminated UTF-8 string (a `char` array). */
  readonly string: S;
  /** Size in bytes: the element's size times the length. */
  readonly size: number;
  /** Alignment in bytes: the element's. */
  readonly align: number;
  /** The C spelling shown in errors and introspection, e.g. `"char[16]"`. */
  readonly name: string;
}

/** A bitfield `T name : width`, made by `bits(T, width)`. */
export interface BitField<N extends NativeType = NativeType, W extends number = number> {
  /** Tells a bitfield from the other field types. */
  readonly kind: "bits";
  /** The declared type of the bitfield, which decides its alignment unit and signedness. */
  readonly storage: Scalar<N>;
  /** Width in bits; 0 pads to the next unit of the declared type, like C's unnamed `int : 0`. */
  readonly width: W;
}

/**
 * An unnamed bitfield `T : width`, made by `padding(T, width)`: placed like a bitfield, but not a field (it
 * is left out of values, inputs, views and the introspected fields).
 */
export interface Padding<N extends NativeType = NativeType, W extends number = number> {
  /** Tells an unnamed bitfield from the other field types. */
  readonly kind: "padding";
  /** The declared type, which decides where the bits go (and, under MSVC's rules, the alignment). */
  readonly storage: Scalar<N>;
  /** Width in bits; 0 pads to the next unit of the declared type, as `bits(T, 0)` does. */
  readonly width: W;
}

/** Widths only a 64-bit declared type holds; such bitfields read as `bigint`. */
export type WideBitWidth =
  | 33
  | 34
  | 35
  | 36
  | 37
  | 38
  | 39
  | 40
  | 41
  | 42
  | 43
  | 44
  | 45
  | 46
  | 47
  | 48
  | 49
  | 50
  | 51
  | 52
  | 53
  | 54
  | 55
  | 56
  | 57
  | 58
  | 59
  | 60
  | 61
  | 62
  | 63
  | 64;

/**
 * The value of a bitfield: a number up to 32 bits, a `bigint` above (only 64-bit declared types reach there).
 * When the width is not a literal type, either.
 */
export type BitValue<N extends NativeType, W extends number> = N extends "i64" | "u64" | "isize" | "usize"
  ? (number extends W ? number | bigint : W extends WideBitWidth ? bigint : number)
  : number;

/**
 * What a bitfield's `write` takes: its value type, and for the wide ones (`bigint`) a safe integer number too,
 * as a 64-bit field takes one.
 */
export type BitInput<N extends NativeType, W extends number> = BitValue<N, W> extends bigint ? bigint | number
  : BitValue<N, W>;

/** The value a scalar reads as: its machine type's (`NativeValues`), or a number for `asNumber`'s. */
export type ScalarValue<T> = T extends NumberScalar ? number
  : T extends Scalar<infer N> ? NativeValues[N]
  : never;

/** A field with `__attribute__((aligned(n)))`, made by `aligned(T, n)`. */
export interface Aligned<E extends FieldType | FlexibleArray = FieldType> {
  /** Tells an over-aligned field from the other field types. */
  readonly kind: "aligned";
  /** The field's type (or a flexible array), laid out as usual apart from its alignment. */
  readonly type: E;
  /** The minimum alignment in bytes; with `exact`, the alignment. */
  readonly align: number;
  /**
   * `true` when the alignment is exactly `align`, lower than the type's own included: GCC's `aligned(n)` on a
   * typedef, and a member's own `packed` (alignment 1). See `aligned`.
   */
  readonly exact: boolean;
}

/**
 * A trailing array whose length the data gives, made by `array(T, ANY_SIZE, options?)` (the Windows SDK's
 * `T name[ANY_SIZE]`) or `array(T, FLEXIBLE, options?)` (C99's `T name[]`).
 */
export interface FlexibleArray<E extends FieldType = FieldType> {
  /** Tells a flexible array from the other field types. */
  readonly kind: "flexible";
  /** The element type. */
  readonly element: E;
  /** The name of the integer field of the same struct holding the element count; absent: bytes that remain. */
  readonly count: string | undefined;
  /** The elements C's `sizeof` counts: 1 for `[ANY_SIZE]` (the SDK defines it as 1), 0 for `[]`. */
  readonly declaredLength: 0 | 1;
}

/** A type that has a size and can be an element or a field: a scalar, a 128-bit integer, an array, a struct or a union. */
// deno-lint-ignore no-explicit-any
export type FieldType = Scalar | Int128Type | ArrayType<any, boolean> | StructType<any> | UnionType<any>;

/** What a field may be: a field type, a bitfield, an aligned field or a flexible array. */
// deno-lint-ignore no-explicit-any
export type FieldSpec = FieldType | BitField | Aligned<any> | FlexibleArray<any>;

/** A field list, as given to `struct()` or `union()`: fields, and unnamed bitfields (`padding`) between them. */
export type Fields = { readonly [name: string]: FieldSpec | Padding };

/** The plain value of a field type, as `read` returns it. */
export type Infer<T> = T extends Scalar ? ScalarValue<T>
  : T extends Int128Type ? bigint
  : T extends ArrayType<infer E, infer S> ? (S extends true ? string : Infer<E>[])
  : T extends StructType<infer F> ? InferFields<F>
  : T extends UnionType<infer F> ? InferFields<F>
  : T extends BitField<infer N, infer W> ? BitValue<N, W>
  : T extends Aligned<infer E> ? Infer<E>
  : T extends FlexibleArray<infer E> ? Infer<E>[]
  : never;

/** The plain value of a field list, as `read` returns it. */
export type InferFields<F> = { -readonly [K in keyof F as F[K] extends Padding ? never : K]: Infer<F[K]> };

/**
 * The value a struct's `write` and `encode` accept: any of its fields, the others written as zeros (C's
 * `{ .a = 1 }`); nested structs likewise. A key that is not a field is refused.
 */
export type InferStructInput<F> = {
  -readonly [K in keyof F as F[K] extends Padding ? never : K]?: InferInput<F[K]>;
};

/** The value a union's `write` accepts: any subset of its members. */
export type InferUnionInput<F> = {
  -readonly [K in keyof F as F[K] extends Padding ? never : K]?: InferInput<F[K]>;
};

/**
 * The value `write` and `encode` accept: like `Infer`, but a struct takes any of its fields (the others are
 * zeros), a union any subset of its members, and a 64-bit integer a safe integer number as well as a `bigint`.
 */
export type InferInput<T> = T extends Scalar<infer N> ? NativeInputs[N]
  : T extends Int128Type ? bigint | number
  : T extends ArrayType<infer E, infer S> ? (S extends true ? string : readonly InferInput<E>[])
  : T extends StructType<infer F> ? InferStructInput<F>
  : T extends UnionType<infer F> ? InferUnionInput<F>
  : T extends BitField<infer N, infer W> ? BitInput<N, W>
  : T extends Aligned<infer E> ? InferInput<E>
  : T extends FlexibleArray<infer E> ? readonly InferInput<E>[]
  : never;

/** What an element of an array view returns: a value for scalars and strings, a view for the rest. */
export type ElementView<E> = E extends Scalar ? ScalarValue<E>
  : E extends Int128Type ? bigint
  : E extends ArrayType<infer A, infer S> ? (S extends true ? string : ArrayView<A>)
  : E extends StructType<infer F> ? FieldsView<F>
  : E extends UnionType<infer F> ? FieldsView<F>
  : never;

/** What a field of a view holds. */
export type FieldView<T> = T extends BitField<infer N, infer W> ? BitValue<N, W>
  : T extends Aligned<infer E> ? (E extends FlexibleArray<infer A> ? ArrayView<A> : ElementView<E>)
  : T extends FlexibleArray<infer E> ? ArrayView<E>
  : ElementView<T>;

/** True for fields whose view is itself a view (read-only property); false for values (read-write). */
export type IsValueField<T> = T extends Scalar | Int128Type | BitField | ArrayType<FieldType, true> ? true
  : T extends Aligned<infer E> ? IsValueField<E>
  : false;

/**
 * The view of a field list: scalar, bitfield and string fields read and write; nested fields are views. A 64-bit
 * field's setter takes a safe integer number at run time as `write` does, but is typed by what it reads
 * (`bigint`): a mapped type cannot give a property a getter and a setter of different types.
 */
export type FieldsView<F> =
  & {
    -readonly [K in keyof F as F[K] extends Padding ? never : IsValueField<F[K]> extends true ? K : never]:
      FieldView<F[K]>;
  }
  & {
    readonly [K in keyof F as F[K] extends Padding ? never : IsValueField<F[K]> extends true ? never : K]:
      FieldView<F[K]>;
  };

/** The in-place view of a struct or union type: `View<typeof T>` is what `T.view(bytes)` returns. */
export type View<T> = T extends StructType<infer F> ? FieldsView<F>
  : T extends UnionType<infer F> ? FieldsView<F>
  : never;

/** The field names of a struct whose type is a numeric scalar: the ones `column()` accepts. */
export type ColumnName<E> = E extends StructType<infer F> | UnionType<infer F> ? {
    [K in keyof F & string]: F[K] extends Scalar<infer N> ? (N extends "pointer" ? never : K)
      : F[K] extends Aligned<Scalar<infer N>> ? (N extends "pointer" ? never : K)
      : never;
  }[keyof F & string]
  : never;

/** The native type of field `K` of struct `E`. */
export type ColumnNative<E, K> = E extends StructType<infer F> | UnionType<infer F>
  ? K extends keyof F ? F[K] extends Scalar<infer N> ? N : F[K] extends Aligned<Scalar<infer N>> ? N : never
  : never
  : never;

/** The typed array that holds a column of each machine type. */
export interface TypedArrays {
  /** A `i8` column is a `Int8Array`. */
  i8: Int8Array;
  /** A `u8` column is a `Uint8Array`. */
  u8: Uint8Array;
  /** A `i16` column is a `Int16Array`. */
  i16: Int16Array;
  /** A `u16` column is a `Uint16Array`. */
  u16: Uint16Array;
  /** A `i32` column is a `Int32Array`. */
  i32: Int32Array;
  /** A `u32` column is a `Uint32Array`. */
  u32: Uint32Array;
  /** A `i64` column is a `BigInt64Array`. */
  i64: BigInt64Array;
  /** A `u64` column is a `BigUint64Array`. */
  u64: BigUint64Array;
  /** A `isize` column is a `BigInt64Array`. */
  isize: BigInt64Array;
  /** A `usize` column is a `BigUint64Array`. */
  usize: BigUint64Array;
  /** A `f32` column is a `Float32Array`. */
  f32: Float32Array;
  /** A `f64` column is a `Float64Array`. */
  f64: Float64Array;
  /** A `bool` column is a `Uint8Array` of 0s and 1s. */
  bool: Uint8Array;
  /** Pointers have no column: an address is never exposed as a number. */
  pointer: never;
}

/** One field as the layout engine placed it, for tools and the dashboard. */
export interface FieldInfo {
  /** The field name. */
  readonly name: string;
  /** Byte offset from the start of the struct (of the storage byte holding the first bit, for bitfields). */
  readonly offset: number;
  /** Size in bytes; for a bitfield, the bytes its bits touch; one element for `ANY_SIZE`, 0 for `FLEXIBLE`. */
  readonly size: number;
  /** Alignment in bytes the field was placed with. */
  readonly align: number;
  /** The field specification it was declared with. */
  readonly type: FieldSpec;
  /** For bitfields: the bit offset from the start of the struct. */
  readonly bitOffset?: number;
  /** For bitfields: the width in bits. */
  readonly bitWidth?: number;
}

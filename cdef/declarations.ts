/**
 * The C type model the parser builds: what was declared, before any layout. `layouts.ts` maps it to the
 * toolkit's field types and `functions.ts` to symbol table entries.
 *
 * @module
 */

/** An integer type: `char` … `__int128`, `_Bool`, and enums' underlying types. */
export interface CInteger {
  readonly kind: "int";
  /** Size in bytes: 1, 2, 4, 8 or 16. */
  readonly size: number;
  readonly signed: boolean;
  /** `true` for plain `char` (read as a string in arrays), `false` otherwise. */
  readonly plainChar: boolean;
  /** `true` for `_Bool`. */
  readonly bool: boolean;
}

/** `float`, `double`, `long double`, `_Float128`, `_Float16`…: size in bytes. */
export interface CFloat {
  readonly kind: "float";
  readonly size: number;
}

/** `void`. */
export interface CVoid {
  readonly kind: "void";
}

/** `T *`; `constTarget` tells `const char *` from `char *`. */
export interface CPointer {
  readonly kind: "pointer";
  readonly to: CType;
  readonly constTarget: boolean;
}

/** `T [n]`; `length` undefined for `T []`. `_Complex T` is a `T[2]` that does not decay to a pointer. */
export interface CArray {
  readonly kind: "array";
  readonly of: CType;
  readonly length: number | undefined;
  readonly complex?: boolean;
}

/** A function type: its result, parameters and whether it ends in `...`. */
export interface CFunction {
  readonly kind: "function";
  readonly result: CType;
  readonly params: readonly CType[];
  readonly variadic: boolean;
}

/** `__attribute__((vector_size(n)))` over an element type. */
export interface CVector {
  readonly kind: "vector";
  readonly of: CType;
  readonly size: number;
}

/** A type an attribute re-aligned: `typedef T name __attribute__((aligned(n)))`. */
export interface CAligned {
  readonly kind: "aligned";
  readonly type: CType;
  readonly align: number;
}

/** One member of a struct or union. */
export interface CMember {
  /** The name; undefined for an anonymous struct or union member and for an unnamed bitfield. */
  readonly name: string | undefined;
  readonly type: CType;
  /** The width of a bitfield. */
  readonly bits: number | undefined;
  /** `__attribute__((aligned(n)))` on the member. */
  readonly align: number | undefined;
  /** `__attribute__((packed))` on the member. */
  readonly packed: boolean;
}

/** A struct or union: incomplete (`members` undefined) until its definition is read. */
export interface CRecord {
  readonly kind: "record";
  readonly union: boolean;
  /** The tag, or undefined for an anonymous one. */
  readonly tag: string | undefined;
  members: CMember[] | undefined;
  packed: boolean;
  /** `__attribute__((aligned(n)))`, 0 when absent. */
  align: number;
  /** The `#pragma pack` value in force where it was defined, 0 for none. */
  pack: number;
  /** Where it was defined (for `unsupported` entries). */
  file: string;
  line: number;
}

/** An enum: its underlying integer type is known once its values are. */
export interface CEnum {
  readonly kind: "enum";
  readonly tag: string | undefined;
  /** Undefined until the enumerators are read. */
  base: CInteger | undefined;
}

/** Every C type. */
export type CType =
  | CInteger
  | CFloat
  | CVoid
  | CPointer
  | CArray
  | CFunction
  | CVector
  | CAligned
  | CRecord
  | CEnum;

/** A declaration at file scope that binds a name other than a type: a function or a variable. */
export interface CObject {
  readonly name: string;
  readonly type: CType;
  /** The `__asm__("label")` symbol, when given. */
  readonly symbol: string | undefined;
  readonly file: string;
  readonly line: number;
}

/** The lines a declaration spans in its header (from the line markers), for quoting it. */
export interface CSpan {
  readonly file: string;
  /** 1-based first line. */
  readonly line: number;
  /** 1-based last line. */
  readonly endLine: number;
}

// One object per integer type, shared: a declaration's `int` allocates nothing (bench/probes/cdef_parse.ts).
const INTEGERS: CInteger[] = [];

/** The integer type of that size and signedness (one shared object each). */
export function integer(size: number, signed: boolean, plainChar = false, bool = false): CInteger {
  const key = size * 8 + (signed ? 4 : 0) + (plainChar ? 2 : 0) + (bool ? 1 : 0);
  return INTEGERS[key] ??= { kind: "int", size, signed, plainChar, bool };
}

/** Removes `aligned` wrappers, for questions about what a type is rather than how it is placed. */
export function unwrap(type: CType): CType {
  while (type.kind === "aligned") type = type.type;
  return type;
}

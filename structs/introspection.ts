/**
 * Layout introspection: `sizeOf`, `alignOf`, `offsetOf` and `fieldsOf`, the numbers `sizeof`, `_Alignof` and
 * `offsetof` give in C.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import { type Codec, codecOf } from "./_codec.ts";
import type { CompositeType } from "./struct.ts";
import type { FieldInfo, Fields, FieldType } from "./types.ts";

/**
 * C's `sizeof`: the size in bytes, tail padding included. For a struct ending in a trailing array, as in C:
 * one element counted for `ANY_SIZE` (the Windows SDK's `[ANY_SIZE]`), none for `FLEXIBLE` (C99's `[]`).
 *
 * @param type A scalar, array, struct or union type.
 * @returns The size in bytes.
 * @throws {TypeError} When `type` is not a field type.
 *
 * @example The size of a padded struct
 * ```ts
 * import { sizeOf, struct, u8, u32 } from "./mod.ts";
 * console.log(sizeOf(struct({ a: u8, b: u32 }))); // 8
 * ```
 */
export function sizeOf(type: FieldType): number {
  return codecFor(type, "size").size;
}

/**
 * C's `_Alignof`: the alignment in bytes.
 *
 * @param type A scalar, array, struct or union type.
 * @returns The alignment in bytes.
 * @throws {TypeError} When `type` is not a field type.
 *
 * @example The alignment of a struct
 * ```ts
 * import { alignOf, struct, u8, u64 } from "./mod.ts";
 * console.log(alignOf(struct({ a: u8, b: u64 }))); // 8
 * ```
 */
export function alignOf(type: FieldType): number {
  return codecFor(type, "alignment").align;
}

function codecFor(type: FieldType, what: string): Codec {
  try {
    return codecOf(type);
  } catch (error) {
    throw new TypeError(
      `Cannot take the ${what} of ${describe(type)}: expected a scalar, array, struct or union type`,
      { cause: error },
    );
  }
}

/**
 * C's `offsetof`: where a field starts, in bytes.
 *
 * @param type A struct or union type.
 * @param field The field name.
 * @returns The byte offset.
 * @throws {TypeError} When the field does not exist or is a bitfield (C has no `offsetof` for those; see
 *   `fieldsOf` for its bit offset).
 *
 * @example Where a field starts
 * ```ts
 * import { offsetOf, struct, u8, u32 } from "./mod.ts";
 * console.log(offsetOf(struct({ a: u8, b: u32 }), "b")); // 4
 * ```
 */
export function offsetOf<F extends Fields>(
  type: CompositeType<F, "struct" | "union">,
  field: keyof F & string,
): number {
  const info = fieldOf(type, field);
  if (info.bitWidth !== undefined) {
    throw new TypeError(`Cannot take the offset of "${type.name}.${field}": it is a bitfield`);
  }
  return info.offset;
}

/**
 * Every field of a struct or union as placed: name, offset, size, alignment, declared type and, for
 * bitfields, bit offset and width. For tools and the dashboard.
 *
 * @param type A struct or union type.
 * @returns The fields in declaration order.
 *
 * @example Listing fields for a tool
 * ```ts
 * import { fieldsOf, struct, u16, u32 } from "./mod.ts";
 * console.log(fieldsOf(struct({ a: u16, b: u32 })).map((f) => [f.name, f.offset, f.size])); // [["a",0,2],["b",4,4]]
 * ```
 */
export function fieldsOf<F extends Fields>(type: CompositeType<F, "struct" | "union">): readonly FieldInfo[] {
  if (!Array.isArray(type?.fields)) {
    throw new TypeError(`Cannot list the fields of ${describe(type)}: expected a struct or union type`);
  }
  return type.fields;
}

function fieldOf<F extends Fields>(type: CompositeType<F, "struct" | "union">, field: string): FieldInfo {
  const info = fieldsOf(type).find((f) => f.name === field);
  if (!info) throw new TypeError(`Cannot find field "${field}" in "${type.name}"`);
  return info;
}

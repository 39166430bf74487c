/**
 * Pointers as text, for logs and debugging: their address in hexadecimal.
 *
 * Bun's pointers (the toolkit's own boxes) print and serialise as their address by themselves. Deno's cannot:
 * a `Deno.PointerObject` is made by the runtime, frozen, with a null prototype, so no `toJSON` or custom
 * inspection can be put on it or on its prototype, and a toolkit object in its place would have to be unwrapped
 * at every call. There, `formatPointer` and `pointerReplacer` are the way.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";
import { ClosedError } from "./errors.ts";

/**
 * A pointer's address as `"0x7f3a5c001000"`, `"NULL"` for null, or `"(revoked pointer)"` for one the toolkit
 * revoked (its memory freed, its callback closed). For logs: an address means nothing once its memory is freed.
 *
 * @param pointer A pointer or null.
 * @returns The text.
 * @throws {TypeError} When `pointer` is neither.
 *
 * @example Logging a pointer
 * ```ts
 * import { alloc, formatPointer } from "../mod.ts";
 * using memory = alloc(8);
 * console.log(formatPointer(memory.pointer).startsWith("0x")); // true
 * console.log(formatPointer(null)); // "NULL"
 * ```
 */
export function formatPointer(pointer: Pointer | null): string {
  if (pointer === null) return "NULL";
  if (!backend.isPointer(pointer)) {
    throw new TypeError(`Cannot format ${typeof pointer} as a pointer: expected a Pointer or null`);
  }
  try {
    return `0x${backend.toAddress(pointer, "a pointer").toString(16)}`;
  } catch (error) {
    if (error instanceof ClosedError) return "(revoked pointer)";
    throw error;
  }
}

/**
 * A `JSON.stringify` replacer that writes every pointer as `formatPointer` does (Deno's would be `{}`):
 * `JSON.stringify(T.read(bytes), pointerReplacer)`.
 *
 * @param _key The property's name.
 * @param value Its value.
 * @returns The value, a pointer replaced by its address.
 */
export function pointerReplacer(_key: string, value: unknown): unknown {
  return backend.isPointer(value) ? formatPointer(value) : value;
}

/**
 * Over-aligned fields: `T name __attribute__((aligned(n)))`.
 *
 * @module
 */
import { describe } from "./_codec.ts";
import type { Aligned, FieldType } from "./types.ts";

/**
 * Declares a field with at least `n`-byte alignment, as `__attribute__((aligned(n)))` does. The field's own
 * size is unchanged; the struct's alignment rises to `n`. `<linux/taskstats.h>` uses it on several fields.
 *
 * @param type The field type.
 * @param n The alignment in bytes, a power of two.
 * @returns The aligned field specification.
 * @throws {RangeError} When `n` is not a power of two.
 *
 * @example taskstats' `__u8 ac_sched __attribute__((aligned(8)))`
 * ```ts
 * import { aligned, offsetOf, struct, u8 } from "./mod.ts";
 * const T = struct({ flag: u8, sched: aligned(u8, 8) });
 * console.log(offsetOf(T, "sched")); // 8
 * ```
 */
export function aligned<E extends FieldType>(type: E, n: number): Aligned<E> {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Cannot align a field to ${describe(n)} bytes: expected a power of two`);
  }
  return Object.freeze({ kind: "aligned", type, align: n });
}

/**
 * Over-aligned fields: `T name __attribute__((aligned(n)))`.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import type { Aligned, FieldType } from "./types.ts";

/**
 * Declares a field with at least `n`-byte alignment, as `__attribute__((aligned(n)))` on a member does. The
 * field's own size is unchanged; the struct's alignment rises to `n`. `<linux/taskstats.h>` uses it on
 * several fields.
 *
 * As in GCC, the attribute holds in a `{ packed: true }` struct, where the field's alignment is exactly `n`
 * (so `aligned(int, 2)` there is 2-aligned), but `{ pack: m }` (`#pragma pack(m)`) caps it at `m` like any
 * other member's: under `#pragma pack(1)`, `int b __attribute__((aligned(8)))` follows a `char` at offset 1.
 * A struct type declared with `{ align: n }` (a type with an aligned attribute) is capped by `pack` too, and
 * brought down to 1 by `packed`.
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
 *
 * @example `#pragma pack(1)` caps it
 * ```ts
 * import { aligned, offsetOf, struct, u8, u32 } from "./mod.ts";
 * const T = struct({ flag: u8, word: aligned(u32, 8) }, { pack: 1 });
 * console.log(offsetOf(T, "word"), T.size); // 1 5
 * ```
 */
export function aligned<E extends FieldType>(type: E, n: number): Aligned<E> {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Cannot align a field to ${describe(n)} bytes: expected a power of two`);
  }
  return Object.freeze({ kind: "aligned", type, align: n });
}

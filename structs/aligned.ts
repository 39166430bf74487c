/**
 * Over-aligned fields: `T name __attribute__((aligned(n)))`.
 *
 * @module
 */
import { checkOptions, describe } from "./_checks.ts";
import type { Aligned, FieldType, FlexibleArray } from "./types.ts";

/** Options of `aligned`. */
export interface AlignedOptions {
  /**
   * `aligned(n)` as on a typedef: the type's own alignment becomes `n`, lower than before included (GCC lowers
   * an alignment only through a typedef: `typedef unsigned long packed_ulong __attribute__((aligned(4)))` has
   * size 8 and alignment 4). As the type's own alignment, `packed` and `#pragma pack` then cap it (a packed
   * struct places a `packed_ulong` at alignment 1), where a member's `aligned(n)` holds against `packed`. A
   * member's own `__attribute__((packed))` in a struct that is not packed is `aligned(T, 1, { exact: true })`
   * (with `aligned(m)` too, `aligned(T, m, { exact: true })`). Default `false`: a member's `aligned(n)`, which
   * only raises.
   */
  exact?: boolean;
}

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
 * A flexible array may be aligned too (`T rows[] __attribute__((aligned(8)))`): its offset, and the struct's
 * alignment, rise to `n`.
 *
 * @param type The field type, or a flexible array (`array(T, FLEXIBLE)`).
 * @param n The alignment in bytes, a power of two.
 * @param options `exact`: the alignment is exactly `n`, even when lower than the type's (GCC's typedef rule).
 * @returns The aligned field specification.
 * @throws {RangeError} When `n` is not a power of two.
 * @throws {TypeError} When an option is unknown or not a boolean.
 *
 * @example taskstats' `__u8 ac_sched __attribute__((aligned(8)))`
 * ```ts
 * import { aligned, offsetOf, struct, u8 } from "./mod.ts";
 * const T = struct({ flag: u8, sched: aligned(u8, 8) });
 * console.log(offsetOf(T, "sched")); // 8
 * ```
 *
 * @example A typedef that lowers the alignment, and a member's own `packed`
 * ```ts
 * import { aligned, offsetOf, struct, u8, u64 } from "./mod.ts";
 * // typedef unsigned long packed_ulong __attribute__((aligned(4))); struct { char c; packed_ulong v; };
 * const T = struct({ c: u8, v: aligned(u64, 4, { exact: true }) });
 * // struct { char c; unsigned long v __attribute__((packed)); };
 * const P = struct({ c: u8, v: aligned(u64, 1, { exact: true }) });
 * console.log(offsetOf(T, "v"), T.size, offsetOf(P, "v"), P.size); // 4 12 1 9
 * ```
 *
 * @example `#pragma pack(1)` caps it
 * ```ts
 * import { aligned, offsetOf, struct, u8, u32 } from "./mod.ts";
 * const T = struct({ flag: u8, word: aligned(u32, 8) }, { pack: 1 });
 * console.log(offsetOf(T, "word"), T.size); // 1 5
 * ```
 */
export function aligned<E extends FieldType | FlexibleArray>(
  type: E,
  n: number,
  options?: AlignedOptions,
): Aligned<E> {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Cannot align a field to ${describe(n)} bytes: expected a power of two`);
  }
  checkOptions(options, ["exact"], "align a field to", `${n} bytes`);
  const exact = options?.exact ?? false;
  if (typeof exact !== "boolean") {
    throw new TypeError(
      `Cannot align a field to ${n} bytes: exact must be a boolean, got ${describe(exact)}`,
    );
  }
  return Object.freeze({ kind: "aligned", type, align: n, exact });
}

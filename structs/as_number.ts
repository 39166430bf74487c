/**
 * 64-bit integers read as numbers: `asNumber(size_t)`, for the sizes, counts and offsets people compute with.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import type { Scalar } from "./scalars.ts";

/** The machine types of 64-bit integers, which read as `bigint` unless wrapped in `asNumber`. */
export type WideInteger = "i64" | "u64" | "isize" | "usize";

/** A 64-bit integer scalar that reads as a `number`, made by `asNumber`. */
export interface NumberScalar<N extends WideInteger = WideInteger> extends Scalar<N> {
  /** Tells it from the scalar it wraps, which reads as a `bigint`. */
  readonly reads: "number";
}

/**
 * The 64-bit integer type `type`, read as a `number` instead of a `bigint`: Bun's `u64_fast`, koffi's and
 * ctypes' choice, for the sizes, counts and offsets people compute with (`size * count`, `total / unit`). A
 * value that is not a safe integer (beyond 2^53 - 1, where numbers skip integers) is never rounded: reading it
 * throws `UnsafeIntegerError`, whose `value` holds it exactly as a `bigint`. Writes take a safe integer or a
 * `bigint`, as every 64-bit field's do. The bytes, the size and the alignment are the type's own, and so is its
 * name in errors.
 *
 * Where it reads as a `number`: a struct's or union's `read`, its views' fields and arrays' elements; in a
 * symbol table, a call's result (a non-blocking call's too) and a callback's argument; `unsafeRead(p,
 * asNumber(size_t))`, and a variable declared `{ variable: true, type: asNumber(size_t) }`. A `column()` of such
 * a field reads its machine type (`bigint`), as its typed array does. As an argument it is the type it wraps: a
 * safe integer or a `bigint`.
 *
 * @param type A 64-bit integer scalar: `u64`, `i64`, `size_t`, `ssize_t`, `off_t`, `ulong_lp64`, ….
 * @returns The same scalar, read as a number.
 * @throws {TypeError} When `type` is not a 64-bit integer scalar.
 *
 * @example A byte count computed with as a number
 * ```ts
 * import { asNumber, pointer, size_t, struct } from "./mod.ts";
 * // struct iovec { void *iov_base; size_t iov_len; };
 * const iovec = struct({ iov_base: pointer, iov_len: asNumber(size_t) });
 * const vectors = iovec.array(new Uint8Array(iovec.size * 2));
 * vectors.set(0, { iov_base: null, iov_len: 10 });
 * vectors.set(1, { iov_base: null, iov_len: 22 });
 * const total = vectors.at(0).iov_len + vectors.at(1).iov_len;
 * console.log(total); // 32
 * ```
 */
export function asNumber<N extends WideInteger>(type: Scalar<N>): NumberScalar<N> {
  const native = (type as { native?: unknown } | null)?.native;
  if (
    (type as { kind?: unknown } | null)?.kind !== "scalar" ||
    (native !== "i64" && native !== "u64" && native !== "isize" && native !== "usize")
  ) {
    const shown = (type as { kind?: unknown } | null)?.kind === "scalar" ? `"${type.name}"` : describe(type);
    throw new TypeError(`Cannot read ${shown} as a number: expected a 64-bit integer scalar`);
  }
  return Object.freeze({ ...type, reads: "number" });
}

/** Whether a scalar is read as a number (`asNumber`). */
export function readsNumber(type: Scalar): boolean {
  return (type as Partial<NumberScalar>).reads === "number";
}

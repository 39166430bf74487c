/**
 * `asNumber(T)` at a call boundary: a 64-bit result, callback argument or scalar read at a pointer declared
 * `asNumber(size_t)` arrives as a `number`, or throws `UnsafeIntegerError` with the exact `bigint` when it has
 * no exact number. A conversion made only for what declares it, so that other symbols' calls pay nothing.
 *
 * @module
 */
import { readsNumber } from "../structs/as_number.ts";
import { UnsafeIntegerError } from "../structs/errors.ts";
import type { Scalar } from "../structs/scalars.ts";
import type { Converter } from "./_backend.ts";

/**
 * The conversion to a number of what `type` declares, after `first` (the runtime's or byte-order conversion),
 * or `first` alone when `type` is not `asNumber(...)`.
 *
 * @param type The declared type.
 * @param what What is read, for the error: `"the result of f()"`.
 * @param first The conversion before, if any.
 * @returns The conversion, or `null` for none.
 */
export function numberConversion(type: unknown, what: string, first: Converter | null): Converter | null {
  if ((type as { kind?: unknown } | null)?.kind !== "scalar" || !readsNumber(type as Scalar)) return first;
  const name = (type as Scalar).name;
  // A runtime may give a safe 64-bit integer as a number already; a bigint past 2^53 - 1 in magnitude becomes
  // a number that is not safe either (2^53 + 1 rounds to 2^53), so one test decides.
  const convert = (value: unknown): number => {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
    throw new UnsafeIntegerError({
      message:
        `Cannot read ${what} as a number: ${value} is not a safe integer (declare it ${name} to read ` +
        "a bigint)",
      value: typeof value === "bigint" ? value : BigInt(value as number),
      type: name,
    });
  };
  return first === null ? convert : (value) => convert(first(value));
}

/**
 * A non-blocking function whose result `convert` turns into a number when the promise settles: the value itself,
 * or the `value` of an `{ value, errno }` when `boxed`.
 */
export function settledAsNumber(
  fn: (...args: unknown[]) => Promise<unknown>,
  convert: Converter,
  boxed: boolean,
): (...args: unknown[]) => Promise<unknown> {
  const settled = boxed
    ? (result: unknown) => {
      const { value, errno } = result as { value: unknown; errno: number };
      return { value: convert(value), errno };
    }
    : convert;
  return Object.defineProperty((...args: unknown[]) => fn(...args).then(settled), "name", { value: fn.name });
}

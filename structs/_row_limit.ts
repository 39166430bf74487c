/**
 * The row limit (`maxRows`): how many rows a count may give a flexible array or `T.array()`. Rows that take
 * bytes are bounded by the bytes already; rows of no bytes (`struct({})`) are not, and a four-byte count of
 * them made 2^32 objects (43 s and 2.5 GB on Deno). As FlatBuffers' verifier bounds the tables it visits and Cap'n
 * Proto's reader its traversal, a count past the limit is refused before any row is made.
 *
 * @module
 */
import { describe } from "./_checks.ts";

/**
 * The default limit for rows of no bytes: 2^16 (65,536), so that any 16-bit count passes. A copy of that many
 * empty rows took 57 ms on Bun 1.4 and 79 on Deno 2.9 (2^20 took 0.7 and 1.9 s); rows that take bytes have no
 * default limit beyond the bytes.
 */
export const DEFAULT_MAX_ROWS = 2 ** 16;

/**
 * Checks a `maxRows` option: a non-negative integer, or `Infinity` for none.
 *
 * @throws {TypeError} When it is not a number.
 * @throws {RangeError} When it is not a non-negative integer or `Infinity`.
 */
export function checkMaxRows(maxRows: unknown, verb: string, name: string): number | undefined {
  if (maxRows === undefined) return undefined;
  if (typeof maxRows !== "number") {
    throw new TypeError(`Cannot ${verb} "${name}": maxRows must be a number, got ${describe(maxRows)}`);
  }
  if (maxRows !== Infinity && !(Number.isSafeInteger(maxRows) && maxRows >= 0)) {
    throw new RangeError(
      `Cannot ${verb} "${name}": maxRows ${maxRows} is not a non-negative integer or Infinity`,
    );
  }
  return maxRows;
}

/** The limit on rows of `stride` bytes: `maxRows` when set, else `DEFAULT_MAX_ROWS` for rows of no bytes. */
export function rowLimit(maxRows: number | undefined, stride: number): number {
  return maxRows ?? (stride === 0 ? DEFAULT_MAX_ROWS : Infinity);
}

// The limit's errors, which `cast` passes on as they are (its other errors become `LayoutError`s).
const limitErrors = new WeakSet<Error>();

/**
 * The error for a count past the limit: `Cannot read "T.rows": "n" is 4294967295, more than the 65536 rows
 * maxRows allows`. `what` names the count.
 */
export function tooManyRows(verb: string, name: string, what: string, limit: number): RangeError {
  const error = new RangeError(
    `Cannot ${verb} "${name}": ${what}, more than the ${limit} rows maxRows allows`,
  );
  limitErrors.add(error);
  return error;
}

/** Whether `error` came from `tooManyRows`. */
export function isRowLimitError(error: unknown): boolean {
  return error instanceof RangeError && limitErrors.has(error);
}

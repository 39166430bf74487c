/**
 * The grow-the-buffer-and-retry pattern of `GetExtendedTcpTable`, `getsockopt`, `readlink` and friends.
 *
 * @module
 */
import { checkOptions } from "../structs/_internal.ts";

/** What one attempt reports. */
export type GrowAttempt<T> =
  /** Done: this is the answer. */
  | { done: true; value: T }
  /** The buffer was too small; `size` is the size the callee asked for, when it said. */
  | { done: false; size?: number };

/** Bounds of a grow-and-retry loop. */
export interface GrowRetryOptions {
  /** The first buffer's size in bytes (0 asks the callee for the size first). Default 0. */
  initialSize?: number;
  /** The largest buffer to try. Default 64 MiB. */
  maxSize?: number;
  /** How many calls at most. Default 8. */
  maxAttempts?: number;
  /**
   * Bytes added to each size the callee asks for, for what may appear before the next call (rows of a table
   * that grows). Default 0.
   */
  headroom?: number;
}

const GROW_RETRY_OPTIONS = ["initialSize", "maxSize", "maxAttempts", "headroom"];

/** A zeroed buffer of `size` bytes, with the toolkit's words in place of the engine's when it cannot make it. */
function newBuffer(size: number, attempt: number): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(size);
  } catch (error) {
    throw new RangeError(
      `Cannot grow the buffer to ${size} bytes for attempt ${attempt}: the JavaScript engine cannot allocate it`,
      { cause: error },
    );
  }
}

/**
 * Calls `attempt` with a buffer, growing the buffer and retrying while the callee reports it too small: to the
 * size the callee asked for (plus `headroom`) when it said, else to twice the size. Bounded in size and in
 * attempts. A table that grows between two calls (new sockets) is one more attempt; once a size the callee
 * asked for fell short, the table grows faster than the calls come, and the next buffer is half as large again
 * as the size asked for, so that it catches up in a call or two instead of trailing by one interval's rows.
 *
 * @param attempt Makes the call with `buffer` (whose length is the size to report) and says what happened.
 * @param options Initial size, headroom and bounds.
 * @returns The value of the first attempt that is done.
 * @throws {RangeError} When the callee asks for more than `maxSize` (or for a size that is not a whole number
 * of bytes), the engine cannot allocate a size under `maxSize`, `maxAttempts` calls were not enough (the message lists the sizes tried), or an option is not an
 * integer in range.
 * @throws {TypeError} When `attempt` returns something other than a `GrowAttempt`, or an option's name is not
 * one of the four.
 *
 * @example Reading a value of unknown length
 * ```ts
 * import { growRetry } from "./grow_retry.ts";
 * const text = "a long answer";
 * const value = growRetry((buffer) => {
 *   if (buffer.byteLength < text.length) return { done: false, size: text.length };
 *   return { done: true, value: text };
 * });
 * console.log(value); // "a long answer"
 * ```
 */
export function growRetry<T>(
  attempt: (buffer: Uint8Array<ArrayBuffer>, attemptNumber: number) => GrowAttempt<T>,
  options: GrowRetryOptions = {},
): T {
  if (typeof attempt !== "function") {
    throw new TypeError("Cannot call growRetry(): expected an attempt function");
  }
  checkOptions(options, GROW_RETRY_OPTIONS, "call", "growRetry");
  const maxSize = options.maxSize ?? 64 * 1024 * 1024;
  const maxAttempts = options.maxAttempts ?? 8;
  const headroom = options.headroom ?? 0;
  let size = options.initialSize ?? 0;
  const option = (name: string, value: unknown, min: number, max: number) => {
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      const shown = typeof value === "string" ? `"${value}"` : String(value);
      throw new RangeError(
        `Cannot call growRetry() with ${name} ${shown}: expected an integer from ${min} to ${max}`,
      );
    }
  };
  option("maxSize", maxSize, 0, Number.MAX_SAFE_INTEGER);
  option("maxAttempts", maxAttempts, 1, Number.MAX_SAFE_INTEGER);
  option("initialSize", size, 0, maxSize);
  option("headroom", headroom, 0, Number.MAX_SAFE_INTEGER);
  const tried: number[] = [];
  let lastAsked: number | undefined;
  // Whether the current size is one the callee asked for: if it falls short too, the callee is outpaced.
  let sizeWasAsked = false;
  for (let n = 1; n <= maxAttempts; n++) {
    tried.push(size);
    const result = attempt(newBuffer(size, n), n) as GrowAttempt<T> | undefined;
    if (typeof result !== "object" || result === null || typeof result.done !== "boolean") {
      throw new TypeError(
        `Cannot read what attempt ${n} of growRetry() returned: expected { done: true, value } or ` +
          `{ done: false, size? }, got ${result === null ? "null" : typeof result}`,
      );
    }
    if (result.done) return result.value;
    const asked = result.size;
    if (asked !== undefined && (!Number.isSafeInteger(asked) || asked < 0)) {
      throw new RangeError(
        `Cannot grow the buffer: attempt ${n} asked for ${asked} bytes, not a whole number`,
      );
    }
    if (asked !== undefined) lastAsked = asked;
    let next: number;
    if (asked !== undefined && asked > size) {
      if (asked > maxSize) {
        throw new RangeError(`Cannot grow the buffer to ${asked} bytes: the limit is ${maxSize}`);
      }
      const wanted = sizeWasAsked ? Math.max(asked + headroom, Math.ceil(asked * 1.5)) : asked + headroom;
      next = Math.min(maxSize, wanted);
      sizeWasAsked = true;
    } else {
      if (size >= maxSize) throw new RangeError(`Cannot grow the buffer past its limit of ${maxSize} bytes`);
      next = Math.min(maxSize, Math.max(size * 2, 256));
      sizeWasAsked = false;
    }
    size = next;
  }
  const asked = lastAsked === undefined ? "" : `; the last attempt asked for ${lastAsked} bytes`;
  throw new RangeError(
    `Cannot fill the buffer: still too small after ${maxAttempts} attempts (sizes tried: ${
      tried.join(", ")
    } bytes${asked})`,
  );
}

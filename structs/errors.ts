/**
 * The error raised when bytes do not have the size a layout expects.
 *
 * @module
 */

/** What a `LayoutError` says: the layout, the sizes accepted and the size given. */
export interface LayoutErrorOptions extends ErrorOptions {
  /** The layout's name. */
  layout: string;
  /** The size or sizes in bytes that would have been accepted. */
  expected: number | readonly number[];
  /** The size in bytes that was given. */
  actual: number;
  /** The message; by default it names the layout and both sizes. */
  message?: string;
}

/**
 * Thrown by a checked cast when the bytes are not the size of the layout: it names the layout and gives the
 * expected and actual sizes, like the `taskstats` size check it mirrors.
 *
 * @example Catching a size mismatch
 * ```ts
 * import { LayoutError, struct, u32 } from "./mod.ts";
 * try {
 *   struct({ a: u32 }, { name: "pair" }).cast(new Uint8Array(3));
 * } catch (error) {
 *   if (error instanceof LayoutError) console.log(error.expected, error.actual); // 4 3
 * }
 * ```
 */
export class LayoutError extends Error {
  /** The size or sizes in bytes that would have been accepted. */
  readonly expected: number | readonly number[];
  /** The size in bytes that was given. */
  readonly actual: number;
  /** The name of the layout. */
  readonly layout: string;

  /**
   * Makes the error; the message, unless given, names the layout and both sizes.
   *
   * @param options The layout, the accepted size or sizes, the given size, and optionally the message and
   *   the `cause`.
   */
  constructor(options: LayoutErrorOptions);
  /**
   * Makes the error from positional arguments.
   *
   * @deprecated Pass one options object: `new LayoutError({ layout, expected, actual, message, cause })`.
   * @param layout The layout's name.
   * @param expected The accepted size or sizes.
   * @param actual The given size.
   * @param message The message; a default names all three.
   * @param options The error's `cause`, if any.
   */
  constructor(
    layout: string,
    expected: number | readonly number[],
    actual: number,
    message?: string,
    options?: ErrorOptions,
  );
  constructor(
    first: LayoutErrorOptions | string,
    expected?: number | readonly number[],
    actual?: number,
    message?: string,
    options?: ErrorOptions,
  ) {
    const o: LayoutErrorOptions = typeof first === "string"
      ? {
        ...options,
        layout: first,
        expected: expected!,
        actual: actual!,
        ...(message === undefined ? {} : { message }),
      }
      : first;
    const want = typeof o.expected === "number"
      ? `${o.expected} bytes`
      : `one of ${o.expected.join(", ")} bytes`;
    super(
      o.message ?? `Cannot cast to "${o.layout}": expected ${want}, got ${o.actual}`,
      "cause" in o ? { cause: o.cause } : undefined,
    );
    this.name = "LayoutError";
    this.expected = o.expected;
    this.actual = o.actual;
    this.layout = o.layout;
  }
}

/** What an `UnsafeIntegerError` says: the message, the integer and the type. */
export interface UnsafeIntegerErrorOptions extends ErrorOptions {
  /** The message, naming what was attempted. */
  message: string;
  /** The integer: the number a write refused, or the exact value (a `bigint`) a read could not give as a number. */
  value: number | bigint;
  /** The name of the 64-bit type, e.g. `"size_t"`. */
  type: string;
}

/**
 * Thrown where a 64-bit integer and a JavaScript number meet and the integer is not a safe one (beyond
 * ±(2^53 - 1), where numbers skip integers): a write of such a number to a 64-bit field (it may not be the
 * integer that was meant: pass a `bigint`), or a read of a field declared `asNumber(u64)` whose value has no
 * exact number (`value` holds it as a `bigint`). A `RangeError`, so code that catches those catches it too.
 *
 * @example A read that has no exact number
 * ```ts
 * import { asNumber, struct, u64, UnsafeIntegerError } from "./mod.ts";
 * const Counter = struct({ n: asNumber(u64) });
 * try {
 *   Counter.read(new BigUint64Array([2n ** 60n]));
 * } catch (error) {
 *   if (error instanceof UnsafeIntegerError) console.log(error.value); // 1152921504606846976n
 * }
 * ```
 */
export class UnsafeIntegerError extends RangeError {
  /** The integer: the number refused, or the exact `bigint` that has no number. */
  readonly value: number | bigint;
  /** The name of the 64-bit type. */
  readonly type: string;

  /**
   * Makes the error.
   *
   * @param options The message, the integer, the type's name, and optionally the `cause`.
   */
  constructor(options: UnsafeIntegerErrorOptions) {
    super(options.message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "UnsafeIntegerError";
    this.value = options.value;
    this.type = options.type;
  }
}

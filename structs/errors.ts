/**
 * The error raised when bytes do not have the size a layout expects.
 *
 * @module
 */

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
  ) {
    const want = typeof expected === "number" ? `${expected} bytes` : `one of ${expected.join(", ")} bytes`;
    super(message ?? `Cannot cast to "${layout}": expected ${want}, got ${actual}`, options);
    this.name = "LayoutError";
    this.expected = expected;
    this.actual = actual;
    this.layout = layout;
  }
}

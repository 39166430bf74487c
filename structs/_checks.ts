/**
 * The checks and wording every layout error shares: a short description of a value, and the check of an
 * options object.
 *
 * @module
 */
import { otherCopiesNote } from "./_copies.ts";

/** A short description of a value for error messages: strings quoted, objects by their class. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  // Only strings are quoted, so that 1, 1n and "1" read apart.
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "object" || typeof value === "function") {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return (name ? `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}` : "an object") + otherCopiesNote();
  }
  return String(value);
}

/**
 * Checks an options object: an object (or `undefined`, for none) whose keys are all in `accepted`. A misspelt
 * key is an error, not a silently different result. `verb` and `name` make the message (`Cannot cast to
 * "S": …`), built only when it is thrown (bench/probes/column_make_check.ts). Keys are listed with `for...in`,
 * as the options are read (inherited keys included).
 *
 * @throws {TypeError} When `options` is not an object or has a key not in `accepted`.
 */
export function checkOptions(
  options: unknown,
  accepted: readonly string[],
  verb: string,
  name: string,
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot ${verb} "${name}": options must be an object, got ${describe(options)}`);
  }
  for (const key in options) {
    if (!accepted.includes(key)) {
      throw new TypeError(
        `Cannot ${verb} "${name}": unknown option "${key}" (expected ${accepted.join(", ")})`,
      );
    }
  }
}

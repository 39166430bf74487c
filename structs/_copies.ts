/**
 * How many copies of ffikit one program has loaded. Importing both the built package (build/) and the source
 * modules, or two versions, loads two, and a layout, view or pointer of one is a stranger to the other: the
 * errors that refuse an unknown object (`describe()` here and in ffi/_buffer.ts) say so when there is more than
 * one. Counted in a global under a registered symbol, which every copy finds.
 *
 * @module
 */
const key = Symbol.for("ffikit.copies");
const counts = globalThis as unknown as Record<symbol, number | undefined>;
counts[key] = (counts[key] ?? 0) + 1;

/**
 * What an error refusing an unknown object adds when the program loaded more than one copy of ffikit; `""`
 * otherwise.
 */
export function otherCopiesNote(): string {
  const copies = counts[key] ?? 1;
  return copies > 1
    ? `, which may be another copy's: this program loaded ${copies} copies of ffikit (its built package and its ` +
      "source modules, or two versions); import ffikit one way"
    : "";
}

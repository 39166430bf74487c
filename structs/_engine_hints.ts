/**
 * Engine hints: what `structs/` may assume about the JavaScript engine it runs on, told by `ffi/`'s backend
 * the way the pointer codec is (`setPointerCodec`). `structs/` never asks which runtime it is on; told nothing,
 * it takes the forms that are right everywhere.
 *
 * @module
 */

/** What the engine is known to do cheaply. */
export interface EngineHints {
  /**
   * Whether testing an index for an integer (`(i | 0) !== i`) costs nothing in a compiled typed column's
   * `at(i)`, so that the typed array's own bounds can be its index check instead of the probe
   * (JavaScriptCore: yes; V8: no, its on-stack-replacement code slows down). Default `false`: the probe.
   * Decided by bench/probes/column_index_check.ts.
   */
  readonly integerTestIsFree: boolean;
  /**
   * Whether a generated `T.read()` may leave its checks to a failing `DataView` read, choosing the last bytes'
   * `DataView` or one of no bytes (JavaScriptCore: yes; V8: no, a failing read in compiled code turns off its
   * speculation there, and every later read is slower). Default `false`: the checks on branches. Decided by
   * bench/probes/read_scalar_replacement.ts.
   */
  readonly readChecksChooseView: boolean;
}

let hints: EngineHints = Object.freeze({ integerTestIsFree: false, readChecksChooseView: false });

/** The hints in force; a column reads them once, when its plan is made. */
export function engineHints(): EngineHints {
  return hints;
}

/**
 * Tells `structs/` about the engine. Called once by `ffi/` when it loads, from its backend.
 *
 * @param next The hints from now on; one left out is `false`.
 */
export function setEngineHints(next: Partial<EngineHints>): void {
  hints = Object.freeze({
    integerTestIsFree: next.integerTestIsFree === true,
    readChecksChooseView: next.readChecksChooseView === true,
  });
}

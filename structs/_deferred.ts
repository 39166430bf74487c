/**
 * The toolkit's own layouts, placed on first use: `linux/` and `windows/` export ~700 fields of known-good
 * declarations that most programs never touch, and placing them all at import cost 2-4 ms on Deno and 5-30 ms
 * on Bun (docs/runtime-notes.md "Start-up"). A user's `struct()` still places at once, so that a bad declaration
 * fails where it is written; `tests/structs/deferred_test.ts` places every built-in layout.
 *
 * @module
 */
import { CompositeLayout } from "./_composite.ts";
import type { StructOptions, StructType, UnionType } from "./struct.ts";
import type { Fields } from "./types.ts";

/** `struct()` whose placement waits for the first use: for the toolkit's own, known-good layouts only. */
export function deferredStruct<const F extends Fields>(
  fields: F,
  options: StructOptions = {},
): StructType<F> {
  return new CompositeLayout("struct", fields, options, true) as unknown as StructType<F>;
}

/** `union()` whose placement waits for the first use: for the toolkit's own, known-good layouts only. */
export function deferredUnion<const F extends Fields>(fields: F, options: StructOptions = {}): UnionType<F> {
  return new CompositeLayout("union", fields, options, true) as unknown as UnionType<F>;
}

/**
 * Probe: does `at(i)` as a closure put on each array object (a different function value on every array) cost
 * a scan, against `at(i)` as a method of a class? JavaScriptCore inlines a call whose target it has seen
 * before; a fresh closure per array is a new target every time.
 *
 * Decided: the per-layout array class in `structs/` has `at(i)` and `toArray()` as methods, not closures set
 * on each array. When decided (two row types in use): 7.8 ns per row on Bun as a closure, 1.6 as a method
 * (Deno 2.0 either way).
 *
 * Each contestant runs in a process of its own; each timed call makes its array, as a program does.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/method_not_closure.ts` and
 * `./node_modules/.bin/bun bench/probes/method_not_closure.ts`.
 *
 * @module
 */
import { outOfRange, RowsAt, RowView, sumPidAt } from "./_shapes.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

interface Rows {
  readonly length: number;
  at(i: number): RowView;
}

/** The rejected form: `at` is a closure made for each array. */
function closureRows(bytes: Uint8Array): Rows {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  return {
    length: probe.length,
    at: (i: number): RowView => {
      if (probe[i] === undefined) outOfRange(i);
      return new RowView(dv, i * 24);
    },
  };
}

// The chosen form: `at` is a method of the rows class, `RowsAt` (./_shapes.ts).

report(
  "method_not_closure: sum of pid by at(i) over 1e6 rows, at(i) a closure per array or a method (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "at(i) a closure per array": () => () => sumPidAt(closureRows(bytes)),
    "at(i) a class method": () => () => sumPidAt(new RowsAt(bytes)),
  }, { ops: N }),
);

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
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

class View {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView, o: number) {
    this.#dv = dv;
    this.#o = o;
  }
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}

interface Rows {
  readonly length: number;
  at(i: number): View;
}

function outOfRange(i: number): never {
  throw new RangeError(`Cannot access row "${i}": it is outside the rows`);
}

/** The rejected form: `at` is a closure made for each array. */
function closureRows(bytes: Uint8Array): Rows {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  return {
    length: probe.length,
    at: (i: number): View => {
      if (probe[i] === undefined) outOfRange(i);
      return new View(dv, i * 24);
    },
  };
}

/** The chosen form: `at` is a method of the rows class. */
class MethodRows implements Rows {
  #dv: DataView;
  #probe: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): View {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new View(this.#dv, i * 24);
  }
}

function sumPid(rows: Rows): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows.at(i).pid;
  return sum;
}

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "at(i) a closure per array":
      return time(name, () => sumPid(closureRows(bytes)), options);
    case "at(i) a class method":
      return time(name, () => sumPid(new MethodRows(bytes)), options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "method_not_closure: sum of pid by at(i) over 1e6 rows, at(i) a closure per array or a method (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "at(i) a closure per array",
    "at(i) a class method",
  ], measure),
);

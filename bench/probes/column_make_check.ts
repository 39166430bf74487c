/**
 * Probe: V8 inlines the whole making of an array and a column into a scan of a small table, as long as they
 * fit its inlining budget. What does the test that the buffer is still there cost such a scan (100 rows),
 * written as a `try`/`catch` around the typed array's construction (which throws for a detached buffer)
 * against a test of the probe (`probe.length !== length`, the error built only when thrown)?
 *
 * Decided: `ArrayView.column()` in `structs/` tests the probe (`rowsGone`) and builds its error in a function
 * of its own (`goneError`), with no `try`. When decided (Deno 2.9): the `try`/`catch` cost a scan of 100 rows
 * 14 ns.
 *
 * Each contestant runs in a process of its own; times are per scan (make the rows and the column, sum 100
 * pids).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/column_make_check.ts` and
 * `./node_modules/.bin/bun bench/probes/column_make_check.ts`.
 *
 * @module
 */
import { libraryColumnSum } from "./_library.ts";
import { table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const ROWS = 100;
const SCANS = 1000;
const bytes = table(ROWS);

class Column {
  #array: Uint32Array;
  #probe: Uint8Array;
  #length = 0;
  constructor(array: Uint32Array, probe: Uint8Array, length: number) {
    this.#array = array;
    this.#probe = probe;
    this.#length = length;
  }
  get length(): number {
    return this.#length;
  }
  at(i: number): number {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) throw new RangeError(`No row "${i}"`);
    return this.#array[i * 6]!;
  }
}
function goneError(name: string): TypeError {
  return new TypeError(`Cannot make a column of "${name}": the buffer is detached or shrank under the rows`);
}

class Rows {
  #bytes: Uint8Array;
  #probe: Uint8Array;
  #length = 0;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#length = bytes.byteLength / 24;
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, this.#length);
  }
  /** The rejected form: the buffer test is the typed array's construction, in a `try`. */
  columnTry(name: string): Column {
    let array: Uint32Array;
    try {
      array = new Uint32Array(this.#bytes.buffer, this.#bytes.byteOffset + 20, this.#length * 6 - 5);
    } catch (cause) {
      throw new TypeError(`Cannot make a column of "${name}": the buffer is detached or shrank`, { cause });
    }
    return new Column(array, this.#probe, this.#length);
  }
  /** The chosen form: the probe's length is the test, and the error is built by a call of its own. */
  columnProbe(name: string): Column {
    if (this.#probe.length !== this.#length) throw goneError(name);
    const array = new Uint32Array(this.#bytes.buffer, this.#bytes.byteOffset + 20, this.#length * 6 - 5);
    return new Column(array, this.#probe, this.#length);
  }
  /** No test at all, to show what the test costs. */
  columnUnchecked(): Column {
    const array = new Uint32Array(this.#bytes.buffer, this.#bytes.byteOffset + 20, this.#length * 6 - 5);
    return new Column(array, this.#probe, this.#length);
  }
}

function sum(column: Column): number {
  let total = 0;
  for (let i = 0; i < column.length; i++) total += column.at(i);
  return total;
}
const words = new Uint32Array(bytes.buffer);
function stridedSum(): number {
  let total = 0;
  for (let i = 5; i < words.length; i += 6) total += words[i]!;
  return total;
}

const SCAN: Record<string, () => number> = {
  "strided loop over a made array (baseline)": stridedSum,
  "column, try/catch": () => sum(new Rows(bytes).columnTry("pid")),
  "column, probe test": () => sum(new Rows(bytes).columnProbe("pid")),
  "column, no test": () => sum(new Rows(bytes).columnUnchecked()),
  "library array + column": () => libraryColumnSum(bytes),
};

function measure(name: string): Timing {
  const scan = SCAN[name];
  if (scan === undefined) throw new TypeError(`Unknown contestant "${name}"`);
  return time(name, () => {
    let total = 0;
    for (let k = 0; k < SCANS; k++) total += scan();
    return total;
  }, { ops: SCANS, warmup: 40 });
}

report(
  "column_make_check: make a column and sum it over 100 rows (ns per scan)",
  separately(import.meta.url, Object.keys(SCAN), measure),
);

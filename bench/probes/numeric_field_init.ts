/**
 * Probe: does a numeric private field declared bare (`#step;`, so it holds `undefined` until the constructor
 * assigns it) cost a hot method that reads it, against one that starts as a number (`#step = 0`)?
 *
 * Decided: numeric fields in `structs/` start as `0` (the column classes' step and length, the per-layout
 * cursor class's offsets). When decided (Deno 2.9): column `at(i)` 1.52 ns per row bare, 1.21 with `= 0`; the
 * cursor swung between 2.4 and 6.4 ns per row from one process to the next while its fields were bare.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/numeric_field_init.ts` and
 * `./node_modules/.bin/bun bench/probes/numeric_field_init.ts`.
 *
 * @module
 */
import { CursorRow, outOfRange, RowCursor, StepColumn, sumPidNext } from "./_shapes.ts";
import { pidColumn, rowProbe, stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const column = pidColumn(bytes);
const probe = rowProbe(bytes);

// The rejected form: numeric fields declared bare.
class BareColumn {
  #array: Uint32Array;
  #probe: Uint8Array;
  #step: number;
  constructor(array: Uint32Array, probe: Uint8Array, step: number) {
    this.#array = array;
    this.#probe = probe;
    this.#step = step;
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): number {
    if (this.#probe[i] === undefined) outOfRange(i);
    return this.#array[i * this.#step]!;
  }
}
// The chosen form: the same, starting as a number (`#step = 0`): `StepColumn` (./_shapes.ts).

// The rejected form of the cursor: its offsets declared bare.
class BareCursor {
  #o: number;
  #last: number;
  readonly row: CursorRow;
  constructor(bytes: Uint8Array) {
    this.row = new CursorRow(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.move(o);
    return true;
  }
}
// The chosen form: the same, starting as numbers (`#o = 0; #last = 0;`): `RowCursor` (./_shapes.ts).

function columnSum(column: BareColumn | StepColumn): number {
  let sum = 0;
  for (let i = 0; i < column.length; i++) sum += column.at(i);
  return sum;
}
// Another object of the same class first (state, 100 rows), as a program reads several fields.
const state = new Uint32Array(bytes.buffer, 0, 600);
const fewRows = probe.subarray(0, 100);
const fewBytes = bytes.subarray(0, 2400);
function columns(Column: typeof BareColumn | typeof StepColumn): () => () => number {
  return () => {
    for (let k = 0; k < 100; k++) columnSum(new Column(state, fewRows, 6));
    return () => columnSum(new Column(column, probe, 6));
  };
}
function cursors(Cursor: typeof BareCursor | typeof RowCursor): () => () => number {
  return () => {
    for (let k = 0; k < 100; k++) sumPidNext(new Cursor(fewBytes));
    return () => sumPidNext(new Cursor(bytes));
  };
}

report(
  "numeric_field_init: sum of pid over 1e6 rows, numeric fields declared bare or as 0 (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "column at(i), #step;": columns(BareColumn),
    "column at(i), #step = 0": columns(StepColumn),
    "cursor next(), #o;": cursors(BareCursor),
    "cursor next(), #o = 0": cursors(RowCursor),
  }, { ops: N }),
);

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
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const words = new Uint32Array(bytes.buffer);
const probe = new Uint8Array(bytes.buffer, 0, N);

function outOfRange(i: number): never {
  throw new RangeError(`Cannot access row "${i}": it is outside the rows`);
}

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
// The chosen form: the same, starting as a number.
class ZeroColumn {
  #array: Uint32Array;
  #probe: Uint8Array;
  #step = 0;
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

class Row {
  #dv: DataView;
  o = 0;
  constructor(dv: DataView) {
    this.#dv = dv;
  }
  get pid(): number {
    return this.#dv.getUint32(this.o + 20, true);
  }
}
class BareCursor {
  #o: number;
  #last: number;
  readonly row: Row;
  constructor(bytes: Uint8Array) {
    this.row = new Row(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.o = o;
    return true;
  }
}
class ZeroCursor {
  #o = 0;
  #last = 0;
  readonly row: Row;
  constructor(bytes: Uint8Array) {
    this.row = new Row(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.o = o;
    return true;
  }
}

function columnSum(column: BareColumn | ZeroColumn): number {
  let sum = 0;
  for (let i = 0; i < column.length; i++) sum += column.at(i);
  return sum;
}
function cursorSum(cursor: BareCursor | ZeroCursor): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}

function measure(name: string): Timing {
  const options = { ops: N };
  const column = words.subarray(5);
  // Another column of the same class first (state, 100 rows), as a program reads several fields.
  const state = words.subarray(0, 600);
  const small = probe.subarray(0, 100);
  const cursorTable = bytes.subarray(0, 2400);
  for (let k = 0; k < 100; k++) {
    if (name.startsWith("column") && name.endsWith(";")) columnSum(new BareColumn(state, small, 6));
    if (name.startsWith("column") && name.endsWith("0")) columnSum(new ZeroColumn(state, small, 6));
    if (name.startsWith("cursor") && name.endsWith(";")) cursorSum(new BareCursor(cursorTable));
    if (name.startsWith("cursor") && name.endsWith("0")) cursorSum(new ZeroCursor(cursorTable));
  }
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "column at(i), #step;":
      return time(name, () => columnSum(new BareColumn(column, probe, 6)), options);
    case "column at(i), #step = 0":
      return time(name, () => columnSum(new ZeroColumn(column, probe, 6)), options);
    case "cursor next(), #o;":
      return time(name, () => cursorSum(new BareCursor(bytes)), options);
    case "cursor next(), #o = 0":
      return time(name, () => cursorSum(new ZeroCursor(bytes)), options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "numeric_field_init: sum of pid over 1e6 rows, numeric fields declared bare or as 0 (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "column at(i), #step;",
    "column at(i), #step = 0",
    "cursor next(), #o;",
    "cursor next(), #o = 0",
  ], measure),
);

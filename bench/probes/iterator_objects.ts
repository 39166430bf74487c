/**
 * Probe: what does `for...of` over rows (a view per row) and over a column cost through a generator, against
 * an iterator object of a class of its own (extending the engine's `Iterator`, so `map`, `take`, … still
 * work)?
 *
 * Decided: the per-layout array class and each column class in `structs/` return iterator objects of classes
 * compiled with them, not generators. When decided, over 1e6 rows: rows 14.4-14.9 -> 7.4 ns per row on Deno,
 * 21.2-21.4 -> 16.8 on Bun; a column 14.0-14.9 -> 5.7 and 11.7-12.5 -> 6.9. The protocol itself (a result
 * object per step) kept `for...of` well above `at(i)`, columns and cursors.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/iterator_objects.ts` and
 * `./node_modules/.bin/bun bench/probes/iterator_objects.ts`.
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const IteratorBase = (globalThis as unknown as { Iterator: new () => object }).Iterator;

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

class RowWalk extends IteratorBase {
  #dv: DataView;
  #i = 0;
  #length = 0;
  constructor(dv: DataView, length: number) {
    super();
    this.#dv = dv;
    this.#length = length;
  }
  next(): IteratorResult<View, undefined> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: new View(this.#dv, i * 24), done: false };
  }
  [Symbol.iterator](): this {
    return this;
  }
}
class ColumnWalk extends IteratorBase {
  #array: Uint32Array;
  #i = 0;
  #length = 0;
  constructor(array: Uint32Array, length: number) {
    super();
    this.#array = array;
    this.#length = length;
  }
  next(): IteratorResult<number, undefined> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: this.#array[i * 6]!, done: false };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

class Rows {
  #dv: DataView;
  #length = 0;
  constructor(bytes: Uint8Array) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#length = bytes.byteLength / 24;
  }
  at(i: number): View {
    return new View(this.#dv, i * 24);
  }
  *generate(): Generator<View, undefined> {
    for (let i = 0; i < this.#length; i++) yield this.at(i);
  }
  walk(): RowWalk {
    return new RowWalk(this.#dv, this.#length);
  }
}
class Column {
  #array: Uint32Array;
  #length = 0;
  constructor(bytes: Uint8Array) {
    this.#array = new Uint32Array(bytes.buffer, bytes.byteOffset + 20, (bytes.byteLength - 20) >>> 2);
    this.#length = bytes.byteLength / 24;
  }
  at(i: number): number {
    return this.#array[i * 6]!;
  }
  *generate(): Generator<number, undefined> {
    for (let i = 0; i < this.#length; i++) yield this.at(i);
  }
  walk(): ColumnWalk {
    return new ColumnWalk(this.#array, this.#length);
  }
}

function rowSum(rows: Iterable<View>): number {
  let sum = 0;
  for (const row of rows) sum += row.pid;
  return sum;
}
function valueSum(values: Iterable<number>): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "rows, generator":
      return time(name, () => rowSum(new Rows(bytes).generate()), options);
    case "rows, iterator object":
      return time(name, () => rowSum(new Rows(bytes).walk()), options);
    case "column, generator":
      return time(name, () => valueSum(new Column(bytes).generate()), options);
    case "column, iterator object":
      return time(name, () => valueSum(new Column(bytes).walk()), options);
    case "library rows for...of":
      return time(name, () => {
        let sum = 0;
        for (const row of MIB_TCPROW_OWNER_PID.array(bytes)) sum += row.dwOwningPid;
        return sum;
      }, options);
    case "library column for...of":
      return time(name, () => valueSum(MIB_TCPROW_OWNER_PID.array(bytes).column("dwOwningPid")), options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "iterator_objects: sum of pid by for...of over 1e6 rows (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "rows, generator",
    "rows, iterator object",
    "column, generator",
    "column, iterator object",
    "library rows for...of",
    "library column for...of",
  ], measure),
);

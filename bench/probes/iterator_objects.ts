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
import { RowView } from "./_shapes.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const IteratorBase = (globalThis as unknown as { Iterator: new () => object }).Iterator;

class RowWalk extends IteratorBase {
  #dv: DataView;
  #i = 0;
  #length = 0;
  constructor(dv: DataView, length: number) {
    super();
    this.#dv = dv;
    this.#length = length;
  }
  next(): IteratorResult<RowView, undefined> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: new RowView(this.#dv, i * 24), done: false };
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
  at(i: number): RowView {
    return new RowView(this.#dv, i * 24);
  }
  *generate(): Generator<RowView, undefined> {
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

function rowSum(rows: Iterable<RowView>): number {
  let sum = 0;
  for (const row of rows) sum += row.pid;
  return sum;
}
function valueSum(values: Iterable<number>): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

report(
  "iterator_objects: sum of pid by for...of over 1e6 rows (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "rows, generator": () => () => rowSum(new Rows(bytes).generate()),
    "rows, iterator object": () => () => rowSum(new Rows(bytes).walk()),
    "column, generator": () => () => valueSum(new Column(bytes).generate()),
    "column, iterator object": () => () => valueSum(new Column(bytes).walk()),
    "library rows for...of": () => () => {
      let sum = 0;
      for (const row of MIB_TCPROW_OWNER_PID.array(bytes)) sum += row.dwOwningPid;
      return sum;
    },
    "library column for...of": () => () => valueSum(MIB_TCPROW_OWNER_PID.array(bytes).column("dwOwningPid")),
  }, { ops: N }),
);

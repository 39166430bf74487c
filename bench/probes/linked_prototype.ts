/**
 * Probe: does a class whose constructor calls `super()` cost where V8 keeps (or could take apart) its objects,
 * against a base class whose prototype is linked to the would-be parent's (`Object.setPrototypeOf`)? Two
 * places: views kept by an iterator's results (a hand-written iterator over 1e6 rows, `for...of`), and a
 * cursor made inside a scan that is compiled whole (1e4 rows, scanned again and again).
 *
 * Decided: view classes in `structs/` are base classes with their prototypes linked to `StructView.prototype`
 * (they still print as their fields), and the per-layout cursor class is a base class linked to
 * `Cursor.prototype` (so `instanceof Cursor` holds). When decided (Deno 2.9; Bun the same either way): the
 * iterator 13.5 ns per row with `extends`, 7.8 linked; the cursor 1.8 ns per row as a subclass, 1.1 linked
 * (a strided loop 0.65).
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/linked_prototype.ts` and
 * `./node_modules/.bin/bun bench/probes/linked_prototype.ts`.
 *
 * @module
 */
import { CursorRow } from "./_shapes.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const small = table(10_000);

/** The would-be parent of every view: no state, a method all views share. */
class StructView {
  toJSON(): unknown {
    return { ...this };
  }
}
class DerivedView extends StructView {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView, o: number) {
    super();
    this.#dv = dv;
    this.#o = o;
  }
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}
class LinkedView {
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
Object.setPrototypeOf(LinkedView.prototype, StructView.prototype);

type ViewClass = new (dv: DataView, o: number) => { readonly pid: number };
/** A hand-written iterator whose results hold a fresh view per row. */
class Walk {
  #dv: DataView;
  #View: ViewClass;
  #i = 0;
  #length = 0;
  constructor(bytes: Uint8Array, View: ViewClass) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#View = View;
    this.#length = bytes.byteLength / 24;
  }
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<{ readonly pid: number }, undefined> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: new this.#View(this.#dv, i * 24), done: false };
  }
}
function iterSum(walk: Walk): number {
  let sum = 0;
  for (const row of walk) sum += row.pid;
  return sum;
}

/** The would-be parent of every cursor: no state. */
class Cursor {
  get kind(): string {
    return "cursor";
  }
}
class DerivedCursor extends Cursor {
  #o = 0;
  #last = 0;
  readonly row: CursorRow;
  constructor(rows: DataView) {
    super();
    this.row = new CursorRow(rows);
    this.#o = -24;
    this.#last = rows.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.move(o);
    return true;
  }
}
class LinkedCursor {
  #o = 0;
  #last = 0;
  readonly row: CursorRow;
  constructor(rows: DataView) {
    this.row = new CursorRow(rows);
    this.#o = -24;
    this.#last = rows.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.move(o);
    return true;
  }
}
Object.setPrototypeOf(LinkedCursor.prototype, Cursor.prototype);

// A scan of a small table that makes its cursor: called again and again, it is compiled whole.
function derivedScan(rows: DataView): number {
  const cursor = new DerivedCursor(rows);
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}
function linkedScan(rows: DataView): number {
  const cursor = new LinkedCursor(rows);
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}
// The rows' own DataView is made once, as an array makes it once for its cursors.
const smallRows = new DataView(small.buffer);
function stridedScan(rows: DataView): number {
  const words = new Uint32Array(rows.buffer, rows.byteOffset, rows.byteLength >>> 2);
  let sum = 0;
  for (let i = 5; i < words.length; i += 6) sum += words[i]!;
  return sum;
}
function repeat(scan: (rows: DataView) => number): () => number {
  return () => {
    let sum = 0;
    for (let k = 0; k < 100; k++) sum += scan(smallRows);
    return sum;
  };
}

const SCANS = { ops: 100 * 10_000, warmup: 40 };
function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop, 1e6 rows (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "iterator, views extend":
      return time(name, () => iterSum(new Walk(bytes, DerivedView)), options);
    case "iterator, views linked":
      return time(name, () => iterSum(new Walk(bytes, LinkedView)), options);
    case "strided loop, 1e4 rows (baseline)":
      return time(name, repeat(stridedScan), SCANS);
    case "cursor in the scan, extends":
      return time(name, repeat(derivedScan), SCANS);
    case "cursor in the scan, linked":
      return time(name, repeat(linkedScan), SCANS);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

const views = ["strided loop, 1e6 rows (baseline)", "iterator, views extend", "iterator, views linked"];
// The cursor's figure moved between levels from one process to the next: three processes per form.
const forms = ["cursor in the scan, extends", "cursor in the scan, linked"];
const cursors = ["strided loop, 1e4 rows (baseline)", ...forms, ...forms, ...forms];
const timings = separately(import.meta.url, [...views, ...cursors], measure);
report(
  "linked_prototype: for...of over views kept by an iterator, 1e6 rows (ns per row)",
  timings.slice(0, 3),
);
report(
  "linked_prototype: a cursor made in a whole-compiled scan of 1e4 rows, three processes per form (ns per row)",
  timings.slice(3),
);

/**
 * Probe: how close can a cursor (an object that holds the row's position, moved by `next()`) come to a strided
 * loop, whoever writes it, and does the code the scan runs in matter? Hand-written cursors of several shapes:
 * private fields over a `DataView` with a separate row view, public fields over a `Uint32Array`, the cursor
 * that is its own row; a plain object's field as the loop counter; and a cursor and a strided loop in code
 * compiled fresh for each call, so that the scan runs in on-stack-replacement (OSR) code made while its loop
 * runs, after the cursor was made.
 *
 * Decided: the per-layout cursor class in `structs/` keeps its shape (private fields, a separate row view
 * over the rows' own `DataView`, the row size a literal); no shape tried beat it, and the cursor that is its
 * own row was not kept. The offset goes through memory every row (a store, then a load in the next `next()`),
 * so columns (`strided()`, `at(i)`), not cursors, are the near-baseline path for one field over many rows.
 * When decided: 2.0-2.8 ns per row on Deno (5.3-6.0 in some processes), 1.1-1.4 on Bun, against 1.0 for a
 * strided loop; a cursor in OSR code 2.3 on Deno, 1.3 once the whole function was compiled.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/cursor_shapes.ts` and
 * `./node_modules/.bin/bun bench/probes/cursor_shapes.ts`.
 *
 * @module
 */
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

class Row {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView) {
    this.#dv = dv;
  }
  move(o: number): void {
    this.#o = o;
  }
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}
/** Private fields, a `DataView`, a separate row view: the library's shape. */
class PrivateCursor {
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
    this.row.move(o);
    return true;
  }
}

class WordRow {
  words: Uint32Array;
  w = 0;
  constructor(words: Uint32Array) {
    this.words = words;
  }
  get pid(): number {
    return this.words[this.w + 5]!;
  }
}
/** Public fields, a `Uint32Array`, a separate row view. */
class PublicCursor {
  w = -6;
  last = 0;
  row: WordRow;
  constructor(bytes: Uint8Array) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
    this.row = new WordRow(words);
    this.last = words.length - 6;
  }
  next(): boolean {
    const w = this.w + 6;
    this.w = w;
    if (w > this.last) return false;
    this.row.w = w;
    return true;
  }
}

/** The cursor that is its own row: `next()` moves it, and it reads the fields. */
class SelfCursor {
  #dv: DataView;
  #o = 0;
  #last = 0;
  constructor(bytes: Uint8Array) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    return o <= this.#last;
  }
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}

function privateSum(cursor: PrivateCursor): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}
function publicSum(cursor: PublicCursor): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}
function selfSum(cursor: SelfCursor): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.pid;
  return sum;
}
/** A strided loop whose counter is a plain object's field. */
function fieldCounterSum(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  const at = { w: 5 };
  let sum = 0;
  for (at.w = 5; at.w < words.length; at.w += 6) sum += words[at.w]!;
  return sum;
}

// Code compiled anew for each call: its loop runs in on-stack-replacement code.
let fresh = 0;
function freshCode<T>(body: string, ...names: string[]): T {
  return new Function(...names, `// fresh scan #${++fresh}\n${body}`) as T;
}

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "private fields, DataView, row view":
      return time(name, () => privateSum(new PrivateCursor(bytes)), options);
    case "public fields, Uint32Array, row view":
      return time(name, () => publicSum(new PublicCursor(bytes)), options);
    case "the cursor its own row":
      return time(name, () => selfSum(new SelfCursor(bytes)), options);
    case "strided, counter an object field":
      return time(name, () => fieldCounterSum(bytes), options);
    case "strided loop, OSR code":
      return time(name, () => {
        const scan = freshCode<(w: Uint32Array) => number>(
          "let sum = 0; for (let i = 5; i < w.length; i += 6) sum += w[i]; return sum;",
          "w",
        );
        return scan(new Uint32Array(bytes.buffer));
      }, options);
    case "private cursor, OSR code":
      return time(name, () => {
        const scan = freshCode<(Cursor: typeof PrivateCursor, b: Uint8Array) => number>(
          "const c = new Cursor(b); let sum = 0; while (c.next()) sum += c.row.pid; return sum;",
          "Cursor",
          "b",
        );
        return scan(PrivateCursor, bytes);
      }, options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "cursor_shapes: sum of pid over 1e6 rows, cursors of several shapes (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "private fields, DataView, row view",
    "public fields, Uint32Array, row view",
    "the cursor its own row",
    "strided, counter an object field",
    "strided loop, OSR code",
    "private cursor, OSR code",
  ], measure),
);

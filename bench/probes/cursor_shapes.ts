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
import { freshFunction, RowCursor, sumPidNext } from "./_shapes.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

// Private fields, a `DataView`, a separate row view: the library's shape is `RowCursor` (./_shapes.ts).

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

report(
  "cursor_shapes: sum of pid over 1e6 rows, cursors of several shapes (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "private fields, DataView, row view": () => () => sumPidNext(new RowCursor(bytes)),
    "public fields, Uint32Array, row view": () => () => sumPidNext(new PublicCursor(bytes)),
    "the cursor its own row": () => () => selfSum(new SelfCursor(bytes)),
    "strided, counter an object field": () => () => fieldCounterSum(bytes),
    // Code compiled anew for each call: its loop runs in on-stack-replacement code.
    "strided loop, OSR code": () => () =>
      freshFunction<(w: Uint32Array) => number>(
        "let sum = 0; for (let i = 5; i < w.length; i += 6) sum += w[i]; return sum;",
        "w",
      )(new Uint32Array(bytes.buffer)),
    "private cursor, OSR code": () => () =>
      freshFunction<(Cursor: typeof RowCursor, b: Uint8Array) => number>(
        "const c = new Cursor(b); let sum = 0; while (c.next()) sum += c.row.pid; return sum;",
        "Cursor",
        "b",
      )(RowCursor, bytes),
  }, { ops: N }),
);

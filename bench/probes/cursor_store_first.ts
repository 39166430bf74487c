/**
 * Probe: does the cursor's `next()` cost a walk when it stores the offset only on the path that finds no row
 * left (the offset set past the end), against storing the new offset before the end test?
 *
 * Decided: the per-layout cursor class in `structs/` stores first (`const o = this.#o + size; this.#o = o;
 * if (o > this.#last) return false`), and `index` clamps a cursor moved on past the end. When decided (Bun
 * 1.4, eight processes): 2.0-6.5 ns per row with the store on the exit path, changing from one process to the
 * next, and 1.33-1.44 stored first; V8 2.4-2.5 either way.
 *
 * Each form runs in three processes of its own, since the slow form showed in some processes only.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/cursor_store_first.ts` and
 * `./node_modules/.bin/bun bench/probes/cursor_store_first.ts`.
 *
 * @module
 */
import { libraryCursorSum } from "./_library.ts";
import { CursorRow, RowCursor, sumPidNext } from "./_shapes.ts";
import { stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

/** The rejected form: the offset is stored past the end on the call that finds no row left. */
class StoreOnExit {
  #o = 0;
  #last = 0;
  readonly row: CursorRow;
  constructor(bytes: Uint8Array) {
    this.row = new CursorRow(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  next(): boolean {
    if (this.#o >= this.#last) {
      this.#o = this.#last + 24;
      return false;
    }
    const o = this.#o + 24;
    this.#o = o;
    this.row.move(o);
    return true;
  }
}

// The chosen form is the library's shape, `RowCursor` (./_shapes.ts): the same class but for its `next()`,
// which stores the new offset before the test (`const o = this.#o + 24; this.#o = o; if (o > this.#last)
// return false;`), so the last call does nothing the others do not.

const forms = ["store on the exit path", "store before the test", "library cursor next()"];
report(
  "cursor_store_first: sum of pid by a cursor's next() over 1e6 rows, three processes per form (ns per row)",
  timeSeparately(
    import.meta.url,
    {
      "strided loop (baseline)": () => () => stridedPidSum(bytes),
      "store on the exit path": () => () => sumPidNext(new StoreOnExit(bytes)),
      "store before the test": () => () => sumPidNext(new RowCursor(bytes)),
      "library cursor next()": () => () => libraryCursorSum(bytes),
    },
    { ops: N },
    ["strided loop (baseline)", ...forms, ...forms, ...forms],
  ),
);

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
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
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

/** The rejected form: the offset is stored past the end on the call that finds no row left. */
class StoreOnExit {
  #o = 0;
  #last = 0;
  readonly row: Row;
  constructor(bytes: Uint8Array) {
    this.row = new Row(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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

/** The chosen form: the new offset is stored before the test, so the last call does nothing the others do not. */
class StoreFirst {
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

function sumPid(cursor: StoreOnExit | StoreFirst): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedPidSum(bytes), options);
    case "store on the exit path":
      return time(name, () => sumPid(new StoreOnExit(bytes)), options);
    case "store before the test":
      return time(name, () => sumPid(new StoreFirst(bytes)), options);
    case "library cursor next()":
      return time(name, () => {
        const cursor = MIB_TCPROW_OWNER_PID.array(bytes).cursor();
        let sum = 0;
        while (cursor.next()) sum += cursor.row.dwOwningPid;
        return sum;
      }, options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

const forms = ["store on the exit path", "store before the test", "library cursor next()"];
report(
  "cursor_store_first: sum of pid by a cursor's next() over 1e6 rows, three processes per form (ns per row)",
  separately(import.meta.url, ["strided loop (baseline)", ...forms, ...forms, ...forms], measure),
);

/**
 * Probe: does one `at(i)` shared by every layout (calling each layout's view maker from one site) cost a
 * scan once a program uses a second struct type, against a rows class of each layout's own?
 *
 * Decided: the per-layout compiled classes in `structs/` (the array class with `at`/`toArray`, `read`,
 * `viewAt` and the cursor class are compiled per layout, with the plain shared classes as the fallback). When
 * decided (Deno 2.9, Bun 1.4): the shared site went from 1.8 to 15-21 ns per row at the second struct type.
 *
 * Each contestant runs in a process of its own, after both layouts have been scanned (warm-up).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/per_layout_classes.ts` and
 * `./node_modules/.bin/bun bench/probes/per_layout_classes.ts`.
 *
 * @module
 */
import { f64, MIB_TCPROW_OWNER_PID, struct, u16, u32 } from "../../mod.ts";
import { outOfRange, RowsAt, RowView, sumPidAt } from "./_shapes.ts";
import { ROW_SIZE, stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const other = new Uint8Array(16 * 1000);

class ViewB {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView, o: number) {
    this.#dv = dv;
    this.#o = o;
  }
  get x(): number {
    return this.#dv.getFloat64(this.#o + 8, true);
  }
}

interface Rows<V> {
  readonly length: number;
  at(i: number): V;
}

/** The rejected form: one class for every layout, calling the layout's view maker from one site. */
class SharedRows<V> implements Rows<V> {
  #dv: DataView;
  #probe: Uint8Array;
  #size = 0;
  #make: (dv: DataView, o: number) => V;
  constructor(bytes: Uint8Array, size: number, make: (dv: DataView, o: number) => V) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
    this.#size = size;
    this.#make = make;
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): V {
    if (this.#probe[i] === undefined) outOfRange(i);
    return this.#make(this.#dv, i * this.#size);
  }
}

// The chosen form: a rows class per layout, with its own `new View` site and the row size as a literal:
// `RowsAt` (./_shapes.ts) for the rows, `RowsB` for the other layout.
class RowsB implements Rows<ViewB> {
  #dv: DataView;
  #probe: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 16);
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): ViewB {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new ViewB(this.#dv, i * 16);
  }
}

function sumX(rows: Rows<ViewB>): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows.at(i).x;
  return sum;
}

const Other = struct({ a: u32, b: u16, c: u16, x: f64 });

report(
  "per_layout_classes: sum of pid by at(i) over 1e6 rows, a second struct type in use (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "shared at(), two layouts": () => {
      for (let k = 0; k < 200; k++) sumX(new SharedRows(other, 16, (dv, o) => new ViewB(dv, o)));
      return () => sumPidAt(new SharedRows(bytes, ROW_SIZE, (dv, o) => new RowView(dv, o)));
    },
    "per-layout classes, two layouts": () => {
      for (let k = 0; k < 200; k++) sumX(new RowsB(other));
      return () => sumPidAt(new RowsAt(bytes));
    },
    "library at(i), two layouts": () => {
      for (let k = 0; k < 200; k++) {
        const rows = Other.array(other);
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += rows.at(i).x;
        if (sum !== 0) throw new Error("The other table is all zeros");
      }
      return () => {
        const rows = MIB_TCPROW_OWNER_PID.array(bytes);
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += rows.at(i).dwOwningPid;
        return sum;
      };
    },
  }, { ops: N }),
);

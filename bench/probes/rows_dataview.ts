/**
 * Probe: in a loop that also pushes into an array (collect the local ports of the listening rows), neither
 * JIT hoists the rows object's field loads out of the loop, so `at(i)` pays for every field it reads on every
 * row. Does reading rows through a `DataView` that starts at the first row, with the row size a literal (two
 * loads: the probe and that `DataView`), beat the buffer's `DataView` with base and stride fields (four)?
 *
 * Decided: the per-layout array class in `structs/` (and the per-layout cursor class) reads rows through the
 * rows' own `DataView` (byte 0 is the first row's) with the row size as a literal. When decided: 2.9 -> 2.2
 * ns per row on Bun and 4.5 -> 3.4 on Deno; without the push, 1.5 on Bun with base and stride.
 *
 * The rows start 8 bytes into their buffer, so that the base is not 0. Each contestant runs in a process of
 * its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/rows_dataview.ts` and
 * `./node_modules/.bin/bun bench/probes/rows_dataview.ts`.
 *
 * @module
 */
import { libraryCollect } from "./_library.ts";
import { outOfRange, RowsAt, RowView } from "./_shapes.ts";
import { LISTEN, stridedCollect, swap16, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const buffer = new Uint8Array(8 + N * 24);
buffer.set(table(N), 8);
const bytes = buffer.subarray(8);

interface Rows {
  readonly length: number;
  at(i: number): RowView;
}

/** The rejected form: the buffer's DataView, and the base and stride as fields. */
class FieldRows implements Rows {
  #dv: DataView;
  #base = 0;
  #stride = 0;
  #probe: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#dv = new DataView(bytes.buffer);
    this.#base = bytes.byteOffset;
    this.#stride = 24;
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): RowView {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new RowView(this.#dv, this.#base + i * this.#stride);
  }
}
// The chosen form: a DataView starting at the first row, the row size a literal, `RowsAt` (./_shapes.ts).

function collect(rows: Rows): number[] {
  const n = rows.length;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.at(i);
    if (row.state === LISTEN) ports.push(swap16(row.localPort & 0xffff));
  }
  return ports;
}
function total(rows: Rows): number {
  const n = rows.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = rows.at(i);
    if (row.state === LISTEN) sum += swap16(row.localPort & 0xffff);
  }
  return sum;
}

report(
  "rows_dataview: collect the listening rows' ports by at(i) over 1e6 rows (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedCollect(bytes),
    "base and stride fields, push": () => () => collect(new FieldRows(bytes)),
    "rows' DataView, literal size, push": () => () => collect(new RowsAt(bytes)),
    "base and stride fields, no push": () => () => total(new FieldRows(bytes)),
    "rows' DataView, literal size, no push": () => () => total(new RowsAt(bytes)),
    "library at(i), push": () => () => libraryCollect(bytes),
  }, { ops: N }),
);

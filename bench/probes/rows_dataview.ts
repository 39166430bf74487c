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
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { LISTEN, stridedCollect, swap16, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const buffer = new Uint8Array(8 + N * 24);
buffer.set(table(N), 8);
const bytes = buffer.subarray(8);

class View {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView, o: number) {
    this.#dv = dv;
    this.#o = o;
  }
  get state(): number {
    return this.#dv.getUint32(this.#o, true);
  }
  get localPort(): number {
    return this.#dv.getUint32(this.#o + 8, true);
  }
}

interface Rows {
  readonly length: number;
  at(i: number): View;
}

function outOfRange(i: number): never {
  throw new RangeError(`Cannot access row "${i}": it is outside the rows`);
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
  at(i: number): View {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new View(this.#dv, this.#base + i * this.#stride);
  }
}
/** The chosen form: a DataView starting at the first row, the row size a literal. */
class LiteralRows implements Rows {
  #rows: DataView;
  #probe: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#rows = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  }
  get length(): number {
    return this.#probe.length;
  }
  at(i: number): View {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new View(this.#rows, i * 24);
  }
}

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

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedCollect(bytes), options);
    case "base and stride fields, push":
      return time(name, () => collect(new FieldRows(bytes)), options);
    case "rows' DataView, literal size, push":
      return time(name, () => collect(new LiteralRows(bytes)), options);
    case "base and stride fields, no push":
      return time(name, () => total(new FieldRows(bytes)), options);
    case "rows' DataView, literal size, no push":
      return time(name, () => total(new LiteralRows(bytes)), options);
    case "library at(i), push":
      return time(name, () => {
        const rows = MIB_TCPROW_OWNER_PID.array(bytes);
        const n = rows.length;
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          const row = rows.at(i);
          if (row.dwState === LISTEN) ports.push(swap16(row.dwLocalPort & 0xffff));
        }
        return ports;
      }, options);
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "rows_dataview: collect the listening rows' ports by at(i) over 1e6 rows (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "base and stride fields, push",
    "rows' DataView, literal size, push",
    "base and stride fields, no push",
    "rows' DataView, literal size, no push",
    "library at(i), push",
  ], measure),
);

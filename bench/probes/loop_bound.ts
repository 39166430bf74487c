/**
 * Probe (Bun): in a loop that makes a view per row and pushes into an array (collect the local ports of the
 * listening rows), does reading the loop's bound from an object (`i < rows.length`) cost, against a local
 * (`i < n`)? Without the push, or without the view, it cost little when measured.
 *
 * Decided: nothing in `structs/` (the bound is the caller's loop); it explains why the rows benchmark's collect
 * figures for the toolkit on Bun (written `i < rows.length`, as users do) carry a cost its hand-written
 * baselines (`i < n`) do not. When decided (Bun 1.4): a view per row 1.5 ns per row with `i < n`, 3.3-4.8
 * with `i < holder.length`; `at(i)` 4.4-5.7 with `i < rows.length`, 2.2-2.9 with the bound read once.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/loop_bound.ts` and
 * `./node_modules/.bin/bun bench/probes/loop_bound.ts`.
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { LISTEN, stridedCollect, swap16, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

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

function viewsLocalBound(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / 24;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new View(dv, i * 24);
    if (row.state === LISTEN) ports.push(swap16(row.localPort & 0xffff));
  }
  return ports;
}
function viewsObjectBound(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holder = { length: bytes.byteLength / 24 };
  const ports: number[] = [];
  for (let i = 0; i < holder.length; i++) {
    const row = new View(dv, i * 24);
    if (row.state === LISTEN) ports.push(swap16(row.localPort & 0xffff));
  }
  return ports;
}
function viewsObjectBoundNoPush(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holder = { length: bytes.byteLength / 24 };
  let count = 0;
  for (let i = 0; i < holder.length; i++) {
    const row = new View(dv, i * 24);
    if (row.state === LISTEN) count += swap16(row.localPort & 0xffff);
  }
  return count;
}

function measure(name: string): Timing {
  const options = { ops: N };
  switch (name) {
    case "strided loop (baseline)":
      return time(name, () => stridedCollect(bytes), options);
    case "view per row, i < n":
      return time(name, () => viewsLocalBound(bytes), options);
    case "view per row, i < holder.length":
      return time(name, () => viewsObjectBound(bytes), options);
    case "same, no push":
      return time(name, () => viewsObjectBoundNoPush(bytes), options);
    case "library at(i), i < rows.length":
      return time(name, () => {
        const rows = MIB_TCPROW_OWNER_PID.array(bytes);
        const ports: number[] = [];
        for (let i = 0; i < rows.length; i++) {
          const row = rows.at(i);
          if (row.dwState === LISTEN) ports.push(swap16(row.dwLocalPort & 0xffff));
        }
        return ports;
      }, options);
    case "library at(i), i < n":
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
  "loop_bound: collect the listening rows' ports over 1e6 rows, the bound a local or an object's (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    "view per row, i < n",
    "view per row, i < holder.length",
    "same, no push",
    "library at(i), i < rows.length",
    "library at(i), i < n",
  ], measure),
);

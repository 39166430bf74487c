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
import { libraryCollect } from "./_library.ts";
import { RowView, viewCollect } from "./_shapes.ts";
import { LISTEN, stridedCollect, swap16, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

// A view per row with the bound a local, `i < n`: `viewCollect` (./_shapes.ts).
function viewsObjectBound(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holder = { length: bytes.byteLength / 24 };
  const ports: number[] = [];
  for (let i = 0; i < holder.length; i++) {
    const row = new RowView(dv, i * 24);
    if (row.state === LISTEN) ports.push(swap16(row.localPort & 0xffff));
  }
  return ports;
}
function viewsObjectBoundNoPush(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holder = { length: bytes.byteLength / 24 };
  let count = 0;
  for (let i = 0; i < holder.length; i++) {
    const row = new RowView(dv, i * 24);
    if (row.state === LISTEN) count += swap16(row.localPort & 0xffff);
  }
  return count;
}
/** The library's `at(i)` with the bound read from the rows on every turn, as users write it. */
function libraryObjectBound(bytes: Uint8Array): number[] {
  const rows = MIB_TCPROW_OWNER_PID.array(bytes);
  const ports: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    if (row.dwState === LISTEN) ports.push(swap16(row.dwLocalPort & 0xffff));
  }
  return ports;
}

report(
  "loop_bound: collect the listening rows' ports over 1e6 rows, the bound a local or an object's (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedCollect(bytes),
    "view per row, i < n": () => () => viewCollect(bytes),
    "view per row, i < holder.length": () => () => viewsObjectBound(bytes),
    "same, no push": () => () => viewsObjectBoundNoPush(bytes),
    "library at(i), i < rows.length": () => () => libraryObjectBound(bytes),
    "library at(i), i < n": () => () => libraryCollect(bytes),
  }, { ops: N }),
);

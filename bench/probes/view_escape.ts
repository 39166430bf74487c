/**
 * Probe: whether V8 removes a fresh view per row (escape analysis) turns on the code around it. In the collect
 * scan (push the local port of each listening row), is `swap16(row.localPort & 0xffff)` written in the loop
 * slower than the same expression in a small helper function, and does reading the field into a local first
 * help? For a hand-written view class, the library's `at(i)`, and a strided loop.
 *
 * Decided: nothing in the library's code; the rows benchmark writes the same loop body for the toolkit's
 * contestants as for the hand-written ones, and sets `at(i)` against a hand-written view as well as the best
 * loop. When decided (Deno 2.9): `at(i)` 9.5 ns per row inline against 3.5 with the helper (142 scavenges
 * against 36), a hand-written view 8.5 against 3.0, a local first 2.6; Bun 2.0 and 1.7; a strided loop the
 * other way, 2.15 with the helper against 1.3 inline.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/view_escape.ts` and
 * `./node_modules/.bin/bun bench/probes/view_escape.ts`.
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { libraryCollect } from "./_library.ts";
import { RowView, viewCollect } from "./_shapes.ts";
import { LISTEN, stridedCollect, swap16, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);

// The inline forms: `stridedCollect` (./_table.ts), `viewCollect` (./_shapes.ts), `libraryCollect` (./_library.ts).
function portOf(row: { readonly localPort: number }): number {
  return swap16(row.localPort & 0xffff);
}
function libraryPortOf(row: { readonly dwLocalPort: number }): number {
  return swap16(row.dwLocalPort & 0xffff);
}
function wordPortOf(word: number): number {
  return swap16(word & 0xffff);
}

function stridedHelper(bytes: Uint8Array): number[] {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  const ports: number[] = [];
  for (let i = 0; i < words.length; i += 6) {
    if (words[i] === LISTEN) ports.push(wordPortOf(words[i + 2]!));
  }
  return ports;
}
function viewHelper(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / 24;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new RowView(dv, i * 24);
    if (row.state === LISTEN) ports.push(portOf(row));
  }
  return ports;
}
function viewLocal(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / 24;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new RowView(dv, i * 24);
    if (row.state === LISTEN) {
      const port = row.localPort;
      ports.push(swap16(port & 0xffff));
    }
  }
  return ports;
}
function libraryHelper(bytes: Uint8Array): number[] {
  const rows = MIB_TCPROW_OWNER_PID.array(bytes);
  const n = rows.length;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.at(i);
    if (row.dwState === LISTEN) ports.push(libraryPortOf(row));
  }
  return ports;
}

const CONTESTANTS: Record<string, (bytes: Uint8Array) => number[]> = {
  "strided loop, inline (baseline)": stridedCollect,
  "strided loop, helper": stridedHelper,
  "hand-written view, inline": viewCollect,
  "hand-written view, helper": viewHelper,
  "hand-written view, a local first": viewLocal,
  "library at(i), inline": libraryCollect,
  "library at(i), helper": libraryHelper,
};

function measure(name: string): Timing {
  const scan = CONTESTANTS[name];
  if (scan === undefined) throw new TypeError(`Unknown contestant "${name}"`);
  return time(name, () => scan(bytes), { ops: N });
}

report(
  "view_escape: collect the listening rows' ports over 1e6 rows, the port expression inline or in a helper (ns per row)",
  separately(import.meta.url, Object.keys(CONTESTANTS), measure),
);

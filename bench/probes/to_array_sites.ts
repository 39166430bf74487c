/**
 * Probe: V8 decides once per allocation site whether the objects made there go straight to the old
 * generation (pretenuring), from whether they survived its first collections. Small copies die young and
 * teach a site "no"; does a million-row copy made later at the same site then pay for being copied through
 * the young generation at every scavenge, against a copy made at a site of its own?
 *
 * Decided: `toArray()` of the per-layout array class in `structs/` (the compiled `readAll`) has two object
 * literals of its own, one for small copies (`readFew`) and one from 2^21 fields, rows times fields, on
 * (`readMany`; `BULK_FIELDS`). When decided (Deno 2.9, after 3000 copies of 1000 rows): 1e6 rows 98-102 ns
 * per row with one site, 24-32 with two (200 scavenges against 20 in `--trace-gc`).
 *
 * Each contestant runs in a process of its own: 3000 copies of 1000 rows first, then copies of 1e6 rows are
 * timed (the fresh site has no small copies first).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/to_array_sites.ts` and
 * `./node_modules/.bin/bun bench/probes/to_array_sites.ts`.
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const small = table(1000);

interface Row {
  state: number;
  localAddr: number;
  localPort: number;
  remoteAddr: number;
  remotePort: number;
  pid: number;
}
type Copy = (dv: DataView, n: number) => Row[];

// The same copy three times over: each function has an object literal (an allocation site) of its own.
function copyA(dv: DataView, n: number): Row[] {
  const out: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 24;
    out[i] = {
      state: dv.getUint32(o, true),
      localAddr: dv.getUint32(o + 4, true),
      localPort: dv.getUint32(o + 8, true),
      remoteAddr: dv.getUint32(o + 12, true),
      remotePort: dv.getUint32(o + 16, true),
      pid: dv.getUint32(o + 20, true),
    };
  }
  return out;
}
function copyB(dv: DataView, n: number): Row[] {
  const out: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 24;
    out[i] = {
      state: dv.getUint32(o, true),
      localAddr: dv.getUint32(o + 4, true),
      localPort: dv.getUint32(o + 8, true),
      remoteAddr: dv.getUint32(o + 12, true),
      remotePort: dv.getUint32(o + 16, true),
      pid: dv.getUint32(o + 20, true),
    };
  }
  return out;
}
/** The rejected form: one site for every copy. */
const oneSite: Copy = copyA;
/** The chosen form: small copies at one site, big ones at another. */
const twoSites: Copy = (dv, n) => n * 6 < 2 ** 21 ? copyA(dv, n) : copyB(dv, n);

function dataViewSum(dv: DataView, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += dv.getUint32(i * 24 + 20, true);
  return sum;
}

const dv = new DataView(bytes.buffer);
const smallDv = new DataView(small.buffer);
function afterSmallCopies(copy: Copy): void {
  for (let k = 0; k < 3000; k++) copy(smallDv, 1000);
}

report(
  "to_array_sites: copy 1e6 rows into objects after 3000 copies of 1000 rows (ns per row)",
  timeSeparately(import.meta.url, {
    "DataView read loop (baseline)": () => () => dataViewSum(dv, N),
    "one site, no small copies first": () => () => oneSite(dv, N),
    "one site, after small copies": () => {
      afterSmallCopies(oneSite);
      return () => oneSite(dv, N);
    },
    "two sites, after small copies": () => {
      afterSmallCopies(twoSites);
      return () => twoSites(dv, N);
    },
    "library toArray(), after small copies": () => {
      for (let k = 0; k < 3000; k++) MIB_TCPROW_OWNER_PID.array(small).toArray();
      return () => MIB_TCPROW_OWNER_PID.array(bytes).toArray();
    },
  }, { ops: N, rounds: 9, warmup: 2 }),
);

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
import { report, separately, time, type Timing } from "./_time.ts";

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

function measure(name: string): Timing {
  const options = { ops: N, rounds: 9, warmup: 2 };
  const dv = new DataView(bytes.buffer);
  const smallDv = new DataView(small.buffer);
  const warm = (copy: (dv: DataView, n: number) => unknown): void => {
    for (let k = 0; k < 3000; k++) copy(smallDv, 1000);
  };
  switch (name) {
    case "DataView read loop (baseline)":
      return time(name, () => dataViewSum(dv, N), options);
    case "one site, no small copies first":
      return time(name, () => oneSite(dv, N), options);
    case "one site, after small copies":
      warm(oneSite);
      return time(name, () => oneSite(dv, N), options);
    case "two sites, after small copies":
      warm(twoSites);
      return time(name, () => twoSites(dv, N), options);
    case "library toArray(), after small copies": {
      warm(() => MIB_TCPROW_OWNER_PID.array(small).toArray());
      return time(name, () => MIB_TCPROW_OWNER_PID.array(bytes).toArray(), options);
    }
  }
  throw new TypeError(`Unknown contestant "${name}"`);
}

report(
  "to_array_sites: copy 1e6 rows into objects after 3000 copies of 1000 rows (ns per row)",
  separately(import.meta.url, [
    "DataView read loop (baseline)",
    "one site, no small copies first",
    "one site, after small copies",
    "two sites, after small copies",
    "library toArray(), after small copies",
  ], measure),
);

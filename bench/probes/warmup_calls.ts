/**
 * Question: how many calls does a scan of 1e5 rows take to reach its steady speed, from a fresh process? The
 * benchmark's quick budget warmed a contestant up for 5 ms only if its first call took less, so a scan whose
 * first call took 20 ms (compiling) was measured on its next few calls.
 *
 * Contestants, each in a process of its own, the time per row of each of the first 40 calls: a raw `DataView`
 * loop (baseline), the toolkit reading in place (`T.array(bytes).at(i)`, one scalar and two `u8[4]` fields),
 * and copying (`T.read(bytes, offset)`), over 1e5 rows of `MIB_TCPROW_OWNER_PID` with its addresses as
 * `u8[4]`, as the rows suite's `u8[4]` group scans them. Printed: the first calls, the steady time (median of
 * calls 30-40) and the first call within 1.5 times of it.
 *
 * Found (Deno 2.9.5, Bun 1.4.5): on Bun the in-place scan took 143-234, 36-61 and 33-52 ns per row on its
 * first calls and 3-5 from the 4th call on a quiet machine, from the 25th on a busy one (load 3); on Deno the
 * scans run fast from the second call, then V8 recompiles the function after about ten calls, and the in-place
 * scan settles at a speed of its own (4-5 or 15-17 ns per row from one process to the next, with the same
 * inlining either way, `--trace-turbo-inlining`).
 *
 * Decided: the benchmark's warm-up makes at least 20 calls where they fit in 100 ms (quick) or 1 s (full), as
 * well as its time (`BUDGETS` and `warmUp` in `bench/_workload.mjs`).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/warmup_calls.ts` and
 * `./node_modules/.bin/bun bench/probes/warmup_calls.ts`.
 *
 * @module
 */
import { TcpBytesRow } from "../_toolkit_rows.ts";
import process from "node:process";
import { childResult, runtime } from "./_time.ts";

const N = 1e5;
const CALLS = 40;

// The rows suite's row with arrays inside.
const Row = TcpBytesRow;

function table(): Uint8Array {
  const bytes = new Uint8Array(N * Row.size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  return bytes;
}

const CONTESTANTS: Record<string, (bytes: Uint8Array) => () => number> = {
  "raw DataView loop": (bytes) => () => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sum = 0;
    for (let o = 0; o + 24 <= dv.byteLength; o += 24) sum += dv.getUint32(o + 20, true) + dv.getUint8(o + 4);
    return sum;
  },
  "toolkit at(i), in place": (bytes) => () => {
    const rows = Row.array(bytes);
    let sum = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows.at(i);
      sum += row.dwOwningPid + row.dwLocalAddr.at(0)! + row.dwRemoteAddr.at(0)!;
    }
    return sum;
  },
  "toolkit read(), a copy per row": (bytes) => () => {
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const row = Row.read(bytes, i * Row.size);
      sum += row.dwOwningPid + row.dwLocalAddr[0]! + row.dwRemoteAddr[0]!;
    }
    return sum;
  },
};

/** The ns per row of each of the first `CALLS` calls of one contestant, in this process. */
function firstCalls(name: string): number[] {
  const scan = CONTESTANTS[name]!(table());
  const times: number[] = [];
  let check = 0;
  for (let k = 0; k < CALLS; k++) {
    const start = performance.now();
    check += scan();
    times.push(((performance.now() - start) * 1e6) / N);
  }
  if (!Number.isFinite(check)) throw new Error(`${name}: no sum`);
  return times;
}

const tag = "__calls__";
const asked = process.env.FFIKIT_PROBE_CONTESTANT;
if (asked !== undefined) {
  console.log(`${tag}${JSON.stringify(firstCalls(asked))}`);
} else {
  console.log(
    `How many calls a 1e5-row scan takes to reach its steady speed, ns per row per call (${runtime})`,
  );
  for (const name of Object.keys(CONTESTANTS)) {
    const times = childResult<number[]>(import.meta.url, name, tag);
    const steady = [...times.slice(30)].sort((a, b) => a - b)[5]!;
    const reached = times.findIndex((t) => t <= steady * 1.5) + 1;
    console.log(
      `  ${name.padEnd(32)} first calls ${times.slice(0, 6).map((t) => t.toFixed(0)).join(", ")}; steady ${
        steady.toFixed(1)
      }; first within 1.5x of it at call ${reached}`,
    );
  }
}

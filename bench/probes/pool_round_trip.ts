/**
 * Question: what does one round trip to a worker thread cost, awaited one by one, as a message
 * (`postMessage` both ways, as ffi/_call_pool.ts first did: a small answer, or the full call request) against
 * a request written to a `SharedArrayBuffer` that the worker waits on (`Atomics.wait`) and an answer the
 * JavaScript thread awaits with `Atomics.waitAsync`? Baseline on Deno: its own `nonblocking` getpid, the
 * cost the toolkit's pool is measured against.
 *
 * Decided: ffi/_call_pool.ts posts calls through shared memory and `Atomics.waitAsync`, not messages.
 *
 * ```sh
 * ./node_modules/.bin/deno run -A bench/probes/pool_round_trip.ts
 * ./node_modules/.bin/bun bench/probes/pool_round_trip.ts
 * ```
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { report, type Timing } from "./_time.ts";

const isBun = "Bun" in globalThis;
const CALLS = 2_000;
const ROUNDS = 9;

function started(mode: string, shared?: SharedArrayBuffer): Promise<Worker> {
  const worker = new Worker(new URL("./_pool_round_trip_worker.js", import.meta.url));
  worker.postMessage({ mode, shared });
  return new Promise((resolve) => worker.once("message", () => resolve(worker)));
}

const messages = await started("message");
let waiting: ((value: unknown) => void) | null = null;
messages.on("message", (answer) => waiting!(answer));
const small = () =>
  new Promise((resolve) => {
    waiting = resolve;
    messages.postMessage({ id: 1, args: [1] });
  });
// The request ffi/_call_pool.ts posted per call: path, symbol, the runtime's types and the arguments.
const full = () =>
  new Promise((resolve) => {
    waiting = resolve;
    messages.postMessage({
      id: 1,
      path: "/usr/lib/x86_64-linux-gnu/libc.so.6",
      symbol: "getpid",
      native: { args: ["i32", "buffer"], returns: "i32" },
      args: [1, new Uint8Array(new SharedArrayBuffer(16))],
      errno: true,
    });
  });

const compact = await started("compact");
compact.on("message", (answer) => waiting!(answer));
const compactCall = () =>
  new Promise((resolve) => {
    waiting = resolve;
    compact.postMessage([1, 0, 1]);
  });

const shared = new SharedArrayBuffer(16);
const cells = new Int32Array(shared);
const atomics = await started("atomics", shared);
let sent = 0;
const viaAtomics = async () => {
  cells[2] = sent;
  Atomics.store(cells, 0, ++sent);
  Atomics.notify(cells, 0);
  const wait = Atomics.waitAsync(cells, 1, sent - 1);
  if (wait.async) await wait.value;
  return cells[3];
};

const shared2 = new SharedArrayBuffer(16);
const cells2 = new Int32Array(shared2);
const mixed = await started("mixed", shared2);
mixed.on("message", () => waiting!(cells2[3]));
let sent2 = 0;
const viaMixed = () =>
  new Promise((resolve) => {
    waiting = resolve;
    cells2[2] = sent2;
    Atomics.store(cells2, 0, ++sent2);
    Atomics.notify(cells2, 0);
  });

// deno-lint-ignore no-explicit-any
const deno = (globalThis as any).Deno;
const nativeGetpid = isBun ? null : deno.dlopen("libc.so.6", {
  getpid: { parameters: [], result: "i32", nonblocking: true },
}).symbols.getpid as () => Promise<number>;

const contestants: [string, () => Promise<unknown>][] = [
  ...(nativeGetpid
    ? [["Deno nonblocking getpid() (baseline)", nativeGetpid]] as [string, () => Promise<unknown>][]
    : []),
  ["postMessage round trip, small request", small],
  ["postMessage round trip, the pool's call request", full],
  ["postMessage round trip, an array of numbers", compactCall],
  ["SharedArrayBuffer + Atomics.wait / waitAsync", viaAtomics],
  ["SharedArrayBuffer + Atomics.wait, answer by message", viaMixed],
];
const samples = contestants.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + 1; round++) {
  for (let c = 0; c < contestants.length; c++) {
    const run = contestants[c]![1];
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) await run();
    if (round > 0) samples[c]!.push(((performance.now() - start) * 1e6) / CALLS); // round 0 warms up
  }
}
const timings: Timing[] = contestants.map(([name], c) => {
  const sorted = samples[c]!.sort((a, b) => a - b);
  return { name, best: sorted[0]!, median: sorted[sorted.length >> 1]!, worst: sorted.at(-1)! };
});
report("One round trip to another thread, awaited one by one, ns", timings);
void messages.terminate();
void atomics.terminate();
void compact.terminate();
void mixed.terminate();

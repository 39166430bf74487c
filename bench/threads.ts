/**
 * Threads: what a non-blocking call costs against a blocking one and against Deno's own `nonblocking`, and how
 * many cross-thread callback calls a second the toolkit's `threadedCallback()` runs against the runtime's raw
 * thread-safe callback. One process per runtime; contestants interleaved, each round repeated, best and median
 * printed as JSON lines.
 *
 * ```sh
 * ./node_modules/.bin/deno run -A bench/threads.ts
 * ./node_modules/.bin/bun bench/threads.ts
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { compileC } from "../tests/harness.ts";
import { dlopen, functionPointer, i32, setNonblockingThreads, threadedCallback, void_ } from "../mod.ts";

const isBun = "Bun" in globalThis;
const ROUNDS = 7;
const SEQUENTIAL = 2_000; // awaited one after another: the latency of one call
const IN_FLIGHT = 64; // started together, then awaited: the throughput with the pool busy
const CALLBACK_THREADS = 4;
const CALLBACK_CALLS = 20_000;

const fixture = compileC(
  readFileSync(new URL("../tests/fixtures/threads_fixture.c", import.meta.url), "utf8"),
  { flags: ["-pthread"] },
);

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;

// The raw runtime's own forms: a blocking getpid, Deno's nonblocking one, and the thread fixture.
const bunFfi = isBun ? await import("bun:ffi" as string) : null;
function rawOpen(
  path: string,
  symbols: Record<string, { args: string[]; returns: string; nonblocking?: boolean; name?: string }>,
) {
  if (isBun) return bunFfi.dlopen(path, symbols).symbols as Record<string, Fn>;
  const table: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(symbols)) {
    table[name] = {
      parameters: s.args,
      result: s.returns,
      nonblocking: s.nonblocking ?? false,
      name: s.name ?? name,
    };
  }
  // deno-lint-ignore no-explicit-any
  return (globalThis as any).Deno.dlopen(path, table).symbols as Record<string, Fn>;
}
const raw = rawOpen("libc.so.6", {
  getpid: { args: [], returns: "i32" },
});
if (!isBun) {
  Object.assign(
    raw,
    rawOpen("libc.so.6", { getpid_nb: { args: [], returns: "i32", nonblocking: true, name: "getpid" } }),
  );
}
const rawThreads = rawOpen(fixture, {
  thr_start: { args: [isBun ? "ptr" : "function", "i32", "i32"], returns: "i32" },
  thr_join: { args: [], returns: "i32" },
});

const libc = dlopen("libc.so.6", {
  getpid: { args: [], returns: i32 },
  getpidNb: { args: [], returns: i32, nonblocking: true, symbol: "getpid" },
  getpidNbErrno: { args: [], returns: i32, nonblocking: true, errno: true, symbol: "getpid" },
});
const threads = dlopen(fixture, {
  thr_start: { args: [functionPointer, i32, i32], returns: i32 },
  thr_join: { args: [], returns: i32, nonblocking: true },
});
setNonblockingThreads(4);

interface Result {
  readonly name: string;
  readonly unit: string;
  readonly samples: number[];
}

async function sequential(fn: () => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await fn();
  return ((performance.now() - start) * 1e6) / SEQUENTIAL; // ns per call
}

async function inFlight(fn: () => unknown): Promise<number> {
  const start = performance.now();
  for (let round = 0; round < SEQUENTIAL / IN_FLIGHT; round++) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => fn()));
  }
  return ((performance.now() - start) * 1e6) / (SEQUENTIAL - (SEQUENTIAL % IN_FLIGHT)); // ns per call
}

function blocking(fn: () => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL * 10; i++) fn();
  return Promise.resolve(((performance.now() - start) * 1e6) / (SEQUENTIAL * 10));
}

async function callbacks(toolkit: boolean): Promise<number> {
  const total = CALLBACK_THREADS * CALLBACK_CALLS;
  let seen = 0;
  const onCall = () => void seen++;
  let close: () => void;
  const start = performance.now();
  if (toolkit) {
    const cb = threadedCallback({ args: [i32, i32], returns: void_ }, onCall);
    threads.symbols.thr_start(cb.pointer, CALLBACK_THREADS, CALLBACK_CALLS);
    close = () => cb.close();
  } else if (isBun) {
    const cb = new bunFfi.JSCallback(onCall, { args: ["i32", "i32"], returns: "void", threadsafe: true });
    rawThreads.thr_start!(cb.ptr, CALLBACK_THREADS, CALLBACK_CALLS);
    close = () => {}; // closing it while a late call could come is what crashes: kept, as the toolkit does
  } else {
    // deno-lint-ignore no-explicit-any
    const cb = (globalThis as any).Deno.UnsafeCallback.threadSafe(
      { parameters: ["i32", "i32"], result: "void" },
      onCall,
    );
    rawThreads.thr_start!(cb.pointer, CALLBACK_THREADS, CALLBACK_CALLS);
    close = () => cb.unref();
  }
  while (seen < total) await new Promise((resolve) => setTimeout(resolve, 1));
  const seconds = (performance.now() - start) / 1000;
  await threads.symbols.thr_join();
  close();
  return total / seconds; // calls per second
}

const contestants: [string, string, () => Promise<number>][] = [
  ["raw blocking getpid()", "ns/call", () => blocking(raw.getpid!)],
  ["toolkit blocking getpid()", "ns/call", () => blocking(libc.symbols.getpid)],
  ...(isBun ? [] : [
    ["raw Deno nonblocking getpid(), awaited one by one", "ns/call", () => sequential(raw.getpid_nb!)],
    ["raw Deno nonblocking getpid(), 64 in flight", "ns/call", () => inFlight(raw.getpid_nb!)],
  ] as [string, string, () => Promise<number>][]),
  ["toolkit nonblocking getpid(), awaited one by one", "ns/call", () => sequential(libc.symbols.getpidNb)],
  ["toolkit nonblocking getpid(), 64 in flight", "ns/call", () => inFlight(libc.symbols.getpidNb)],
  [
    "toolkit nonblocking getpid() with errno (pool), awaited one by one",
    "ns/call",
    () => sequential(libc.symbols.getpidNbErrno),
  ],
  [
    "toolkit nonblocking getpid() with errno (pool), 64 in flight",
    "ns/call",
    () => inFlight(libc.symbols.getpidNbErrno),
  ],
  ["raw thread-safe callback, 4 threads", "calls/s", () => callbacks(false)],
  ["toolkit threadedCallback(), 4 threads", "calls/s", () => callbacks(true)],
];

const results: Result[] = contestants.map(([name, unit]) => ({ name, unit, samples: [] }));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < contestants.length; i++) results[i]!.samples.push(await contestants[i]![2]());
}
const runtime = isBun ? "bun" : "deno";
for (const { name, unit, samples } of results) {
  const sorted = [...samples].slice(1).sort((a, b) => a - b); // the first round warms up
  const best = unit === "calls/s" ? sorted.at(-1)! : sorted[0]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(JSON.stringify({ runtime, name, unit, best: Math.round(best), median: Math.round(median) }));
}
threads.close();
libc.close();

/**
 * Threads: what a non-blocking call costs against a blocking one and against Deno's own `nonblocking`, and how
 * many cross-thread callback calls the toolkit's `threadedCallback()` delivers against the runtime's raw
 * thread-safe callback. The `threads` suite of `deno task bench` (`--only=threads`); run alone, it prints one
 * JSON line per contestant. Each group times its contestants itself, interleaved round by round in one
 * process (the pool's threads and the machine's load change between rounds), and reports ns per call (per
 * delivered call for the callbacks); the first round warms up and is dropped.
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
import type { GroupPlan, Samples, SuiteContext } from "./_harness.ts";

const isBun = "Bun" in globalThis;
const IN_FLIGHT = 64; // started together, then awaited: the throughput with the pool busy
const CALLBACK_THREADS = 4;

/** Rounds and calls per round, per mode. */
const SIZES = {
  quick: { rounds: 4, calls: 256, callbackCalls: 2_000 },
  full: { rounds: 8, calls: 2_048, callbackCalls: 20_000 },
} as const;
type Sizes = (typeof SIZES)[keyof typeof SIZES];

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;
const bunFfi = isBun ? await import("bun:ffi" as string) : null;

// The raw runtime's own forms.
function rawOpen(
  path: string,
  symbols: Record<string, { args: string[]; returns: string; nonblocking?: boolean; name?: string }>,
): { symbols: Record<string, Fn>; close(): void } {
  if (isBun) return bunFfi.dlopen(path, symbols);
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
  return (globalThis as any).Deno.dlopen(path, table);
}

let fixturePath: string | undefined;
function fixture(): string {
  fixturePath ??= compileC(
    readFileSync(new URL("../tests/fixtures/threads_fixture.c", import.meta.url), "utf8"),
    { flags: ["-pthread"] },
  );
  return fixturePath;
}

/** A contestant: its name, technique, and one timed round returning ns per call (null: not on this runtime). */
type Timed = [name: string, technique: "baseline" | "toolkit", round: (() => Promise<number>) | null];

/** Runs every contestant round after round, interleaved; the first round warms up. */
async function interleaved(contestants: readonly Timed[], rounds: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (let round = 0; round <= rounds; round++) {
    for (const [name, , run] of contestants) {
      if (run === null) continue;
      const ns = await run();
      if (round > 0) out.set(name, [...(out.get(name) ?? []), ns]);
    }
  }
  return out;
}

async function oneByOne(fn: () => unknown, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return ((performance.now() - start) * 1e6) / calls;
}

async function inFlight(fn: () => unknown, calls: number): Promise<number> {
  const start = performance.now();
  for (let round = 0; round < calls / IN_FLIGHT; round++) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => fn()));
  }
  return ((performance.now() - start) * 1e6) / (calls - (calls % IN_FLIGHT));
}

function blocking(fn: () => unknown, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls * 10; i++) fn();
  return Promise.resolve(((performance.now() - start) * 1e6) / (calls * 10));
}

interface Libraries {
  raw: { symbols: Record<string, Fn>; close(): void };
  rawNonblocking: { symbols: Record<string, Fn>; close(): void } | null;
  libc: ReturnType<typeof openLibc>;
}

function openLibc() {
  return dlopen("libc.so.6", {
    getpid: { args: [], returns: i32 },
    getpidNb: { args: [], returns: i32, nonblocking: true, symbol: "getpid" },
    getpidNbErrno: { args: [], returns: i32, nonblocking: true, errno: true, symbol: "getpid" },
  });
}

function openLibraries(): Libraries {
  setNonblockingThreads(4);
  return {
    raw: rawOpen("libc.so.6", { getpid: { args: [], returns: "i32" } }),
    rawNonblocking: isBun ? null : rawOpen("libc.so.6", {
      getpid: { args: [], returns: "i32", nonblocking: true },
    }),
    libc: openLibc(),
  };
}

function closeLibraries(l: Libraries): void {
  l.raw.close();
  l.rawNonblocking?.close();
  l.libc.close();
}

/** The getpid() contestants, awaited one by one or `IN_FLIGHT` at a time. */
function callContestants(l: Libraries, size: Sizes, many: boolean): Timed[] {
  const wait = many ? inFlight : oneByOne;
  const how = many ? `${IN_FLIGHT} in flight` : "awaited one by one";
  return [
    ["raw blocking getpid()", "baseline", () => blocking(l.raw.symbols.getpid!, size.calls)],
    [
      `raw Deno nonblocking getpid(), ${how}`,
      "baseline",
      l.rawNonblocking ? () => wait(l.rawNonblocking!.symbols.getpid!, size.calls) : null,
    ],
    ["toolkit blocking getpid()", "toolkit", () => blocking(l.libc.symbols.getpid, size.calls)],
    [`toolkit nonblocking getpid(), ${how}`, "toolkit", () => wait(l.libc.symbols.getpidNb, size.calls)],
    [
      `toolkit nonblocking getpid() with errno (pool), ${how}`,
      "toolkit",
      () => wait(l.libc.symbols.getpidNbErrno, size.calls),
    ],
  ];
}

/** ns per delivered call of `CALLBACK_THREADS` C threads calling back `calls` times each. */
async function callbacks(toolkit: boolean, calls: number): Promise<number> {
  const rawThreads = rawOpen(fixture(), {
    thr_start: { args: [isBun ? "ptr" : "function", "i32", "i32"], returns: "i32" },
    thr_join: { args: [], returns: "i32" },
  });
  const total = CALLBACK_THREADS * calls;
  let seen = 0;
  const onCall = () => void seen++;
  let close: () => void;
  const start = performance.now();
  if (toolkit) {
    const cb = threadedCallback({ args: [i32, i32], returns: void_ }, onCall);
    const threads = dlopen(fixture(), { thr_start: { args: [functionPointer, i32, i32], returns: i32 } });
    threads.symbols.thr_start(cb.pointer, CALLBACK_THREADS, calls);
    close = () => {
      cb.close();
      threads.close();
    };
  } else if (isBun) {
    const cb = new bunFfi.JSCallback(onCall, { args: ["i32", "i32"], returns: "void", threadsafe: true });
    rawThreads.symbols.thr_start!(cb.ptr, CALLBACK_THREADS, calls);
    close = () => {}; // closing it while a late call could come is what crashes: kept, as the toolkit does
  } else {
    // deno-lint-ignore no-explicit-any
    const cb = (globalThis as any).Deno.UnsafeCallback.threadSafe(
      { parameters: ["i32", "i32"], result: "void" },
      onCall,
    );
    rawThreads.symbols.thr_start!(cb.pointer, CALLBACK_THREADS, calls);
    close = () => cb.unref();
  }
  while (seen < total) await new Promise((resolve) => setTimeout(resolve, 1));
  const ns = ((performance.now() - start) * 1e6) / total;
  rawThreads.symbols.thr_join!(); // every thread has returned: its last call was delivered
  close();
  rawThreads.close();
  return ns;
}

function callbackContestants(size: Sizes): Timed[] {
  return [
    [
      `raw thread-safe callback, ${CALLBACK_THREADS} threads`,
      "baseline",
      () => callbacks(false, size.callbackCalls),
    ],
    [
      `toolkit threadedCallback(), ${CALLBACK_THREADS} threads`,
      "toolkit",
      () => callbacks(true, size.callbackCalls),
    ],
  ];
}

/**
 * The threads suite's groups.
 *
 * @param context The worker's mode.
 * @returns The groups: one by one, in flight, and cross-thread callbacks.
 */
export function plan(context: SuiteContext): GroupPlan<Map<string, number[]>>[] {
  const size = SIZES[context.quick ? "quick" : "full"];
  // Placeholder libraries only name the contestants for the plan; setup opens the real ones.
  const names = (many: boolean): Timed[] =>
    callContestants(
      { raw: null!, rawNonblocking: isBun ? null : ({} as Libraries["rawNonblocking"]), libc: null! },
      size,
      many,
    );
  const calls = (many: boolean): GroupPlan<Map<string, number[]>> => {
    let libraries: Libraries;
    const how = many ? `${IN_FLIGHT} in flight` : "awaited one by one";
    return {
      suite: "threads",
      group: `getpid(): non-blocking against blocking and Deno's nonblocking, ${how}`,
      kind: "samples",
      setup: async () => {
        libraries = openLibraries();
        try {
          return await interleaved(callContestants(libraries, size, many), size.rounds);
        } finally {
          closeLibraries(libraries);
        }
      },
      contestants: contestantsOf(names(many)),
    };
  };
  return [
    calls(false),
    calls(true),
    {
      suite: "threads",
      group: `cross-thread callbacks, ${CALLBACK_THREADS} C threads calling back`,
      kind: "samples",
      setup: () => interleaved(callbackContestants(size), size.rounds),
      contestants: contestantsOf(callbackContestants(size)),
    },
  ];
}

function contestantsOf(timed: Timed[]): GroupPlan<Map<string, number[]>>["contestants"] {
  return timed.map(([name, technique, run]) => ({
    name,
    technique,
    make: (data: Map<string, number[]>) => {
      const samples = data.get(name);
      if (run === null || samples === undefined) {
        return { skip: "Deno's own nonblocking exists on Deno only" };
      }
      return (): Samples => ({ samples });
    },
  }));
}

if (import.meta.main) {
  const runtime = isBun ? "bun" : "deno";
  for (const g of plan({ quick: false, raw: undefined, rawMissing: "", libPath: undefined })) {
    const data = await g.setup();
    for (const { name } of g.contestants) {
      const samples = [...(data.get(name) ?? [])].sort((a, b) => a - b);
      if (samples.length === 0) continue;
      const best = samples[0]!;
      const median = samples[samples.length >> 1]!;
      console.log(
        JSON.stringify({
          runtime,
          group: g.group,
          name,
          unit: "ns/call",
          best: Math.round(best),
          median: Math.round(median),
        }),
      );
    }
  }
}

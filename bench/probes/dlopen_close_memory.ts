/**
 * Question: how much does a process grow over many rounds of `dlopen()` and `close()` of the same library,
 * through the toolkit and through the runtime's own FFI?
 *
 * Decided: how `Library.close()` in `ffi/dlopen.ts` releases its runtime libraries (`KeepAlive`, `pinned`). A
 * function taken out before `close()` must keep working, and calling one whose code was unmapped crashes both
 * runtimes; the toolkit once kept every runtime library it opened for that. On Deno, where functions own
 * their call data, it now keeps one runtime library per path open for the life of the process and closes the
 * others at once; on Bun it closes them once the garbage collector has collected every function taken out.
 * When decided (Deno 2.9, Bun 1.4): keeping every library grew the process from 435 MiB after 20,000 rounds
 * to 1379 after 80,000 on Deno (157 and 186 after the change) and from 121 to 361 on Bun (53 and 55, yielding
 * every 20,000 rounds).
 *
 * Contestants, each in a process of its own, each round opening libc with `getpid`, calling it once and
 * closing it, the program yielding to the event loop after every quarter of the rounds (Bun runs finalizers
 * between tasks): the raw runtime `dlopen` and `close` (baseline), the raw `dlopen` never closed (the
 * toolkit's shape before, without its own objects), and the toolkit's `dlopen` and `close`. Printed: the
 * resident set size (RSS) at the start and after each quarter, each after a full garbage collection (without
 * one, Deno's RSS grows about 4 KB a round even for the raw `dlopen` and `close`, until a collection frees
 * it), the RSS at the end before that collection, the bytes kept per round over the second half (a plateau
 * reads as about 0, a leak does not) and the time per round.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/dlopen_close_memory.ts [rounds]` and
 * `./node_modules/.bin/bun bench/probes/dlopen_close_memory.ts [rounds]`; 20,000 rounds unless given (80000
 * for the figures above).
 *
 * @module
 */
import process from "node:process";
import { dlopen, i32 } from "../../mod.ts";
import { bunFfi } from "./_raw_ffi.ts";
import { childResult, runtime } from "./_time.ts";

/** One round: open libc, call `getpid`, maybe close. */
type Round = () => number;

function rawRound(close: boolean): Round {
  const bun = bunFfi;
  if (bun) {
    return () => {
      const lib = bun.dlopen("libc.so.6", { getpid: { args: [], returns: "i32" } });
      const pid = lib.symbols.getpid!() as number;
      if (close) lib.close();
      return pid;
    };
  }
  return () => {
    const lib = Deno.dlopen("libc.so.6", { getpid: { parameters: [], result: "i32" } });
    const pid = lib.symbols.getpid();
    if (close) lib.close();
    return pid;
  };
}

const contestants: Record<string, Round> = {
  "raw dlopen + close": rawRound(true),
  "raw dlopen, never closed": rawRound(false),
  "toolkit dlopen + close": () => {
    const lib = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
    const pid = lib.symbols.getpid();
    lib.close();
    return pid;
  },
};

/** What a contestant's process measured. */
interface Growth {
  /** RSS in MiB at the start and after each quarter of the rounds, each after a full garbage collection. */
  rss: number[];
  /** RSS in MiB after the last round, before its garbage collection. */
  uncollected: number;
  /** Microseconds per round. */
  perRound: number;
}

const mib = () => process.memoryUsage().rss / 2 ** 20;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A full garbage collection, then a turn of the event loop for the finalizers it queued (the toolkit's on
 * Bun), so that what is measured is what the rounds kept, not garbage not yet collected. Deno's child runs
 * with `--expose-gc`.
 */
async function collect(): Promise<void> {
  const bun = (globalThis as { Bun?: { gc(full: boolean): void } }).Bun;
  if (bun) bun.gc(true);
  else (globalThis as unknown as { gc(): void }).gc();
  await tick();
}

async function measure(round: Round, rounds: number): Promise<Growth> {
  await collect();
  const rss = [mib()];
  let uncollected = 0;
  let elapsed = 0;
  for (let quarter = 0; quarter < 4; quarter++) {
    const start = performance.now();
    for (let i = 0; i < rounds / 4; i++) {
      if (round() !== process.pid) throw new Error("getpid() did not return the process id");
    }
    elapsed += performance.now() - start;
    await tick();
    uncollected = mib();
    await collect();
    rss.push(mib());
  }
  return { rss, uncollected, perRound: (elapsed * 1000) / rounds };
}

const given = process.argv.slice(2);
const rounds = Number(given[0] ?? 20_000);
if (given.length > 1 || !Number.isSafeInteger(rounds) || rounds <= 0 || rounds % 4 !== 0) {
  throw new RangeError(`Cannot run "${given.join(" ")}" rounds: expected one positive multiple of 4`);
}
const chosen = process.env.FFIKIT_PROBE_CONTESTANT;
if (chosen !== undefined) {
  const round = contestants[chosen];
  if (!round) throw new TypeError(`Unknown contestant "${chosen}"`);
  console.log(`__growth__${JSON.stringify(await measure(round, rounds))}`);
  process.exit(0);
}

// A process per contestant: memory a library left behind cannot be told from the next one's.
const width = Math.max(...Object.keys(contestants).map((n) => n.length));
console.log(
  `RSS in MiB over ${rounds} rounds of dlopen("libc.so.6"), getpid(), close(): at the start and each ` +
    `quarter after a full GC; at the end before it (${runtime})`,
);
for (const name of Object.keys(contestants)) {
  const { rss, uncollected, perRound } = childResult<Growth>(import.meta.url, name, "__growth__", {
    args: [String(rounds)],
    denoFlags: ["--v8-flags=--expose-gc"],
  });
  // Over the second half, so that a plateau (memory the allocator keeps for reuse) reads as about 0.
  const kept = ((rss[4]! - rss[2]!) * 1024 * 1024) / (rounds / 2);
  const column = (m: number) => m.toFixed(0).padStart(5);
  console.log(
    `  ${name.padEnd(width)}  ${rss.map(column).join(" ")} MiB (before GC ${column(uncollected)})  ` +
      `${kept.toFixed(0).padStart(6)} bytes/round kept in the 2nd half  ${
        perRound.toFixed(1).padStart(6)
      } µs/round` +
      (name === "raw dlopen + close" ? "  (baseline)" : ""),
  );
}

/**
 * The probes' shared timing: each probe asks one question about an engine, times its contestants with this,
 * and prints the baseline beside the chosen form, so that a runtime upgrade shows which decisions changed.
 *
 * A contestant can run in a process of its own (`separately`), since what one form teaches the JIT can change
 * the timing of the next one measured in the same process.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import process from "node:process";

/** The runtime and version a probe ran on, e.g. `"Deno 2.9.5"` or `"Bun 1.4.5"`. */
export const runtime: string = "Bun" in globalThis
  ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `Deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`;

/** The timing of one contestant, in nanoseconds per operation. */
export interface Timing {
  /** The contestant's name, as printed. */
  readonly name: string;
  /** The fastest round. */
  readonly best: number;
  /** The median round. */
  readonly median: number;
  /** The slowest round. */
  readonly worst: number;
}

/** How long to time a contestant. */
export interface TimeOptions {
  /** Operations per call of the contestant: the time of a call is divided by this. */
  readonly ops: number;
  /** Timed calls (rounds) after the warm-up; 31 unless given. */
  readonly rounds?: number;
  /** Untimed calls first, so that the JIT has compiled the code; 10 unless given. */
  readonly warmup?: number;
}

let sink: unknown;
/** Keeps a value alive so that the JIT cannot remove the work that made it. */
export function consume(value: unknown): void {
  sink = value;
}
/** What `consume` last kept (read it once at the end, so that the store is not dead). */
export function consumed(): unknown {
  return sink;
}

/** Times `run` (one call does `options.ops` operations) and returns ns per operation: best, median, worst. */
export function time(name: string, run: () => unknown, options: TimeOptions): Timing {
  const rounds = options.rounds ?? 31;
  for (let i = 0; i < (options.warmup ?? 10); i++) consume(run());
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    consume(run());
    samples.push(((performance.now() - start) * 1e6) / options.ops);
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    best: samples[0]!,
    median: samples[samples.length >> 1]!,
    worst: samples[samples.length - 1]!,
  };
}

/**
 * Prints the question, then one line per contestant: best, median and worst ns per operation, and the best as
 * a multiple of the baseline's best (the first timing, or the one named `baseline`).
 */
export function report(question: string, timings: readonly Timing[], baseline?: string): void {
  const base = timings.find((t) => t.name === baseline) ?? timings[0];
  console.log(`${question} (${runtime})`);
  const width = Math.max(...timings.map((t) => t.name.length));
  for (const t of timings) {
    const ratio = base ? (t.best / base.best).toFixed(2) : "-";
    console.log(
      `  ${t.name.padEnd(width)}  best ${t.best.toFixed(2).padStart(8)}  median ${
        t.median.toFixed(2).padStart(8)
      }  worst ${t.worst.toFixed(2).padStart(8)} ns/op  ${ratio}x${t === base ? " (baseline)" : ""}`,
    );
  }
}

/** A whole process's timing, as `bench/startup.ts` gives it. */
export interface ProcessTiming {
  readonly nsPerOp: number;
  readonly minNs: number;
  readonly maxNs: number;
  readonly overBaselineNs: number;
}

/**
 * Prints the start-up probes' report: the title, then per script its median, its range and the median of its
 * differences from the baseline (the first), in ms.
 */
export function reportProcesses(
  title: string,
  names: readonly string[],
  timings: readonly ProcessTiming[],
): void {
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  const width = Math.max(...names.map((name) => name.length));
  console.log(`${runtime}: ${title}`);
  for (const [i, t] of timings.entries()) {
    console.log(
      `  ${names[i]!.padEnd(width)} ${ms(t.nsPerOp).padStart(6)} ms (${ms(t.minNs)}–${ms(t.maxNs)})  +${
        ms(t.overBaselineNs)
      } ms over the empty script`,
    );
  }
}

/**
 * Runs each contestant in a process of its own and returns their timings. In the child, `measure(name)` is
 * called with the contestant's name and must return its timing; in the parent, it is never called.
 *
 * Use it as the probe's main: `const timings = separately(import.meta.url, ["a", "b"], (name) => ...)`.
 */
export function separately(
  moduleUrl: string,
  names: readonly string[],
  measure: (name: string) => Timing,
): Timing[] {
  const chosen = process.env.FFIKIT_PROBE_CONTESTANT;
  if (chosen !== undefined) {
    if (!names.includes(chosen)) {
      throw new TypeError(`Unknown contestant "${chosen}": expected ${names.join(", ")}`);
    }
    console.log(`__timing__${JSON.stringify(measure(chosen))}`);
    process.exit(0);
  }
  return names.map((name) => childResult<Timing>(moduleUrl, name, "__timing__"));
}

/** How to run a contestant's process. */
export interface ChildOptions {
  /** Arguments after the module's path. */
  readonly args?: readonly string[];
  /** Flags for Deno's `run` before the path (Bun gets none), e.g. `--v8-flags=--expose-gc`. */
  readonly denoFlags?: readonly string[];
}

/**
 * Runs the module at `moduleUrl` again in a process of its own with `FFIKIT_PROBE_CONTESTANT` set to `name`,
 * and returns what the child printed as JSON after `tag` at the start of a line.
 *
 * @throws {Error} When the child fails or prints no such line, with its standard error.
 */
export function childResult<T>(moduleUrl: string, name: string, tag: string, options: ChildOptions = {}): T {
  const path = new URL(moduleUrl).pathname;
  const args = "Bun" in globalThis
    ? [path, ...options.args ?? []]
    : ["run", "-A", ...options.denoFlags ?? [], path, ...options.args ?? []];
  const child = spawnSync(process.execPath, args, {
    env: { ...process.env, FFIKIT_PROBE_CONTESTANT: name },
    encoding: "utf8",
  });
  const line = child.stdout.split("\n").find((l) => l.startsWith(tag));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`Contestant "${name}" failed (exit ${child.status}):\n${child.stderr}`);
  }
  return JSON.parse(line.slice(tag.length)) as T;
}

/** Times `ops` calls of `op` in a loop that keeps the last result, in ns per call. */
export function timeEach(name: string, op: () => unknown, ops: number): Timing {
  return time(name, () => {
    let last;
    for (let i = 0; i < ops; i++) last = op();
    return last;
  }, { ops });
}

/** Each contestant: made in its own process (warm-ups go here), it returns the call that is timed. */
export type Contestants = Record<string, () => () => unknown>;

/**
 * `separately` for contestants that are all timed alike: each is made and timed with `options` in a process
 * of its own, in the order of `names` (a name may come more than once: a process each time), or of the keys.
 */
export function timeSeparately(
  moduleUrl: string,
  contestants: Contestants,
  options: TimeOptions,
  names: readonly string[] = Object.keys(contestants),
): Timing[] {
  return separately(moduleUrl, names, (name) => {
    const make = contestants[name];
    if (make === undefined) throw new TypeError(`Unknown contestant "${name}"`);
    return time(name, make(), options);
  });
}

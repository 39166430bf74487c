/**
 * Start-up: what importing ffikit costs a program before its first call, timed as whole processes of the
 * runtime the worker runs on. Each contestant is a script under `bench/startup/` that imports one module and
 * does nothing else; the baseline is a script that imports nothing.
 *
 * The scripts run in rounds, every script once per round in a rotating order, after a warm-up round that fills
 * Deno's transpile cache and the file cache; a result is the median over the rounds, with the fastest and
 * slowest run as its spread, and the median of the differences from the baseline in the same round
 * (`overBaselineNs`), which a loaded machine disturbs less than two medians taken apart. The goal (issue 24):
 * importing ffikit within 10 ms of the empty script on Deno and on Bun, each sub-module less: the sources
 * (`mod.ts`, ~130 modules) and the built package that importing "ffikit" by name loads (build/), which the
 * suite builds first when `dist/` is not current.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { build, isCurrent } from "../build/main.ts";
import type { GroupPlan, SuiteContext } from "./_harness.ts";
import type { Measurement } from "./schema.ts";

/** The imports timed, by contestant name, and the script of each (`bench/startup/`). */
export const STARTUP_SCRIPTS: readonly { name: string; script: string }[] = [
  { name: "empty script", script: "empty.ts" },
  { name: "structs/mod.ts", script: "structs.ts" },
  { name: "ffi/mod.ts", script: "ffi.ts" },
  { name: "cdef/mod.ts", script: "cdef.ts" },
  { name: "windows/mod.ts", script: "windows.ts" },
  { name: "linux/mod.ts", script: "linux.ts" },
  { name: "mod.ts", script: "mod.ts" },
  // What import defers is paid at the first uses: timed too, so that a saving moved there is seen.
  { name: "mod.ts, then first calls", script: "first_use.ts" },
  // What a program importing the package by name loads: the built package of its runtime (build/).
  { name: "ffikit/structs package (built)", script: "package_structs.ts" },
  { name: "ffikit package (built)", script: "package.ts" },
  { name: "ffikit package, then first calls", script: "package_first_use.ts" },
];

/** Timed rounds per mode (each after one warm-up round). */
export const STARTUP_ROUNDS: Readonly<Record<"quick" | "full", number>> = { quick: 5, full: 15 };

/** The group's name. */
export const STARTUP_GROUP = "import, whole process";

/** What the start-up suite records of a contestant, beyond the common fields. */
export type StartupTiming = Required<
  Pick<Measurement, "nsPerOp" | "minNs" | "maxNs" | "runs" | "overBaselineNs">
>;

const scriptsDir = join(dirname(fileURLToPath(import.meta.url)), "startup");

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The command line that runs a script as a user would: `deno run -A script` or `bun script`. */
function commandOf(path: string): [string, string[]] {
  return "Bun" in globalThis ? [process.execPath, [path]] : [process.execPath, ["run", "-A", path]];
}

/** Runs one script to its end; the wall-clock time, in nanoseconds. */
function timeProcess(script: string): number {
  const [command, args] = commandOf(script);
  const t0 = performance.now();
  const child = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ns = (performance.now() - t0) * 1e6;
  if (child.status !== 0) {
    const why = child.error?.message ?? (child.stderr || `exit ${child.status ?? child.signal}`).trim();
    throw new Error(`Cannot time "${script}": ${why}`);
  }
  return ns;
}

/**
 * Times scripts as whole processes of this runtime for `rounds` rounds, after a warm-up round; the first is the
 * baseline the others' differences are taken from.
 *
 * @param paths The scripts, the baseline first.
 * @param rounds Timed rounds.
 * @returns Each script's timing, in order.
 */
export function timeScripts(paths: readonly string[], rounds: number): StartupTiming[] {
  const k = paths.length;
  for (const path of paths) timeProcess(path);
  const samples: number[][] = paths.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // A rotating order, so that no script always runs right after the same one.
    for (let j = 0; j < k; j++) {
      const i = (round + j) % k;
      samples[i]!.push(timeProcess(paths[i]!));
    }
  }
  const baseline = samples[0]!;
  return samples.map((times) => ({
    nsPerOp: median(times),
    minNs: Math.min(...times),
    maxNs: Math.max(...times),
    runs: times.length,
    overBaselineNs: median(times.map((t, round) => t - baseline[round]!)),
  }));
}

/**
 * Times every script of `STARTUP_SCRIPTS` for `rounds` rounds, after a warm-up round.
 *
 * @param rounds Timed rounds.
 * @returns Each script's timing, in `STARTUP_SCRIPTS` order.
 */
export function timeStartup(rounds: number): StartupTiming[] {
  if (!isCurrent()) build();
  return timeScripts(STARTUP_SCRIPTS.map(({ script }) => join(scriptsDir, script)), rounds);
}

/** The expected time of the group, in ms: warm-up and rounds of every script at about 60 ms a process. */
export function startupCostMs(rounds: number): number {
  return (rounds + 1) * STARTUP_SCRIPTS.length * 60;
}

/**
 * The start-up suite's one group. Its contestants hand back the timings `setup` took, all scripts interleaved.
 *
 * @param context The worker's mode.
 * @returns The group.
 */
export function plan(context: SuiteContext): GroupPlan<StartupTiming[]>[] {
  const rounds = STARTUP_ROUNDS[context.quick ? "quick" : "full"];
  return [{
    suite: "startup",
    group: STARTUP_GROUP,
    kind: "process",
    rounds,
    setup: () => timeStartup(rounds),
    contestants: STARTUP_SCRIPTS.map(({ name }, i) => ({
      name,
      technique: i === 0 ? "baseline" : "toolkit",
      make: (timings: StartupTiming[]) => () => timings[i]!,
    })),
  }];
}

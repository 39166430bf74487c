/**
 * The real dependencies of the dashboard, loaded at run time: the quick benchmark from `bench/run.ts` and the
 * live views' bindings from `linux/mod.ts`. Either may be missing or fail to load; the dashboard then says
 * why on the page instead of failing to start.
 *
 * @module
 */
import type { BenchProgress, BenchRunner } from "./bench_run.ts";
import type { LiveBindings, LiveSource } from "./live.ts";
import type { ProgressEvent, runBench } from "../bench/run.ts";

/** The runner, or why there is none. */
export type RunnerSource = { runner: BenchRunner } | { unavailable: string };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}

// Held in variables so that `deno check` does not require the files while they are being written.
const BENCH_RUN_URL = new URL("../bench/run.ts", import.meta.url).href;
const LINUX_MOD_URL = new URL("../linux/mod.ts", import.meta.url).href;

/** The part of `bench/run.ts` the dashboard uses; the module itself is loaded at run time. */
type RunBench = typeof runBench;

/**
 * Follows `runBench()`'s progress events and turns them into {@linkcode BenchProgress} over the whole run
 * (all runtimes), keeping the last counts for the events that carry none.
 *
 * @returns A function from an event to the progress to show.
 */
export function progressFollower(): (event: ProgressEvent) => BenchProgress {
  let done = 0;
  let total = 0;
  return (event) => {
    switch (event.kind) {
      case "progress": {
        done = event.overallDone;
        total = event.overallTotal;
        const left = event.remainingMs === null
          ? ""
          : ` (about ${Math.ceil(event.remainingMs / 1000)} s left)`;
        return {
          done,
          total,
          label: `${event.runtime}: ${event.suite} › ${event.group} › ${event.name}${left}`,
        };
      }
      case "start":
        return { done, total, label: `${event.runtime}: starting` };
      case "note":
        return { done, total, label: `${event.runtime}: ${event.text}` };
      case "done":
        return { done, total, label: `${event.runtime}: wrote ${event.file.split(/[\\/]/).pop()}` };
    }
  };
}

/**
 * Loads `runBench` from `bench/run.ts` as the dashboard's {@linkcode BenchRunner}: the quick benchmark,
 * written into the dashboard's results folder.
 *
 * @param resultsDir Where the result files go (the folder the dashboard reads).
 * @returns The runner, or the reason it is unavailable.
 */
export async function loadBenchRunner(resultsDir: string): Promise<RunnerSource> {
  let runBench: RunBench;
  try {
    const module: Record<string, unknown> = await import(BENCH_RUN_URL);
    if (typeof module.runBench !== "function") {
      return { unavailable: "bench/run.ts does not export runBench()" };
    }
    runBench = module.runBench as RunBench;
  } catch (error) {
    return { unavailable: `bench/run.ts could not be loaded: ${reasonOf(error)}` };
  }
  const runner: BenchRunner = async ({ quick, onProgress }) => {
    const follow = progressFollower();
    const run = await runBench({
      quick,
      outDir: resultsDir,
      onProgress: (event) => onProgress(follow(event)),
    });
    return { files: run.files, notes: run.notes };
  };
  return { runner };
}

/**
 * Loads `listTcpSockets` and `getTaskstats` from `linux/mod.ts`.
 *
 * @returns The bindings, or the reason they are unavailable.
 */
export async function loadLiveBindings(): Promise<LiveSource> {
  const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
  if (platform !== undefined && platform !== "linux") {
    return { unavailable: `the live views read Linux interfaces; this is ${platform}` };
  }
  let module: Record<string, unknown>;
  try {
    module = await import(LINUX_MOD_URL);
  } catch (error) {
    return { unavailable: `linux/mod.ts could not be loaded: ${reasonOf(error)}` };
  }
  const { listTcpSockets, getTaskstats } = module;
  if (typeof listTcpSockets !== "function" || typeof getTaskstats !== "function") {
    return { unavailable: "linux/mod.ts does not export listTcpSockets() and getTaskstats()" };
  }
  return { bindings: { listTcpSockets, getTaskstats } as LiveBindings };
}

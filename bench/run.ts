/**
 * Runs the benchmark suites on Deno, on Bun and (koffi's peer numbers) on Node, one process after the other,
 * and writes one result file per runtime to `bench/results/`. `main.ts` is the command line over it; the
 * dashboard server calls `runBench()` directly for its run button.
 *
 * @example A quick run with progress, as the dashboard does it
 * ```ts ignore
 * import { runBench } from "./run.ts";
 * const { files } = await runBench({
 *   quick: true,
 *   onProgress: (event) => {
 *     if (event.kind === "progress") console.log(event.runtime, event.suite, `${event.overallDone}/${event.overallTotal}`);
 *   },
 * });
 * console.log(files); // ["bench/results/2026-11-21T10-00-00-000Z-deno.json", …]
 * ```
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { PROTOCOL_PREFIX, type WorkerMessage } from "./_protocol.ts";
import { buildNative } from "./_native.ts";
import { type MachineInfo, RESULT_SCHEMA_VERSION, type ResultFile, type RuntimeInfo } from "./schema.ts";

/** A suite's name. */
export type SuiteName = "rows" | "calls" | "memory" | "libraries" | "garbage" | "startup" | "threads";
/** The runtimes a run measures, in the order it measures them. */
export type RuntimeName = RuntimeInfo["name"];

/** The suites, in the order they run. */
export const SUITE_NAMES: readonly SuiteName[] = [
  "rows",
  "calls",
  "memory",
  "libraries",
  "garbage",
  "startup",
  "threads",
];
/** The runtimes, in the order a run measures them. */
export const RUNTIME_NAMES: readonly RuntimeName[] = ["deno", "bun", "node"];
/** The suites koffi's Node peer takes part in. */
const NODE_SUITES: readonly SuiteName[] = ["rows", "calls"];

/** What `runBench()` reports while it runs. */
export type ProgressEvent =
  /** A runtime's process started. */
  | { kind: "start"; runtime: RuntimeName }
  /** A contestant finished; `remainingMs` estimates the whole run's time left (`null` until it can). */
  | {
    kind: "progress";
    runtime: RuntimeName;
    suite: string;
    group: string;
    name: string;
    /** Contestants done and planned in this runtime. */
    done: number;
    total: number;
    /** Contestants done and (estimated) planned over all runtimes. */
    overallDone: number;
    overallTotal: number;
    elapsedMs: number;
    remainingMs: number | null;
  }
  /** A contestant was skipped or failed, or a runtime could not run; said plainly. */
  | { kind: "note"; runtime: RuntimeName; text: string }
  /** A runtime's result file was written. */
  | { kind: "done"; runtime: RuntimeName; file: string };

/** Options of `runBench()`. */
export interface BenchOptions {
  /** Small N and short time budgets: seconds instead of minutes. Default `false`. */
  quick?: boolean;
  /** The suites to run; default all. */
  only?: readonly SuiteName[];
  /** The runtimes to run on; default `["deno", "bun", "node"]`. */
  runtimes?: readonly RuntimeName[];
  /** Where to write the result files; default `$FFIKIT_BENCH_OUT`, else `bench/results/`. */
  outDir?: string;
  /** Called on every progress event. */
  onProgress?: (event: ProgressEvent) => void;
  /** Stops the run: the running process is killed and `runBench()` rejects. */
  signal?: AbortSignal;
}

/** What `runBench()` returns. */
export interface BenchRun {
  /** The result files written, one per runtime that ran. */
  files: string[];
  /** Their contents. */
  results: ResultFile[];
  /** Skips and failures, each with its reason. */
  notes: string[];
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(benchDir, "..");

function env(name: string): string | undefined {
  return process.env[name];
}

/** The repository's pinned runtime binary if installed, else the one on the PATH. */
function executable(name: "deno" | "bun" | "node"): string {
  if (name === "node") return "node";
  const pinned = join(repoDir, "node_modules", ".bin", name);
  return existsSync(pinned) ? pinned : name;
}

/** The machine, for the result files. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    os: os.type(),
    kernel: os.release(),
    arch: os.arch(),
    hostname: os.hostname(),
  };
}

/** `2026-11-21T10:00:00.000Z` → `2026-11-21T10-00-00-000Z`, safe in a file name. */
function fileSafe(date: string): string {
  return date.replace(/[:.]/g, "-");
}

/** One process of a runtime's run. */
interface Step {
  command: string;
  args: string[];
  plan?: { total: number; costMs: number };
}

/** A runtime's run: its processes (the garbage suite gets a fresh one) and, later, their plans. */
interface Job {
  runtime: RuntimeName;
  steps: Step[];
}

/**
 * Checks a list of suites or runtimes: each must be known and named once.
 *
 * @param kind "suite" or "runtime", for the message.
 * @param names The names given.
 * @param known The names accepted.
 * @throws {TypeError} For an unknown name or one named twice, saying what is accepted.
 */
export function checkNames(
  kind: "suite" | "runtime",
  names: readonly string[],
  known: readonly string[],
): void {
  const seen = new Set<string>();
  const what = kind === "suite" ? "Cannot run suite" : "Cannot run on runtime";
  for (const name of names) {
    if (!known.includes(name)) {
      throw new TypeError(`${what} "${name}": the ${kind}s are ${known.join(", ")}`);
    }
    if (seen.has(name)) throw new TypeError(`${what} "${name}" twice: name each ${kind} once`);
    seen.add(name);
  }
}

/**
 * Makes sure result files can be written to a folder (creating it), before minutes of measuring.
 *
 * @param outDir The folder.
 * @throws {Error} When the folder cannot be made or a file cannot be written in it, with the system's reason.
 */
export function checkOutDir(outDir: string): void {
  const probe = join(outDir, `.ffikit-bench-write-test-${process.pid}`);
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot write the result files to "${outDir}": ${reason}`, { cause: error });
  }
}

/** Where a run writes its files: the option, else `$FFIKIT_BENCH_OUT`, else `bench/results/`. */
export function resultsDirOf(outDir: string | undefined): string {
  return resolve(outDir ?? env("FFIKIT_BENCH_OUT") ?? join(benchDir, "results"));
}

function jobs(options: BenchOptions, suites: readonly SuiteName[], libPath: string | undefined): Job[] {
  const quick = options.quick ? ["--quick"] : [];
  // The garbage suite runs in a process of its own: after the rows suite has grown the heap, a runtime can
  // absorb a million rows of garbage without one collection, and the numbers would say more about the
  // process's past than about the technique.
  const main = suites.filter((s) => s !== "garbage");
  const separate = [main, suites.includes("garbage") ? ["garbage"] : []].filter((list) => list.length > 0);
  const worker = join(benchDir, "worker.ts");
  const out: Job[] = [];
  for (const runtime of options.runtimes ?? RUNTIME_NAMES) {
    if (runtime === "deno") {
      out.push({
        runtime,
        steps: separate.map((only) => ({
          command: executable("deno"),
          // --single-threaded-gc: each contestant pays for its own garbage on its own thread. With V8's background
          // marking and sweeping, the contestants after toArray() (a million kept rows) ran up to 2x slower on
          // this 2-core machine while the collector finished the previous contestant's work.
          args: [
            "run",
            "-A",
            "--v8-flags=--expose-gc,--single-threaded-gc",
            worker,
            ...quick,
            `--only=${only.join(",")}`,
          ],
        })),
      });
    } else if (runtime === "bun") {
      out.push({
        runtime,
        steps: separate.map((only) => ({
          command: executable("bun"),
          args: [worker, ...quick, `--only=${only.join(",")}`],
        })),
      });
    } else if (runtime === "node") {
      const nodeSuites = suites.filter((s) => NODE_SUITES.includes(s));
      if (nodeSuites.length === 0) continue;
      out.push({
        runtime,
        steps: [{
          command: executable("node"),
          args: [
            "--expose-gc",
            join(benchDir, "node", "koffi_peer.mjs"),
            ...quick,
            `--only=${nodeSuites.join(",")}`,
            ...(libPath ? [`--lib=${libPath}`] : []),
          ],
        }],
      });
    }
  }
  return out;
}

type ResultMessage = Extract<WorkerMessage, { type: "result" }>;

/** Runs one worker process to its result message, relaying the other messages. */
function runStep(
  runtime: RuntimeName,
  step: Step,
  extraArgs: string[],
  onMessage: (message: WorkerMessage) => void,
  signal: AbortSignal | undefined,
): Promise<ResultMessage | undefined> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(step.command, [...step.args, ...extraArgs], {
      cwd: repoDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let result: ResultMessage | undefined;
    let pending = "";
    let stderr = "";
    const abort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", abort, { once: true });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (!line.startsWith(PROTOCOL_PREFIX)) continue;
        const message = JSON.parse(line.slice(PROTOCOL_PREFIX.length)) as WorkerMessage;
        if (message.type === "result") result = message;
        else onMessage(message);
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", (error) => {
      signal?.removeEventListener("abort", abort);
      reject(
        new Error(`Cannot start the ${runtime} benchmarks with "${step.command}": ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on("close", (code, killedBy) => {
      signal?.removeEventListener("abort", abort);
      if (signal?.aborted) {
        reject(new Error(`The ${runtime} benchmarks were stopped`, { cause: signal.reason }));
      } else if (code === 0) resolvePromise(result);
      else {reject(
          new Error(`The ${runtime} benchmarks exited with ${killedBy ?? `code ${code}`}: ${stderr.trim()}`),
        );}
    });
  });
}

/**
 * Runs the suites on each runtime in turn and writes one result file per runtime.
 *
 * Every process is first asked for its plan (contestants and expected time, a fraction of a second), so
 * that progress counts against the whole run. A runtime that cannot start or fails is reported as a note and
 * the run goes on with the next one; the run rejects only when it is aborted or no runtime produced a result.
 *
 * The suites, the runtimes and the output folder are checked before anything runs: an unknown or repeated
 * name, or a folder where no file can be written, is refused at once rather than after a runtime's run.
 *
 * @param options `quick`, `only`, `runtimes`, `outDir`, `onProgress`, `signal`.
 * @returns The files written, their contents, and the notes.
 * @throws {TypeError} For an unknown or repeated suite or runtime.
 * @throws {Error} When the output folder cannot be written, the run is aborted, or every runtime failed.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchRun> {
  const suites = options.only ?? SUITE_NAMES;
  checkNames("suite", suites, SUITE_NAMES);
  if (options.runtimes) checkNames("runtime", options.runtimes, RUNTIME_NAMES);
  const onProgress = options.onProgress ?? (() => {});
  const outDir = resultsDirOf(options.outDir);
  checkOutDir(outDir);
  const date = new Date().toISOString();
  const machine = machineInfo();
  const notes: string[] = [];
  const note = (runtime: RuntimeName, text: string) => {
    notes.push(`${runtime}: ${text}`);
    onProgress({ kind: "note", runtime, text });
  };

  const native = buildNative();
  const queue = jobs(options, suites, native.ok ? native.path : undefined);

  // Plans, all at once.
  const planned = await Promise.all(queue.map(async (job) => {
    try {
      for (const step of job.steps) {
        await runStep(job.runtime, step, ["--plan"], (m) => {
          if (m.type === "plan") step.plan = { total: m.total, costMs: m.costMs };
        }, options.signal);
      }
      return job;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      note(job.runtime, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }));
  const runnable = planned.filter((job): job is Job => job !== undefined);
  const steps = runnable.flatMap((job) => job.steps);
  const overallTotal = steps.reduce((sum, step) => sum + (step.plan?.total ?? 0), 0);
  const overallCost = steps.reduce((sum, step) => sum + (step.plan?.costMs ?? 0), 0);

  const started = Date.now();
  let overallDone = 0;
  let costDone = 0;
  const files: string[] = [];
  const results: ResultFile[] = [];
  for (const job of runnable) {
    if (options.signal?.aborted) {
      throw new Error("The benchmark run was stopped", { cause: options.signal.reason });
    }
    onProgress({ kind: "start", runtime: job.runtime });
    const total = job.steps.reduce((sum, step) => sum + (step.plan?.total ?? 0), 0);
    let doneBefore = 0;
    const merged: ResultMessage[] = [];
    try {
      for (const step of job.steps) {
        let stepDone = 0;
        let stepCost = 0;
        const result = await runStep(job.runtime, step, [], (m) => {
          if (m.type === "note") note(job.runtime, m.text);
          else if (m.type === "progress") {
            overallDone += m.done - stepDone;
            costDone += m.costMs - stepCost;
            stepDone = m.done;
            stepCost = m.costMs;
            const elapsedMs = Date.now() - started;
            onProgress({
              kind: "progress",
              runtime: job.runtime,
              suite: m.suite,
              group: m.group,
              name: m.name,
              done: doneBefore + m.done,
              total,
              overallDone,
              overallTotal,
              elapsedMs,
              remainingMs: costDone > 0
                ? Math.max(0, (elapsedMs / costDone) * (overallCost - costDone))
                : null,
            });
          }
        }, options.signal);
        if (!result) throw new Error(`The ${job.runtime} benchmarks ended without a result`);
        merged.push(result);
        doneBefore += step.plan?.total ?? 0;
        costDone += (step.plan?.costMs ?? 0) - stepCost;
        overallDone += (step.plan?.total ?? 0) - stepDone;
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      note(job.runtime, error instanceof Error ? error.message : String(error));
      continue;
    }
    const first = merged[0]!;
    const file: ResultFile = {
      schema: RESULT_SCHEMA_VERSION,
      id: `${fileSafe(date)}-${job.runtime}`,
      date,
      mode: options.quick ? "quick" : "full",
      runtime: first.runtime,
      machine,
      measurements: merged.flatMap((m) => m.measurements),
      mitata: Object.assign({}, ...merged.map((m) => m.mitata)),
    };
    const fileNotes = merged.flatMap((m) => m.notes ?? []);
    if (fileNotes.length) file.notes = fileNotes;
    const sources = merged.find((m) => m.measurements.some((x) => x.suite === "garbage"))?.garbageSources;
    if (sources) file.garbageSources = sources;
    const path = join(outDir, `${file.id}.json`);
    try {
      writeFileSync(path, JSON.stringify(file) + "\n");
    } catch (error) {
      // Checked writable at the start; the folder changed under the run. The other runtimes' files would fail
      // alike, so stop here with the reason.
      throw new Error(`Cannot write the ${job.runtime} result file "${path}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    files.push(path);
    results.push(file);
    onProgress({ kind: "done", runtime: job.runtime, file: path });
  }
  if (results.length === 0) throw new Error(`No runtime produced benchmark results: ${notes.join("; ")}`);
  return { files, results, notes };
}

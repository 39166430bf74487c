/**
 * One benchmark run at a time, started from the page: the runner interface the dashboard needs from `bench/`,
 * and the tracker that refuses a second run while one is going and keeps the progress for polling.
 *
 * @module
 */
import { basename } from "node:path";

/** Progress reported by a benchmark runner. */
export interface BenchProgress {
  /** Steps finished. */
  done: number;
  /** Steps in all; 0 when not yet known. */
  total: number;
  /** What is running now, e.g. "deno: rows". */
  label?: string;
}

/** The options the dashboard passes to a benchmark runner. */
export interface BenchRunOptions {
  /** Always `true`: the dashboard starts only the quick benchmark. */
  quick: true;
  /** Called as steps finish. */
  onProgress: (progress: BenchProgress) => void;
}

/** What a run resolves with: the paths of the result files written, and any skips or failures it noted. */
export type BenchRunOutcome = string[] | { files: string[]; notes?: string[] };

/** Runs the quick benchmark and resolves with the paths of the result files it wrote. */
export type BenchRunner = (options: BenchRunOptions) => Promise<BenchRunOutcome>;

/** The benchmarks the page may start, by name. Anything else is refused. */
export const KNOWN_BENCHMARKS: readonly string[] = ["quick"];

/** The state of the run tracker, as the API returns it. */
export interface RunStatus {
  state: "idle" | "running" | "done" | "failed" | "unavailable";
  /** Counts runs started since the server started; the page uses it to notice a new run. */
  runNumber: number;
  benchmark: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number; fraction: number; label: string };
  /** Names of the result files the last run wrote. */
  files: string[];
  /** Skips and failures the last run reported (a runtime that could not run, a contestant skipped). */
  notes: string[];
  error: string | null;
  /** Why runs cannot be started, when `state` is "unavailable". */
  unavailableReason: string | null;
}

/** Thrown by {@linkcode BenchTracker.start} while a run is going. */
export class RunInProgressError extends Error {
  override name = "RunInProgressError";
}

/** Thrown by {@linkcode BenchTracker.start} when no runner was given. */
export class RunnerUnavailableError extends Error {
  override name = "RunnerUnavailableError";
}

/** Keeps the one benchmark run the dashboard allows at a time. */
export class BenchTracker {
  #runner: BenchRunner | undefined;
  #unavailableReason: string;
  #status: RunStatus;
  #running: Promise<void> | undefined;

  /**
   * @param runner The runner, or `undefined` when the bench runner is not available.
   * @param unavailableReason Why it is not available, shown on the page.
   */
  constructor(runner: BenchRunner | undefined, unavailableReason = "No benchmark runner is configured") {
    this.#runner = runner;
    this.#unavailableReason = unavailableReason;
    this.#status = {
      state: runner ? "idle" : "unavailable",
      runNumber: 0,
      benchmark: null,
      startedAt: null,
      finishedAt: null,
      progress: { done: 0, total: 0, fraction: 0, label: "" },
      files: [],
      notes: [],
      error: null,
      unavailableReason: runner ? null : unavailableReason,
    };
  }

  /** A copy of the current status. */
  get status(): RunStatus {
    return structuredClone(this.#status);
  }

  /** Settles when the current run ends (at once when none is going); never rejects. */
  whenIdle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /**
   * Starts a run and returns at once; the run continues in the background.
   *
   * @param benchmark A name from {@linkcode KNOWN_BENCHMARKS}.
   * @returns The status just after starting.
   * @throws {RangeError} For an unknown benchmark.
   * @throws {RunnerUnavailableError} When there is no runner.
   * @throws {RunInProgressError} While another run is going.
   */
  start(benchmark: string): RunStatus {
    if (!KNOWN_BENCHMARKS.includes(benchmark)) {
      throw new RangeError(`Cannot start benchmark "${benchmark}": known benchmarks are ${KNOWN_BENCHMARKS}`);
    }
    const runner = this.#runner;
    if (!runner) throw new RunnerUnavailableError(`Cannot start a run: ${this.#unavailableReason}`);
    if (this.#status.state === "running") {
      throw new RunInProgressError(`Cannot start a run: run ${this.#status.runNumber} is still going`);
    }
    const status: RunStatus = {
      state: "running",
      runNumber: this.#status.runNumber + 1,
      benchmark,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { done: 0, total: 0, fraction: 0, label: "starting" },
      files: [],
      notes: [],
      error: null,
      unavailableReason: null,
    };
    this.#status = status;
    const onProgress = (progress: BenchProgress): void => {
      if (this.#status !== status) return;
      const done = Math.max(0, progress.done);
      const total = Math.max(0, progress.total);
      status.progress = {
        done,
        total,
        fraction: total > 0 ? Math.min(1, done / total) : 0,
        label: progress.label ?? status.progress.label,
      };
    };
    this.#running = (async () => {
      try {
        const outcome = await runner({ quick: true, onProgress });
        const files = Array.isArray(outcome) ? outcome : outcome.files;
        status.files = files.map((file) => basename(file));
        status.notes = Array.isArray(outcome) ? [] : outcome.notes ?? [];
        status.state = "done";
        status.progress = { ...status.progress, fraction: 1, label: "finished" };
      } catch (error) {
        status.state = "failed";
        status.error = error instanceof Error ? error.message : String(error);
      } finally {
        status.finishedAt = new Date().toISOString();
        this.#running = undefined;
      }
    })();
    return this.status;
  }
}

/**
 * The machinery every suite shares inside one runtime's worker process: declarative groups of contestants,
 * a correctness check before timing, timing through mitata's `measure()` with a per-mode budget, the garbage
 * measurement, and the line protocol the worker speaks to `run.ts`.
 *
 * @module
 */
import { do_not_optimize, measure } from "mitata";
import type { RawLibrary } from "./_raw_ffi.ts";
import type { Measurement, Technique } from "./schema.ts";
import { emit, type GarbageSources, type WorkerMessage } from "./_protocol.ts";

export { emit, type GarbageSources, PROTOCOL_PREFIX, type WorkerMessage } from "./_protocol.ts";
import { type Budget, BUDGETS, contestantCostMs, CONTEXT_COST_MS, timeContestant } from "./_workload.mjs";
import { startupCostMs } from "./startup.ts";

/** What a contestant of a "samples" group returns: its own timings, ns per operation, one per round. */
export interface Samples {
  samples: number[];
}

/** What a contestant returns instead of a benchmark function when it cannot run here. */
export interface Skip {
  skip: string;
}

/** One contestant of a group: a name, its technique, and a factory for the function timed. */
export interface Contestant<D> {
  name: string;
  technique: Technique;
  /** Builds the timed function from the group's data, or says why it cannot run on this runtime. */
  make(data: D): (() => unknown) | Skip;
}

/** A group: one question, a baseline among its contestants, lazily built data shared by all of them. */
export interface GroupPlan<D = unknown> {
  suite: string;
  group: string;
  n?: number;
  bytes?: number;
  /** Builds the data (buffers, libraries) when the group starts; not before, to keep memory flat. */
  setup(): D | Promise<D>;
  /** Checks a contestant's answer; returns a message when it is wrong. */
  check?(result: unknown, data: D): string | undefined;
  contestants: Contestant<D>[];
  /** Releases what `setup` made (native blocks). */
  teardown?(data: D): void;
  /**
   * "time" measures with mitata; "garbage" measures heap growth and collections of one pass; "process" takes
   * what the contestant returns as its measurement (whole processes, timed by `setup`: the start-up suite);
   * "samples": the group timed its contestants itself (interleaved, in `setup`) and each returns its `Samples`.
   */
  kind?: "time" | "garbage" | "process" | "samples";
  /**
   * For "time" groups: time the contestants in this many interleaved rounds (each round times every contestant
   * once, in turn, starting one further along each round; the budget is shared between the rounds), so that the
   * machine's load moves them alike and each measurement carries its spread (`Measurement.rounds`). For
   * "process" groups: the rounds `setup` runs, for the plan's expected time.
   */
  rounds?: number;
}

export { BUDGETS } from "./_workload.mjs";
export type { Budget } from "./_workload.mjs";

/** A trial in the shape mitata's `run()` returns, so that the dashboard reads both alike. */
export interface Trial {
  kind: "static";
  alias: string;
  group: string;
  baseline: boolean;
  args: Record<string, unknown[]>;
  runs: { name: string; args: Record<string, unknown>; stats?: unknown; error?: { message: string } }[];
  style: { highlight: false; compact: boolean };
  /** Not mitata's: the contestant's technique, for readers of the raw trials. */
  technique: Technique;
}

/** The part of mitata's statistics the interleaved rounds read. */
interface Stats {
  avg: number;
}

interface GcProfiler {
  start(): void;
  stop(): { statistics: { beforeGC: HeapNumbers; afterGC: HeapNumbers }[] } | undefined;
}
interface HeapNumbers {
  heapStatistics: { usedHeapSize: number };
}

const v8Module: { GCProfiler?: new () => GcProfiler } = await import("node:v8").catch(() => ({}));

const isBun = "Bun" in globalThis;

/** Forces a full collection where the runtime allows it (Deno needs `--v8-flags=--expose-gc`). */
export function collectGarbage(): boolean {
  const bun = (globalThis as { Bun?: { gc(sync: boolean): void } }).Bun;
  if (bun) {
    bun.gc(true);
    return true;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    return true;
  }
  return false;
}

// Bun's `heapUsed` only moves at a collection; `bun:jsc`'s allocator figure moves with every allocation (it is
// also what mitata reads on Bun). A specifier in a variable keeps `deno check` out of Bun's built-ins.
const bunJscSpecifier = "bun:jsc";
const bunJsc: { memoryUsage(): { current: number } } | undefined = isBun
  ? await import(bunJscSpecifier)
  : undefined;

function heapUsed(): number {
  if (bunJsc) return bunJsc.memoryUsage().current;
  return (globalThis as unknown as { Deno: { memoryUsage(): { heapUsed: number } } }).Deno.memoryUsage()
    .heapUsed;
}

/** The sources of the garbage numbers on this runtime. */
export function garbageSources(): GarbageSources {
  const forced = isBun || typeof (globalThis as { gc?: unknown }).gc === "function"
    ? ""
    : " (no forced collection before each pass: start Deno with --v8-flags=--expose-gc)";
  return {
    heap:
      (isBun
        ? "bun:jsc memoryUsage().current (bytes in use by Bun's allocator, JSC heap included)"
        : "Deno.memoryUsage().heapUsed (V8 heap)") + forced,
    gcCount: v8Module.GCProfiler
      ? (isBun ? "node:v8 GCProfiler (Bun's shim over JSC collections)" : "node:v8 GCProfiler (V8 GC events)")
      : "not reported",
  };
}

/** Runs groups, checking and timing each contestant, and collects measurements and mitata trials. */
export class Recorder {
  readonly measurements: Measurement[] = [];
  readonly trials: Record<string, Trial[]> = {};
  readonly notes: string[] = [];
  #budget: Budget;
  /**
   * mitata's `measure`; in a quick run without mitata's own collection before its loop, as the heap was
   * collected before the contestant's first call (`#runOne`). With the quick budget, that second collection was
   * half of a fast contestant's `measure()` on Deno (42 ms of CPU against 21 without, `--single-threaded-gc`);
   * the dashboard's first run times some 500 contestants (issue 22).
   */
  #measure: typeof measure;
  #done = 0;
  #total: number;
  #costMs: number;

  constructor(budget: Budget, total: number, contextCostMs: number) {
    this.#budget = budget;
    this.#measure = budget === BUDGETS.quick
      ? ((f: () => unknown, options: Record<string, unknown> = {}) =>
        measure(f, { ...options, gc: false })) as typeof measure
      : measure;
    this.#total = total;
    this.#costMs = contextCostMs;
  }

  /** Runs every contestant of a group. */
  async run<D>(plan: GroupPlan<D>): Promise<void> {
    let data: D | undefined;
    let setupError: unknown;
    try {
      data = await plan.setup();
    } catch (error) {
      setupError = error;
    }
    if ((plan.rounds ?? 1) > 1 && (plan.kind ?? "time") === "time" && data !== undefined) {
      return await this.#runInterleaved(plan, data);
    }
    for (const contestant of plan.contestants) {
      try {
        if (data === undefined) throw setupError;
        await this.#runOne(plan, contestant, data);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.#note(`${plan.suite} / ${plan.group} / ${contestant.name}: failed: ${message}`);
        this.#trial(plan, contestant, undefined, message);
      }
      if (data !== undefined && contestant === plan.contestants[plan.contestants.length - 1]) {
        plan.teardown?.(data);
      }
      this.#progress(plan, contestant, costMs(plan, this.#budget));
    }
  }

  /** Counts a contestant done, with the time the plan expected it to take, and tells the parent. */
  #progress<D>(plan: GroupPlan<D>, contestant: Contestant<D>, expectedMs: number): void {
    this.#done++;
    this.#costMs += expectedMs;
    emit({
      type: "progress",
      suite: plan.suite,
      group: plan.group,
      name: contestant.name,
      done: this.#done,
      total: this.#total,
      costMs: this.#costMs,
    });
  }

  /** `run` for a group timed in interleaved rounds. */
  async #runInterleaved<D>(plan: GroupPlan<D>, data: D): Promise<void> {
    const rounds = plan.rounds!;
    const ready: { contestant: Contestant<D>; fn: () => unknown; firstNs: number; stats: Stats[] }[] = [];
    for (const contestant of plan.contestants) {
      try {
        const fn = contestant.make(data);
        if (typeof fn !== "function") {
          this.#note(`${plan.suite} / ${plan.group} / ${contestant.name}: skipped: ${fn.skip}`);
          continue;
        }
        const t0 = performance.now();
        const answer = fn();
        const firstNs = (performance.now() - t0) * 1e6;
        const wrong = plan.check?.(answer, data);
        if (wrong !== undefined) throw new Error(`wrong answer: ${wrong}`);
        ready.push({ contestant, fn, firstNs, stats: [] });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.#note(`${plan.suite} / ${plan.group} / ${contestant.name}: failed: ${message}`);
        this.#trial(plan, contestant, undefined, message);
      }
    }
    // The rounds share the budget; only the first warms up and collects first, so that the group costs about
    // what it did timed once.
    const first = { ...this.#budget, minCpuTime: this.#budget.minCpuTime / rounds };
    const later = { ...first, warmupTime: 0 };
    // mitata collects before each measurement unless told not to.
    const measureLater = (fn: () => unknown, options: Record<string, number>) =>
      measure(fn, { ...options, gc: false });
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < ready.length; k++) {
        const entry = ready[(k + round) % ready.length]!;
        if (round === 0) collectGarbage();
        const [budget, timer] = round === 0 ? [first, measure] : [later, measureLater];
        entry.stats.push(await timeContestant(entry.fn, budget, entry.firstNs, timer) as Stats);
      }
    }
    for (const { contestant, stats } of ready) {
      const sorted = [...stats].sort((a, b) => a.avg - b.avg);
      const median = sorted[sorted.length >> 1]!;
      this.#trial(plan, contestant, median);
      const measurement: Measurement = {
        ...this.#base(plan, contestant),
        nsPerOp: median.avg,
        rounds: stats.map((s) => s.avg),
      };
      if (plan.n !== undefined) measurement.nsPerRow = median.avg / plan.n;
      this.measurements.push(measurement);
    }
    for (const contestant of plan.contestants) {
      this.#progress(plan, contestant, contestantCostMs(this.#budget, plan.n));
    }
    plan.teardown?.(data);
  }

  #note(text: string): void {
    this.notes.push(text);
    emit({ type: "note", text });
  }

  async #runOne<D>(plan: GroupPlan<D>, contestant: Contestant<D>, data: D): Promise<void> {
    const fn = contestant.make(data);
    if (typeof fn !== "function") {
      this.#note(`${plan.suite} / ${plan.group} / ${contestant.name}: skipped: ${fn.skip}`);
      return;
    }
    if (plan.kind === "process") {
      this.measurements.push({ ...this.#base(plan, contestant), ...(fn() as Partial<Measurement>) });
      return;
    }
    // Each timed contestant starts from a collected heap, so that none inherits the garbage of the one before
    // (the garbage suite collects before each pass itself).
    if (plan.kind === "samples") {
      const sorted = [...(fn() as Samples).samples].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      const avg = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
      const stats = { avg, min: sorted[0]!, max: sorted.at(-1)!, p25: at(0.25), p50: at(0.5), p75: at(0.75) };
      this.#trial(plan, contestant, stats);
      this.measurements.push({ ...this.#base(plan, contestant), nsPerOp: stats.p50 });
      return;
    }
    if (plan.kind !== "garbage") collectGarbage();
    const t0 = performance.now();
    const answer = fn();
    const firstNs = (performance.now() - t0) * 1e6;
    const wrong = plan.check?.(answer, data);
    if (wrong !== undefined) throw new Error(`wrong answer: ${wrong}`);

    if (plan.kind === "garbage") {
      this.measurements.push({ ...this.#base(plan, contestant), ...measureGarbage(fn) });
      return;
    }
    // A slow contestant (a peer at a million wide rows) takes fewer samples, or one, instead of minutes.
    const stats = await timeContestant(fn, this.#budget, firstNs, this.#measure);
    this.#trial(plan, contestant, stats);
    const measurement: Measurement = { ...this.#base(plan, contestant), nsPerOp: stats.avg };
    if (plan.n !== undefined) measurement.nsPerRow = stats.avg / plan.n;
    this.measurements.push(measurement);
  }

  #base<D>(plan: GroupPlan<D>, contestant: Contestant<D>): Measurement {
    const base: Measurement = {
      suite: plan.suite,
      group: plan.group,
      name: contestant.name,
      technique: contestant.technique,
      nsPerOp: 0,
    };
    if (plan.n !== undefined) base.n = plan.n;
    if (plan.bytes !== undefined) base.bytes = plan.bytes;
    return base;
  }

  #trial<D>(plan: GroupPlan<D>, contestant: Contestant<D>, stats: unknown, error?: string): void {
    const args: Record<string, unknown> = {};
    if (plan.n !== undefined) args.n = plan.n;
    if (plan.bytes !== undefined) args.bytes = plan.bytes;
    const run: Trial["runs"][number] = { name: contestant.name, args };
    if (stats !== undefined) run.stats = stats;
    if (error !== undefined) run.error = { message: error };
    (this.trials[plan.suite] ??= []).push({
      kind: "static",
      alias: contestant.name,
      group: plan.group,
      baseline: contestant.technique === "baseline",
      args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, [v]])),
      runs: [run],
      style: { highlight: false, compact: false },
      technique: contestant.technique,
    });
  }
}

/**
 * Measures one pass of `fn`: heap growth across it (no forced collection in between, so retained results
 * count and collected garbage does not), the number of collections during it, and an estimate of all bytes
 * allocated (growth plus what each collection freed), from the GC profiler's before/after heap sizes.
 */
export function measureGarbage(fn: () => unknown): Pick<Measurement, "nsPerOp" | "heapBytes" | "gcCount"> & {
  allocatedBytes?: number;
} {
  collectGarbage();
  const Profiler = v8Module.GCProfiler;
  const profiler = Profiler ? new Profiler() : undefined;
  const before = heapUsed();
  profiler?.start();
  const t0 = performance.now();
  const kept = fn();
  const ns = (performance.now() - t0) * 1e6;
  const after = heapUsed();
  const report = profiler?.stop();
  // The result stays alive until the heap is read: a copied array is the technique's real footprint.
  do_not_optimize(kept);
  const out: Pick<Measurement, "nsPerOp" | "heapBytes" | "gcCount"> & { allocatedBytes?: number } = {
    nsPerOp: ns,
    heapBytes: Math.max(0, after - before),
  };
  if (report) {
    const stats = report.statistics;
    out.gcCount = stats.length;
    let freed = 0;
    for (const gc of stats) {
      freed += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize);
    }
    out.allocatedBytes = Math.max(0, after - before) + freed;
  }
  return out;
}

/** A contestant's reason not to run on this runtime or machine, said plainly. */
export function skip(reason: string): Skip {
  return { skip: reason };
}

/** What every suite's plan gets from the worker. */
export interface SuiteContext {
  quick: boolean;
  /** The raw runtime FFI: libc always, the C references when `cc` built them (`raw.hasBench`). */
  raw: RawLibrary | undefined;
  /** Why the C references are missing, said plainly. */
  rawMissing: string;
  /** The bench library built from `bench/native/`, for the toolkit's own `dlopen`. */
  libPath: string | undefined;
}

/** A contestant that needs the raw runtime FFI and only libc. */
export function needsLibc<D>(
  context: SuiteContext,
  make: (raw: RawLibrary, data: D) => () => unknown,
): (data: D) => (() => unknown) | Skip {
  return (data) => context.raw ? make(context.raw, data) : skip("the runtime's FFI could not open libc");
}

/** A contestant that needs the C references; skipped with the build's reason when there are none. */
export function needsRaw<D>(
  context: SuiteContext,
  make: (raw: RawLibrary, data: D) => () => unknown,
): (data: D) => (() => unknown) | Skip {
  return (data) => context.raw?.hasBench ? make(context.raw, data) : skip(context.rawMissing);
}

/** The expected time of one garbage pass, in ms (a pass over `n` rows, plus its forced collection). */
function garbageCostMs(n: number | undefined): number {
  return 20 + (n ?? 0) * 1e-3;
}

/** The expected time of one contestant of a group, in ms. */
function costMs(group: GroupPlan<unknown>, budget: Budget): number {
  if (group.kind === "garbage") return garbageCostMs(group.n);
  if (group.kind === "process") return startupCostMs(group.rounds ?? 1) / group.contestants.length;
  return contestantCostMs(budget, group.n);
}

/** The plan message of a list of groups: contestants and expected time. */
export function planMessage(
  groups: readonly GroupPlan<unknown>[],
  budget: Budget,
): Extract<WorkerMessage, { type: "plan" }> {
  let total = 0;
  const context = CONTEXT_COST_MS[budget === BUDGETS.quick ? "quick" : "full"];
  let cost = groups.some((g) => g.kind === undefined || g.kind === "time") ? context : 0;
  for (const group of groups) {
    total += group.contestants.length;
    cost += group.contestants.length * costMs(group, budget);
  }
  return { type: "plan", total, costMs: cost };
}

/**
 * One runtime's benchmark process, started by `run.ts` on Deno (`deno run -A --v8-flags=--expose-gc`) and on
 * Bun (`bun`). It runs the chosen suites and speaks the line protocol of `_protocol.ts` on stdout: a plan,
 * progress after each contestant, notes (skips, failures) and finally the result. `run.ts` writes the files.
 *
 * Usage: `<runtime> bench/worker.ts [--quick] [--only=rows,calls,memory,libraries,garbage,startup,threads] [--plan]`; `--plan` only
 * says what it would run (contestants, expected time) and exits.
 *
 * @module
 */
import process from "node:process";
import {
  BUDGETS,
  emit,
  garbageSources,
  type GroupPlan,
  planMessage,
  Recorder,
  type SuiteContext,
} from "./_harness.ts";
import { mitataContext } from "./_context.mjs";
import { buildNative } from "./_native.ts";
import { openRaw } from "./_raw_ffi.ts";
import { CONTEXT_COST_MS, TASKSTATS_OFFSETS, TASKSTATS_SIZE } from "./_workload.mjs";
import * as calls from "./calls.ts";
import * as garbage from "./garbage.ts";
import * as libraries from "./libraries.ts";
import * as memory from "./memory.ts";
import * as rows from "./rows.ts";
import * as startup from "./startup.ts";
import * as threads from "./threads.ts";

/** The suites, in the order they run. */
export const SUITES = { rows, calls, memory, libraries, garbage, startup, threads } as const;
/** A suite's name. */
export type SuiteName = keyof typeof SUITES;

function parse(argv: string[]): { quick: boolean; planOnly: boolean; only: SuiteName[] } {
  const quick = argv.includes("--quick");
  const planOnly = argv.includes("--plan");
  const onlyArg = argv.find((a) => a.startsWith("--only="));
  const only = onlyArg ? onlyArg.slice("--only=".length).split(",").filter(Boolean) : Object.keys(SUITES);
  for (const name of only) {
    if (!(name in SUITES)) {
      throw new TypeError(`Cannot run suite "${name}": the suites are ${Object.keys(SUITES).join(", ")}`);
    }
  }
  return { quick, planOnly, only: only as SuiteName[] };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const runtimeName: "deno" | "bun" = "Bun" in globalThis ? "bun" : "deno";
  const version = runtimeName === "bun"
    ? (globalThis as unknown as { Bun: { version: string } }).Bun.version
    : Deno.version.deno;

  // The plans only hold closures; what they need (the C references) is looked up when a contestant starts.
  const context: SuiteContext = { quick: options.quick, raw: undefined, rawMissing: "", libPath: undefined };
  const plans: [SuiteName, GroupPlan<unknown>[]][] = options.only.map((
    name,
  ) => [name, SUITES[name].plan(context) as GroupPlan<unknown>[]]);
  const budget = BUDGETS[options.quick ? "quick" : "full"];
  const plan = planMessage(plans.flatMap(([, groups]) => groups), budget);
  emit(plan);
  if (options.planOnly) return;

  const build = buildNative();
  context.raw = await openRaw(build.ok ? build.path : undefined);
  if (build.ok) {
    context.libPath = build.path;
    // The TypeScript description of struct taskstats must match the compiler's, or the scans compare nothing.
    const s = context.raw.symbols;
    if (s.taskstats_size() !== TASKSTATS_SIZE || s.taskstats_offset_ac_pid() !== TASKSTATS_OFFSETS.ac_pid) {
      throw new Error(
        `Cannot benchmark taskstats: the C compiler says ${s.taskstats_size()} bytes with ac_pid at ${s.taskstats_offset_ac_pid()}, bench/_workload.mjs says ${TASKSTATS_SIZE} and ${TASKSTATS_OFFSETS.ac_pid}`,
      );
    }
  } else {
    context.rawMissing = build.reason;
    emit({ type: "note", text: `${build.reason}: the contestants that call them are skipped` });
  }

  // The garbage suite weighs single passes itself; only the timed suites go through mitata and need its context.
  const timed = plans.filter(([name]) => name !== "garbage" && name !== "startup");
  const ctx = timed.length > 0 ? await mitataContext(options.quick) : undefined;
  const recorder = new Recorder(
    budget,
    plan.total,
    ctx ? CONTEXT_COST_MS[options.quick ? "quick" : "full"] : 0,
  );
  for (const [, groups] of plans) {
    for (const group of groups) await recorder.run(group);
  }
  context.raw?.close();

  const mitata: Record<string, unknown> = {};
  for (const [name] of timed) mitata[name] = { context: ctx, benchmarks: recorder.trials[name] ?? [] };
  emit({
    type: "result",
    runtime: { name: runtimeName, version },
    measurements: recorder.measurements,
    mitata,
    notes: recorder.notes,
    garbageSources: garbageSources(),
  });
}

await main();

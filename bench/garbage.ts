/**
 * Garbage: the heap growth and the garbage collections of one pass of each technique over a million
 * `MIB_TCPROW_OWNER_PID` rows, summing `owningPid`. Copy-per-row's real cost is its garbage: a pass that
 * allocates an object per row is cheap to time in a tight benchmark and expensive in a process that also
 * does other work.
 *
 * The contestants are the rows suite's, so the same code is timed there and weighed here. For each one, after
 * a forced collection: `heapBytes` is the heap growth across the pass, with the pass's result still alive (a
 * copied array counts; collected garbage does not); `gcCount` is the number of collections during the pass,
 * from `node:v8`'s `GCProfiler` (V8's GC events on Deno; Bun's shim over JavaScriptCore's collections);
 * `allocatedBytes` adds what each of those collections freed to the growth. Where a runtime reports no
 * collections the two are absent. The result file's `garbageSources` names each source.
 *
 * @module
 */
import type { GroupPlan, SuiteContext } from "./_harness.ts";
import { type RowData, tcpSumGroup } from "./rows.ts";

/** Rows per pass, per mode. */
export const GARBAGE_ROWS: Readonly<Record<"quick" | "full", number>> = { quick: 1e4, full: 1e6 };

/**
 * The garbage suite's one group.
 *
 * @param context The worker's mode and raw FFI.
 * @returns The group.
 */
export function plan(context: SuiteContext): GroupPlan<RowData>[] {
  const rows = tcpSumGroup(context, GARBAGE_ROWS[context.quick ? "quick" : "full"]);
  return [{ ...rows, suite: "garbage", kind: "garbage" }];
}

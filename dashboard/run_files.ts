/**
 * Reading the files of one run (one `bench` invocation, a file per runtime) by the run's key, and finding the
 * newest run that measured the headline's rows, for the headline.
 *
 * @module
 */
import { listResults, readResultFile, type ResultSummary } from "./results.ts";
import { groupByRun } from "./run_list.ts";
import type { NamedResult } from "./series.ts";

/** A run's key and its files, read. */
export interface ReadRun {
  /** The run's key (`runKey()`). */
  key: string;
  /** Its readable files. */
  files: NamedResult[];
}

async function readAll(dir: string, summaries: readonly ResultSummary[]): Promise<NamedResult[]> {
  return await Promise.all(
    summaries.map(async (s) => ({ file: s.file, ...await readResultFile(dir, s.file) })),
  );
}

/**
 * Reads the files of the run with a key; only listed, readable files are read.
 *
 * @param dir The results folder.
 * @param key The run's key, as `GET /api/runs` gives it.
 * @returns The run, or `undefined` when no run has that key.
 */
export async function readRun(dir: string, key: string): Promise<ReadRun | undefined> {
  const run = groupByRun((await listResults(dir)).results).find((g) => g.key === key);
  return run && { key, files: await readAll(dir, run.files) };
}

/**
 * Reads the newest run that measured every required rows group, else the newest that measured any group asked
 * for: a newer run of some rows (`--only=rows` of one runtime) does not hide a run that measured them all, and
 * a run from before an optional group was added to the rows suite is not hidden for lacking it.
 *
 * @param dir The results folder.
 * @param required The rows groups a run must have measured.
 * @param optional Rows groups that count only when no run measured every required one.
 * @returns The run, or `undefined` when none measured any of them.
 */
export async function readNewestRunWith(
  dir: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Promise<ReadRun | undefined> {
  let some: ReadRun | undefined;
  // The listing is newest first, and so are its runs.
  for (const run of groupByRun((await listResults(dir)).results)) {
    if (!run.files.some((s) => s.suites.includes("rows"))) continue;
    const files = await readAll(dir, run.files);
    const measured = new Set(
      files.flatMap((f) => f.measurements).filter((m) => m.suite === "rows").map((m) => m.group),
    );
    if (required.every((g) => measured.has(g))) return { key: run.key, files };
    if (!some && [...required, ...optional].some((g) => measured.has(g))) some = { key: run.key, files };
  }
  return some;
}

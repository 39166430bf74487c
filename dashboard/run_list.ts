/**
 * The run selectors' contents, shaped on the server: result files grouped by run (one date on one machine;
 * a run writes a file per runtime), each labelled, the file to open on, the file a finished run wrote, and
 * the note about files that were skipped.
 *
 * @module
 */
import type { ResultFile } from "../bench/schema.ts";
import type { RunStatus } from "./bench_run.ts";
import { utc } from "./public/js/format.js";
import { type ResultList, type ResultSummary, RUNTIME_ORDER, type SelectedFile } from "./results.ts";

/** The fields a run's label is made of, shared by a summary and a whole result file. */
export type RunFields = Pick<ResultFile, "runtime" | "machine" | "date" | "mode">;

/** One file of a run, as the selector lists it. */
export interface RunOption {
  /** The file's name. */
  file: string;
  /** E.g. `deno 2.9.5 · devbox · 2026-11-20 09:30:00 UTC · quick`. */
  label: string;
}

/** The files one run wrote. */
export interface RunGroup {
  /** What names the run in `GET /api/charts?run=` and `GET /api/headline?run=`: its date and machine. */
  key: string;
  /** E.g. `Run 2026-11-20 09:30:00 UTC on devbox`. */
  label: string;
  /** The runtimes of its files, e.g. `["deno", "bun", "node"]`. */
  runtimes: string[];
  /** The run's files, in the listing's order. */
  files: RunOption[];
}

/** A line for the page's message area, with a list under it. */
export interface Notice {
  /** Empty when there is nothing to say. */
  text: string;
  /** `warn` when files were skipped. */
  kind: "info" | "warn";
  /** Each skipped file's reason. */
  items: string[];
}

/** The answer of `GET /api/runs`. */
export interface RunListing {
  /** The runs, newest first. */
  groups: RunGroup[];
  /** The file to open on, and why; `null` with no readable file. */
  selected: SelectedFile | null;
  /** The file the finished run named in the request wrote, and why to show it; else `null`. */
  finished: SelectedFile | null;
  /** What the page says above the charts. */
  notice: Notice;
}

/**
 * The label of one result file in the run selector.
 *
 * @param run A summary or a result file.
 * @returns E.g. `deno 2.9.5 · devbox · 2026-11-20 09:30:00 UTC · quick`.
 */
export function runLabel(run: RunFields): string {
  return `${run.runtime.name} ${run.runtime.version} · ${run.machine.hostname} · ${
    utc(run.date)
  } · ${run.mode}`;
}

/**
 * Sorts files by runtime, Deno's first, then Bun's, then Node's; files of one runtime keep their order.
 *
 * @param results Summaries or result files.
 * @returns A sorted copy.
 */
export function byRuntime<T extends Pick<RunFields, "runtime">>(results: readonly T[]): T[] {
  const rank = (r: T) => RUNTIME_ORDER.indexOf(r.runtime.name);
  return [...results].sort((a, b) => rank(a) - rank(b));
}

/**
 * What ties the files of one run together: one `bench` invocation writes a file per runtime, all with the
 * run's start date, on one machine.
 *
 * @param run A summary or a result file.
 * @returns E.g. `2026-11-20T09:30:00.000Z devbox`.
 */
export function runKey(run: Pick<RunFields, "date" | "machine">): string {
  return `${run.date} ${run.machine.hostname}`;
}

/**
 * Groups summaries into runs by {@linkcode runKey}, keeping the order they come in.
 *
 * @param results Summaries, e.g. newest first.
 * @returns Each run's key and summaries.
 */
export function groupByRun<T extends Pick<RunFields, "date" | "machine">>(
  results: readonly T[],
): { key: string; files: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const result of results) {
    const key = runKey(result);
    groups.set(key, [...groups.get(key) ?? [], result]);
  }
  return [...groups].map(([key, files]) => ({ key, files }));
}

function noticeOf(list: ResultList): Notice {
  const items = list.skipped.map((s) => s.reason);
  const skipped = items.length === 1
    ? "Skipped 1 result file that cannot be read:"
    : `Skipped ${items.length} result files that cannot be read:`;
  if (list.results.length === 0) {
    const none = "No result files yet: press \u201cRun quick benchmark\u201d to make some.";
    return { text: items.length ? `${none} ${skipped}` : none, kind: "info", items };
  }
  return items.length ? { text: skipped, kind: "warn", items } : { text: "", kind: "info", items };
}

/**
 * The file to show once a run has finished: the Deno file it wrote, else its first readable one.
 *
 * @param status The tracker's status.
 * @param runNumber The run the page saw finish.
 * @param results The readable files.
 * @returns The file and the reason, or `null` when that run is not the last finished one or wrote nothing readable.
 */
export function finishedRun(
  status: RunStatus,
  runNumber: number,
  results: readonly ResultSummary[],
): SelectedFile | null {
  if (status.state !== "done" || status.runNumber !== runNumber) return null;
  const written = status.files.flatMap((file) => results.filter((r) => r.file === file));
  const shown = written.find((r) => r.runtime.name === "deno") ?? written[0];
  return shown ? { file: shown.file, reason: `the run just finished, run ${runNumber}` } : null;
}

/**
 * Groups a results listing into runs for the selectors.
 *
 * @param list The listing of `GET /api/results`, newest first.
 * @param finished What {@linkcode finishedRun} found, if the page asked.
 * @returns The groups in the listing's order, the files within each in the listing's order.
 */
export function listRuns(list: ResultList, finished: SelectedFile | null = null): RunListing {
  return {
    groups: groupByRun(list.results).map(({ key, files }) => ({
      key,
      label: `Run ${utc(files[0]!.date)} on ${files[0]!.machine.hostname}`,
      runtimes: byRuntime(files).map((f) => f.runtime.name),
      files: byRuntime(files).map((f) => ({ file: f.file, label: runLabel(f) })),
    })),
    selected: list.selected,
    finished,
    notice: noticeOf(list),
  };
}

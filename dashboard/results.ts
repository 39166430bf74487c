/**
 * Reading benchmark result files (`bench/schema.ts`) for the dashboard: the strict file-name rule, the shape
 * check, and the list of files in a results folder.
 *
 * Files are only ever opened by a name that came from listing the folder, so a request cannot name a path.
 *
 * @module
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Measurement, RESULT_SCHEMA_VERSION, type ResultFile, type Technique } from "../bench/schema.ts";
import { validateResultFile } from "../bench/validate.ts";

/** What a result file name must look like: a file-name-safe id and `.json`, no dots before it, no slashes. */
export const RESULT_FILE_NAME_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9_-]{0,150}\.json$/;

const TECHNIQUES: ReadonlySet<Technique> = new Set<Technique>([
  "copy",
  "in-place",
  "baseline",
  "native",
  "peer",
  "toolkit",
]);

/**
 * The largest result file read, in bytes. A full run's files are about 1 MiB (mitata's samples thinned to 1000
 * per contestant); anything 16 times that is not one, and would stall every listing while it is parsed.
 */
export const MAX_RESULT_FILE_BYTES: number = 16 * 2 ** 20;

/** The suites a run of Deno or Bun measures when it runs them all (Node's koffi peer takes part in two). */
export const ALL_SUITES: readonly string[] = ["rows", "calls", "memory", "garbage"];

/** Within one run, the file shown first: Deno's, then Bun's, then Node's (koffi's peer figures only). */
export const RUNTIME_ORDER: readonly string[] = ["deno", "bun", "node"];

/** One entry of the list of result files: what the run selector shows. */
export interface ResultSummary {
  file: string;
  id: string;
  date: string;
  mode: ResultFile["mode"];
  runtime: ResultFile["runtime"];
  machine: ResultFile["machine"];
  measurements: number;
  suites: string[];
  notes: number;
}

/** A file in the folder that could not be read as a result file, with the reason. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** The file the page shows first, and why that one. */
export interface SelectedFile {
  file: string;
  /** E.g. "the newest full run with every suite; 2 newer files are quick or partial runs". */
  reason: string;
}

/** The result files of a folder. */
export interface ResultList {
  results: ResultSummary[];
  skipped: SkippedFile[];
  /** What to show first; `null` when there is no readable file. */
  selected: SelectedFile | null;
}

/**
 * Tells whether a string is an acceptable result file name.
 *
 * @param name The name from a request.
 * @returns `true` for names like `2026-11-21T10-00-00-000Z-deno.json`.
 */
export function isResultFileName(name: string): boolean {
  return RESULT_FILE_NAME_PATTERN.test(name);
}

function fail(file: string, what: string): never {
  throw new TypeError(`Cannot read result file "${file}": ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkOptionalNumber(file: string, index: number, m: Record<string, unknown>, key: string): void {
  if (m[key] !== undefined && (typeof m[key] !== "number" || !Number.isFinite(m[key]))) {
    fail(file, `measurement ${index} has a non-numeric "${key}"`);
  }
}

function checkMeasurement(file: string, index: number, value: unknown): Measurement {
  if (!isRecord(value)) fail(file, `measurement ${index} is not an object`);
  for (const key of ["suite", "group", "name"]) {
    if (typeof value[key] !== "string") fail(file, `measurement ${index} has no string "${key}"`);
  }
  if (!TECHNIQUES.has(value.technique as Technique)) {
    fail(file, `measurement ${index} has an unknown technique "${String(value.technique)}"`);
  }
  if (typeof value.nsPerOp !== "number" || !Number.isFinite(value.nsPerOp)) {
    fail(file, `measurement ${index} has no numeric "nsPerOp"`);
  }
  for (const key of ["n", "bytes", "nsPerRow", "heapBytes", "gcCount", "allocatedBytes"]) {
    checkOptionalNumber(file, index, value, key);
  }
  return value as unknown as Measurement;
}

/**
 * Checks that parsed JSON is a result file of the schema version this dashboard reads.
 *
 * @param file The file name, for messages.
 * @param value Parsed JSON.
 * @returns The same value, typed.
 * @throws {TypeError} When a field is missing or has the wrong type, or the schema version differs.
 */
export function parseResultFile(file: string, value: unknown): ResultFile {
  if (!isRecord(value)) fail(file, "the top level is not an object");
  if (value.schema !== RESULT_SCHEMA_VERSION) {
    fail(file, `schema version ${String(value.schema)} is not ${RESULT_SCHEMA_VERSION}`);
  }
  if (typeof value.id !== "string" || typeof value.date !== "string") fail(file, `"id" or "date" is missing`);
  if (value.mode !== "quick" && value.mode !== "full") fail(file, `mode "${String(value.mode)}" is unknown`);
  const runtime = value.runtime;
  if (!isRecord(runtime) || typeof runtime.name !== "string" || typeof runtime.version !== "string") {
    fail(file, `"runtime" is not { name, version }`);
  }
  if (!isRecord(value.machine)) fail(file, `"machine" is not an object`);
  if (!Array.isArray(value.measurements)) fail(file, `"measurements" is not a list`);
  value.measurements.forEach((m, i) => checkMeasurement(file, i, m));
  if (
    value.notes !== undefined &&
    !(Array.isArray(value.notes) && value.notes.every((n) => typeof n === "string"))
  ) {
    fail(file, `"notes" is not a list of strings`);
  }
  // The shape the bench writes, field by field (dates, machine, positive counts, no repeats): a file the charts
  // cannot draw honestly is skipped with its reason rather than drawn wrong.
  const problems = validateResultFile(value);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
    fail(file, problems.slice(0, 3).join("; ") + more);
  }
  return value as unknown as ResultFile;
}

/**
 * Reads and checks one result file; the name must come from {@linkcode listResultFileNames}.
 *
 * @param dir The results folder.
 * @param file A listed file name.
 * @returns The parsed, checked file.
 * @throws {TypeError} When the file is not valid JSON or not a result file.
 */
export async function readResultFile(dir: string, file: string): Promise<ResultFile> {
  const { size } = await stat(join(dir, file));
  if (size > MAX_RESULT_FILE_BYTES) {
    fail(
      file,
      `it is ${(size / 2 ** 20).toFixed(1)} MiB, more than the ${
        MAX_RESULT_FILE_BYTES / 2 ** 20
      } MiB a result file may be`,
    );
  }
  const text = await readFile(join(dir, file), "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Cannot read result file "${file}": it is not valid JSON`, { cause: error });
  }
  return parseResultFile(file, json);
}

/**
 * Lists the names of the regular files (not links) in a results folder that match the file-name rule.
 *
 * @param dir The results folder; a missing folder has no files.
 * @returns Matching names, sorted.
 */
export async function listResultFileNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const name of names.filter(isResultFileName)) {
    // lstat: a symbolic link could point outside the folder, so only regular files count.
    const info = await lstat(join(dir, name)).catch(() => undefined);
    if (info?.isFile()) files.push(name);
  }
  return files.sort();
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Picks the file to show first: the newest full run with every suite, else the newest run with every suite,
 * else the newest file. Within one run (one date), Deno's file before Bun's and Node's. A newer run of some
 * suites (`--only=rows`) is listed but not shown first, so the page does not open on empty charts.
 *
 * @param results The summaries, in any order.
 * @returns The file and the reason, in words; `null` when there are none.
 */
export function selectFirst(results: readonly ResultSummary[]): SelectedFile | null {
  const complete = (r: ResultSummary) => ALL_SUITES.every((suite) => r.suites.includes(suite));
  const rank = (r: ResultSummary) => RUNTIME_ORDER.indexOf(r.runtime.name);
  const newestFirst = [...results].sort((a, b) =>
    Date.parse(b.date) - Date.parse(a.date) || rank(a) - rank(b) || a.file.localeCompare(b.file)
  );
  const newerThan = (chosen: ResultSummary) =>
    newestFirst.filter((r) => Date.parse(r.date) > Date.parse(chosen.date)).length;
  const full = newestFirst.find((r) => r.mode === "full" && complete(r));
  if (full) {
    const newer = newerThan(full);
    const passed = newer
      ? `; ${plural(newer, "newer file is a quick or partial run", "newer files are quick or partial runs")}`
      : "";
    return { file: full.file, reason: `the newest full run with every suite${passed}` };
  }
  const any = newestFirst.find(complete);
  if (any) {
    const newer = newerThan(any);
    const passed = newer
      ? `; ${plural(newer, "newer file measures only some", "newer files measure only some")}`
      : "";
    return { file: any.file, reason: `the newest run with every suite${passed}` };
  }
  const newest = newestFirst[0];
  return newest ? { file: newest.file, reason: "the newest file; no run has every suite" } : null;
}

/**
 * Reads every result file of a folder into summaries, newest first; unreadable files are listed apart.
 *
 * @param dir The results folder.
 * @returns The summaries, the skipped files with reasons, and the file to show first.
 */
export async function listResults(dir: string): Promise<ResultList> {
  const results: ResultSummary[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of await listResultFileNames(dir)) {
    try {
      const result = await readResultFile(dir, file);
      results.push({
        file,
        id: result.id,
        date: result.date,
        mode: result.mode,
        runtime: result.runtime,
        machine: result.machine,
        measurements: result.measurements.length,
        suites: [...new Set(result.measurements.map((m) => m.suite))],
        notes: result.notes?.length ?? 0,
      });
    } catch (error) {
      skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  // The schema check refused dates that do not parse.
  results.sort((a, b) => Date.parse(b.date) - Date.parse(a.date) || a.file.localeCompare(b.file));
  return { results, skipped, selected: selectFirst(results) };
}

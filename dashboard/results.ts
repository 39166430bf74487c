/**
 * Reading benchmark result files (`bench/schema.ts`) for the dashboard: the strict file-name rule, the shape
 * check, and the list of files in a results folder.
 *
 * Files are only ever opened by a name that came from listing the folder, so a request cannot name a path.
 *
 * @module
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Measurement, RESULT_SCHEMA_VERSION, type ResultFile, type Technique } from "../bench/schema.ts";

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

/** The result files of a folder. */
export interface ResultList {
  results: ResultSummary[];
  skipped: SkippedFile[];
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

/**
 * Reads every result file of a folder into summaries, newest first; unreadable files are listed apart.
 *
 * @param dir The results folder.
 * @returns The summaries and the skipped files with reasons.
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
  results.sort((a, b) => b.date.localeCompare(a.date) || a.file.localeCompare(b.file));
  return { results, skipped };
}

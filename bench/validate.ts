/**
 * Checks that a parsed JSON value is a well-formed result file (`schema.ts`), for the test and for readers
 * such as the dashboard that want to refuse a malformed or foreign file with a reason.
 *
 * @module
 */
import { RESULT_SCHEMA_VERSION, type ResultFile } from "./schema.ts";

const TECHNIQUES = new Set(["copy", "in-place", "baseline", "native", "peer", "toolkit"]);
const SUITES = new Set(["rows", "calls", "memory", "libraries", "garbage", "startup", "threads"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finiteNonNegative(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function finitePositive(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Counts and times that a measurement cannot have as 0: a scan of no rows, a block of no bytes, no time. */
const POSITIVE_KEYS = new Set(["n", "bytes", "nsPerRow", "minNs", "maxNs", "runs"]);

/**
 * Lists what is wrong with a result file.
 *
 * @param value A parsed result file.
 * @returns The problems, each a sentence naming the field; empty when the file is well-formed.
 *
 * @example Checking a file before charting it
 * ```ts ignore
 * import { validateResultFile } from "./validate.ts";
 * const problems = validateResultFile(JSON.parse(await Deno.readTextFile(path)));
 * if (problems.length) throw new TypeError(`Cannot read ${path}: ${problems.join("; ")}`);
 * ```
 */
export function validateResultFile(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ["the file is not a JSON object"];
  const file = value as Partial<ResultFile> & Record<string, unknown>;
  if (file.schema !== RESULT_SCHEMA_VERSION) {
    problems.push(`"schema" is ${file.schema}, expected ${RESULT_SCHEMA_VERSION}`);
  }
  if (typeof file.id !== "string" || !/^[\w.-]+$/.test(file.id)) {
    problems.push(`"id" is not a file-name-safe string`);
  }
  // A full timestamp with its zone: the dashboard shows it in UTC, and a bare day would be read as local.
  if (
    typeof file.date !== "string" || !ISO_TIMESTAMP.test(file.date) || Number.isNaN(Date.parse(file.date))
  ) {
    problems.push(`"date" is not an ISO date`);
  }
  if (file.mode !== "quick" && file.mode !== "full") problems.push(`"mode" is ${JSON.stringify(file.mode)}`);
  const runtime = file.runtime;
  if (
    !isObject(runtime) || !["deno", "bun", "node"].includes(runtime.name as string) ||
    typeof runtime.version !== "string"
  ) {
    problems.push(`"runtime" is not { name: deno | bun | node, version }`);
  } else if (typeof file.id === "string" && !file.id.endsWith(`-${runtime.name}`)) {
    problems.push(`"id" does not end with the runtime's name "${runtime.name}"`);
  }
  const machine = file.machine;
  if (!isObject(machine)) problems.push(`"machine" is missing`);
  else {
    for (const key of ["cpu", "os", "kernel", "arch", "hostname"]) {
      if (typeof machine[key] !== "string") problems.push(`"machine.${key}" is not a string`);
    }
    for (const key of ["cores", "memoryBytes"]) {
      if (!finiteNonNegative(machine[key])) problems.push(`"machine.${key}" is not a non-negative number`);
    }
  }
  if (!Array.isArray(file.measurements)) problems.push(`"measurements" is not an array`);
  else {
    // A measurement's identity, as charts and comparisons pair them: the same one twice is a broken file.
    const seen = new Map<string, number>();
    for (const [i, m] of (file.measurements as unknown[]).entries()) {
      const at = `measurements[${i}]`;
      if (!isObject(m)) {
        problems.push(`"${at}" is not an object`);
        continue;
      }
      if (!SUITES.has(m.suite as string)) problems.push(`"${at}.suite" is ${JSON.stringify(m.suite)}`);
      if (typeof m.group !== "string" || typeof m.name !== "string") {
        problems.push(`"${at}" has no group or name`);
      }
      if (!TECHNIQUES.has(m.technique as string)) {
        problems.push(`"${at}.technique" is ${JSON.stringify(m.technique)}`);
      }
      if (!finitePositive(m.nsPerOp)) problems.push(`"${at}.nsPerOp" is not a positive number`);
      for (
        const key of [
          "n",
          "bytes",
          "nsPerRow",
          "heapBytes",
          "gcCount",
          "allocatedBytes",
          "minNs",
          "maxNs",
          "runs",
        ]
      ) {
        if (!(key in m)) continue;
        if (POSITIVE_KEYS.has(key) ? !finitePositive(m[key]) : !finiteNonNegative(m[key])) {
          problems.push(
            `"${at}.${key}" is not a ${POSITIVE_KEYS.has(key) ? "positive" : "non-negative"} number`,
          );
        }
      }
      if (
        "rounds" in m &&
        (!Array.isArray(m.rounds) || m.rounds.length === 0 || !m.rounds.every(finitePositive))
      ) {
        problems.push(`"${at}.rounds" is not a list of positive numbers`);
      }
      if ((m.suite === "rows" || m.suite === "garbage") && !("n" in m)) problems.push(`"${at}" has no "n"`);
      if (m.suite === "memory" && !("bytes" in m)) problems.push(`"${at}" has no "bytes"`);
      if (m.suite === "libraries" && !("n" in m) && !("bytes" in m)) {
        problems.push(`"${at}" has no "n" or "bytes"`);
      }
      if (m.suite === "garbage" && !("heapBytes" in m)) problems.push(`"${at}" has no "heapBytes"`);
      if (
        "overBaselineNs" in m && !(typeof m.overBaselineNs === "number" && Number.isFinite(m.overBaselineNs))
      ) {
        problems.push(`"${at}.overBaselineNs" is not a finite number`);
      }
      if (m.suite === "startup" && !("overBaselineNs" in m && "runs" in m)) {
        problems.push(`"${at}" has no "overBaselineNs" or "runs"`);
      }
      const key = [
        m.suite,
        m.group,
        m.name,
        m.n === undefined ? "" : `N ${m.n}`,
        m.bytes === undefined ? "" : `${m.bytes} B`,
      ]
        .filter((part) => part !== "").join(", ");
      const first = seen.get(key);
      if (first !== undefined) problems.push(`"${at}" repeats measurement ${first} (${key})`);
      else seen.set(key, i);
    }
  }
  if (!isObject(file.mitata)) problems.push(`"mitata" is not an object`);
  else {
    for (const [suite, result] of Object.entries(file.mitata)) {
      const at = `mitata.${suite}`;
      if (!isObject(result) || !isObject(result.context) || !Array.isArray(result.benchmarks)) {
        problems.push(`"${at}" is not mitata's { context, benchmarks }`);
        continue;
      }
      const context = result.context;
      if (isObject(runtime) && context.runtime !== runtime.name) {
        problems.push(`"${at}.context.runtime" is ${JSON.stringify(context.runtime)}, not "${runtime.name}"`);
      }
      if (!isObject(context.cpu)) problems.push(`"${at}.context.cpu" is missing`);
    }
  }
  return problems;
}

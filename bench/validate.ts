/**
 * Checks that a parsed JSON value is a well-formed result file (`schema.ts`), for the test and for readers
 * such as the dashboard that want to refuse a malformed or foreign file with a reason.
 *
 * @module
 */
import { RESULT_SCHEMA_VERSION, type ResultFile } from "./schema.ts";

const TECHNIQUES = new Set(["copy", "in-place", "baseline", "native", "peer", "toolkit"]);
const SUITES = new Set(["rows", "calls", "memory", "garbage"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finiteNonNegative(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

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
  if (typeof file.date !== "string" || Number.isNaN(Date.parse(file.date))) {
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
    for (const [i, m] of (file.measurements as unknown[]).entries()) {
      const at = `"measurements[${i}]"`;
      if (!isObject(m)) {
        problems.push(`${at} is not an object`);
        continue;
      }
      if (!SUITES.has(m.suite as string)) problems.push(`${at}.suite is ${JSON.stringify(m.suite)}`);
      if (typeof m.group !== "string" || typeof m.name !== "string") {
        problems.push(`${at} has no group or name`);
      }
      if (!TECHNIQUES.has(m.technique as string)) {
        problems.push(`${at}.technique is ${JSON.stringify(m.technique)}`);
      }
      if (!finiteNonNegative(m.nsPerOp)) problems.push(`${at}.nsPerOp is not a non-negative number`);
      for (const key of ["n", "bytes", "nsPerRow", "heapBytes", "gcCount", "allocatedBytes"]) {
        if (key in m && !finiteNonNegative(m[key])) {
          problems.push(`${at}.${key} is not a non-negative number`);
        }
      }
      if ((m.suite === "rows" || m.suite === "garbage") && !finiteNonNegative(m.n)) {
        problems.push(`${at} has no "n"`);
      }
      if (m.suite === "memory" && !finiteNonNegative(m.bytes)) problems.push(`${at} has no "bytes"`);
      if (m.suite === "garbage" && !finiteNonNegative(m.heapBytes)) problems.push(`${at} has no "heapBytes"`);
    }
  }
  if (!isObject(file.mitata)) problems.push(`"mitata" is not an object`);
  else {
    for (const [suite, result] of Object.entries(file.mitata)) {
      const at = `"mitata.${suite}"`;
      if (!isObject(result) || !isObject(result.context) || !Array.isArray(result.benchmarks)) {
        problems.push(`${at} is not mitata's { context, benchmarks }`);
        continue;
      }
      const context = result.context;
      if (isObject(runtime) && context.runtime !== runtime.name) {
        problems.push(`${at}.context.runtime is ${JSON.stringify(context.runtime)}, not "${runtime.name}"`);
      }
      if (!isObject(context.cpu)) problems.push(`${at}.context.cpu is missing`);
    }
  }
  return problems;
}

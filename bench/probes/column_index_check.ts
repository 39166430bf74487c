/**
 * Probe: a typed array's own bounds check does not check a strided index (`array[i * step]` with `i = 1.5`
 * and a step of 2 reads element 3, inside another row), so a column's `at(i)` needs a check of its own. Which
 * costs least on each engine: a probe array (one byte per row over the same buffer: `probe[i]` is `undefined`
 * for a fraction and out of bounds), or testing `i` itself (`(i | 0) !== i`, `Number.isInteger(i)`,
 * `i % 1 !== 0`) beside the typed array's own bounds? Timed in code compiled whole (the scan's function
 * called again and again) and in on-stack-replacement code (the loop compiled while it runs, fresh code per
 * call).
 *
 * Decided: the compiled typed column class in `structs/` checks with the probe on V8 (Deno) and with the
 * typed array's bounds and `(i | 0) !== i` on JavaScriptCore (Bun) (`integerTestIsFree`); the plain
 * `TypedColumn` keeps the probe everywhere. When decided: on V8 an integer test made the OSR code 11.6 ns per
 * row against 1.4 with no test (whole-function code 1.4 against 1.0), the probe 1.5; on Bun the probe 1.52,
 * the integer test 1.36, no test 1.31.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/column_index_check.ts` and
 * `./node_modules/.bin/bun bench/probes/column_index_check.ts`.
 *
 * @module
 */
import { freshFunction, freshStridedSum, notAnIndex } from "./_shapes.ts";
import { pidColumn, rowProbe, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const pids = pidColumn(bytes);
const probe = rowProbe(bytes);

interface Column {
  readonly length: number;
  at(i: number): number;
}
const CHECKS: Record<string, string> = {
  "no check (unsafe)": "return this.a[i * 6];",
  "probe": `if (this.p[typeof i === "number" ? i : -1] === undefined) return checked(i);
    return this.a[i * 6];`,
  "(i | 0) !== i": `if (typeof i !== "number") return checked(i);
    const v = this.a[i * 6];
    return v === undefined || (i | 0) !== i ? checked(i) : v;`,
  "Number.isInteger(i)": `if (typeof i !== "number") return checked(i);
    const v = this.a[i * 6];
    return v === undefined || !Number.isInteger(i) ? checked(i) : v;`,
  "i % 1 !== 0": `if (typeof i !== "number") return checked(i);
    const v = this.a[i * 6];
    return v === undefined || i % 1 !== 0 ? checked(i) : v;`,
};
function columnClass(check: string): new (a: Uint32Array, p: Uint8Array) => Column {
  return new Function(
    "checked",
    `"use strict"; // ${check}
return class { #a; #p; #n = 0;
  constructor(a, p) { this.#a = a; this.#p = p; this.#n = p.length; }
  get length() { return this.#n; }
  at(i) { ${CHECKS[check]!.replaceAll("this.a", "this.#a").replaceAll("this.p", "this.#p")} }
};`,
  )(notAnIndex);
}

function sum(column: Column): number {
  let total = 0;
  for (let i = 0; i < column.length; i++) total += column.at(i);
  return total;
}
function freshSum(): (column: Column) => number {
  return freshFunction<() => (column: Column) => number>(
    "return function (column) { let total = 0; for (let i = 0; i < column.length; i++) total += column.at(i); return total; };",
  )();
}
function stridedSum(): number {
  let total = 0;
  for (let i = 0; i < pids.length; i += 6) total += pids[i]!;
  return total;
}

function measure(name: string): Timing {
  const options = { ops: N };
  const [check, code] = name.split(", ") as [string, string];
  if (check === "strided loop (baseline)") {
    if (code === "whole") return time(name, stridedSum, options);
    return time(name, () => freshStridedSum(pids), options);
  }
  const Column = columnClass(check);
  if (code === "whole") return time(name, () => sum(new Column(pids, probe)), options);
  return time(name, () => freshSum()(new Column(pids, probe)), options);
}

const names = ["strided loop (baseline)", ...Object.keys(CHECKS)];
const timings = separately(
  import.meta.url,
  [...names.map((n) => `${n}, whole`), ...names.map((n) => `${n}, OSR`)],
  measure,
);
report(
  "column_index_check: sum of a u32 column over 1e6 rows, code compiled whole (ns per row)",
  timings.slice(0, 6),
);
report("column_index_check: the same in on-stack-replacement code (ns per row)", timings.slice(6));

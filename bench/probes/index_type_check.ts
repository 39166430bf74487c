/**
 * Probe: `probe[i]` alone would let an object through that converts to a key and a number differently
 * (`{ toString: () => "0", valueOf: () => 2 }` passes as row 0 and is read as row 2), so the index check must
 * also send anything but a number to the checked path. Does folding the type test into the key
 * (`probe[typeof i === "number" ? i : -1]`, -1 always misses) cost less than a test of its own
 * (`typeof i !== "number" || probe[i] === undefined`)? Timed for rows (`at(i).pid`) and a column, in
 * on-stack-replacement code (a loop over 1e6 rows compiled while it runs: fresh code per call).
 *
 * Decided: every fast index check in `structs/` (the array classes' and columns' `at(i)`, the cursor's
 * `seek(i)`) folds the type test into the probe's key; `checkIndex` is the slow path. When decided (Deno
 * 2.9): a separate test (or any second test in `at(i)`) 7-12 ns per row against 1.6-1.8 in most processes;
 * JavaScriptCore took either form at no cost.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/index_type_check.ts` and
 * `./node_modules/.bin/bun bench/probes/index_type_check.ts`.
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

const TESTS: Record<string, string> = {
  "key folded": `if (this.#p[typeof i === "number" ? i : -1] === undefined) checked(i);`,
  "typeof test of its own": `if (typeof i !== "number" || this.#p[i] === undefined) checked(i);`,
  "no type test (unsafe)": `if (this.#p[i] === undefined) checked(i);`,
};
interface Indexed {
  readonly length: number;
  at(i: number): number | { readonly pid: number };
}
function classOf(test: string, rows: boolean): new () => Indexed {
  const read = rows ? "return new View(this.#dv, i * 24);" : "return this.#a[i * 6];";
  return new Function(
    "checked",
    "dv",
    "pids",
    "probe",
    `"use strict"; // ${test}, ${rows ? "rows" : "column"}
class View {
  #dv; #o = 0;
  constructor(dv, o) { this.#dv = dv; this.#o = o; }
  get pid() { return this.#dv.getUint32(this.#o + 20, true); }
}
return class { #dv = dv; #a = pids; #p = probe; #n = probe.length;
  get length() { return this.#n; }
  at(i) { ${TESTS[test]} ${read} }
};`,
  )(notAnIndex, new DataView(bytes.buffer), pids, probe);
}

function freshScan(body: string): (indexed: Indexed) => number {
  return freshFunction<() => (indexed: Indexed) => number>(
    `return function (c) { let total = 0; for (let i = 0; i < c.length; i++) total += ${body}; return total; };`,
  )();
}

function measure(name: string): Timing {
  const options = { ops: N };
  if (name === "strided loop (baseline)") {
    return time(name, () => freshStridedSum(pids), options);
  }
  const [what, test] = name.split(": ") as [string, string];
  const Indexed = classOf(test, what === "rows");
  const body = what === "rows" ? "c.at(i).pid" : "c.at(i)";
  return time(name, () => freshScan(body)(new Indexed()), options);
}

report(
  "index_type_check: sum of pid over 1e6 rows in on-stack-replacement code, the index's type tested (ns per row)",
  separately(import.meta.url, [
    "strided loop (baseline)",
    ...Object.keys(TESTS).map((t) => `rows: ${t}`),
    ...Object.keys(TESTS).map((t) => `column: ${t}`),
  ], measure),
);

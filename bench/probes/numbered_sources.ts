/**
 * Probe: do two classes compiled by `new Function` from the same source text share type feedback, so that a
 * second layout with the same accessors makes the first one's private-field accesses megamorphic? And does
 * numbering each source (a comment with a counter) give each its own?
 *
 * Decided: `compile()` in `structs/` numbers every source it compiles (`// ffikit layout code #n`). When
 * decided (Deno 2.9, Bun 1.4): 17 ns per row on Deno and 24 on Bun with the same text, 1.7 and 2.0 numbered.
 *
 * Each contestant runs in a process of its own: it compiles a rows class and its view class twice (two
 * layouts of the same shape over different tables), scans the second, then times the first.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/numbered_sources.ts` and
 * `./node_modules/.bin/bun bench/probes/numbered_sources.ts`.
 *
 * @module
 */
import { stridedPidSum, table } from "./_table.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const second = table(1000);

interface Rows {
  readonly length: number;
  at(i: number): { readonly pid: number };
}
type RowsClass = new (bytes: Uint8Array) => Rows;

// What `structs/` generates per layout, reduced to one field: a view class and a rows class with `at(i)`.
const SOURCE = `
class View {
  #dv; #o = 0;
  constructor(dv, o) { this.#dv = dv; this.#o = o; }
  get pid() { return this.#dv.getUint32(this.#o + 20, true); }
}
return class Rows {
  #dv; #probe;
  constructor(bytes) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  }
  get length() { return this.#probe.length; }
  at(i) {
    if (this.#probe[i] === undefined) throw new RangeError("Cannot access row " + i);
    return new View(this.#dv, i * 24);
  }
};`;

let count = 0;
function compile(numbered: boolean): RowsClass {
  const text = numbered ? `"use strict"; // layout code #${++count}\n${SOURCE}` : `"use strict";\n${SOURCE}`;
  return new Function(text)() as RowsClass;
}

// A loop per layout, as a program writes them.
function sumFirst(rows: Rows): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows.at(i).pid;
  return sum;
}
function sumSecond(rows: Rows): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows.at(i).pid;
  return sum;
}

function measure(name: string): Timing {
  const options = { ops: N };
  if (name === "strided loop (baseline)") return time(name, () => stridedPidSum(bytes), options);
  const numbered = name === "numbered sources";
  const First = compile(numbered);
  const Second = compile(numbered);
  for (let k = 0; k < 200; k++) sumSecond(new Second(second));
  return time(name, () => sumFirst(new First(bytes)), options);
}

report(
  "numbered_sources: sum of pid by at(i) over 1e6 rows, two classes compiled from one source (ns per row)",
  separately(import.meta.url, ["strided loop (baseline)", "same source text", "numbered sources"], measure),
);

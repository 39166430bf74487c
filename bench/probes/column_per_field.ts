/**
 * Probe: does one column class whose `at(i)` reads every column (`this.#array[i * this.#step]`) cost a scan
 * once a program has read columns of other element types, against a column class compiled per layout and
 * field (its own code and type feedback, the step a literal)?
 *
 * Decided: the compiled column classes in `structs/` (one per layout and field, `at(i)` with the step as a
 * literal; the shared `TypedColumn` is the fallback). When decided: a u32 column over 1e6 rows after columns
 * of u16, f64, i64 and u8: 11.2 ns per row on Deno and 13.0 on Bun shared, 1.5 and 1.1 compiled.
 *
 * Each contestant runs in a process of its own; each first reads u16, f64, i64 and u8 columns over 100 rows.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/column_per_field.ts` and
 * `./node_modules/.bin/bun bench/probes/column_per_field.ts`.
 *
 * @module
 */
import { f64, i64, struct, u16, u8 } from "../../mod.ts";
import { libraryColumnSum } from "./_library.ts";
import { outOfRange, StepColumn } from "./_shapes.ts";
import { pidColumn, rowProbe, stridedPidSum, table } from "./_table.ts";
import { report, timeSeparately } from "./_time.ts";

const N = 1_000_000;
const bytes = table(N);
const other = new Uint8Array(100 * 32);

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array | BigInt64Array;
interface Column {
  readonly length: number;
  at(i: number): number | bigint;
}

// The rejected form: one column class for every field of every layout, `StepColumn` (./_shapes.ts).

/** The chosen form: a class per layout and field, compiled from numbered source with the step a literal. */
let compiled = 0;
type ColumnClass = new (array: Typed, probe: Uint8Array) => Column;
function columnClass(step: number): ColumnClass {
  return new Function(
    "outOfRange",
    `"use strict"; // column code #${++compiled}
return class {
  #array; #probe;
  constructor(array, probe) { this.#array = array; this.#probe = probe; }
  get length() { return this.#probe.length; }
  at(i) {
    if (this.#probe[i] === undefined) outOfRange(i);
    return this.#array[i * ${step}];
  }
};`,
  )(outOfRange) as ColumnClass;
}

function sum(column: Column): number {
  let total = 0;
  for (let i = 0; i < column.length; i++) total += Number(column.at(i));
  return total;
}
function sumU32(column: Column): number {
  let total = 0;
  for (let i = 0; i < column.length; i++) total += column.at(i) as number;
  return total;
}

// Columns of a 32-byte row: u16 at 0, u8 at 2, f64 at 8, i64 at 16.
const Other = struct({ a: u16, b: u8, x: f64, y: i64 });
const otherProbe = new Uint8Array(other.buffer, 0, 100);
const others: Array<[Typed, number]> = [
  [new Uint16Array(other.buffer), 16],
  [new Uint8Array(other.buffer, 2), 32],
  [new Float64Array(other.buffer, 8), 4],
  [new BigInt64Array(other.buffer, 16), 4],
];
const pids = pidColumn(bytes);
const probe = rowProbe(bytes);

report(
  "column_per_field: sum of a u32 column over 1e6 rows after columns of u16, u8, f64, i64 (ns per row)",
  timeSeparately(import.meta.url, {
    "strided loop (baseline)": () => () => stridedPidSum(bytes),
    "one shared column class": () => {
      for (let k = 0; k < 100; k++) {
        for (const [a, step] of others) sum(new StepColumn<number | bigint>(a, otherProbe, step));
      }
      return () => sumU32(new StepColumn<number | bigint>(pids, probe, 6));
    },
    "a class per layout and field": () => {
      const classes = others.map(([, step]) => columnClass(step));
      for (let k = 0; k < 100; k++) others.forEach(([a], j) => sum(new classes[j]!(a, otherProbe)));
      const Pid = columnClass(6);
      return () => sumU32(new Pid(pids, probe));
    },
    "library column at(i)": () => {
      const rows = Other.array(other);
      for (let k = 0; k < 100; k++) {
        for (const field of ["a", "b", "x", "y"] as const) sum(rows.column(field));
      }
      return () => libraryColumnSum(bytes);
    },
  }, { ops: N }),
);

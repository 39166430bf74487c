/**
 * Question (V8 escape analysis, JavaScriptCore allocation sinking): a loop that reads each row with
 * `T.read(bytes, offset)` and keeps one field allocates an object per row, where the same loop calling a
 * hand-written function that returns an object literal allocates none on Deno. What in `read()`'s shape keeps
 * the engines from removing its object, and which shape of `read()` comes closest to the literal?
 *
 * Decided: arrays of scalars inside a row are read as array literals written out in the generated source (no
 * call into the array's codec, no `new Array(length)` loop): `readAt` in `structs/_accessors_generated.ts`.
 * The `DataView` cache stays (see the finding in `docs/runtime-notes.md`).
 *
 * Contestants, each in a process of its own, each a loop over 1e6 rows that reads a row and sums one field of
 * it (and one element of each array, for the row with arrays): a hand-written function returning an object
 * literal over a `DataView` made by the loop's function (baseline); the toolkit's `T.read(bytes, offset)`;
 * and shapes of `read()` compiled here with `new Function` as the generator does: as generated (the cached
 * `DataView`, the miss in a function of its own, the bounds check, `readAt` apart), the same with `readAt`
 * written inside `read()`, `readAt(dv, o)` alone over a `DataView` the caller passes (no cache, no check: the
 * floor of any `read()`), a class instance instead of a literal, and for arrays a fresh `Uint8Array` per array.
 * Two rows: `MIB_TCPROW_OWNER_PID` (six `u32`, 24 bytes) and a 24-byte row with two `u8[4]` arrays.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_scalar_replacement.ts` and
 * `./node_modules/.bin/bun bench/probes/read_scalar_replacement.ts`. On Deno, add
 * `--v8-flags=--trace-gc` to a contestant's run (`FFIKIT_PROBE_CONTESTANT=<name>`) to see whether it allocates.
 *
 * @module
 */
import { array, struct, u32, u8 } from "../../mod.ts";
import { checkSpanSlowly, dataViewOf, keepsLength } from "../../structs/_bytes.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const SIZE = 24;
const ROWS = 1_000_000;

/** A row shape: its fields as (name, offset, array length or 0), and the toolkit's layout of it. */
interface Shape {
  readonly fields: readonly (readonly [string, number, number])[];
  readonly layout: { read(bytes: Uint8Array, byteOffset?: number): unknown };
  /** Source of the value summed per row, from a row named `row`. */
  readonly kept: string;
}

const SHAPES: Record<string, Shape> = {
  "six u32": {
    fields: [["a", 0, 0], ["b", 4, 0], ["c", 8, 0], ["d", 12, 0], ["e", 16, 0], ["f", 20, 0]],
    layout: struct({ a: u32, b: u32, c: u32, d: u32, e: u32, f: u32 }, { name: "Six" }),
    kept: "row.f",
  },
  "two u8[4]": {
    fields: [["a", 0, 0], ["b", 4, 4], ["c", 8, 0], ["d", 12, 4], ["e", 16, 0], ["f", 20, 0]],
    layout: struct({ a: u32, b: array(u8, 4), c: u32, d: array(u8, 4), e: u32, f: u32 }, { name: "Arrays" }),
    kept: "row.f + row.b[1] + row.d[2]",
  },
};

/** The source of each field's value in a row at `o` read from `dv`; arrays as `arrays` says. */
function values(shape: Shape, arrays: "literal" | "typed"): string[] {
  return shape.fields.map(([, at, length]) => {
    if (length === 0) return `dv.getUint32(o + ${at}, true)`;
    const elements = Array.from({ length }, (_, i) => `dv.getUint8(o + ${at + i})`).join(", ");
    return arrays === "literal" ? `[${elements}]` : `new Uint8Array([${elements}])`;
  });
}

/** The source of an object literal reading `shape`'s row at `o` from `dv`. */
function literal(shape: Shape, arrays: "literal" | "typed"): string {
  const all = values(shape, arrays);
  return `{ ${shape.fields.map(([name], i) => `${name}: ${all[i]}`).join(", ")} }`;
}

/** `makeRead` as generated, given the source of what reads a row at `o` from `dv`. */
function cachedRead(body: string, inline: boolean): string {
  return `${inline ? "" : `const readAt = function (dv, o) { ${body} };`}
let lastBytes = {}, lastView;
const miss = function (bytes) {
  const dv = dataViewOf(bytes, "read", "Row");
  if (keepsLength(bytes, dv)) {
    lastBytes = bytes;
    lastView = dv;
  }
  return dv;
};
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);
  if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + ${SIZE} > dv.byteLength) {
    checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  }
  ${inline ? `const o = byteOffset; ${body}` : "return readAt(dv, byteOffset);"}
};`;
}

/** A loop over `ROWS` rows of `bytes` calling `call` (source using `read`), summing what `shape.kept` keeps. */
function loop(shape: Shape, call: string, read: unknown, setup = ""): (bytes: Uint8Array) => number {
  return new Function(
    "read",
    `return function scan(bytes) {
  ${setup}
  let sum = 0;
  for (let i = 0; i < ${ROWS}; i++) { const row = ${call}; sum += ${shape.kept}; }
  return sum;
};`,
  )(read) as (bytes: Uint8Array) => number;
}

const deps = ["dataViewOf", "keepsLength", "checkSpanSlowly"];
function compiled(source: string): unknown {
  return new Function(...deps, `"use strict";\n${source}`)(dataViewOf, keepsLength, checkSpanSlowly);
}

const ROW = `read(bytes, i * ${SIZE})`;

const FORMS: Record<string, (shape: Shape) => (bytes: Uint8Array) => number> = {
  "object literal per row": (shape) => {
    const readRow = compiled(`return function (dv, o) { return ${literal(shape, "literal")}; };`);
    return loop(shape, `read(dv, i * ${SIZE})`, readRow, "const dv = new DataView(bytes.buffer);");
  },
  "toolkit T.read()": (shape) => loop(shape, `read.read(bytes, i * ${SIZE})`, shape.layout),
  "read() as generated": (shape) =>
    loop(shape, ROW, compiled(cachedRead(`return ${literal(shape, "literal")};`, false))),
  "read() with readAt inside": (shape) =>
    loop(shape, ROW, compiled(cachedRead(`return ${literal(shape, "literal")};`, true))),
  "readAt(dv, o), DataView passed in": (shape) => {
    const readAt = compiled(`return function (dv, o) { return ${literal(shape, "literal")}; };`);
    const run = loop(shape, `read(dv, i * ${SIZE})`, readAt, "const dv = bytes;");
    return (bytes) => run(new DataView(bytes.buffer) as never);
  },
  "read() returning a class instance": (shape) => {
    const names = shape.fields.map(([name]) => name);
    const source = `const Row = class { constructor(${names.join(", ")}) { ${
      names.map((n) => `this.${n} = ${n};`).join(" ")
    } } };
${cachedRead(`return new Row(${values(shape, "literal").join(", ")});`, false)}`;
    return loop(shape, ROW, compiled(source));
  },
  "read(), arrays as fresh Uint8Array": (shape) =>
    loop(shape, ROW, compiled(cachedRead(`return ${literal(shape, "typed")};`, false))),
};

const contestants: string[] = [];
for (const shape of Object.keys(SHAPES)) {
  for (const form of Object.keys(FORMS)) {
    if (shape === "six u32" && form.includes("arrays as")) continue;
    contestants.push(`${form}, ${shape}`);
  }
}

const timings = separately(import.meta.url, contestants, (name): Timing => {
  const cut = name.lastIndexOf(", ");
  const shape = SHAPES[name.slice(cut + 2)]!;
  const run = FORMS[name.slice(0, cut)]!(shape);
  const bytes = new Uint8Array(ROWS * SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
  // Every form must sum the same thing the baseline does.
  const expected = FORMS["object literal per row"]!(shape)(bytes);
  if (run(bytes) !== expected) throw new Error(`${name}: wrong sum`);
  return time(name, () => run(bytes), { ops: ROWS, rounds: 15, warmup: 5 });
});
for (const shape of Object.keys(SHAPES)) {
  const group = timings.filter((t) => t.name.endsWith(`, ${shape}`));
  report(
    `Reading 1e6 rows of ${shape} and keeping one field, ns per row`,
    group,
    `object literal per row, ${shape}`,
  );
}

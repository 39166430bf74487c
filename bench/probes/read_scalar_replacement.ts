/**
 * Question (V8 escape analysis, JavaScriptCore allocation sinking): a loop that reads each row with
 * `T.read(bytes, offset)` and keeps one field allocates an object per row, where the same loop calling a
 * hand-written function that returns an object literal allocates none on Deno. What in `read()`'s shape keeps
 * the engines from removing its object, and which shape of `read()` comes closest to the literal?
 *
 * Found (Deno 2.9.5, counting young GCs with `--v8-flags=--trace-gc`): V8 inlines `read()` and `readAt` into
 * the loop in every form. In code compiled for the function (the loop's function called often, short loops),
 * TurboFan removes `read()`'s object with every check in place, once arrays inside are array literals; through
 * the arrays' codec (a call, a `new Array(length)` loop) each row still allocated. In code compiled on stack
 * replacement (OSR: one call running a long loop, as 1e6 rows in one call), a branch on the offset inside the
 * inlined `read()` (a bounds check that throws or calls, even a plain `o = ok ? byteOffset : -1`) made each
 * row allocate 16 bytes (with `--min-semi-space-size=1,--max-semi-space-size=1`: 312 scavenges of 1 MB over
 * 2e7 rows): one heap number, the loop's floating-point sum boxed, not the row, which is removed (summed with
 * `| 0` instead, no form allocates). A branch choosing the `DataView` (a tagged value) costs nothing.
 * On Bun 1.4.5 the old `read()` cost about 1.5-2 times the literal: the checks' branches themselves; with
 * allocation sinking off (`BUN_JSC_useObjectAllocationSinking=false`) the literal and `read()` both slowed,
 * so JavaScriptCore sinks both.
 *
 * Then (the size "after other bytes": the loop compiled, given other bytes once, timed again): in V8 the new
 * form's first failing `DataView` read inside compiled code is a deoptimization, after which V8 no longer
 * speculates on those reads, and the loop allocates again (109 scavenges against the literal's 7; in a run over
 * fresh buffers of 1e2 to 1e5 rows, 6-11 times the literal, against about 2 for the checks on branches). A
 * miss costs JavaScriptCore nothing lasting.
 *
 * Decided: arrays of scalars inside a row are read as array literals written out in the generated source
 * (`INLINE_ELEMENTS` in `structs/_accessors_generated.ts`). Where the engine hint `readChecksChooseView` says
 * so (JavaScriptCore, told by `ffi/`), the checks of `read()` only choose its `DataView`: the last bytes' one
 * when the bytes are the last ones and the offset is a whole number (the last field's read tests that the row
 * fits, when it ends the row), else one of no bytes, whose first read throws into a `catch` that redoes the
 * read with every check and the toolkit's error. On V8 the checks stay on branches.
 *
 * Later (Deno 2.9.5, Bun 1.4.5, bench/probes/read_checks_cost.ts, which times the forms interleaved in one
 * process: run in processes of their own, as here, the same contestant gave 1.9 to 5.8 ns per row from run to
 * run on a shared machine, so the ratios printed here can mislead by 2 times). V8's gap is not the object,
 * which it removes, nor inlining: it is the checks' instructions in code compiled for the function (the literal
 * is about ten cycles a row), and in OSR code the caller's sum boxed whenever a call is reachable inside the
 * inlined `read()`, which keeps TurboFan from peeling the loop. The checks on branches now read the bytes' own
 * length once and make their errors in a call choosing the `DataView`; "checks on branches (generated on
 * Deno)" below is the form before that.

 * Contestants, each in a process of its own, each a loop that reads a row and sums one field of it (and one
 * element of each array, for the row with arrays), over 1e6 rows in one call (OSR code) and over 1e3 rows in
 * each of 1e3 calls (code compiled for the function): a hand-written function returning an object literal
 * over a `DataView` made by the loop's function (baseline); the toolkit's `T.read(bytes, offset)`; and shapes
 * of `read()` compiled here with `new Function` as the generator does: as generated on Bun (the checks choosing
 * the `DataView`, errors from a `catch`), as generated on Deno (the cached `DataView`, the miss in a function
 * of its own, the bounds check on a branch, `readAt` apart), the same keeping the cached bytes' length
 * beside their `DataView` (the check reads no `byteLength` getter), the same with `readAt` written inside
 * `read()`, `readAt(dv, o)` alone over a `DataView` the caller passes (no cache, no check: the floor of any
 * `read()`), a class instance instead of a literal, and for arrays a fresh `Uint8Array` per array. Two rows:
 * six `u32` (24 bytes, as `MIB_TCPROW_OWNER_PID`) and a 24-byte row with two `u8[4]` arrays.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_scalar_replacement.ts` and
 * `./node_modules/.bin/bun bench/probes/read_scalar_replacement.ts`. To see whether one contestant allocates:
 * `FFIKIT_PROBE_CONTESTANT="toolkit T.read(), six u32, 1e6 rows" ./node_modules/.bin/deno run -A
 * --v8-flags=--trace-gc bench/probes/read_scalar_replacement.ts` (a young GC every 2-3e5 rows: it allocates).
 *
 * @module
 */
import { array, struct, u32, u8 } from "../../mod.ts";
import { checkSpanSlowly, dataViewOf, keepsLength } from "../../structs/_bytes.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const SIZE = 24;
/** Rows per call of the loop, and calls per timed round: one long loop runs in OSR code, short ones do not. */
const SIZES: Record<string, { rows: number; repeat: number }> = {
  "1e6 rows": { rows: 1_000_000, repeat: 1 },
  "1e3 rows": { rows: 1_000, repeat: 1_000 },
  // The loop compiled, then given other bytes once (a cache miss inside compiled code), then timed again.
  "1e6 rows after other bytes": { rows: 1_000_000, repeat: 1 },
};
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

/** `makeRead` keeping the cached bytes' length beside their `DataView`, so that the check reads no getter. */
function lengthKept(body: string): string {
  return `const readAt = function (dv, o) { ${body} };
let lastBytes = {}, lastView, lastLength = 0;
const miss = function (bytes) {
  const dv = dataViewOf(bytes, "read", "Row");
  if (keepsLength(bytes, dv)) {
    lastBytes = bytes;
    lastView = dv;
    lastLength = dv.byteLength;
  }
  return dv;
};
return function read(bytes, byteOffset = 0) {
  let dv = lastView, length = lastLength;
  if (bytes !== lastBytes || bytes.byteLength === 0) length = (dv = miss(bytes)).byteLength;
  if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + ${SIZE} > length) {
    checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  }
  return readAt(dv, byteOffset);
};`;
}

/** `makeRead` as generated on Deno: checks on branches inside read(), given the source of what reads a row at `o` from `dv`. */
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

/** `makeRead` as generated on Bun: the checks choose the DataView (one of no bytes fails the first read), errors in a catch. */
function pickedRead(body: string): string {
  return `const readAt = function (dv, o) { ${body} };
const NO_BYTES = new DataView(new ArrayBuffer(0));
let lastBytes = {}, lastView;
const miss = function (bytes) {
  const dv = dataViewOf(bytes, "read", "Row");
  if (keepsLength(bytes, dv)) {
    lastBytes = bytes;
    lastView = dv;
  }
  return dv;
};
const readChecked = function (bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);
  if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + ${SIZE} > dv.byteLength) {
    checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  }
  return readAt(dv, byteOffset);
};
return function read(bytes, byteOffset = 0) {
  try {
    // Both rows' last field ends at the row's end: its read checks that the row fits.
    const dv = bytes === lastBytes && typeof byteOffset === "number" && (byteOffset >>> 0) === byteOffset
      ? lastView
      : NO_BYTES;
    const o = byteOffset;
    ${body}
  } catch {
    return readChecked(bytes, byteOffset);
  }
};`;
}

/** A loop over the first `rows` rows of `bytes` calling `call` (source using `read`), summing what `shape.kept` keeps. */
function loop(shape: Shape, call: string, read: unknown, setup = ""): Scan {
  return new Function(
    "read",
    `return function scan(bytes, rows) {
  ${setup}
  let sum = 0;
  for (let i = 0; i < rows; i++) { const row = ${call}; sum += ${shape.kept}; }
  return sum;
};`,
  )(read) as Scan;
}

const deps = ["dataViewOf", "keepsLength", "checkSpanSlowly"];
function compiled(source: string): unknown {
  return new Function(...deps, `"use strict";\n${source}`)(dataViewOf, keepsLength, checkSpanSlowly);
}

const ROW = `read(bytes, i * ${SIZE})`;

/** Sums what is kept of the first `rows` rows of `bytes`. */
type Scan = (bytes: Uint8Array, rows: number) => number;

const FORMS: Record<string, (shape: Shape) => Scan> = {
  "object literal per row": (shape) => {
    const readRow = compiled(`return function (dv, o) { return ${literal(shape, "literal")}; };`);
    return loop(shape, `read(dv, i * ${SIZE})`, readRow, "const dv = new DataView(bytes.buffer);");
  },
  "toolkit T.read()": (shape) => loop(shape, `read.read(bytes, i * ${SIZE})`, shape.layout),
  "read(), checks choosing the DataView (generated on Bun)": (shape) =>
    loop(shape, ROW, compiled(pickedRead(`return ${literal(shape, "literal")};`))),
  "read(), checks on branches (generated on Deno)": (shape) =>
    loop(shape, ROW, compiled(cachedRead(`return ${literal(shape, "literal")};`, false))),
  "read(), the length kept": (shape) =>
    loop(shape, ROW, compiled(lengthKept(`return ${literal(shape, "literal")};`))),
  "read() with readAt inside": (shape) =>
    loop(shape, ROW, compiled(cachedRead(`return ${literal(shape, "literal")};`, true))),
  "readAt(dv, o), DataView passed in": (shape) => {
    const readAt = compiled(`return function (dv, o) { return ${literal(shape, "literal")}; };`);
    const run = loop(shape, `read(dv, i * ${SIZE})`, readAt, "const dv = bytes;");
    return (bytes, rows) => run(new DataView(bytes.buffer) as never, rows);
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

function expectedSum(shape: Shape, bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer);
  let sum = 0;
  for (let o = 0; o < ROWS * SIZE; o += SIZE) {
    sum += dv.getUint32(o + 20, true);
    if (shape.fields[1]![2] !== 0) sum += dv.getUint8(o + 5) + dv.getUint8(o + 14);
  }
  return sum;
}

const contestants: string[] = [];
for (const size of Object.keys(SIZES)) {
  for (const shape of Object.keys(SHAPES)) {
    for (const form of Object.keys(FORMS)) {
      if (shape === "six u32" && form.includes("arrays as")) continue;
      contestants.push(`${form}, ${shape}, ${size}`);
    }
  }
}

const timings = separately(import.meta.url, contestants, (name): Timing => {
  // Form names hold commas: the shape and the size are the last two parts.
  const parts = name.split(", ");
  const size = parts.pop()!, shapeName = parts.pop()!, form = parts.join(", ");
  const shape = SHAPES[shapeName]!;
  const { rows, repeat } = SIZES[size]!;
  const run = FORMS[form]!(shape);
  const bytes = new Uint8Array(ROWS * SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
  // Every form must sum what is read here by hand (not by another contestant's source, whose type feedback a
  // contestant compiled from the same text would share: bench/probes/numbered_sources.ts).
  if (run(bytes, ROWS) !== expectedSum(shape, bytes)) throw new Error(`${name}: wrong sum`);
  if (size.endsWith("after other bytes")) {
    for (let i = 0; i < 5; i++) run(bytes, rows);
    run(bytes.slice(0, 100 * SIZE), 100);
  }
  return time(name, () => {
    let sum = 0;
    for (let r = 0; r < repeat; r++) sum += run(bytes, rows);
    return sum;
  }, { ops: rows * repeat, rounds: 15, warmup: 5 });
});
for (const size of Object.keys(SIZES)) {
  for (const shape of Object.keys(SHAPES)) {
    const group = timings.filter((t) => t.name.endsWith(`, ${shape}, ${size}`));
    report(
      `Reading rows of ${shape}, ${size} per loop, keeping one field, ns per row`,
      group,
      `object literal per row, ${shape}, ${size}`,
    );
  }
}

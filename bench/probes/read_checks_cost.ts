/**
 * Question (V8 first, JavaScriptCore beside it): on Deno, a loop keeping one field of `T.read(bytes, offset)`
 * per row costs about twice the same loop over a hand-written function returning an object literal from a
 * `DataView` the loop made. Which part of `read()`'s work costs it: where the `DataView` comes from, the cached
 * `DataView`'s look-up, the checks on the offset, the test for a detached buffer, or the object? And is there a
 * shape of `read()` that keeps every check (the toolkit's named errors for other bytes, bad offsets, trailing
 * padding, detached buffers) within 1.3 times the literal in code compiled for the function and in code
 * compiled on stack replacement (OSR)?
 *
 * Contestants, interleaved round by round in one process per group (bench/probes/_interleaved.ts: on this
 * shared 2-core machine, the same contestant in separate processes gave 1.9 to 5.8 ns per row from run to
 * run, so only ratios inside one process are read), each its own numbered source. A group is a row shape (six
 * `u32`, 24 bytes as `MIB_TCPROW_OWNER_PID`; a 24-byte row with two `u8[4]`) and a size: 1e3 rows in each of
 * 1e3 calls (code compiled for the function), 1e6 rows in one call (OSR code), and both again after the loop,
 * compiled, was given other bytes once (100 rows of a copy: a miss of the cached `DataView` inside compiled
 * code). Every loop sums one field per row (and one element of each array).
 *
 * - the literal over a `DataView` the loop makes (baseline), and over one passed in;
 * - the toolkit's `T.read()`; `read()` as generated on V8 before (the cached `DataView`, the bytes' length
 *   tested for 0, the offset tested against the `DataView`'s length) and now (the bytes' own length, once; the
 *   errors from a call that chooses the `DataView`), and the same with the errors after a `return`;
 * - the cache alone: the cached `DataView` looked up, no check at all (not safe: the floor of a cached read);
 * - the offset checks alone over a `DataView` passed in (no cache);
 * - the checks on branches with the buffer's length kept beside its `DataView`;
 * - the cache and the integer test on branches, the row's fit (and the detached buffer) left to the reads, a
 *   failed read redone in a `catch` with every check; the same with the detached test found by the `catch`;
 * - the checks choosing the object read from, as JavaScriptCore's form does, with the miss an object that is
 *   no `DataView`: one whose `getUint32`/`getUint8` throw, or one whose own symbol property throws when read
 *   before the fields (with and without the detached test). No `DataView` read fails, so V8 keeps speculating on
 *   them (a failed one stops it for good: bench/probes/read_scalar_replacement.ts); and the checks choosing a
 *   token whose miss throws when read, the reads choosing the last `DataView` or a zeroed row, always in bounds.
 *
 * Found (Deno 2.9.5, V8 15.0; `--v8-flags=--trace-turbo-inlining,--trace-deopt,--trace-opt,--trace-gc`, and
 * the graphs of `--trace-turbo-scheduled`, which show the code compiled for the function only: V8 compiles no
 * OSR code in TurboFan while tracing). Not inlining: V8 inlines `read()` and `readAt` into the loop in every
 * form, and removes the row object in code compiled for the function. Not the unused fields: the literal's
 * loop keeps all six bounds-checked reads (each may deoptimize). Not where the `DataView` comes from: made by
 * the loop or passed in, 0.93-1.01. The literal's loop body is six bounds-checked loads, the `DataView`'s
 * length loaded twice and its data pointer once: 3.3-3.6 ns a row, about ten cycles, so each instruction
 * `read()` adds shows. The cache alone costs 1.16-1.33 times the literal (two context loads, a compare, a map
 * check of the cached `DataView`), the offset checks alone 1.33-1.35; the checks on branches as generated
 * before 1.65-1.67 (two `u8[4]`: 1.31-1.36). In OSR code (1e6 rows in one call) the rest of the gap, 2.4-2.6
 * times, is the loop's floating-point sum boxed, a heap number a row: TurboFan peels the loop's first iteration,
 * which makes the sum's loop value a float instead of the tagged value OSR enters with. Counting young
 * collections with a 1 MB young generation (the group "six u32, 1e6 rows", one form beside the baseline, the
 * counts for both): the literal alone 6, and 345 with `--no-turbo-loop-peeling`; the cache alone, whose only
 * call is the miss on a branch, 333; the toolkit 590. Any call the inlined `read()` can reach inside the loop
 * (the miss, a check's error, even a call whose result is unused) did so in the runs we made, where a branch
 * choosing a constant did not; the same form sometimes escapes it from one compile to the next (1.4-1.8 in a
 * few runs). The checks choosing the object read from reach no call until a miss (15 collections; 1.4-1.55
 * times in OSR code, 1.4-1.6 in code for the function), but after a miss in compiled code the reads see two
 * kinds of object, and each row allocates in code for the function (3,225 collections against 62 for the
 * toolkit and 18 for the literal; 3.4-18.6 times the literal); leaving the row's fit to the reads does the
 * same after other bytes once a `return` or `catch` path is live (3.8-4.0 times), and so does the throwing
 * token, whose reads never see another object (1.35 in OSR code and 1.75 for the function until a miss, 4.6-4.8
 * after one): in V8, a `catch` that a miss has made live costs every row its object.
 *
 * On Bun 1.4.5 the toolkit's `read()` (JavaScriptCore's form) is 0.95-1.17 times the literal in every group;
 * the V8 form there (a `structs/` not told its engine) was 1.60-1.80 for six `u32` before, 1.41-1.81 now, and
 * the form whose errors follow a `return` 3.2-5.7: that `read()` grew past what JavaScriptCore inlines.
 *
 * Decided (`structs/_accessors_generated.ts`, the form on V8 and when not told the engine): `read()` tests
 * the offset against the bytes' own length, read once, which is also the detached test (a detached buffer's
 * views report 0 bytes), where the `DataView`'s length and a test of the bytes' for 0 were two; a miss of the
 * test calls a function that makes the `DataView` again with every check (its errors), not a `return`. A
 * caller's `DataView` is not kept by `read()` (asked its length once detached, it throws the engine's error),
 * and is checked on each call, as `dataViewOf` does. The toolkit's `read()` on Deno, three runs: six `u32`
 * 1.60-1.67 times the literal in code compiled for the function (1.66-1.74 before), two `u8[4]` 1.29-1.33; in
 * OSR code mostly 2.0-2.6 (1.4 when the loop was peeled) and 1.27-1.70. No shape that keeps every check comes
 * within 1.3 times the literal for six `u32` on V8: the checks' instructions are a third of a ten-cycle row in
 * code for the function, and in OSR code any call left for a miss boxes the caller's sum.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_checks_cost.ts` and
 * `./node_modules/.bin/bun bench/probes/read_checks_cost.ts`. One group alone, with V8's tools:
 * `FFIKIT_PROBE_CONTESTANT="six u32, 1e3 rows x 1e3 calls after other bytes" ./node_modules/.bin/deno run -A
 * --v8-flags=--trace-deopt bench/probes/read_checks_cost.ts` (or `--trace-turbo-inlining`). One form alone beside the
 * baseline, to count young collections: add `FFIKIT_PROBE_FORM="the cache alone, no check (not safe)"` and
 * `--v8-flags=--trace-gc,--min-semi-space-size=1,--max-semi-space-size=1`, or `--no-turbo-loop-peeling`.
 *
 * @module
 */
import process from "node:process";
import { array, struct, u32, u8 } from "../../mod.ts";
import { checkSpanSlowly, dataViewOf, keepsLength } from "../../structs/_bytes.ts";
import { type Interleaved, timeInterleaved } from "./_interleaved.ts";
import { childResult, report, type Timing } from "./_time.ts";

const SIZE = 24;
const ROWS = 1_000_000;

interface Shape {
  /** Each field as (name, offset, array length or 0). */
  readonly fields: readonly (readonly [string, number, number])[];
  readonly layout: () => { read(bytes: Uint8Array, byteOffset?: number): unknown };
  /** Source of the value summed per row, from a row named `row`. */
  readonly kept: string;
}

const SHAPES: Record<string, Shape> = {
  "six u32": {
    fields: [["a", 0, 0], ["b", 4, 0], ["c", 8, 0], ["d", 12, 0], ["e", 16, 0], ["f", 20, 0]],
    layout: () => struct({ a: u32, b: u32, c: u32, d: u32, e: u32, f: u32 }, { name: "Six" }),
    kept: "row.f",
  },
  "two u8[4]": {
    fields: [["a", 0, 0], ["b", 4, 4], ["c", 8, 0], ["d", 12, 4], ["e", 16, 0], ["f", 20, 0]],
    layout: () =>
      struct({ a: u32, b: array(u8, 4), c: u32, d: array(u8, 4), e: u32, f: u32 }, { name: "Arrays" }),
    kept: "row.f + row.b[1] + row.d[2]",
  },
};

const SIZES: Record<string, { rows: number; repeat: number; otherBytes: boolean }> = {
  "1e3 rows x 1e3 calls": { rows: 1_000, repeat: 1_000, otherBytes: false },
  "1e6 rows": { rows: 1_000_000, repeat: 1, otherBytes: false },
  "1e3 rows x 1e3 calls after other bytes": { rows: 1_000, repeat: 1_000, otherBytes: true },
  "1e6 rows after other bytes": { rows: 1_000_000, repeat: 1, otherBytes: true },
};

/** The source of an object literal reading `shape`'s row at `o` from `dv`, arrays as array literals. */
function literal(shape: Shape): string {
  return `{ ${
    shape.fields.map(([name, at, length]) =>
      length === 0
        ? `${name}: dv.getUint32(o + ${at}, true)`
        : `${name}: [${Array.from({ length }, (_, i) => `dv.getUint8(o + ${at + i})`).join(", ")}]`
    ).join(", ")
  } }`;
}

let sources = 0;
/** Compiles `source` (a function body) with the toolkit's helpers; numbered, so no two share feedback. */
function compiled(source: string): unknown {
  return new Function(
    "dataViewOf",
    "keepsLength",
    "checkSpanSlowly",
    `"use strict"; // ${sources++}\n${source}`,
  )(
    dataViewOf,
    keepsLength,
    checkSpanSlowly,
  );
}

type Scan = (bytes: unknown, rows: number) => number;

/** A loop over the first `rows` rows calling `call` (source using `read`), summing what `shape.kept` keeps. */
function loop(shape: Shape, call: string, read: unknown, setup = ""): Scan {
  return new Function(
    "read",
    `// loop ${sources++}
return function scan(bytes, rows) {
  ${setup}
  let sum = 0;
  for (let i = 0; i < rows; i++) { const row = ${call}; sum += ${shape.kept}; }
  return sum;
};`,
  )(read) as Scan;
}

const ROW = `read(bytes, i * ${SIZE})`;
const READ_AT = (shape: Shape) => `const readAt = function (dv, o) { return ${literal(shape)}; };`;
// Every check, and the errors: what most forms call on a miss.
const READ_CHECKED = `const readChecked = function (bytes, byteOffset) {
  const dv = miss(bytes);
  checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  return readAt(dv, byteOffset);
};`;
const MISS = (keep: string) =>
  `const miss = function (bytes) {
  const dv = dataViewOf(bytes, "read", "Row");
  if (keepsLength(bytes, dv)) { lastBytes = bytes; lastView = dv; ${keep} }
  return dv;
};`;
const OFFSET_BAD = `typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset`;

/** `read()` whose checks choose the object read from: `lastView`, or `miss` (no `DataView`), which throws. */
function chosenRead(shape: Shape, missObject: string, probe: string, detachedTest: boolean): string {
  return `${READ_AT(shape)}
${missObject}
let lastBytes = {}, lastView, lastLength = 0;
${MISS("lastLength = dv.byteLength;")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  try {
    const dv = bytes === lastBytes${detachedTest ? " && bytes.byteLength !== 0" : ""} &&
      !(${OFFSET_BAD}) && byteOffset + ${SIZE} <= lastLength ? lastView : NOT_READ;
    ${probe}
    const o = byteOffset;
    return ${literal(shape)};
  } catch {
    return readChecked(bytes, byteOffset);
  }
};`;
}
const THROWING_GETTERS = `const NOT_READ = {
  getUint32() { throw new RangeError("not read"); },
  getUint8() { throw new RangeError("not read"); },
};`;
const THROWING_KEY = `const NOT_READ_KEY = Symbol("not read");
const NOT_READ = { get [NOT_READ_KEY]() { throw new RangeError("not read"); } };`;

/** `read()` whose checks choose a token (its miss throws when read) and a row that is always readable. */
function tokenRead(shape: Shape): string {
  return `${READ_AT(shape)}
const ZEROS = new DataView(new ArrayBuffer(${SIZE}));
const PASS = { token: 0 };
const FAIL = { get token() { throw new RangeError("not read"); } };
let lastBytes = {}, lastView, lastLength = 0;
${MISS("lastLength = dv.byteLength;")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  try {
    const ok = bytes === lastBytes && bytes.byteLength !== 0 && !(${OFFSET_BAD}) && byteOffset + ${SIZE} <= lastLength;
    (ok ? PASS : FAIL).token;
    const dv = ok ? lastView : ZEROS;
    const o = ok ? byteOffset : 0;
    return ${literal(shape)};
  } catch {
    return readChecked(bytes, byteOffset);
  }
};`;
}

const FORMS: Record<string, (shape: Shape) => Scan> = {
  "object literal, DataView made by the loop": (shape) =>
    loop(
      shape,
      `read(dv, i * ${SIZE})`,
      compiled(`return function (dv, o) { return ${literal(shape)}; };`),
      "const dv = new DataView(bytes.buffer);",
    ),
  "object literal, DataView passed in": (shape) => {
    const run = loop(
      shape,
      `read(dv, i * ${SIZE})`,
      compiled(`return function (dv, o) { return ${literal(shape)}; };`),
      "const dv = bytes.dv;",
    );
    return (bytes, rows) => run({ dv: new DataView((bytes as Uint8Array).buffer) }, rows);
  },
  "toolkit T.read()": (shape) => loop(shape, `read.read(bytes, i * ${SIZE})`, shape.layout()),
  "read(), checks on branches, two lengths (generated on Deno before)": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);
  if (${OFFSET_BAD} || byteOffset + ${SIZE} > dv.byteLength) checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  return readAt(dv, byteOffset);
};`),
    ),
  "the cache alone, no check (not safe)": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes) dv = miss(bytes);
  return readAt(dv, byteOffset);
};`),
    ),
  "the offset checks alone, DataView passed in": (shape) => {
    const read = compiled(`${READ_AT(shape)}
return function (dv, byteOffset) {
  if (${OFFSET_BAD} || byteOffset + ${SIZE} > dv.byteLength) checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  return readAt(dv, byteOffset);
};`);
    const run = loop(shape, `read(dv, i * ${SIZE})`, read, "const dv = bytes.dv;");
    return (bytes, rows) => run({ dv: new DataView((bytes as Uint8Array).buffer) }, rows);
  },
  "checks on branches, the length kept": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView, lastLength = 0;
${MISS("lastLength = dv.byteLength;")}
return function read(bytes, byteOffset = 0) {
  let dv = lastView, length = lastLength;
  if (bytes !== lastBytes || bytes.byteLength === 0) length = (dv = miss(bytes)).byteLength;
  if (${OFFSET_BAD} || byteOffset + ${SIZE} > length) checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  return readAt(dv, byteOffset);
};`),
    ),
  "checks on branches, one length, the errors after a return": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes) dv = miss(bytes);
  if (${OFFSET_BAD} || byteOffset + ${SIZE} > bytes.byteLength) return readChecked(bytes, byteOffset);
  return readAt(dv, byteOffset);
};`),
    ),
  "read(), checks on branches, one length (generated on Deno now)": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
const checkedView = function (bytes, byteOffset) {
  const dv = miss(bytes);
  checkSpanSlowly(dv, byteOffset, ${SIZE}, "read", "Row");
  return dv;
};
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes) dv = miss(bytes);
  if (${OFFSET_BAD} || byteOffset + ${SIZE} > bytes.byteLength) dv = checkedView(bytes, byteOffset);
  return readAt(dv, byteOffset);
};`),
    ),
  "the cache and integer test on branches, fits by the reads": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);
  if (${OFFSET_BAD}) return readChecked(bytes, byteOffset);
  try {
    return readAt(dv, byteOffset);
  } catch {
    return readChecked(bytes, byteOffset);
  }
};`),
    ),
  "the cache and integer test on branches, fits and detached by the reads": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView;
${MISS("")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  let dv = lastView;
  if (bytes !== lastBytes) dv = miss(bytes);
  if (${OFFSET_BAD}) return readChecked(bytes, byteOffset);
  try {
    return readAt(dv, byteOffset);
  } catch {
    return readChecked(bytes, byteOffset);
  }
};`),
    ),
  "checks on branches, detached found by a catch": (shape) =>
    loop(
      shape,
      ROW,
      compiled(`${READ_AT(shape)}
let lastBytes = {}, lastView, lastLength = 0;
${MISS("lastLength = dv.byteLength;")}
${READ_CHECKED}
return function read(bytes, byteOffset = 0) {
  if (bytes !== lastBytes || ${OFFSET_BAD} || byteOffset + ${SIZE} > lastLength) return readChecked(bytes, byteOffset);
  try { return readAt(lastView, byteOffset); } catch { return readChecked(bytes, byteOffset); }
};`),
    ),
  "checks choose a throwing token, reads always in bounds": (shape) =>
    loop(shape, ROW, compiled(tokenRead(shape))),
  "checks choose the object: throwing getters": (shape) =>
    loop(shape, ROW, compiled(chosenRead(shape, THROWING_GETTERS, "", true))),
  "checks choose the object: a throwing key, no detached test": (shape) =>
    loop(shape, ROW, compiled(chosenRead(shape, THROWING_KEY, "dv[NOT_READ_KEY];", false))),
  "checks choose the object: a throwing key": (shape) =>
    loop(shape, ROW, compiled(chosenRead(shape, THROWING_KEY, "dv[NOT_READ_KEY];", true))),
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

/** Times every form on one shape and size, interleaved, in this process. */
function group(shapeName: string, sizeName: string): Timing[] {
  const shape = SHAPES[shapeName]!;
  const { rows, repeat, otherBytes } = SIZES[sizeName]!;
  const bytes = new Uint8Array(ROWS * SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
  const expected = expectedSum(shape, bytes);
  const contestants: Record<string, Interleaved> = {};
  // One form alone (and the baseline), to count its collections: FFIKIT_PROBE_FORM names it.
  const only = process.env.FFIKIT_PROBE_FORM;
  for (const [name, make] of Object.entries(FORMS)) {
    if (only !== undefined && name !== only && !name.startsWith("object literal, DataView made")) continue;
    const run = make(shape);
    // Every form must sum what is read here by hand.
    if (run(bytes, ROWS) !== expected) throw new Error(`${name}: wrong sum`);
    if (otherBytes) {
      for (let i = 0; i < 5; i++) run(bytes, rows);
      run(bytes.slice(0, 100 * SIZE), 100);
    }
    contestants[name] = {
      run: () => {
        let sum = 0;
        for (let r = 0; r < repeat; r++) sum += run(bytes, rows);
        return sum;
      },
      ops: rows * repeat,
    };
  }
  return timeInterleaved(contestants, 15);
}

const groups = Object.keys(SIZES).flatMap((size) => Object.keys(SHAPES).map((shape) => `${shape}, ${size}`));
const chosen = process.env.FFIKIT_PROBE_CONTESTANT;
if (chosen !== undefined) {
  const [shape, ...size] = chosen.split(", ");
  if (!groups.includes(chosen)) {
    throw new TypeError(`Unknown group "${chosen}": expected ${groups.join("; ")}`);
  }
  console.log(`__timings__${JSON.stringify(group(shape!, size.join(", ")))}`);
  process.exit(0);
}
for (const name of groups) {
  report(
    `Reading rows of ${name}, keeping one field, interleaved, ns per row`,
    childResult<Timing[]>(import.meta.url, name, "__timings__"),
    "object literal, DataView made by the loop",
  );
}

/**
 * Question: a callback's pointer arguments arrive on Bun as addresses, each boxed into a toolkit `Pointer` (NULL
 * as `null`). Box each one behind its NULL test (`a === 0 ? null : box(a)`), or test every pointer first and
 * make the call twice over, once with each address boxed with no test and once through the converters? Does
 * either show in a `qsort` comparator, where the runtime's own callback costs about 100 ns a call?
 *
 * Decided: the call made twice over (`callTarget` in `ffi/callback.ts`, with `boxAddress` from `ffi/_bun.ts`).
 * When decided (Bun 1.4.5, CPU time, qsort of 20,000 ints, 2-core machine under load): a box behind a test
 * cost 10–13 ns a comparison over a raw `JSCallback` (107–113 ns), the same box with no test 0–3 ns, since
 * JavaScriptCore keeps an object made in one arm of a branch; the toolkit's comparator went from 148 ns (the
 * issue's figure; a rest-parameter target then) through 122–125 (exact arity, reader table) to 1.00–1.04× the
 * raw callback. On Deno, pointers arrive as objects and need no box: the toolkit's comparator and the raw
 * `UnsafeCallback` differ by what `unsafeRead` adds to `UnsafePointerView#getInt32` (1.07–1.12×, then
 * 1.04–1.06× once Deno's `read()` took a reader table in place of its switch). Figures: docs/runtime-notes.md.
 *
 * Contestants, all made in one process and timed in interleaved rounds of CPU time (the process run three
 * times), every comparator reading both ints: the runtime's own callback reading with `read.i32` (Bun) or
 * `UnsafePointerView#getInt32` (Deno) (baseline); on Bun the same comparator boxing its two addresses behind a
 * NULL test (rejected) and with the test first and no test at the box (chosen), both reading through the box
 * as `unsafeRead` does; and the toolkit's `callback()` with `unsafeRead` (the library as a user writes it).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/callback_target.ts` and
 * `./node_modules/.bin/bun bench/probes/callback_target.ts`.
 *
 * @module
 */
import {
  buffer,
  callback,
  dlopen,
  functionPointer,
  i32,
  pointer,
  size_t,
  unsafeRead,
  void_,
} from "../../mod.ts";
import { bunFfi } from "./_raw_ffi.ts";
import process from "node:process";
import { childResult, report, type Timing } from "./_time.ts";

const COUNT = 20_000;
const PROCESSES = 3;
const data = new Int32Array(COUNT);
let comparisons = 0;

function fill(): void {
  let seed = 12345;
  for (let i = 0; i < COUNT; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = seed;
  }
}

type Compare = (a: never, b: never) => number;
/** Makes the comparator into a native pointer, and the sort that uses it. */
type Sorter = (compare: Compare) => () => void;

let rawSorter: Sorter;
let readI32: (p: never) => number;
if (bunFfi) {
  const ffi = bunFfi as unknown as {
    dlopen: typeof bunFfi.dlopen;
    read: { i32(address: number, offset: number): number };
    JSCallback: new (fn: Compare, d: { args: string[]; returns: string }) => { ptr: number };
  };
  const qsort = ffi.dlopen("libc.so.6", {
    qsort: { args: ["ptr", "usize", "usize", "ptr"], returns: "void" },
  })
    .symbols.qsort!;
  const read = ffi.read;
  readI32 = (p) => read.i32(p as number, 0);
  rawSorter = (compare) => {
    const native = new ffi.JSCallback(compare, { args: ["ptr", "ptr"], returns: "i32" });
    return () => qsort(data, COUNT, 4, native.ptr);
  };
} else {
  const qsort = Deno.dlopen("libc.so.6", {
    qsort: { parameters: ["buffer", "usize", "usize", "pointer"], result: "void" },
  }).symbols.qsort;
  readI32 = (p) => new Deno.UnsafePointerView(p as Deno.PointerObject).getInt32(0);
  rawSorter = (compare) => {
    const native = new Deno.UnsafeCallback(
      { parameters: ["pointer", "pointer"], result: "i32" },
      compare as unknown as (a: Deno.PointerValue, b: Deno.PointerValue) => number,
    );
    return () => qsort(data, BigInt(COUNT), 4n, native.pointer);
  };
}

function compareRaw(a: never, b: never): number {
  comparisons++;
  const x = readI32(a), y = readI32(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// A box as the Bun backend makes it: the address in a private field, read back through a test of the class.
class Box {
  #address: number;
  constructor(address: number) {
    this.#address = address;
  }
  static read(box: unknown): number {
    if (box instanceof Box) return readI32(box.#address as never);
    throw new TypeError("not a pointer");
  }
}

function compareBoxes(a: Box | null, b: Box | null): number {
  comparisons++;
  const x = Box.read(a), y = Box.read(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const boxOrNull = (address: number): Box | null => address === 0 ? null : new Box(address);
const boxAddress = (address: number): Box => new Box(address);

// The rejected shape: each pointer boxed behind its NULL test.
function boxedBehindTest(a: number, b: number): number {
  return compareBoxes(boxOrNull(a), boxOrNull(b));
}

// The chosen shape: every pointer tested first, then boxed with no test (or through the tests when one is NULL).
function testedFirst(a: number, b: number): number {
  return a !== 0 && b !== 0
    ? compareBoxes(boxAddress(a), boxAddress(b))
    : compareBoxes(boxOrNull(a), boxOrNull(b));
}

const contestants: Record<string, () => () => void> = {
  "raw runtime callback": () => rawSorter(compareRaw),
  ...(bunFfi
    ? {
      "box behind a NULL test (rejected)": () => rawSorter(boxedBehindTest as Compare),
      "NULL tests first, box with none (chosen)": () => rawSorter(testedFirst as Compare),
    }
    : {}),
  "callback() + unsafeRead": () => {
    const libc = dlopen("libc.so.6", {
      qsort: { args: [buffer, size_t, size_t, functionPointer], returns: void_ },
    });
    const compare = callback({ args: [pointer, pointer], returns: i32 }, (a, b) => {
      comparisons++;
      const x = unsafeRead(a!, i32), y = unsafeRead(b!, i32);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return () => libc.symbols.qsort(data, COUNT, 4, compare);
  },
};

// Every contestant made in one process and timed in interleaved rounds (one sort each per round, in turn), so
// that the machine's load moves them alike; the process runs again PROCESSES times.
function measureAll(): Timing[] {
  const names = Object.keys(contestants);
  const sorts = names.map((name) => {
    const sort = contestants[name]!();
    fill();
    comparisons = 0;
    sort();
    for (let i = 1; i < COUNT; i++) {
      if (data[i - 1]! > data[i]!) throw new Error(`${name}: the array is not sorted`);
    }
    return sort;
  });
  const samples: number[][] = names.map(() => []);
  for (let round = 0; round < ROUNDS + 3; round++) {
    sorts.forEach((sort, i) => {
      fill();
      comparisons = 0;
      // CPU time: on a shared machine, wall time counts the time the process waits for a core.
      const start = process.cpuUsage();
      sort();
      const used = process.cpuUsage(start);
      const ns = ((used.user + used.system) * 1e3) / comparisons;
      if (round >= 3) samples[i]!.push(ns);
    });
  }
  return names.map((name, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    return { name, best: sorted[0]!, median: sorted[sorted.length >> 1]!, worst: sorted[sorted.length - 1]! };
  });
}

const ROUNDS = 15;
if (process.env.FFIKIT_PROBE_CONTESTANT === "all") {
  console.log(`__timings__${JSON.stringify(measureAll())}`);
  process.exit(0);
}
const runs: Timing[][] = [];
for (let i = 0; i < PROCESSES; i++) {
  runs.push(childResult<Timing[]>(import.meta.url, "all", "__timings__"));
}
const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
const names = Object.keys(contestants);
const timings = names.map((name, i): Timing => ({
  name,
  best: Math.min(...runs.map((run) => run[i]!.best)),
  median: median(runs.map((run) => run[i]!.median)),
  worst: Math.max(...runs.map((run) => run[i]!.worst)),
}));
report(
  `A qsort comparator's target, ns per comparison of ${COUNT} ints (${PROCESSES} processes, ${ROUNDS} interleaved rounds each)`,
  timings,
  "raw runtime callback",
);

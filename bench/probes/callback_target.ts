/**
 * Question: a callback's target (the function the runtime calls, which converts C's arguments, calls the user's
 * function and checks its result) written with a rest parameter and a loop over converters, against one
 * generated with the callback's exact arity and the result check inline. Does the shape show in a `qsort`
 * comparator, where the runtime's own callback costs about 100 ns a call?
 *
 * Decided: the generated form (`callTarget` in `ffi/callback.ts`). When decided (Bun 1.4.5, qsort of 20,000
 * ints, best of 15 sorts): the toolkit's comparator went from 148–172 ns a comparison to 122–124 against a raw
 * `JSCallback`'s 105–107, of which the rest-parameter target was about 30 ns and Bun's per-read lookup of
 * `ffi.read[MACHINE_TYPES[type].bunRead]` and the pointer unboxing through `unbox()` another 10 (now a reader
 * table made once, and the box tested inline in `address()`, `ffi/_bun.ts`). On Deno every form costs what the
 * raw `UnsafeCallback` does: its callback call dominates.
 *
 * Contestants, each in processes of its own, all comparators reading both ints the same way unless said: the
 * runtime's own callback reading with `read.i32` (Bun) or `UnsafePointerView#getInt32` (Deno) (baseline); the
 * same comparator behind a rest-parameter target (rejected); behind an exact-arity generated target (chosen);
 * and the toolkit's `callback()` with `unsafeRead` (the library as a user writes it).
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

// The rejected shape: what `callback()` made before, with the same (here empty) conversions.
function restTarget(fn: Compare, inbound: readonly (((v: unknown) => unknown) | null)[]): Compare {
  const state = { running: 0 };
  const outbound = (v: unknown) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) {
      throw new RangeError();
    }
    return v;
  };
  return ((...values: unknown[]) => {
    state.running++;
    try {
      for (let i = 0; i < inbound.length; i++) {
        const c = inbound[i];
        if (c) values[i] = c(values[i]);
      }
      return outbound((fn as (...a: unknown[]) => unknown)(...values));
    } finally {
      state.running--;
    }
  }) as Compare;
}

// The chosen shape, as `callTarget` generates it for (pointer, pointer) → i32.
function generatedTarget(fn: Compare): Compare {
  const outbound = (v: unknown) => {
    throw new RangeError(String(v));
  };
  const source = `return function (a0, a1) {
  state.running++;
  try {
    const r = fn(a0, a1);
    return (r | 0) === r ? r : outbound(r);
  } finally {
    state.running--;
  }
};`;
  return new Function("fn", "outbound", "state", source)(fn, outbound, { running: 0 }) as Compare;
}

const contestants: Record<string, () => () => void> = {
  "raw runtime callback": () => rawSorter(compareRaw),
  "rest-parameter target (rejected)": () => rawSorter(restTarget(compareRaw, [null, null])),
  "exact-arity target (chosen)": () => rawSorter(generatedTarget(compareRaw)),
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
      const start = performance.now();
      sort();
      const ns = ((performance.now() - start) * 1e6) / comparisons;
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

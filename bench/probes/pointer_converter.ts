/**
 * Question (Bun): a toolkit `Pointer` on Bun is a box that a symbol's wrapper unboxes into the number bun:ffi
 * takes. Should every pointer parameter share one converter function, or get a closure of its own that names
 * the parameter in its error ("argument 0 of is_set()")?
 *
 * Decided: first one converter for every pointer parameter, whose error named the value, not the parameter
 * (when decided, Bun 1.4: a call taking a pointer went 2.4 -> 2.8 ns with a closure per parameter, 1e7 calls,
 * median of 8 processes). Revisited for the safety issue: today the difference does not show, so each pointer
 * parameter gets a closure of its own (`argumentConverter` in `ffi/_bun.ts`), which names it when a pointer
 * is refused.
 *
 * Contestants, on `int32_t is_set(const void *p)` (bench/probes/native/fixture.c), each
 * in processes of their own: the raw bun:ffi call given the address as a number (baseline), and a wrapper of
 * exact arity generated with `new Function` as `ffi/_call.ts` does, given a boxed pointer, unboxing it with
 * the shared converter or with a closure made for its parameter. Each contestant runs in several processes;
 * the line shows the best of their best rounds, the median of their medians and the worst of their worst. On
 * Deno, whose pointers need no conversion, the probe says so and times the raw call alone.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/pointer_converter.ts` and
 * `./node_modules/.bin/bun bench/probes/pointer_converter.ts`.
 *
 * @module
 */
import { buildFixture } from "./native/build.ts";
import { bunFfi } from "./_raw_ffi.ts";
import { report, runtime, separately, time, type Timing } from "./_time.ts";

type IsSet = (p: unknown) => number;

// The box of ffi/_bun.ts: the address under a private symbol, frozen.
const ADDRESS: unique symbol = Symbol("address");
class BunPointer {
  readonly [ADDRESS]: number;
  constructor(address: number) {
    this[ADDRESS] = address;
    Object.freeze(this);
  }
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/** The shared converter: `unbox` of ffi/_bun.ts, the same function for every pointer parameter. */
function unbox(value: unknown): number | null {
  if (value === null) return null;
  if (value instanceof BunPointer) return value[ADDRESS];
  throw new TypeError(`Cannot pass ${describe(value)} as a pointer: expected a Pointer or null`);
}

/** A converter of its own for one parameter, which names it in its error. */
function unboxFor(where: string): (value: unknown) => number | null {
  return (value) => {
    if (value === null) return null;
    if (value instanceof BunPointer) return value[ADDRESS];
    throw new TypeError(`Cannot pass ${where}: expected a Pointer or null, got ${describe(value)}`);
  };
}

/** The wrapper `compileCall` generates for one converted parameter. */
function wrapper(raw: IsSet, convert: (value: unknown) => unknown): IsSet {
  const source = "return function (a0) {\n  const r = raw(c0(a0));\n  return r;\n};";
  return new Function("raw", "c0", source)(raw, convert) as IsSet;
}

const CALLS = 10_000_000;
const PROCESSES = 4;
const path = buildFixture();
const memory = new Uint8Array(8);

/** A contestant: the function to call, and the argument it is given. */
type Contestant = () => { fn: IsSet; pointer: unknown };
const contestants: Record<string, Contestant> = {};

if (bunFfi) {
  const raw = bunFfi.dlopen(path, { is_set: { args: ["ptr"], returns: "i32" } }).symbols.is_set as IsSet;
  const address = bunFfi.ptr(memory);
  contestants["raw call"] = () => ({ fn: raw, pointer: address });
  contestants["shared converter (chosen)"] = () => ({
    fn: wrapper(raw, unbox),
    pointer: new BunPointer(address),
  });
  contestants["closure per parameter"] = () => ({
    fn: wrapper(raw, unboxFor("argument 0 of is_set()")),
    pointer: new BunPointer(address),
  });
} else {
  console.log(`This probe measures Bun only (Deno passes its pointer objects as they are); on ${runtime}:`);
  const raw = Deno.dlopen(path, { is_set: { parameters: ["pointer"], result: "i32" } }).symbols
    .is_set as IsSet;
  contestants["raw call"] = () => ({ fn: raw, pointer: Deno.UnsafePointer.of(memory) });
}

function measure(name: string): Timing {
  const { fn, pointer } = contestants[name]!();
  if (fn(pointer) !== 1 || fn(null) !== 0) {
    throw new Error(`${name}: is_set() did not tell a pointer from null`);
  }
  return time(name, () => {
    let sum = 0;
    for (let i = 0; i < CALLS; i++) sum += fn(pointer);
    return sum;
  }, { ops: CALLS, rounds: 11, warmup: 4 });
}

const names = Object.keys(contestants);
const runs: Timing[][] = [];
for (let i = 0; i < PROCESSES; i++) runs.push(separately(import.meta.url, names, measure));

const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
const timings = names.map((name, i): Timing => ({
  name,
  best: Math.min(...runs.map((run) => run[i]!.best)),
  median: median(runs.map((run) => run[i]!.median)),
  worst: Math.max(...runs.map((run) => run[i]!.worst)),
}));
report(`A pointer parameter's converter, ns per call (${PROCESSES} processes each)`, timings, "raw call");

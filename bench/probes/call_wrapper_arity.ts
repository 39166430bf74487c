/**
 * Question: what does a JavaScript wrapper around a foreign function cost a call, written with a rest
 * parameter (`(...args) => fn(...args)`) or with exactly the function's parameters?
 *
 * Decided: the generated symbol wrappers in `ffi/_call.ts` (`compileCall`) have exactly the symbol's arity,
 * generated once per symbol with `new Function`, and a symbol that needs no wrapper is handed out as the
 * runtime's own function. The rest-parameter form survives only as the fallback where code generation is off.
 * When decided (Bun 1.4): the rest wrapper cost Bun about 17 ns a call over the raw call.
 *
 * Contestants, on `int32_t add(int32_t, int32_t)` (bench/probes/native/fixture.c), each in a process of its
 * own: the raw runtime call (baseline), the toolkit's `add` from `dlopen()` (the raw function itself), a rest
 * wrapper, a closure of exact arity written in source, and a wrapper of exact arity from `new Function`.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/call_wrapper_arity.ts` and
 * `./node_modules/.bin/bun bench/probes/call_wrapper_arity.ts`.
 *
 * @module
 */
import { dlopen, i32 } from "../../mod.ts";
import { buildFixture } from "./native/build.ts";
import { type Add, addLoop, rawAdd } from "./_raw_ffi.ts";
import { report, separately, time, type Timing } from "./_time.ts";

const CALLS = 1_000_000;

const contestants: Record<string, (raw: Add, path: string) => Add> = {
  "raw call": (raw) => raw,
  "toolkit add (dlopen)": (_, path) => dlopen(path, { add: { args: [i32, i32], returns: i32 } }).symbols.add,
  "rest wrapper": (raw) => (...args: [number, number]) => raw(...args),
  "exact-arity closure": (raw) => (a, b) => raw(a, b),
  "exact-arity new Function": (raw) =>
    new Function("raw", "return function add(a0, a1) { return raw(a0, a1); };")(raw) as Add,
};

const path = buildFixture();
const raw = rawAdd(path);

// What one form teaches the JIT about `raw` would change the next one's timing: a process per contestant.
const timings = separately(import.meta.url, Object.keys(contestants), (name): Timing => {
  const add = contestants[name]!(raw, path);
  if (add(2, 3) !== 5) throw new Error(`${name}: add(2, 3) did not return 5`);
  return time(name, () => addLoop(add, CALLS), { ops: CALLS });
});
report("A wrapper around add(i32, i32), ns per call", timings, "raw call");

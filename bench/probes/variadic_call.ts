/**
 * Question: what does a variadic call cost through the toolkit, against a fixed-signature call of the same
 * shape?
 *
 * Decided: a call shape is bound as a fixed signature of the promoted types (`ffi/_variadic_call.ts`), so a
 * shape bound once (`fn.shape(i32)`) is a symbol's wrapper and call; the per-call form (`fn([i32], a, b)`) adds
 * a look-up of the types array and a spread, and is for calls off the hot path.
 *
 * Contestants, on `int32_t add_va(int32_t a, ...)` (bench/probes/native/fixture.c) called with one extra
 * `int32_t`, interleaved in one process: the raw runtime call of the fixed `(i32, i32)` (baseline), the
 * toolkit's symbol declared fixed, the toolkit's variadic symbol with `shape()` bound once, and with the types
 * given per call.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/variadic_call.ts` and
 * `./node_modules/.bin/bun bench/probes/variadic_call.ts`.
 *
 * @module
 */
import { dlopen, i32 } from "../../mod.ts";
import { buildFixture } from "./native/build.ts";
import { type Add, bunFfi } from "./_raw_ffi.ts";
import { ownAddLoop, timeInterleaved } from "./_interleaved.ts";
import { consumed, report } from "./_time.ts";

const path = buildFixture();
const CALLS = 200_000;

const raw =
  (bunFfi
    ? bunFfi.dlopen(path, { add_va: { args: ["i32", "i32"], returns: "i32" } }).symbols.add_va
    : Deno.dlopen(path, { add_va: { parameters: ["i32", "i32"], result: "i32" } }).symbols.add_va) as Add;
const lib = dlopen(path, {
  add_va: { args: [i32], returns: i32, variadic: true },
  add_fixed: { args: [i32, i32], returns: i32, symbol: "add_va" },
});
const shape = lib.symbols.add_va.shape(i32);
const variadic = lib.symbols.add_va;
const types = [i32] as const;

const timings = timeInterleaved({
  "raw fixed signature": { run: ownAddLoop(raw, CALLS), ops: CALLS },
  "toolkit declared fixed": { run: ownAddLoop(lib.symbols.add_fixed, CALLS), ops: CALLS },
  "toolkit variadic, shape() (chosen)": { run: ownAddLoop(shape, CALLS), ops: CALLS },
  "toolkit variadic, types per call": { run: ownAddLoop((a, b) => variadic(types, a, b), CALLS), ops: CALLS },
});
report("add_va(a, b): a variadic call against a fixed one of the same shape, ns per call", timings);
const fixed = timings.find((t) => t.name === "toolkit declared fixed")!.best;
for (const t of timings.filter((t) => t.name.startsWith("toolkit variadic"))) {
  console.log(`  ${t.name} / toolkit declared fixed: ${(t.best / fixed).toFixed(2)}x`);
}
consumed();

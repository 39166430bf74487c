/**
 * Question: what does a struct-by-value call cost through the toolkit on each runtime (Bun: a C shim compiled
 * by Bun's TinyCC, ffi/_bun_by_value.ts; Deno: its own by-value calls, libffi), against a hand-written
 * pointer-taking C function called raw, and what does compiling a shim cost on Bun?
 *
 * Decided: Bun passes structs by value through a shim per signature shape, compiled at `dlopen` and cached in
 * the process, and called through `linkSymbols()` on its address rather than through `cc()`'s own function;
 * the JavaScript side passes the struct's bytes and gets the result's bytes in one reused array.
 *
 * Contestants, each in a process of its own, for `bv_mixed bv_mixed_step(bv_mixed, int32_t)` with
 * `struct { int32_t a; double d; }` (classes INTEGER, SSE) and `bv_big bv_big_step(bv_big, int32_t)` with
 * `struct { double v[4]; }` (MEMORY), bench/probes/native/fixture.c: the raw call of the pointer-taking twin
 * `void bv_*_step_ptr(const T *, int32_t, T *)` with fields written and read by hand through reused buffers
 * (baseline); the toolkit's by-value call with objects; on Deno, the raw by-value call with a reused
 * `Uint8Array` in and a `DataView` over the result; on Bun, a hand-written TinyCC shim (`cc()`) called raw
 * with reused buffers, through `cc()`'s own function and through `linkSymbols()` on its address. Then, on Bun, the time of a `dlopen` that compiles a new shim and of a `callback()`
 * with a struct (its trampoline), 20 of each; on Deno the same `dlopen`, which compiles nothing.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/by_value_shim.ts` and
 * `./node_modules/.bin/bun bench/probes/by_value_shim.ts`.
 *
 * @module
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { array, callback, dlopen, f64, i32, struct, u8 } from "../../mod.ts";
import { buildFixture } from "./native/build.ts";
import { bunFfi } from "./_raw_ffi.ts";
import { childResult, report, runtime, separately, time, type Timing } from "./_time.ts";

const Mixed = struct({ a: i32, d: f64 }, { name: "bv_mixed" });
const Big = struct({ v: array(f64, 4) }, { name: "bv_big" });
const CALLS = 20_000;

type Run = (i: number) => number;
type RawCall = (input: Uint8Array, k: number, output: Uint8Array) => void;

/** The raw pointer-taking call of `name`. */
function rawPointerCall(path: string, name: string): RawCall {
  if (bunFfi) {
    return bunFfi.dlopen(path, { [name]: { args: ["ptr", "i32", "ptr"], returns: "void" } })
      .symbols[name] as RawCall;
  }
  return Deno.dlopen(path, { [name]: { parameters: ["buffer", "i32", "buffer"], result: "void" } } as const)
    .symbols[name] as unknown as RawCall;
}

/** A hand-written TinyCC shim calling `name` by value, on Bun (what a user of `bun:ffi` would write). */
function handShim(path: string, name: string, type: string, fields: string, linked: boolean): RawCall {
  type Functions = { symbols: Record<string, ((...args: unknown[]) => unknown) & { ptr: number }> };
  interface Cc {
    cc(o: { source: string; symbols: Record<string, { args: string[]; returns: string }> }): Functions;
    linkSymbols(o: Record<string, { ptr: number; args: string[]; returns: string }>): Functions;
  }
  const ffi = bunFfi as unknown as Cc;
  const address =
    (bunFfi!.dlopen(path, { [name]: { args: [], returns: "void" } }).symbols[name] as unknown as {
      ptr: number;
    }).ptr;
  // Only for a MEMORY struct: TinyCC passes a struct of mixed classes wrong (ffi/_bun_by_value.ts).
  const source = `typedef struct { ${fields} } T;
void shim(void *fn, const T *s, int k, T *out) { *out = ((T (*)(T, int))fn)(*s, k); }\n`;
  const file = join(mkdtempSync(join(tmpdir(), "ffikit-probe-")), `${type}.c`);
  writeFileSync(file, source);
  const signature = { args: ["ptr", "ptr", "i32", "ptr"], returns: "void" };
  const compiled = ffi.cc({ source: file, symbols: { shim: signature } }).symbols.shim!;
  // cc()'s own function, or the same code called through linkSymbols() on its address.
  const shim = linked
    ? ffi.linkSymbols({ shim: { ptr: compiled.ptr, ...signature } }).symbols.shim!
    : compiled;
  return (input, k, output) => void shim(address, input, k, output);
}

function contestants(path: string): Record<string, () => Run> {
  const mixedPointer = (call: RawCall): Run => {
    const input = new Uint8Array(16);
    const output = new Uint8Array(16);
    const inView = new DataView(input.buffer);
    const outView = new DataView(output.buffer);
    return (i) => {
      inView.setInt32(0, i, true);
      inView.setFloat64(8, 0.5, true);
      call(input, 3, output);
      const r = { a: outView.getInt32(0, true), d: outView.getFloat64(8, true) };
      return r.a + r.d;
    };
  };
  const bigPointer = (call: RawCall): Run => {
    const input = new Uint8Array(32);
    const output = new Uint8Array(32);
    const inView = new DataView(input.buffer);
    const outView = new DataView(output.buffer);
    return (i) => {
      for (let j = 0; j < 4; j++) inView.setFloat64(8 * j, i + j, true);
      call(input, 3, output);
      const r = { v: [0, 1, 2, 3].map((j) => outView.getFloat64(8 * j, true)) };
      return r.v[0]! + r.v[3]!;
    };
  };
  const out: Record<string, () => Run> = {
    "mixed: raw pointer-taking C, fields by hand": () =>
      mixedPointer(rawPointerCall(path, "bv_mixed_step_ptr")),
    "mixed: toolkit by value, objects": () => {
      const { bv_mixed_step } =
        dlopen(path, { bv_mixed_step: { args: [Mixed, i32], returns: Mixed } }).symbols;
      return (i) => {
        const r = bv_mixed_step({ a: i, d: 0.5 }, 3);
        return r.a + r.d;
      };
    },
    "big: raw pointer-taking C, fields by hand": () => bigPointer(rawPointerCall(path, "bv_big_step_ptr")),
    "big: toolkit by value, objects": () => {
      const { bv_big_step } = dlopen(path, { bv_big_step: { args: [Big, i32], returns: Big } }).symbols;
      return (i) => {
        const r = bv_big_step({ v: [i, i + 1, i + 2, i + 3] }, 3);
        return r.v[0]! + r.v[3]!;
      };
    },
  };
  if (bunFfi) {
    // The mixed struct's bytes as a struct TinyCC classifies right would need the toolkit's own spelling; the
    // hand-written shim is measured on the MEMORY struct, which TinyCC passes right.
    out["big: hand-written TinyCC shim, cc()'s function"] = () =>
      bigPointer(handShim(path, "bv_big_step", "big", "double v[4];", false));
    out["big: hand-written TinyCC shim, linkSymbols()"] = () =>
      bigPointer(handShim(path, "bv_big_step", "big", "double v[4];", true));
  } else {
    const deno = Deno.dlopen(path, {
      bv_mixed_step: { parameters: [{ struct: ["i32", "f64"] }, "i32"], result: { struct: ["i32", "f64"] } },
      bv_big_step: {
        parameters: [{ struct: ["f64", "f64", "f64", "f64"] }, "i32"],
        result: { struct: ["f64", "f64", "f64", "f64"] },
      },
    });
    out["mixed: raw Deno by value, DataView decode"] = () => {
      const input = new Uint8Array(16);
      const inView = new DataView(input.buffer);
      return (i) => {
        inView.setInt32(0, i, true);
        inView.setFloat64(8, 0.5, true);
        const bytes = deno.symbols.bv_mixed_step(input, 3);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const r = { a: view.getInt32(0, true), d: view.getFloat64(8, true) };
        return r.a + r.d;
      };
    };
    out["big: raw Deno by value, DataView decode"] = () => {
      const input = new Uint8Array(32);
      const inView = new DataView(input.buffer);
      return (i) => {
        for (let j = 0; j < 4; j++) inView.setFloat64(8 * j, i + j, true);
        const bytes = deno.symbols.bv_big_step(input, 3);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const r = { v: [0, 1, 2, 3].map((j) => view.getFloat64(8 * j, true)) };
        return r.v[0]! + r.v[3]!;
      };
    };
  }
  return out;
}

/** Milliseconds of each of 20 `dlopen`s that need a new shim, and (Bun) of 20 `callback()`s with a struct. */
function compileTimes(path: string): { dlopen: number[]; callback: number[] } {
  const dlopens: number[] = [];
  const callbacks: number[] = [];
  for (let n = 1; n <= 20; n++) {
    // A struct shape no earlier signature had: a new shim on Bun. Declared only, never called.
    const Shape = struct({ b: array(u8, n) }, { name: `shape${n}` });
    let start = performance.now();
    const lib = dlopen(path, { bv_mixed_step: { args: [Shape, i32], returns: Shape } });
    dlopens.push(performance.now() - start);
    lib.close();
    start = performance.now();
    const cb = callback({ args: [Shape], returns: i32 }, () => 0);
    callbacks.push(performance.now() - start);
    cb.close();
  }
  return { dlopen: dlopens, callback: callbacks };
}

function range(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(1)}–${sorted[sorted.length - 1]!.toFixed(1)} ms (median ${
    sorted[sorted.length >> 1]!.toFixed(1)
  })`;
}

const path = buildFixture();
if (process.env.FFIKIT_PROBE_CONTESTANT === "compile") {
  // In a process of its own, so that no shim of the timed calls is cached there.
  console.log(`__compile__${JSON.stringify(compileTimes(path))}`);
  process.exit(0);
}
const all = contestants(path);
const timings = separately(import.meta.url, Object.keys(all), (name): Timing => {
  const run = all[name]!();
  const expected = name.startsWith("mixed") ? 10 + 3 + 1 : 10 + 3 + 13 + 3;
  const answer = run(10);
  if (answer !== expected) throw new Error(`${name}: got ${answer} for i = 10, expected ${expected}`);
  return time(name, () => {
    let sum = 0;
    for (let i = 0; i < CALLS; i++) sum += run(i);
    return sum;
  }, { ops: CALLS });
});
report(
  "bv_mixed_step({ a, d }, k), INTEGER + SSE, ns per call",
  timings.filter((t) => t.name.startsWith("mixed")),
);
report(
  "bv_big_step({ v: [4 doubles] }, k), MEMORY, ns per call",
  timings.filter((t) => t.name.startsWith("big")),
);
const compiled = childResult<{ dlopen: number[]; callback: number[] }>(
  import.meta.url,
  "compile",
  "__compile__",
);
console.log(
  `dlopen() of a new by-value signature (${runtime}): ${range(compiled.dlopen)}; callback() with a struct: ${
    range(compiled.callback)
  }`,
);

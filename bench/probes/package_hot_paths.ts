/**
 * Question: does the built package (build/) cost a hot path anything against the source modules? It is the
 * same code bundled: one scope per chunk on Deno, one CommonJS function with bytecode on Bun, its names read
 * through ES modules that re-export them. The bytecode is made before any profile, and the JIT starts from it.
 *
 * Contestants, each in a process of its own: a call of `int32_t add(int32_t, int32_t)`
 * (bench/probes/native/fixture.c) through the runtime's own FFI (baseline), through `dlopen` of the sources and
 * of the built package (imported by name, "ffikit", which package.json's exports resolve per runtime); and a
 * `read()` of a six-`u32` row, by a hand-written `DataView` loop (baseline), by the sources' layout and by the
 * built package's.
 *
 * Decided (issue 24): the built package is what importing "ffikit" loads; a hot path through it is within the
 * spread of the sources' (docs/runtime-notes.md "Start-up").
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/package_hot_paths.ts` and
 * `./node_modules/.bin/bun bench/probes/package_hot_paths.ts`.
 *
 * @module
 */
import process from "node:process";
import { buildFixture } from "./native/build.ts";
import { addLoop, rawAdd } from "./_raw_ffi.ts";
import { report, separately, time, type Timing } from "./_time.ts";

type Toolkit = typeof import("../../mod.ts");

const CALLS = 1_000_000;
const ROWS = 1_000_000;
const NAMES = [
  "add(): raw runtime call",
  "add(): sources",
  "add(): built package",
  "read(): DataView loop",
  "read(): sources",
  "read(): built package",
];

const chosen = process.env.FFIKIT_PROBE_CONTESTANT ?? "";
if (!chosen) {
  const { build, isCurrent } = await import("../../build/main.ts");
  if (!isCurrent()) build();
}
// Only the contestant's own copy of the toolkit is loaded in its process.
const toolkit: Toolkit | undefined = chosen.endsWith("sources")
  ? await import("../../mod.ts")
  : chosen.endsWith("built package")
  ? await import("ffikit") as Toolkit
  : undefined;

const raw = chosen === "add(): raw runtime call" ? rawAdd(buildFixture()) : undefined;

function addThrough(ffikit: Toolkit): Timing {
  using library = ffikit.dlopen(buildFixture(), {
    add: { args: [ffikit.i32, ffikit.i32], returns: ffikit.i32 },
  });
  const add = library.symbols.add;
  if (add(2, 3) !== 5) throw new Error("add(2, 3) did not return 5");
  return time(chosen, () => addLoop(add, CALLS), { ops: CALLS });
}

const bytes = new Uint8Array(24).map((_, i) => i);

function readThrough(ffikit: Toolkit): Timing {
  const { struct, u32 } = ffikit;
  const row = struct({ a: u32, b: u32, c: u32, d: u32, e: u32, f: u32 });
  return time(chosen, () => {
    let sum = 0;
    for (let i = 0; i < ROWS; i++) sum += row.read(bytes).f;
    return sum;
  }, { ops: ROWS });
}

function readByHand(): Timing {
  const view = new DataView(bytes.buffer);
  return time(chosen, () => {
    let sum = 0;
    for (let i = 0; i < ROWS; i++) {
      const row = {
        a: view.getUint32(0, true),
        b: view.getUint32(4, true),
        c: view.getUint32(8, true),
        d: view.getUint32(12, true),
        e: view.getUint32(16, true),
        f: view.getUint32(20, true),
      };
      sum += row.f;
    }
    return sum;
  }, { ops: ROWS });
}

const timings = separately(import.meta.url, NAMES, (name): Timing => {
  if (name === "add(): raw runtime call") {
    return time(name, () => addLoop(raw!, CALLS), { ops: CALLS });
  }
  if (name === "read(): DataView loop") return readByHand();
  return name.startsWith("add()") ? addThrough(toolkit!) : readThrough(toolkit!);
});
report("A call through the sources and through the built package", timings.slice(0, 3));
report("A row read through the sources and through the built package", timings.slice(3));

/**
 * Question: for a struct passed or returned by value on Deno (which calls such a function on its slow path
 * and returns a struct as a new `Uint8Array`), what does the toolkit's conversion cost against the raw call
 * with a fresh typed array per call?
 *
 * Decided: the struct conversions in `ffi/_by_value.ts`. `structEncoder` writes an object argument through
 * the layout's codec into one buffer of its own, reused from call to call; `structDecoder` copies the
 * runtime's result into one reused array with a `DataView` made once, and reads the object from there. When
 * decided (Deno 2.9): two `Vec3` objects took 143 ns a call against 129 for the raw call with two
 * `Float32Array`s filled by hand (309 through `write()`); `div()` took 808 ns against 852–870 for the raw
 * call decoding with a `DataView` in a loop, and 304 against 361 in the calls benchmark.
 *
 * Contestants, each in a process of its own. `div_t div(int, int)` from libc: the raw call decoding its
 * `Uint8Array` with a new `DataView` into `{ quot, rem }` (baseline), the raw call with the result unread,
 * and the toolkit's `div`. `double vec3_dot(Vec3, Vec3)` with `struct { float x, y, z; }`
 * (bench/probes/native/fixture.c): the raw call with two fresh `Float32Array`s filled by hand (baseline), the
 * raw call with two reused ones, the toolkit's with two objects and with two reused `Float32Array`s. Bun has
 * no struct-by-value calls: there the probe says so and stops.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/by_value_buffers.ts` and
 * `./node_modules/.bin/bun bench/probes/by_value_buffers.ts`.
 *
 * @module
 */
import { dlopen, f32, f64, int, struct } from "../../mod.ts";
import { buildFixture } from "./native/build.ts";
import { report, runtime, separately, time, type Timing } from "./_time.ts";

interface Quotient {
  quot: number;
  rem: number;
}
interface Point {
  x: number;
  y: number;
  z: number;
}

const divT = struct({ quot: int, rem: int }, { name: "div_t" });
const Vec3 = struct({ x: f32, y: f32, z: f32 }, { name: "Vec3" });

/** What a contestant calls: `div(7, 2)`-like or `vec3_dot(a, b)`-like, over values it makes itself. */
type Run = (i: number) => number;

function divContestants(): Record<string, () => Run> {
  const raw = () =>
    Deno.dlopen("libc.so.6", { div: { parameters: ["i32", "i32"], result: { struct: ["i32", "i32"] } } })
      .symbols.div;
  return {
    "raw div, DataView decode": () => {
      const div = raw();
      return (i) => {
        const bytes = div(i, 7);
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const q: Quotient = { quot: dv.getInt32(0, true), rem: dv.getInt32(4, true) };
        return q.quot + q.rem;
      };
    },
    "raw div, result unread": () => {
      const div = raw();
      return (i) => div(i, 7).byteLength;
    },
    "toolkit div": () => {
      const { div } = dlopen("libc.so.6", { div: { args: [int, int], returns: divT } }).symbols;
      return (i) => {
        const q = div(i, 7);
        return q.quot + q.rem;
      };
    },
  };
}

function dotContestants(path: string): Record<string, () => Run> {
  const raw = () =>
    Deno.dlopen(path, {
      vec3_dot: {
        parameters: [{ struct: ["f32", "f32", "f32"] }, { struct: ["f32", "f32", "f32"] }],
        result: "f64",
      },
    }).symbols.vec3_dot;
  const toolkit = () => dlopen(path, { vec3_dot: { args: [Vec3, Vec3], returns: f64 } }).symbols.vec3_dot;
  return {
    "raw vec3_dot, two fresh Float32Arrays": () => {
      const dot = raw();
      return (i) => {
        const a = new Float32Array(3);
        a[0] = i;
        a[1] = 2;
        a[2] = 3;
        const b = new Float32Array(3);
        b[0] = 4;
        b[1] = -5;
        b[2] = 0.5;
        return dot(a, b);
      };
    },
    "raw vec3_dot, two reused Float32Arrays": () => {
      const dot = raw();
      const a = new Float32Array(3);
      const b = new Float32Array([4, -5, 0.5]);
      return (i) => {
        a[0] = i;
        a[1] = 2;
        a[2] = 3;
        return dot(a, b);
      };
    },
    "toolkit vec3_dot, two objects": () => {
      const dot = toolkit();
      return (i) => {
        const a: Point = { x: i, y: 2, z: 3 };
        return dot(a, { x: 4, y: -5, z: 0.5 });
      };
    },
    "toolkit vec3_dot, two reused Float32Arrays": () => {
      const dot = toolkit();
      const a = new Float32Array(3);
      const b = new Float32Array([4, -5, 0.5]);
      return (i) => {
        a[0] = i;
        a[1] = 2;
        a[2] = 3;
        return dot(a, b);
      };
    },
  };
}

if ("Bun" in globalThis) {
  console.log(`Structs by value (${runtime}): bun:ffi has no struct-by-value calls; nothing to measure`);
} else {
  const path = buildFixture();
  const divs = divContestants();
  const dots = dotContestants(path);
  const all = { ...divs, ...dots };
  const CALLS = 20_000;
  // Each contestant's answer for i = 10: 10 / 7 is 1 rem 3 (their sum, 4; an unread div_t's 8 bytes), and the
  // dot product is 10 * 4 - 10 + 1.5.
  const expected: Record<string, number> = {
    "raw div, result unread": 8,
    "toolkit div": 4,
    "raw div, DataView decode": 4,
  };
  const timings = separately(import.meta.url, Object.keys(all), (name): Timing => {
    const run = all[name]!();
    const answer = run(10);
    if (answer !== (expected[name] ?? 31.5)) throw new Error(`${name}: got ${answer} for i = 10`);
    return time(name, () => {
      let sum = 0;
      for (let i = 0; i < CALLS; i++) sum += run(i);
      return sum;
    }, { ops: CALLS });
  });
  const divNames = Object.keys(divs);
  report("div(i, 7) returning div_t by value, ns per call", timings.filter((t) => divNames.includes(t.name)));
  report("vec3_dot(Vec3, Vec3) by value, ns per call", timings.filter((t) => !divNames.includes(t.name)));
}

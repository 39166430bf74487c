/**
 * Question: what does checking the integer arguments of a foreign call cost, and which form of the check is
 * cheapest? Bun converts a bad integer without a word (1.5 is 1, NaN is 0, 2^32 + 5 as an `i32` is 5) where
 * Deno throws, so a check is what would make both runtimes refuse the same arguments.
 *
 * Decided: the generated symbol wrappers in `ffi/_call.ts` check no integer argument (a symbol of plain
 * integers is handed out as the runtime's own function), and `dlopen` documents the difference; only the
 * toolkit's own wrappers (`syscall`, `ioctl`, `closeDescriptor`, `openFd` in `ffi/libc.ts`) check. When
 * decided (Bun 1.4, the calls benchmark): `add(i32, i32)` took 1.85–1.91 ns with a check and 1.31–1.32
 * without (raw call 1.32–1.56, two runs each).
 *
 * Contestants, on `int32_t add(int32_t, int32_t)` (bench/probes/native/fixture.c), each a wrapper of exact
 * arity generated with `new Function` as `ffi/_call.ts` does, each in a process of its own: the raw runtime
 * call (baseline), the wrapper with no check, and the wrapper with each form of an `i32` check of both
 * arguments, inline or as a converter function per argument (the shape `compileCall` gives a check).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/call_integer_check.ts` and
 * `./node_modules/.bin/bun bench/probes/call_integer_check.ts`.
 *
 * @module
 */
import { buildFixture } from "./native/build.ts";
import { type Add, addLoop, rawAdd } from "./_raw_ffi.ts";
import { report, separately, time, type Timing } from "./_time.ts";

function refuse(index: number, value: unknown): never {
  throw new RangeError(`Cannot pass argument ${index} of add(): ${String(value)} is not an i32`);
}

/** A test that is true when `x` is not an `i32`, written in terms of `x`. */
const FORMS: Record<string, string | null> = {
  "no check": null,
  "(x | 0) !== x": "(x | 0) !== x",
  "!Number.isInteger(x) || range (libc.ts)": "!Number.isInteger(x) || x < -2147483648 || x > 2147483647",
  "typeof + range + x % 1": 'typeof x !== "number" || !(x >= -2147483648 && x <= 2147483647) || x % 1 !== 0',
  "Math.trunc(x) !== x || range": "Math.trunc(x) !== x || x < -2147483648 || x > 2147483647",
  "x !== x >> 0": "x !== x >> 0",
};

/** The wrapper with each argument's test inline. */
function inline(raw: Add, test: string | null): Add {
  const check = (p: string, i: number) =>
    test === null ? "" : `if (${test.replace(/\bx\b/g, p)}) refuse(${i}, ${p});`;
  const source = `return function add(a0, a1) { ${check("a0", 0)} ${check("a1", 1)} return raw(a0, a1); };`;
  return new Function("raw", "refuse", source)(raw, refuse) as Add;
}

/** The wrapper calling a converter per argument that checks and returns the value, as `compileCall` would. */
function converters(raw: Add): Add {
  const make = (i: number) => (x: unknown) => (((x as number) | 0) === x ? x : refuse(i, x));
  const source = "return function add(a0, a1) { return raw(c0(a0), c1(a1)); };";
  return new Function("raw", "c0", "c1", source)(raw, make(0), make(1)) as Add;
}

const contestants: Record<string, (raw: Add) => Add> = { "raw call": (raw) => raw };
for (const [name, test] of Object.entries(FORMS)) contestants[name] = (raw) => inline(raw, test);
contestants["converter per argument, (x | 0) === x"] = converters;

function refuses(add: Add, value: number): number {
  try {
    add(value, 2);
    return 0;
  } catch {
    return 1;
  }
}

const CALLS = 1_000_000;
const raw = rawAdd(buildFixture());

const timings = separately(import.meta.url, Object.keys(contestants), (name): Timing => {
  const add = contestants[name]!(raw);
  if (add(2, 3) !== 5) throw new Error(`${name}: add(2, 3) did not return 5`);
  const timing = time(name, () => addLoop(add, CALLS), { ops: CALLS });
  // Checked after the timing, so that the refusal's path is not what the JIT learned first.
  if (name !== "raw call" && name !== "no check" && refuses(add, 1.5) + refuses(add, 2 ** 31) !== 2) {
    throw new Error(`${name}: did not refuse 1.5 and 2^31`);
  }
  return timing;
});
report("Integer checks in a wrapper around add(i32, i32), ns per call", timings, "raw call");

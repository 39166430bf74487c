/**
 * Probe: what checking a call's argument count and integer arguments costs over the raw runtime call, and which
 * form of the check costs least. `add(i32, i32)` of bench/native/calls.c, called 1e6 times per round, each form
 * in a process of its own. The chosen form (ffi/_call.ts) is "count + bitwise tests, one branch": the count and
 * `(a | 0) === a` for every argument in one condition, the error worked out only when it is taken.
 *
 * Run: `deno run -A bench/probes/call_argument_checks.ts` and `bun bench/probes/call_argument_checks.ts`.
 *
 * @module
 */
import { buildNative } from "../_native.ts";
import { report, separately, time, type Timing } from "./_time.ts";

type Add = (a: number, b: number) => number;

interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: { add: Add } };
}
// Through a variable, so that `deno check` does not follow it into Bun's built-in modules.
const bunFfiSpecifier = "bun:ffi";
const bunFfi: BunFfi | null = "Bun" in globalThis ? await import(bunFfiSpecifier) : null;

function rawAdd(): Add {
  const build = buildNative();
  if (!build.ok) throw new Error(`Cannot build bench/native: ${build.reason}`);
  if (bunFfi !== null) {
    return bunFfi.dlopen(build.path, { add: { args: ["i32", "i32"], returns: "i32" } }).symbols.add;
  }
  const lib = Deno.dlopen(build.path, { add: { parameters: ["i32", "i32"], result: "i32" } });
  return lib.symbols.add as Add;
}

const refuse = (count: number, args: unknown[]): never => {
  throw new TypeError(`refused: ${count} arguments, ${args.join(", ")}`);
};

// The forms, as ffi/_call.ts would generate them (new Function, so that each is its own function).
const FORMS: Record<string, string> = {
  "raw call (baseline)": "",
  "wrapper, no check": "return function (a0, a1) { return raw(a0, a1); };",
  "count only": "return function (a0, a1) {\n" +
    "  if (arguments.length !== 2) refuse(arguments.length, [a0, a1]);\n  return raw(a0, a1);\n};",
  "count + bitwise tests, one branch": "return function (a0, a1) {\n" +
    "  if (arguments.length !== 2 || !((a0 | 0) === a0) || !((a1 | 0) === a1)) " +
    "refuse(arguments.length, [a0, a1]);\n  return raw(a0, a1);\n};",
  "count + typeof tests": "return function (a0, a1) {\n" +
    '  if (arguments.length !== 2 || typeof a0 !== "number" || typeof a1 !== "number") ' +
    "refuse(arguments.length, [a0, a1]);\n  return raw(a0, a1);\n};",
  "count + Number.isInteger and range, per argument": "return function (a0, a1) {\n" +
    "  if (arguments.length !== 2) refuse(arguments.length, [a0, a1]);\n" +
    "  if (!Number.isInteger(a0) || a0 < -2147483648 || a0 > 2147483647) refuse(2, [a0, a1]);\n" +
    "  if (!Number.isInteger(a1) || a1 < -2147483648 || a1 > 2147483647) refuse(2, [a0, a1]);\n" +
    "  return raw(a0, a1);\n};",
};

const CALLS = 1_000_000;

function measure(name: string): Timing {
  const raw = rawAdd();
  const source = FORMS[name]!;
  const add: Add = source === "" ? raw : new Function("raw", "refuse", source)(raw, refuse);
  if (add(1, 2) !== 3) throw new Error(`${name}: add(1, 2) is not 3`);
  return time(name, () => {
    let sum = 0;
    for (let i = 0; i < CALLS; i++) sum = add(sum & 1023, i & 7);
    return sum;
  }, { ops: CALLS, rounds: 21, warmup: 5 });
}

const timings = separately(import.meta.url, Object.keys(FORMS), measure);
report("A call's count and integer checks: add(i32, i32), ns per call", timings, "raw call (baseline)");

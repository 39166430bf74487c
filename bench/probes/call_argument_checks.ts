/**
 * Probe: what checking a call's argument count and integer arguments costs over the raw runtime call, and which
 * form of the check costs least, each form in a process of its own.
 *
 * - `add(i32, i32)` of bench/native/calls.c, 1e6 calls per round. Chosen (ffi/_call.ts): "count + bitwise
 *   tests, one branch": the count and `(a | 0) === a` for every argument in one condition, the error worked out
 *   only when it is taken.
 * - `sum_bytes(buffer, usize)` with a BigInt length, 2e5 calls per round. Chosen (ffi/_argument_checks.ts):
 *   "BigInt range comparisons"; `BigInt.asUintN(64, a) === a` costs the same on V8 and much more on
 *   JavaScriptCore.
 * - `sum_bytes(buffer, usize)` with a number length, the forms interleaved in one process. Chosen
 *   (ffi/_argument_checks.ts, issue 21): "Number.isSafeInteger and >= 0", which refuses an unsafe integer as a
 *   64-bit field does, for the cost of "Number.isInteger and range".
 *
 * Run: `deno run -A bench/probes/call_argument_checks.ts` and `bun bench/probes/call_argument_checks.ts`.
 *
 * @module
 */
import { buildNative } from "../_native.ts";
import { timeInterleaved } from "./_interleaved.ts";
import { childResult, report, separately, time, type Timing } from "./_time.ts";

type Add = (a: number, b: number) => number;
type Sum = (bytes: Uint8Array, length: bigint) => number;

interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: { add: Add; sum_bytes: Sum } };
}
// Through a variable, so that `deno check` does not follow it into Bun's built-in modules.
const bunFfiSpecifier = "bun:ffi";
const bunFfi: BunFfi | null = "Bun" in globalThis ? await import(bunFfiSpecifier) : null;

function rawSymbols(): { add: Add; sum: Sum } {
  const build = buildNative();
  if (!build.ok) throw new Error(`Cannot build bench/native: ${build.reason}`);
  if (bunFfi !== null) {
    const { symbols } = bunFfi.dlopen(build.path, {
      add: { args: ["i32", "i32"], returns: "i32" },
      sum_bytes: { args: ["ptr", "usize"], returns: "u32" },
    });
    return { add: symbols.add, sum: symbols.sum_bytes };
  }
  const lib = Deno.dlopen(build.path, {
    add: { parameters: ["i32", "i32"], result: "i32" },
    sum_bytes: { parameters: ["buffer", "usize"], result: "u32" },
  });
  return { add: lib.symbols.add as Add, sum: lib.symbols.sum_bytes as unknown as Sum };
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

// The forms of a 64-bit (usize) argument's check, on sum_bytes(bytes, 16n).
const WIDE_FORMS: Record<string, string> = {
  "usize: raw call (baseline)": "",
  "usize: wrapper, no check": "return function (a0, a1) { return raw(a0, a1); };",
  "usize: BigInt range comparisons": "return function (a0, a1) {\n" +
    '  if (arguments.length !== 2 || !(typeof a1 === "bigint" ? a1 >= 0n && a1 <= 18446744073709551615n : ' +
    "Number.isInteger(a1) && a1 >= 0 && a1 < 18446744073709551616)) refuse(arguments.length, [a0, a1]);\n" +
    "  return raw(a0, a1);\n};",
  "usize: BigInt.asUintN(64, a) === a": "return function (a0, a1) {\n" +
    '  if (arguments.length !== 2 || !(typeof a1 === "bigint" ? BigInt.asUintN(64, a1) === a1 : ' +
    "Number.isInteger(a1) && a1 >= 0 && a1 < 18446744073709551616)) refuse(arguments.length, [a0, a1]);\n" +
    "  return raw(a0, a1);\n};",
};

// The number branch of the same check, on sum_bytes(bytes, 16): any integer in range (before issue 21) or a safe
// one (chosen, ffi/_argument_checks.ts: a 64-bit field refuses an unsafe number too).
const NUMBER_FORMS: Record<string, string> = {
  "usize number: raw call (baseline)": "",
  "usize number: Number.isInteger and range": "return function (a0, a1) {\n" +
    '  if (arguments.length !== 2 || !(typeof a1 === "bigint" ? a1 >= 0n && a1 <= 18446744073709551615n : ' +
    "Number.isInteger(a1) && a1 >= 0 && a1 < 18446744073709551616)) refuse(arguments.length, [a0, a1]);\n" +
    "  return raw(a0, a1);\n};",
  "usize number: Number.isSafeInteger and >= 0": "return function (a0, a1) {\n" +
    '  if (arguments.length !== 2 || !(typeof a1 === "bigint" ? a1 >= 0n && a1 <= 18446744073709551615n : ' +
    "Number.isSafeInteger(a1) && a1 >= 0)) refuse(arguments.length, [a0, a1]);\n" +
    "  return raw(a0, a1);\n};",
};

const CALLS = 1_000_000;
const WIDE_CALLS = 200_000;

function measure(name: string): Timing {
  const { add: rawAdd, sum: rawSum } = rawSymbols();
  if (name in WIDE_FORMS) {
    const source = WIDE_FORMS[name]!;
    const sum: Sum = source === "" ? rawSum : new Function("raw", "refuse", source)(rawSum, refuse);
    const bytes = new Uint8Array(16).fill(1);
    if (sum(bytes, 16n) !== 16) throw new Error(`${name}: sum_bytes is not 16`);
    return time(name, () => {
      let total = 0;
      for (let i = 0; i < WIDE_CALLS; i++) total += sum(bytes, 16n);
      return total;
    }, { ops: WIDE_CALLS, rounds: 21, warmup: 5 });
  }
  const source = FORMS[name]!;
  const add: Add = source === "" ? rawAdd : new Function("raw", "refuse", source)(rawAdd, refuse);
  if (add(1, 2) !== 3) throw new Error(`${name}: add(1, 2) is not 3`);
  return time(name, () => {
    let sum = 0;
    for (let i = 0; i < CALLS; i++) sum = add(sum & 1023, i & 7);
    return sum;
  }, { ops: CALLS, rounds: 21, warmup: 5 });
}

// The number forms interleaved in one process of their own (bench/probes/_interleaved.ts), each wrapper with a
// loop of its own: the forms differ by a nanosecond at most, less than a shared machine's drift between processes.
const NUMBERS = "number forms, interleaved";
if (process.env.FFIKIT_PROBE_CONTESTANT === NUMBERS) {
  const { sum: rawSum } = rawSymbols();
  const bytes = new Uint8Array(16).fill(1);
  const contestants = Object.fromEntries(
    Object.entries(NUMBER_FORMS).map(([name, source]) => {
      const sum = source === "" ? rawSum : new Function("raw", "refuse", source)(rawSum, refuse);
      if (sum(bytes, 16) !== 16) throw new Error(`${name}: sum_bytes is not 16`);
      const loop = new Function(
        "sum",
        "bytes",
        `return function ${name.replace(/\W/g, "_")}() {\n  let total = 0;\n` +
          `  for (let i = 0; i < ${WIDE_CALLS}; i++) total += sum(bytes, 16);\n  return total;\n};`,
      )(sum, bytes) as () => number;
      return [name, { run: loop, ops: WIDE_CALLS }];
    }),
  );
  console.log(`__numbers__${JSON.stringify(timeInterleaved(contestants, 21))}`);
  process.exit(0);
}

const timings = separately(import.meta.url, [...Object.keys(FORMS), ...Object.keys(WIDE_FORMS)], measure);
report(
  "A call's count and integer checks: add(i32, i32), ns per call",
  timings.filter((t) => t.name in FORMS),
  "raw call (baseline)",
);
report(
  "A 64-bit argument's check: sum_bytes(buffer, usize) with a BigInt length, ns per call",
  timings.filter((t) => t.name in WIDE_FORMS),
  "usize: raw call (baseline)",
);
report(
  "A 64-bit argument's check, number branch: sum_bytes(buffer, usize) with a number length, ns per call",
  childResult<Timing[]>(import.meta.url, NUMBERS, "__numbers__"),
  "usize number: raw call (baseline)",
);

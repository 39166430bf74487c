/**
 * The check of each scalar argument of a foreign call, before the runtime converts it: the runtimes would
 * otherwise convert a wrong value without a word (Bun: 1.5 is 1, NaN and `undefined` are 0, -1 as a `u32` is
 * 4294967295; both: 256 as a `u8` is 0), and a missing argument is `undefined`, so `abs()` returned 0 on Bun.
 *
 * Each check is a JavaScript expression over `$`, inlined in generated wrappers (one branch for all the
 * arguments and the count), and the same test as a function for the plain fallback and for finding which
 * argument was wrong: bench/probes/call_argument_checks.ts.
 *
 * @module
 */
import { MACHINE_TYPES } from "../structs/_internal.ts";
import { UnsafeIntegerError } from "../structs/errors.ts";
import type { NativeType } from "../structs/scalars.ts";
import type { ArgumentKind } from "./_backend.ts";
import { describe } from "./_buffer.ts";

/** How one argument is checked. */
export interface ArgumentCheck {
  /** An expression over `$`, true when the value is acceptable; for generated wrappers. */
  readonly test: string;
  /** The same test as a function. */
  readonly accepts: (value: unknown) => boolean;
  /** What is expected, for the error: `"an integer from 0 to 255"`. */
  readonly expected: string;
  /** The JavaScript type a value of the right type but out of range has: a `RangeError` rather than a `TypeError`. */
  readonly numeric: boolean;
}

// Integers of up to 32 bits: one bitwise operation that keeps exactly the integers of the type's range unchanged
// (NaN, 1.5, -0.5, strings and undefined all change).
const SMALL_INTEGER_TESTS: Partial<Record<NativeType, [string, (v: number) => number]>> = {
  i8: ["($ << 24 >> 24) === $", (v) => v << 24 >> 24],
  u8: ["($ & 255) === $", (v) => v & 255],
  i16: ["($ << 16 >> 16) === $", (v) => v << 16 >> 16],
  u16: ["($ & 65535) === $", (v) => v & 65535],
  i32: ["($ | 0) === $", (v) => v | 0],
  u32: ["($ >>> 0) === $", (v) => v >>> 0],
};

/**
 * The check of a scalar argument, or `null` for the kinds whose converters check them already (buffers,
 * pointers, function pointers, structs).
 *
 * @param kind The argument's kind.
 * @param bigintByTruncation Whether a 64-bit BigInt is tested by truncation (`BigInt.asUintN(64, $) === $`)
 * rather than by comparisons with its bounds: the backend's `bigintByTruncation`.
 * @returns The check.
 */
export function argumentCheck(kind: ArgumentKind, bigintByTruncation = false): ArgumentCheck | null {
  if (typeof kind !== "string" || !(kind in MACHINE_TYPES)) return null;
  const type = kind as NativeType;
  const record = MACHINE_TYPES[type];
  const small = SMALL_INTEGER_TESTS[type];
  if (small !== undefined) {
    const [test, convert] = small;
    const [min, max] = record.range as readonly [number, number];
    return {
      test,
      accepts: (v) => convert(v as number) === v,
      expected: `an integer from ${min} to ${max}`,
      numeric: true,
    };
  }
  if (record.value === "bigint") {
    const [min, max] = record.range as readonly [bigint, bigint];
    // A number must be a safe integer, as a 64-bit field's must (structs/_scalar_codec.ts): past 2^53 - 1 it
    // may not be the integer meant. Every safe integer is in an i64's range; a u64 needs it not negative.
    // As cheap as the integer test it replaced: bench/probes/call_argument_checks.ts.
    const numberTest = record.signed ? "Number.isSafeInteger($)" : "Number.isSafeInteger($) && $ >= 0";
    const numberAccepts = record.signed
      ? (v: unknown) => Number.isSafeInteger(v)
      : (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
    // A BigInt in range is one that 64-bit truncation leaves unchanged. V8 calls a builtin for a comparison with
    // a constant beyond int64 (about 6 ns a call, two per argument) and lowers `asUintN(64, $)` inline;
    // JavaScriptCore the other way round: bench/probes/pointer_call_checks.ts.
    const truncate = record.signed ? "asIntN" : "asUintN";
    const bigintTest = bigintByTruncation
      ? `BigInt.${truncate}(64, $) === $`
      : `$ >= ${min}n && $ <= ${max}n`;
    const test = `(typeof $ === "bigint" ? ${bigintTest} : ${numberTest})`;
    const inRange = bigintByTruncation
      ? (v: bigint) => BigInt[truncate](64, v) === v
      : (v: bigint) => v >= min && v <= max;
    return {
      test,
      accepts: (v) => typeof v === "bigint" ? inRange(v) : numberAccepts(v),
      // A number past 2^53 - 1 gets an error of its own (refusedCall).
      expected: `a BigInt or integer from ${min} to ${max}`,
      numeric: true,
    };
  }
  if (type === "bool") {
    return {
      test: `typeof $ === "boolean"`,
      accepts: (v) => typeof v === "boolean",
      expected: "a boolean",
      numeric: false,
    };
  }
  if (type === "f32" || type === "f64") {
    return {
      test: `typeof $ === "number"`,
      accepts: (v) => typeof v === "number",
      expected: "a number",
      numeric: false,
    };
  }
  return null; // a pointer: its converter checks it
}

function shown(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  return describe(value);
}

/**
 * The error for a call refused by its checks: the wrong count first, then the first wrong argument.
 *
 * @param name The function's name.
 * @param kinds The parameters' kinds.
 * @param checks Their checks.
 * @param count How many arguments the call was given.
 * @param args The arguments (at least the declared ones).
 * @returns The error to throw.
 */
export function refusedCall(
  name: string,
  kinds: readonly ArgumentKind[],
  checks: readonly (ArgumentCheck | null)[],
  count: number,
  args: ArrayLike<unknown>,
): Error {
  if (count !== kinds.length) {
    const expected = kinds.length === 1 ? "1 argument" : `${kinds.length} arguments`;
    return new TypeError(`Cannot call ${name}(): expected ${expected}, got ${count}`);
  }
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    const value = args[i];
    if (!check || check.accepts(value)) continue;
    const kind = kinds[i];
    if (
      typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) &&
      typeof kind === "string" && kind in MACHINE_TYPES &&
      MACHINE_TYPES[kind as NativeType].value === "bigint"
    ) {
      return new UnsafeIntegerError({
        message:
          `Cannot pass argument ${i} of ${name}(): ${value} is not a safe integer, so it may not be the ` +
          `one meant for ${kind}; pass a bigint`,
        value,
        type: kind,
      });
    }
    const Kind = check.numeric && (typeof value === "number" || typeof value === "bigint")
      ? RangeError
      : TypeError;
    return new Kind(
      `Cannot pass argument ${i} of ${name}(): expected ${check.expected} (${String(kinds[i])}), ` +
        `got ${shown(value)}`,
    );
  }
  return new TypeError(`Cannot call ${name}(): its arguments were refused`);
}

/**
 * Integer macros: the object-like `#define`s of the headers whose expansion (by the compiler itself, so that
 * every macro inside is expanded as C does) is an integer constant expression, evaluated by `cdef`'s
 * constant evaluator in the scope of the headers' declarations (`sizeof(z_stream)`, enum constants, casts).
 *
 * @module
 */
import type { CReading } from "../cdef/cdef.ts";
import { CSyntaxError } from "../cdef/errors.ts";
import { EOF, tokenize } from "../cdef/lexer.ts";
import type { MacroDefinition } from "./line_markers.ts";
import { preprocess } from "./preprocess.ts";

/** A macro read as an integer constant. */
export interface IntegerMacro {
  readonly macro: MacroDefinition;
  /** Its value: a number, or a `bigint` beyond 2^53. */
  readonly value: number | bigint;
}

/** A macro that is not an integer constant, and why. */
export interface SkippedMacro {
  readonly macro: MacroDefinition;
  readonly reason: string;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const PROBE = "__bindgen_macro_";

/**
 * Expands the macros with the compiler and evaluates each expansion.
 *
 * @param macros The candidates.
 * @param includes The `#include` lines of the headers.
 * @param reading What `cdef` read from the headers (the scope of the expressions).
 * @param compiler The compiler and its `-I`/`-D` arguments.
 * @returns The integer macros and the rest, with reasons.
 */
export function evaluateMacros(
  macros: readonly MacroDefinition[],
  includes: string,
  reading: CReading,
  compiler: { cc: string; args: readonly string[] },
): { integers: IntegerMacro[]; skipped: SkippedMacro[] } {
  const integers: IntegerMacro[] = [];
  const skipped: SkippedMacro[] = [];
  if (macros.length === 0) return { integers, skipped };
  const probe = `${includes}\n${macros.map((m, i) => `${PROBE}${i} ${m.name}`).join("\n")}\n`;
  const expansions = new Map<number, string>();
  for (const line of preprocess(probe, compiler.cc, ["-P", ...compiler.args]).split("\n")) {
    const m = /^__bindgen_macro_(\d+)\s?(.*)$/.exec(line);
    if (m) expansions.set(Number(m[1]), m[2]!.trim());
  }
  const constants = reading.declared.constants;
  macros.forEach((macro, i) => {
    const expansion = expansions.get(i);
    if (constants.has(macro.name)) {
      return void skipped.push({ macro, reason: "an enum constant of that name" });
    }
    if (expansion === undefined || expansion === "") return void skipped.push({ macro, reason: "empty" });
    try {
      const tokens = tokenize(expansion, `${macro.file}: #define ${macro.name}`);
      if (tokens.count === 1 && tokens.kinds[0] === EOF) return void skipped.push({ macro, reason: "empty" });
      const { value, pointer } = reading.parser.evaluateTokens(tokens);
      if (pointer) {
        return void skipped.push({ macro, reason: `a pointer constant, not an integer: ${expansion}` });
      }
      integers.push({ macro, value: value <= SAFE && value >= -SAFE ? Number(value) : value });
    } catch (error) {
      if (!(error instanceof CSyntaxError)) throw error;
      skipped.push({ macro, reason: `not an integer constant expression: ${expansion}` });
    }
  });
  return { integers, skipped };
}

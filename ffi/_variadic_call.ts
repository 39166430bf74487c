/**
 * Variadic functions (`printf`, `open`, `fcntl`, `sqlite3_config`): the fixed part declared in the symbol table
 * with `variadic: true`, the types of the extra arguments given per call or bound once as a call shape.
 *
 * Each shape is bound as a fixed signature of the promoted types, which the ABIs make right:
 * - x86-64 System V: a variadic callee reads its arguments where a fixed one would, and reads the vector
 *   registers only when `%al` (the count of those used) is not 0. Deno (fast calls and libffi) and Bun (TinyCC)
 *   both set `%al` for every fixed-signature call; tests/ffi/variadic_test.ts reads `%al` back from a fixture
 *   written in assembly for 0 to 10 doubles, on both runtimes, so that a runtime that stops setting it fails.
 * - AArch64 Linux (AAPCS64): variadic arguments travel as fixed ones do.
 * - Windows x64: a variadic callee reads a floating-point argument from the integer register (its home slot),
 *   so the toolkit passes an extra `f64` as its bits in a `u64`.
 * - Apple AArch64: every variadic argument goes on the stack in an 8-byte slot, which a fixed signature cannot
 *   say; refused with `UnsupportedPlatformError`.
 *
 * @module
 */
import type { Scalar } from "../structs/scalars.ts";
import { type ArgumentKind, backend, type Converter, type RawFunction, type RawSymbol } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { UnsupportedPlatformError } from "./errors.ts";
import type { ParameterType, SymbolDefinition } from "./types.ts";

/**
 * How a shape is bound: the runtime function for these kinds (the fixed ones, then the extra ones), wrapped as
 * a symbol is, with `checkKinds` and `converters` for the extra arguments.
 */
export type ShapeBinder = (
  definition: SymbolDefinition,
  symbol: RawSymbol,
  extra: { checkKinds: readonly ArgumentKind[]; converters: readonly (Converter | null)[] },
) => RawFunction;

/** What C's default argument promotions make of an extra argument of a small type. */
const PROMOTED: Partial<Record<string, ArgumentKind>> = {
  i8: "i32",
  u8: "i32",
  i16: "i32",
  u16: "i32",
  bool: "i32",
  f32: "f64",
};

const toInt: Converter = (value) => value ? 1 : 0;

// A double's bits, for Windows x64.
const bits = new Float64Array(1);
const bitsAsInteger = new BigUint64Array(bits.buffer);
const doubleBits: Converter = (value) => {
  bits[0] = value as number;
  return bitsAsInteger[0];
};

/** The kind an extra argument of `type` is checked as, the kind it travels as, and its conversion. */
function extraKind(
  type: ParameterType,
  name: string,
  index: number,
): [ArgumentKind, ArgumentKind, Converter | null] {
  const where = `extra argument ${index} of ${name}()`;
  if (typeof type !== "object" || type === null || !("kind" in type)) {
    throw new TypeError(
      `Cannot call ${name}(): the type of ${where} must be a type such as i32, got ${describe(type)}`,
    );
  }
  if (type.kind === "buffer") return ["buffer", "buffer", null];
  if (type.kind === "function") return ["function", "function", null];
  if (type.kind !== "scalar") {
    throw new TypeError(
      `Cannot call ${name}(): ${where} cannot be declared as ${type.kind} "${type.name}": C passes no ${type.kind} ` +
        "through ...; pass a pointer to it",
    );
  }
  const scalar = type as Scalar;
  if (scalar.endian !== "native") {
    throw new TypeError(
      `Cannot call ${name}(): ${where} cannot be "${scalar.name}": calls take host byte order`,
    );
  }
  const declared = scalar.native;
  const travels = PROMOTED[declared] ?? declared;
  if (travels === "f64" && backend.os === "windows") return [declared, "u64", doubleBits];
  return [declared, travels, declared === "bool" ? toInt : null];
}

/** The JavaScript function a variadic symbol becomes: `fn(extraTypes, ...args)`, and `fn.shape(...extraTypes)`. */
export function variadicFunction(
  name: string,
  definition: SymbolDefinition,
  fixed: RawSymbol,
  bind: ShapeBinder,
): RawFunction {
  if (backend.os === "darwin" && backend.arch === "aarch64") {
    throw new UnsupportedPlatformError(`the variadic function "${name}"`, "not Apple AArch64", "darwin");
  }
  const count = fixed.args.length;
  const shapes = new Map<string, RawFunction>();
  const byList = new WeakMap<readonly ParameterType[], RawFunction>();

  const shape = (...extra: ParameterType[]): RawFunction => {
    const kinds = extra.map((type, i) => extraKind(type, name, i));
    const key = kinds.map(([checked, travels]) => `${checked}>${travels}`).join(",");
    let fn = shapes.get(key);
    if (fn === undefined) {
      const full = { ...definition, args: [...definition.args, ...extra] };
      delete (full as { variadic?: boolean }).variadic;
      fn = bind(full, { args: [...fixed.args, ...kinds.map((k) => k[1])], returns: fixed.returns }, {
        checkKinds: [...fixed.args, ...kinds.map((k) => k[0])],
        converters: [...fixed.args.map(() => null), ...kinds.map((k) => k[2])],
      });
      shapes.set(key, fn);
    }
    return fn;
  };

  const call = function (extra: readonly ParameterType[], ...args: unknown[]): unknown {
    let fn = byList.get(extra);
    if (fn === undefined) {
      if (!Array.isArray(extra)) {
        throw new TypeError(
          `Cannot call ${name}(): a variadic function takes the types of its extra arguments first, as an array ` +
            `([] for none), got ${describe(extra)}`,
        );
      }
      fn = shape(...extra);
      byList.set(extra, fn);
    }
    if (args.length !== count + extra.length) {
      throw new TypeError(
        `Cannot call ${name}(): ${count} fixed and ${extra.length} extra argument types declare ${
          count + extra.length
        } arguments, got ${args.length}; give the type of each extra argument`,
      );
    }
    return fn(...args);
  };
  Object.defineProperty(call, "name", { value: name });
  return Object.assign(call, { shape });
}

/**
 * Turns a runtime-level function into the toolkit's: the argument count and each scalar argument checked,
 * argument conversions, result conversion, error-code capture and failure checks.
 *
 * Every symbol gets a wrapper of exactly its arity, generated once per symbol (a rest-parameter wrapper costs Bun
 * about 17 ns a call; bench/calls.ts), whose checks are one branch: the count and every scalar argument tested
 * inline, the error worked out only when that branch is taken (bench/probes/call_argument_checks.ts). The
 * generated code has a plain fallback, used where code generation is unavailable or when
 * `FFIKIT_NO_CODEGEN=1`, under the same tests.
 *
 * @module
 */
import { type ArgumentCheck, argumentCheck, refusedCall } from "./_argument_checks.ts";
import { type ArgumentKind, backend, type Converter, type RawFunction, type ResultKind } from "./_backend.ts";
import { errorCellOf, newSyscallError } from "./errno.ts";
import { generatedCode, MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType } from "../structs/scalars.ts";

/** What a wrapper must do around the raw call. */
export interface CallPlan {
  /** The symbol's name, for errors. */
  name: string;
  args: readonly ArgumentKind[];
  returns: ResultKind;
  /** Extra checks for each argument (e.g. buffer validation), run before the backend's conversion. */
  checks: readonly (Converter | null)[];
  errno: boolean;
  /** Throw `SyscallError` when this returns true for the result. */
  fails: ((result: unknown) => boolean) | null;
  /** Turns the runtime's result into the toolkit's, after the backend's conversion (a struct's bytes). */
  decode?: Converter | null;
  /** True when `decode` takes the runtime's own result, in place of the backend's conversion (a string read). */
  decodesRaw?: boolean;
  /**
   * True when the caller has checked every scalar argument already (`syscall`, `ioctl`: `kindOf`, which takes
   * any 64-bit integer, signed or not); the wrapper then checks only the count.
   */
  checked?: boolean;
  /**
   * The kinds the arguments are checked as, where they differ from those they travel as (a variadic `u8`
   * travels as an `i32`: ffi/variadic.ts); default `args`.
   */
  checkKinds?: readonly ArgumentKind[];
  /**
   * Tested before every call: a function pointer's, whose pointer may be revoked (then `refuse` throws). A flag
   * tested inline, not a function called, whose cost showed on Deno (bench/probes/function_pointer.ts).
   */
  guard?: Guard | null;
}

/** A flag a call tests before it calls: set once what it calls is gone. */
export interface Guard {
  revoked: boolean;
  /** Throws the error that says why. */
  refuse(): void;
}

const syscallError = newSyscallError;

function compose(first: Converter | null, second: Converter | null): Converter | null {
  if (first === null) return second;
  if (second === null) return first;
  return (value) => second(first(value));
}

/**
 * Wraps `raw` according to `plan`.
 *
 * @param raw The runtime's function.
 * @param plan What the symbol needs.
 * @returns The function to hand to users.
 */
export function compileCall(raw: RawFunction, plan: CallPlan): RawFunction {
  const converters = plan.args.map((kind, i) =>
    compose(plan.checks[i] ?? null, backend.argumentConverter(kind, `argument ${i} of ${plan.name}()`))
  );
  const result = plan.decodesRaw
    ? plan.decode ?? null
    : compose(backend.resultConverter(plan.returns), plan.decode ?? null);
  const capture = plan.errno || plan.fails !== null;
  const cell = capture ? errorCellOf() : null;
  const checkKinds = plan.checkKinds ?? plan.args;
  const checks = checkKinds.map((kind) =>
    plan.checked ? null : argumentCheck(kind, backend.bigintByTruncation)
  );
  const refuse = (count: number, args: ArrayLike<unknown>): never => {
    throw refusedCall(plan.name, checkKinds, checks, count, args);
  };
  // The shared code-generation policy, read when the wrapper is made (structs/_codegen.ts).
  return generatedCode()
    ? generate(raw, plan, converters, checks, refuse, result, cell)
    : fallback(raw, plan, converters, checks, refuse, result, cell);
}

type Refuse = (count: number, args: ArrayLike<unknown>) => never;

type Cell = ReturnType<typeof errorCellOf>;

function generate(
  raw: RawFunction,
  plan: CallPlan,
  converters: readonly (Converter | null)[],
  checks: readonly (ArgumentCheck | null)[],
  refuse: Refuse,
  result: Converter | null,
  cell: Cell | null,
): RawFunction {
  const params = plan.args.map((_, i) => `a${i}`);
  const passed = params.map((p, i) => converters[i] ? `c${i}(${p})` : p);
  // A 64-bit integer the backend converts (Deno: a number to a BigInt) is passed as it is when it is a BigInt
  // already, at a call site of its own: through the converter, V8 no longer knew the argument's type, and the
  // call cost about 5 ns more (bench/probes/pointer_call_checks.ts).
  const wide = params.filter((_, i) =>
    converters[i] !== null && !plan.checks[i] && wideInteger(plan.args[i]!)
  );
  const asIs = params.map((p, i) => wide.includes(p) ? p : passed[i]);
  const lines: string[] = [];
  // One branch for the count and every scalar: the error is worked out only when it is taken.
  const refused = [`arguments.length !== ${params.length}`];
  checks.forEach((check, i) => {
    if (check) refused.push(`!(${check.test.replaceAll("$", params[i]!)})`);
  });
  lines.push(`if (${refused.join(" || ")}) refuse(arguments.length, [${params.join(", ")}]);`);
  if (plan.guard) lines.push("if (guard.revoked) guard.refuse();");
  // A typed array over the thread's error cell is read with no call in between; otherwise call the getter.
  const direct = cell?.cell != null;
  if (cell) lines.push(direct ? "cell[0] = 0;" : "setError(0);");
  const call = `raw(${passed.join(", ")})`;
  const bigints = wide.map((p) => `typeof ${p} === "bigint"`).join(" && ");
  lines.push(`const r = ${wide.length === 0 ? call : `${bigints} ? raw(${asIs.join(", ")}) : ${call}`};`);
  if (cell) lines.push(direct ? "const e = cell[0];" : "const e = getError();");
  const value = result ? "convert(r)" : "r";
  if (!cell) {
    lines.push(`return ${value};`);
  } else if (plan.fails) {
    lines.push(`const v = ${value};`, "if (fails(v)) throw syscallError(name, e);", "return v;");
  } else {
    lines.push(`return { value: ${value}, errno: e };`);
  }
  const names = [
    "raw",
    "convert",
    "fails",
    "syscallError",
    "name",
    "cell",
    "getError",
    "setError",
    "refuse",
    "guard",
  ];
  const values: unknown[] = [
    raw,
    result,
    plan.fails,
    syscallError,
    plan.name,
    cell?.cell,
    cell?.get,
    cell?.set,
    refuse,
    plan.guard,
  ];
  converters.forEach((c, i) => {
    if (c) {
      names.push(`c${i}`);
      values.push(c);
    }
  });
  // Named: two wrappers of one source text share the engines' feedback, so that the runtime call in each sees
  // both runtime functions and neither is inlined (bench/probes/variadic_call.ts: Bun 2.6 -> 5.8 ns). Not
  // numbered: a source of its own for every wrapper kept 30 MiB more after 10,000 dlopen()/close() rounds
  // (tests/ffi/dlopen_test.ts), where a symbol bound again finds its compiled source.
  const label = plan.name.replace(/[^\w$]/g, "_");
  const source = `// ${label}\nreturn function (${params.join(", ")}) {\n  ${lines.join("\n  ")}\n};`;
  const fn = new Function(...names, source)(...values) as RawFunction;
  // Named after the symbol for stack traces, outside the source: a C symbol may be a JavaScript keyword.
  return Object.defineProperty(fn, "name", { value: plan.name });
}

/** Whether a kind is a 64-bit integer (`i64`, `u64`, `isize`, `usize`): the kinds held as BigInts. */
function wideInteger(kind: ArgumentKind): boolean {
  return typeof kind === "string" && kind in MACHINE_TYPES &&
    MACHINE_TYPES[kind as NativeType].value === "bigint";
}

function fallback(
  raw: RawFunction,
  plan: CallPlan,
  converters: readonly (Converter | null)[],
  checks: readonly (ArgumentCheck | null)[],
  refuse: Refuse,
  result: Converter | null,
  cell: Cell | null,
): RawFunction {
  const { fails, name, guard } = plan;
  const call = (...args: unknown[]) => {
    if (args.length !== converters.length) refuse(args.length, args);
    for (let i = 0; i < checks.length; i++) {
      if (checks[i] && !checks[i]!.accepts(args[i])) refuse(args.length, args);
    }
    if (guard?.revoked) guard.refuse();
    for (let i = 0; i < converters.length; i++) {
      const c = converters[i];
      if (c) args[i] = c(args[i]);
    }
    cell?.set(0);
    const r = raw(...args);
    const e = cell?.get() ?? 0;
    const value = result ? result(r) : r;
    if (!cell) return value;
    if (fails) {
      if (fails(value)) throw syscallError(name, e);
      return value;
    }
    return { value, errno: e };
  };
  return Object.defineProperty(call, "name", { value: name });
}

/**
 * Reading a symbol definition (`{ args, returns, errno?, fails?, symbol?, optional? }`): its checks, the runtime's
 * argument and result kinds, and the call wrapped with its argument checks and `fails` test.
 *
 * @module
 */
import { MACHINE_TYPES } from "../structs/_internal.ts";
import { type Pointer, pointer, type Scalar } from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
import {
  type ArgumentKind,
  backend,
  type Converter,
  type RawFunction,
  type RawSymbol,
  type ResultKind,
} from "./_backend.ts";
import { numberConversion, settledAsNumber } from "./_as_number.ts";
import { byteOrderConverter } from "./_byte_order.ts";
import { bufferArgument, functionArgument } from "./_buffer.ts";
import { structDecoder, structEncoder, structKind } from "./_by_value.ts";
import { type CallPlan, compileCall } from "./_call.ts";
import { stringTypeError } from "./_runtime_type_names.ts";
import { ownedDecoder } from "./_owned_result.ts";
import { checkNonblocking, nonblockingFunction, runsNatively } from "./nonblocking.ts";
import type { OwnedStringType } from "./owned_strings.ts";
import { type ParameterType, type ResultType, type SymbolDefinition, void_ } from "./types.ts";

function kindOf(type: ParameterType | ResultType, symbol: string, role: string): ArgumentKind | ResultKind {
  // A raw runtime table's "i32", "ptr": what to write instead (ffi/_runtime_type_names.ts).
  if (typeof type === "string") throw stringTypeError(`${role} of "${symbol}"`, type, role === "the result");
  if (typeof type !== "object" || type === null || !("kind" in type)) {
    throw new TypeError(
      `Cannot declare ${role} of "${symbol}": expected a type such as i32, got ${String(type)}`,
    );
  }
  // A string switch: JavaScript callers can pass a union, which the types leave out.
  switch (type.kind as string) {
    case "scalar": {
      // A byte-order scalar travels as its host-order machine type, swapped by the wrapper (_byte_order.ts).
      return (type as Scalar).native;
    }
    case "buffer":
      return "buffer";
    case "function":
      return "function";
    case "void":
      return "void";
    case "owned":
    case "borrowed":
      // A string result travels as a pointer, read (and an owned one freed) by the wrapper (owned_strings.ts,
      // borrowed_strings.ts).
      if (role !== "the result") {
        throw new TypeError(`Cannot declare ${role} of "${symbol}" as "${type.name}": it is a result type`);
      }
      return "pointer";
    case "struct":
    case "union":
      return structKind(type as unknown as StructType, backend, `${role} of "${symbol}"`);
  }
  throw new TypeError(
    `Cannot declare ${role} of "${symbol}": unknown type kind "${String((type as { kind: unknown }).kind)}"`,
  );
}

// The keys of a symbol definition: a misspelt one (`fail`) would otherwise be ignored, and the call bound
// without the check it asked for.
const DEFINITION_KEYS = new Set([
  "args",
  "returns",
  "errno",
  "fails",
  "symbol",
  "optional",
  "nonblocking",
  "variadic",
]);

function refuseUnknownKeys(object: object, known: Set<string>, what: string): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) {
      throw new TypeError(`Cannot read ${what}: unknown key "${key}"; the keys are ${[...known].join(", ")}`);
    }
  }
}

function checkDefinition(name: string, definition: SymbolDefinition): void {
  if (typeof definition !== "object" || definition === null || !Array.isArray(definition.args)) {
    throw new TypeError(`Cannot declare symbol "${name}": expected { args: [...], returns: type }`);
  }
  refuseUnknownKeys(definition, DEFINITION_KEYS, `the definition of symbol "${name}"`);
  const { errno, fails, symbol, optional, nonblocking, variadic } = definition as unknown as Record<
    string,
    unknown
  >;
  const wrong = (key: string, expected: string, value: unknown): never => {
    const shown = typeof value === "string" ? `"${value}"` : typeof value;
    throw new TypeError(`Cannot declare symbol "${name}": "${key}" must be ${expected}, got ${shown}`);
  };
  if (errno !== undefined && typeof errno !== "boolean") wrong("errno", "a boolean", errno);
  if (optional !== undefined && typeof optional !== "boolean") wrong("optional", "a boolean", optional);
  if (nonblocking !== undefined && typeof nonblocking !== "boolean") {
    wrong("nonblocking", "a boolean", nonblocking);
  }
  if (variadic !== undefined && typeof variadic !== "boolean") wrong("variadic", "a boolean", variadic);
  if (variadic === true && nonblocking === true) {
    throw new TypeError(
      `Cannot declare symbol "${name}": a variadic function cannot be non-blocking; declare the call shape you ` +
        "need as a fixed signature (the promoted types) with nonblocking: true",
    );
  }
  if (symbol !== undefined && (typeof symbol !== "string" || symbol === "")) {
    wrong("symbol", "a C symbol name", symbol);
  }
  // The loader would read the name up to the NUL, and bind another symbol than the one named.
  const cName = (symbol as string | undefined) ?? name;
  if (cName.includes("\0")) {
    throw new TypeError(
      `Cannot declare symbol "${name}": its C name has a NUL at index ${cName.indexOf("\0")}`,
    );
  }
  if (
    fails !== undefined && fails !== null &&
    !["number", "bigint", "boolean", "function"].includes(typeof fails)
  ) {
    wrong("fails", "a number, BigInt, boolean, null or predicate", fails);
  }
}

/** The runtime's argument and result kinds of a symbol, its definition checked first. */
export function rawSymbol(name: string, definition: SymbolDefinition): RawSymbol {
  checkDefinition(name, definition);
  const args = definition.args.map((type, i) => {
    const kind = kindOf(type, name, `argument ${i}`);
    if (kind === "void") throw new TypeError(`Cannot declare argument ${i} of "${name}" as void`);
    return kind as ArgumentKind;
  });
  const returns = kindOf(definition.returns, name, "the result");
  if (returns === "buffer" || returns === "function") {
    throw new TypeError(`Cannot declare the result of "${name}" as "${returns}": declare it as pointer`);
  }
  const symbol = { args, returns: returns as ResultKind };
  if (definition.nonblocking !== true) return symbol;
  checkNonblocking(name, definition, symbol);
  return { ...symbol, nonblocking: runsNatively(definition) };
}

// The width of an unsigned integer result, from its machine-type record (`bool` and `pointer` have no range).
function unsignedBits(returns: ResultKind): number | undefined {
  if (typeof returns !== "string" || returns === "void") return undefined;
  const record = MACHINE_TYPES[returns];
  return record.range !== undefined && !record.signed ? record.size * 8 : undefined;
}

/**
 * The check of a call's result against `fails`. As in C, where `ret == (size_t)-1` compares `ret` with -1
 * converted to the result's type, a negative value compared with an unsigned result is taken modulo 2^bits:
 * `fails: -1` matches 0xffffffff from a `u32` and 2^64 - 1 from a `usize`.
 */
function failurePredicate(
  fails: SymbolDefinition["fails"],
  returns: ResultKind,
): ((result: unknown) => boolean) | null {
  if (fails === undefined) return null;
  if (typeof fails === "function") return fails as (result: unknown) => boolean;
  if (typeof fails === "number" || typeof fails === "bigint") {
    let expected = fails;
    const bits = unsignedBits(returns);
    if (bits !== undefined && expected < 0 && Number.isInteger(Number(expected))) {
      const unsigned = BigInt.asUintN(bits, BigInt(expected));
      expected = bits === 64 ? unsigned : Number(unsigned);
    }
    const asNumber = Number(expected);
    if (!Number.isInteger(asNumber) && typeof expected !== "bigint") return (result) => result === asNumber;
    const asBigInt = BigInt(expected);
    return (result) => result === asNumber || result === asBigInt;
  }
  return (result) => result === fails;
}

/** Where a wrapped function comes from, beyond its definition. */
export interface WrapContext {
  /** The library's path, for the thread pool of non-blocking calls (ffi/nonblocking.ts) to open it too. */
  path?: string;
  /** What a variadic call shape adds (ffi/_variadic_call.ts): kinds to check its arguments as, and conversions. */
  extra?: Pick<CallPlan, "checkKinds" | "guard"> & { converters?: readonly (Converter | null)[] };
  /** Binds more symbols of the same library: the deallocator an owned result names (ffi/owned_strings.ts). */
  open?: (symbols: Record<string, RawSymbol>) => Record<string, RawFunction>;
}

/** The runtime function wrapped with its argument checks, `errno` capture, `fails` test and struct result. */
export function wrap(
  name: string,
  definition: SymbolDefinition,
  symbol: RawSymbol,
  raw: RawFunction,
  context: WrapContext = {},
): RawFunction {
  const { path = "", extra, open } = context;
  if (definition.nonblocking === true) {
    const fn = nonblockingFunction({
      name,
      path,
      symbol: definition.symbol ?? name,
      definition,
      raw: symbol,
      native: symbol.nonblocking ? raw : null,
      errno: definition.errno === true,
      fails: failurePredicate(definition.fails, symbol.returns),
    });
    const convert = numberConversion(definition.returns, `the result of ${name}()`, null);
    if (convert === null) return fn;
    const boxed = definition.errno === true && definition.fails === undefined;
    return settledAsNumber(fn as (...args: unknown[]) => Promise<unknown>, convert, boxed) as RawFunction;
  }
  const checks = symbol.args.map((kind, i) =>
    extra?.converters?.[i]
      ? extra.converters[i]
      : kind === "buffer"
      ? bufferArgument(name, i)
      : kind === "function"
      ? functionArgument()
      : typeof kind === "object"
      ? structEncoder(definition.args[i] as StructType, `argument ${i} of "${name}"`, kind.bytes)
      : byteOrderOf(definition.args[i]!)
  );
  return compileCall(raw, {
    name,
    args: symbol.args,
    returns: symbol.returns,
    checks,
    errno: definition.errno === true,
    fails: failurePredicate(definition.fails, symbol.returns),
    decode: typeof symbol.returns === "object"
      ? structDecoder(definition.returns as StructType)
      : (definition.returns as { kind: string }).kind === "owned"
      ? ownedDecoder(definition.returns as OwnedStringType, deallocator(name, definition.returns, open))
      : (definition.returns as { kind: string }).kind === "borrowed"
      ? backend.cstringResult
      : numberConversion(definition.returns, `the result of ${name}()`, byteOrderOf(definition.returns)),
    // A borrowed string is read from the runtime's own result, with no pointer made first.
    decodesRaw: (definition.returns as { kind: string }).kind === "borrowed",
    ...(extra?.checkKinds ? { checkKinds: extra.checkKinds } : {}),
    guard: extra?.guard ?? null,
  });
}

// The deallocator of an owned result: a function as it is, or a symbol of the same library bound now (with
// its own checks, so that a revoked or non-pointer value never reaches it).
function deallocator(
  name: string,
  returns: ResultType,
  open: ((symbols: Record<string, RawSymbol>) => Record<string, RawFunction>) | undefined,
): (pointer: Pointer) => unknown {
  const free = (returns as OwnedStringType).free;
  if (typeof free === "function") return free;
  if (open === undefined) {
    throw new TypeError(
      `Cannot declare the result of "${name}" as "${returns.name}": only a library's symbol can name its ` +
        "deallocator; pass the function instead",
    );
  }
  const definition = { args: [pointer], returns: void_ };
  const symbol = rawSymbol(free, definition);
  return wrap(free, definition, symbol, open({ [free]: symbol })[free]!) as (pointer: Pointer) => unknown;
}

function byteOrderOf(type: ParameterType | ResultType): Converter | null {
  return (type as { kind: string }).kind === "scalar" ? byteOrderConverter(type as Scalar) : null;
}

/**
 * Callbacks: native code calling JavaScript (a `qsort` comparator, a Windows enumeration procedure).
 *
 * @module
 */
import { generatedCode, MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType, Pointer } from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
import {
  type ArgumentKind,
  backend,
  type Converter,
  type RawCallback,
  type RawSymbol,
  type ResultKind,
} from "./_backend.ts";
import { numberConversion } from "./_as_number.ts";
import { argumentCheck } from "./_argument_checks.ts";
import { describe } from "./_buffer.ts";
import { structDecoder, structEncoder, structKind } from "./_by_value.ts";
import { ClosedError } from "./errors.ts";
import { ownPointer, revokeOwned } from "./_owned_pointers.ts";
import { stringTypeError } from "./_runtime_type_names.ts";
import type { ArgumentValue, ParameterType, ResultType, ResultValue } from "./types.ts";

/** A callback's signature, as C sees it. */
export interface CallbackDefinition {
  /** Parameter types, in order; no `buffer` types, since C passes memory JavaScript does not own. */
  readonly args: readonly Exclude<ParameterType, { kind: "buffer" }>[];
  /** Result type. */
  readonly returns: ResultType;
}

/** The values a callback with parameter types `A` receives, in order. */
export type CallbackArguments<A extends readonly unknown[]> = { [K in keyof A]: ResultValue<A[K]> };

/** The JavaScript function behind a callback: it receives what C passes and returns what C expects. */
export type CallbackFunction<D extends CallbackDefinition> = (
  ...args: CallbackArguments<D["args"]>
) => ArgumentValue<D["returns"]> | (D["returns"] extends { kind: "void" } ? void : never);

// Every callback not yet closed. Native code may hold a callback's pointer (a handler it registered, a
// comparator it stored) while JavaScript holds nothing: the garbage collector cannot see that, so no callback
// is released until close(). A collector-driven close of a stored callback made Deno hang or crash at C's
// next call through it; the set also keeps each runtime's callback object, and the function it calls,
// reachable on both runtimes whatever their own finalizers do.
const live = new Set<RawCallback>();

/** @internal The pointers handed out by `callback()`: they may be called on the JavaScript thread only. */
export const javaScriptThreadOnly: WeakSet<object> = new WeakSet();

// How a closed callback's pointer is refused wherever it comes back (ffi/_revoked.ts).
const CLOSED = { resource: "the pointer's callback", state: "is closed" };

// A callback closed while any callback call is running (`calls.running`: its own call, or another one's while C
// still holds it) is released once the JavaScript that called C has control back: releasing a trampoline that C
// is still in, or is about to call, crashed Deno.
/**
 * A native function pointer that calls a JavaScript function. It lives until `close()`, even when nothing in
 * JavaScript refers to it any more, because native code may still hold the pointer: a callback that is never
 * closed is never released. Native code must not call it after `close()`. Pass it where a `functionPointer`
 * parameter is declared.
 */
export class Callback<D extends CallbackDefinition = CallbackDefinition> implements Disposable {
  #raw: RawCallback | null;
  // The pointer handed out: a distinct value, revoked at close().
  #pointer: Pointer;

  /** @internal Use `callback()`. */
  constructor(raw: RawCallback) {
    this.#raw = raw;
    this.#pointer = ownPointer(raw.pointer);
    javaScriptThreadOnly.add(this.#pointer as unknown as object);
    live.add(raw);
  }

  /**
   * The function pointer to hand to native code. Throws once closed, and so does every use of the pointer
   * through the toolkit from then on (a call's argument, a struct field, …): a `ClosedError` rather than a call
   * into a released trampoline.
   */
  get pointer(): Pointer {
    if (this.#raw === null) throw new ClosedError("take the pointer of a callback", "the callback");
    return this.#pointer;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#raw === null;
  }

  /**
   * Releases the native trampoline. Native code must not call the pointer afterwards. Called while a callback
   * runs (this one or another), the release waits until the JavaScript that called into C has control again,
   * since C may still be in the trampoline or about to call it: until then, C may still call it.
   */
  close(): void {
    const raw = this.#raw;
    if (raw === null) return;
    this.#raw = null;
    revokeOwned(this.#pointer, CLOSED);
    if (calls.running === 0) {
      live.delete(raw);
      raw.close();
      return;
    }
    // A microtask runs only once the JavaScript stack is empty, so after the foreign call that called back.
    queueMicrotask(() => {
      live.delete(raw);
      raw.close();
    });
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal Phantom marker of the definition type. */
  declare readonly definition?: D;
}

/**
 * Creates a native function pointer that calls `fn`. Pointer arguments reach `fn` as `Pointer`s, 64-bit integers
 * as BigInts.
 *
 * What `fn` returns is checked against the declared result: an integer in the type's range (a number or a
 * BigInt for 64-bit types), a number, a boolean, a `Pointer` or null, or the struct. A value that does not fit
 * is an error, as an exception thrown by `fn` is: C gets 0 from that call, and the runtime throws the error
 * from the foreign call during which C called back. The runtimes differ after that: on Bun, the callback is
 * not run again during that call (C gets 0 each time); on Deno, it is, and a later call that returns normally
 * swallows the error.
 *
 * Native code must call the pointer on the JavaScript thread that made it, during a foreign call from
 * JavaScript (a comparator inside `qsort`, a handler during an event loop's dispatch). A call from another
 * thread while JavaScript waits in a call hangs both runtimes; for C that calls from its own threads, use
 * `threadedCallback()`. A non-blocking call refuses a `callback()` (docs/runtime-notes.md, on cross-thread
 * callbacks).
 *
 * @param definition The C signature: `{ args: [pointer, pointer], returns: i32 }`.
 * @param fn The JavaScript function.
 * @returns The owned callback; close it when native code can no longer call it.
 * @throws {TypeError} When the definition is malformed (an unknown key included) or `fn` is not a function.
 *
 * @example A qsort comparator
 * ```ts
 * import { callback, i32, pointer, unsafeRead } from "../mod.ts";
 * using compare = callback({ args: [pointer, pointer], returns: i32 }, (a, b) =>
 *   unsafeRead(a!, i32) - unsafeRead(b!, i32));
 * ```
 */
export function callback<const D extends CallbackDefinition>(
  definition: D,
  fn: CallbackFunction<D>,
): Callback<D> {
  if (typeof fn !== "function") throw new TypeError("Cannot create a callback: expected a function");
  checkDefinition(definition);
  const name = fn.name ? `callback ${fn.name}()` : "a callback";
  // What C passes in arrives like a call's result; what JavaScript returns leaves like a call's argument.
  // Structs arrive as bytes, copied out as objects, and leave as bytes written from the object
  // the function returns, as for calls.
  const args = definition.args.map((type, i): { kind: ArgumentKind; inbound: Converter | null } => {
    checkType(type, `argument ${i} of ${name}`);
    if (type.kind === "scalar" && type.endian === "native") {
      const what = `argument ${i} of ${name}`;
      return {
        kind: type.native,
        inbound: numberConversion(type, what, backend.resultConverter(type.native)),
      };
    }
    if (type.kind === "function") return { kind: "pointer", inbound: backend.resultConverter("pointer") };
    if ((type.kind as string) === "struct" || (type.kind as string) === "union") {
      const layout = type as unknown as StructType;
      const what = `argument ${i} of ${name}`;
      return { kind: structKind(layout, backend, what), inbound: structDecoder(layout) };
    }
    throw new TypeError(`Cannot declare argument ${i} of ${name} as "${type.name}"`);
  });
  const declared = definition.returns;
  checkType(declared, `the result of ${name}`);
  let returns: ResultKind;
  let outbound: Converter | null = null;
  // A result the runtime takes as it is, whose check is an expression: inlined in the generated target.
  let test: string | null = null;
  if (declared.kind === "void") returns = "void";
  else if (declared.kind === "scalar" && declared.endian === "native") {
    returns = declared.native;
    const convert = backend.argumentConverter(returns, `the result of ${name}`);
    outbound = returnCheck(returns, name, convert);
    if (convert === null) test = argumentCheck(returns)?.test ?? null;
  } else if ((declared.kind as string) === "struct" || (declared.kind as string) === "union") {
    const layout = declared as unknown as StructType;
    const what = `the result of ${name}`;
    returns = structKind(layout, backend, what);
    outbound = structEncoder(layout, what, returns.bytes);
  } else {
    throw new TypeError(`Cannot declare the result of ${name} as "${declared.name}"`);
  }
  const raw: RawSymbol = { args: args.map((arg) => arg.kind), returns };
  const inbound = args.map((arg) => arg.inbound);
  const pointers = args.map((arg) => arg.kind === "pointer");
  const target = callTarget(fn as (...a: unknown[]) => unknown, inbound, outbound, test, pointers);
  return new Callback<D>(backend.callback(raw, target as (...args: never[]) => unknown));
}

// How many callback calls are running, in an object the generated targets share with close().
const calls = { running: 0 };

/**
 * The function the runtime calls: each argument converted, `fn` called, its result checked. Generated with the
 * callback's exact arity, as a call wrapper is (a rest parameter and a loop over converters were part of what a
 * `qsort` comparator lost on Bun, 148 to 108 ns: docs/runtime-notes.md, bench/probes/callback_target.ts).
 */
function callTarget(
  fn: (...a: unknown[]) => unknown,
  inbound: readonly (Converter | null)[],
  outbound: Converter | null,
  test: string | null,
  pointers: readonly boolean[],
): (...values: unknown[]) => unknown {
  if (!generatedCode()) {
    return (...values: unknown[]) => {
      calls.running++;
      try {
        for (let i = 0; i < inbound.length; i++) {
          const c = inbound[i];
          if (c) values[i] = c(values[i]);
        }
        const result = fn(...values);
        return outbound ? outbound(result) : result;
      } finally {
        calls.running--;
      }
    };
  }
  const params = inbound.map((_, i) => `a${i}`);
  const passed = params.map((p, i) => inbound[i] ? `c${i}(${p})` : p);
  // Where pointers arrive as addresses to box (Bun), the call is made twice over: once with every pointer known
  // not to be NULL, boxed with no test, once through the converters. A box made behind a NULL test cost
  // JavaScriptCore 10 ns a pointer, the object kept at the branch's end (bench/probes/callback_target.ts).
  const box = backend.boxAddress;
  const boxed = box && pointers.some(Boolean)
    ? params.map((p, i) => pointers[i] ? `box(${p})` : passed[i])
    : null;
  const notNull = params.filter((_, i) => pointers[i]).map((p) => `${p} !== 0 && ${p} !== null`).join(" && ");
  // The check inline, the error worked out by `outbound` only when it fails, as in call wrappers.
  const result = !outbound
    ? "r"
    : test === null
    ? "outbound(r)"
    : `${test.replaceAll("$", "r")} ? r : outbound(r)`;
  const source = `return function (${params.join(", ")}) {
  calls.running++;
  try {
    const r = ${boxed ? `${notNull} ? fn(${boxed.join(", ")}) : ` : ""}fn(${passed.join(", ")});
    return ${result};
  } finally {
    calls.running--;
  }
};`;
  const names = ["fn", "outbound", "calls", "box", ...params.map((_, i) => `c${i}`)];
  return new Function(...names, source)(fn, outbound, calls, box, ...inbound) as (
    ...values: unknown[]
  ) => unknown;
}

function checkDefinition(definition: unknown): void {
  if (
    typeof definition !== "object" || definition === null ||
    !Array.isArray((definition as { args?: unknown }).args) || !("returns" in definition)
  ) {
    throw new TypeError("Cannot create a callback: expected a definition { args: [...], returns: type }");
  }
  for (const key of Object.keys(definition)) {
    if (key !== "args" && key !== "returns") {
      throw new TypeError(
        `Cannot create a callback: unknown key "${key}" in its definition; the keys are args, returns`,
      );
    }
  }
}

function checkType(type: unknown, what: string): void {
  if (typeof type === "string") throw stringTypeError(what, type, what.startsWith("the result"));
  if (typeof type !== "object" || type === null || typeof (type as { kind?: unknown }).kind !== "string") {
    throw new TypeError(`Cannot declare ${what}: expected a type such as i32, got ${String(type)}`);
  }
}

// An integer type's range, from its machine-type record: numbers up to 32 bits, BigInts at 64.
function integerRange(type: NativeType): readonly [number, number] | undefined {
  const record = MACHINE_TYPES[type];
  return record.value === "number" ? record.range as readonly [number, number] | undefined : undefined;
}
function bigintRange(type: NativeType): readonly [bigint, bigint] | undefined {
  const record = MACHINE_TYPES[type];
  return record.value === "bigint" ? record.range as readonly [bigint, bigint] : undefined;
}

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null) return describe(value);
  return String(value);
}

/**
 * Checks what a callback returns against its declared type before the runtime converts it. The runtimes would
 * convert it silently, and differently: an `i32` callback returning "abc" gave C 0 on Deno and threw on Bun,
 * 2^32 + 7 gave 7 on both, and 1.5 from an `i64` one threw Deno's "cannot be converted to a BigInt". The error
 * leaves the callback as any exception from it does: C gets 0, and the runtime throws it from the call that
 * made C call back.
 */
function returnCheck(type: NativeType, name: string, convert: Converter | null): Converter {
  const refuse = (value: unknown, expected: string, Kind: typeof TypeError): never => {
    throw new Kind(
      `Cannot return ${shown(value)} from ${name}, declared to return ${type}: expected ${expected}`,
    );
  };
  const integers = integerRange(type);
  if (integers !== undefined) {
    const [min, max] = integers;
    const expected = `an integer from ${min} to ${max}`;
    return (value) => {
      if (typeof value !== "number") refuse(value, expected, TypeError);
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
        refuse(value, expected, RangeError);
      }
      return value;
    };
  }
  const bigints = bigintRange(type);
  if (bigints !== undefined) {
    const [min, max] = bigints;
    const expected = `a BigInt or integer from ${min} to ${max}`;
    return (value) => {
      if (typeof value === "number" && Number.isInteger(value)) {
        if (value < min || value > max) refuse(value, expected, RangeError);
      } else if (typeof value === "bigint") {
        if (value < min || value > max) refuse(value, expected, RangeError);
      } else refuse(value, expected, typeof value === "number" ? RangeError : TypeError);
      return convert ? convert(value) : value;
    };
  }
  if (type === "f32" || type === "f64") {
    return (value) => typeof value === "number" ? value : refuse(value, "a number", TypeError);
  }
  if (type === "bool") {
    return (value) => typeof value === "boolean" ? value : refuse(value, "a boolean", TypeError);
  }
  // A pointer.
  return (value) => {
    if (value !== null && !backend.isPointer(value)) refuse(value, "a Pointer or null", TypeError);
    return convert ? convert(value) : value;
  };
}

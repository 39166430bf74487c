/**
 * Callbacks: native code calling JavaScript (a `qsort` comparator, a Windows enumeration procedure).
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
import {
  type ArgumentKind,
  backend,
  type Converter,
  type RawCallback,
  type RawSymbol,
  type ResultKind,
} from "./_backend.ts";
import { structDecoder, structEncoder, structKind } from "./_by_value.ts";
import type { ArgumentValue, ParameterType, ResultType, ResultValue } from "./types.ts";

/** A callback's signature, as C sees it. */
export interface CallbackDefinition {
  readonly args: readonly Exclude<ParameterType, { kind: "buffer" }>[];
  readonly returns: ResultType;
}

type CallbackArguments<A extends readonly unknown[]> = { [K in keyof A]: ResultValue<A[K]> };

/** The JavaScript function behind a callback: it receives what C passes and returns what C expects. */
export type CallbackFunction<D extends CallbackDefinition> = (
  ...args: CallbackArguments<D["args"]>
) => ArgumentValue<D["returns"]> | (D["returns"] extends { kind: "void" } ? void : never);

const finalizer = new FinalizationRegistry<RawCallback>((raw) => raw.close());

/**
 * A native function pointer that calls a JavaScript function. It lives until `close()`; native code must not
 * call it after that. Pass it where a `functionPointer` parameter is declared.
 */
export class Callback<D extends CallbackDefinition = CallbackDefinition> implements Disposable {
  #raw: RawCallback | null;

  /** @internal Use `callback()`. */
  constructor(raw: RawCallback) {
    this.#raw = raw;
    finalizer.register(this, raw, this);
  }

  /** The function pointer to hand to native code. Throws once closed. */
  get pointer(): Pointer {
    if (this.#raw === null) throw new ReferenceError("Cannot take the pointer of a closed callback");
    return this.#raw.pointer;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#raw === null;
  }

  /** Releases the native trampoline. Native code must not call the pointer afterwards. */
  close(): void {
    if (this.#raw === null) return;
    finalizer.unregister(this);
    this.#raw.close();
    this.#raw = null;
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
 * @param definition The C signature: `{ args: [pointer, pointer], returns: i32 }`.
 * @param fn The JavaScript function.
 * @returns The owned callback; close it when native code can no longer call it.
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
  // What C passes in arrives like a call's result; what JavaScript returns leaves like a call's argument.
  // Structs (Deno only) arrive as bytes, copied out as objects, and leave as bytes written from the object
  // the function returns, as for calls.
  const args = definition.args.map((type, i): { kind: ArgumentKind; inbound: Converter | null } => {
    if (type.kind === "scalar" && type.endian === "native") {
      return { kind: type.native, inbound: backend.resultConverter(type.native) };
    }
    if (type.kind === "function") return { kind: "pointer", inbound: backend.resultConverter("pointer") };
    if ((type.kind as string) === "struct") {
      const layout = type as unknown as StructType;
      const what = `argument ${i} of a callback`;
      return { kind: structKind(layout, backend.structsByValue, what), inbound: structDecoder(layout) };
    }
    throw new TypeError(`Cannot declare argument ${i} of a callback as "${type.name}"`);
  });
  const declared = definition.returns;
  let returns: ResultKind;
  let outbound: Converter | null = null;
  if (declared.kind === "void") returns = "void";
  else if (declared.kind === "scalar" && declared.endian === "native") {
    returns = declared.native;
    outbound = backend.argumentConverter(returns);
  } else if ((declared.kind as string) === "struct") {
    const layout = declared as unknown as StructType;
    const what = "the result of a callback";
    returns = structKind(layout, backend.structsByValue, what);
    outbound = structEncoder(layout, what);
  } else {
    throw new TypeError(`Cannot declare a callback result as "${declared.name}"`);
  }
  const raw: RawSymbol = { args: args.map((arg) => arg.kind), returns };
  const inbound = args.map((arg) => arg.inbound);
  const needsConversion = outbound !== null || inbound.some((c) => c !== null);
  const target = needsConversion
    ? (...values: unknown[]) => {
      for (let i = 0; i < inbound.length; i++) {
        const c = inbound[i];
        if (c) values[i] = c(values[i]);
      }
      const result = (fn as (...a: unknown[]) => unknown)(...values);
      return outbound ? outbound(result) : result;
    }
    : fn;
  return new Callback<D>(backend.callback(raw, target as (...args: never[]) => unknown));
}

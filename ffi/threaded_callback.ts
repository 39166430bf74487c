/**
 * Callbacks that any thread may call: an audio or I/O thread, a `pthread_create`d worker, a library's pool. Each
 * call is queued to the JavaScript thread's event loop and run there, in the order each thread made its calls.
 *
 * What the runtimes give, and what the toolkit adds:
 * - Deno's `UnsafeCallback.threadSafe`: the calling thread waits until the event loop has run the function and
 *   gets its result, so a callback may return a value. That waiting thread deadlocks if the JavaScript thread is
 *   itself blocked in a call waiting for it: call such C with `nonblocking: true`.
 * - Bun's `JSCallback` with `threadsafe: true` (`FFI_Callback_threadsafe_call` in bun's JSFFIFunction.cpp): the
 *   call is posted to the event loop (`postTaskTo`) and C goes on at once with 0, whatever the function
 *   returns. So on Bun only `void` callbacks are made, and 64-bit integer parameters, which Bun would make into
 *   BigInts on the calling thread, are refused.
 * - Lifetime: the runtimes free a callback's trampoline at `close()`, and a thread calling it afterwards
 *   crashes the process. The toolkit's `close()` instead drops the function and lets the program exit, but keeps
 *   the trampoline (about a hundred bytes) for the life of the process: a later call is counted in
 *   `droppedCalls` and does nothing.
 *
 * @module
 */
import { MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType, Pointer } from "../structs/scalars.ts";
import { backend, type Converter, type RawCallback, type RawSymbol, type ResultKind } from "./_backend.ts";
import type { CallbackDefinition, CallbackFunction } from "./callback.ts";
import { ClosedError, ThreadSafetyError } from "./errors.ts";
import { checkOptions } from "../structs/_internal.ts";

/** How a threaded callback starts. */
export interface ThreadedCallbackOptions {
  /** Keep the program running while the callback is open (default true); see `ref()` and `unref()`. */
  ref?: boolean;
}

// Trampolines of closed callbacks: never released, since a thread may still call them (see the module doc).
const retired: RawCallback[] = [];

// How a closed callback's pointer is refused wherever it comes back (ffi/_revoked.ts).
const CLOSED = { resource: "the pointer's callback", state: "is closed" };

// An interval this long never fires in practice; while it is set, the event loop stays alive.
const KEEP_ALIVE_MS = 2 ** 31 - 1;

/**
 * A native function pointer that any thread may call; the function runs on the JavaScript thread. Create it with
 * `threadedCallback()`.
 */
export class ThreadedCallback<D extends CallbackDefinition = CallbackDefinition> implements Disposable {
  #raw: RawCallback;
  #pointer: Pointer;
  #closed = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #dropped = 0;
  #delivered = 0;

  /** @internal Use `threadedCallback()`. */
  constructor(raw: RawCallback, ref: boolean, state: { owner: ThreadedCallback | null }) {
    this.#raw = raw;
    this.#pointer = backend.own(raw.pointer);
    state.owner = this as ThreadedCallback;
    if (ref) this.ref();
  }

  /** @internal Counts a call that ran; returns whether the function may run. */
  static arrive(callback: ThreadedCallback): boolean {
    if (callback.#closed) {
      callback.#dropped++;
      return false;
    }
    callback.#delivered++;
    return true;
  }

  /** The function pointer to hand to native code. Throws a `ClosedError` once closed. */
  get pointer(): Pointer {
    if (this.#closed) throw new ClosedError("take the pointer of a threaded callback", "the callback");
    return this.#pointer;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many calls ran the function. */
  get deliveredCalls(): number {
    return this.#delivered;
  }

  /** How many calls arrived after `close()` and were dropped (C got 0). */
  get droppedCalls(): number {
    return this.#dropped;
  }

  /** Keeps the program running while the callback is open, so that calls from other threads are run. */
  ref(): void {
    if (this.#closed || this.#timer !== null) return;
    this.#timer = setInterval(() => {}, KEEP_ALIVE_MS);
  }

  /** Lets the program exit even though the callback is open; calls are still run while it runs. */
  unref(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * Ends the callback: the function is no longer called, the program no longer kept running, and the pointer is
   * refused by the toolkit. A thread may still call the pointer afterwards: the call does nothing (C gets 0) and
   * is counted in `droppedCalls`, since the trampoline is kept for the life of the process.
   */
  close(): void {
    if (this.#closed) return;
    this.unref();
    this.#closed = true;
    backend.revoke(this.#pointer, CLOSED);
    retired.push(this.#raw);
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal Phantom marker of the definition type. */
  declare readonly definition?: D;
}

function kindOf(type: unknown, what: string): NativeType | "void" {
  const t = type as { kind?: unknown; native?: NativeType; endian?: string; name?: string };
  if (t?.kind === "void") return "void";
  if (t?.kind === "function") return "pointer";
  if (t?.kind === "scalar" && t.endian === "native" && t.native !== undefined) return t.native;
  throw new TypeError(
    `Cannot declare ${what}: a threaded callback takes and returns numbers, booleans and pointers, got ${
      String(t?.name ?? type)
    }`,
  );
}

function resultCheck(type: NativeType, name: string): Converter {
  const record = MACHINE_TYPES[type];
  const convert = backend.argumentConverter(type);
  return (value) => {
    const ok = type === "pointer"
      ? value === null || backend.isPointer(value)
      : type === "bool"
      ? typeof value === "boolean"
      : record.value === "bigint"
      ? typeof value === "bigint" || Number.isInteger(value)
      : typeof value === "number";
    if (!ok) throw new TypeError(`Cannot return ${String(value)} from ${name}, declared to return ${type}`);
    return convert ? convert(value) : value;
  };
}

/**
 * Creates a function pointer that any thread may call; `fn` runs on the JavaScript thread, in the order each
 * thread made its calls, while the event loop turns. A calling thread waits for the result on Deno; on Bun it
 * goes on at once, so there the callback must return `void`.
 *
 * An exception thrown by `fn` is re-thrown from the event loop (an uncaught error, as from any event handler);
 * C gets 0.
 *
 * @param definition The C signature: `{ args: [i32, i32], returns: void_ }`; numbers, booleans and pointers.
 * @param fn The JavaScript function.
 * @param options `ref` (default true): keep the program running until `close()` or `unref()`.
 * @returns The callback; close it when native code no longer calls it.
 * @throws {ThreadSafetyError} On Bun, for a result other than `void` (Bun gives C 0 without waiting) or a 64-bit
 * integer parameter (made into a BigInt on the calling thread).
 * @throws {TypeError} When the definition is malformed or `fn` is not a function.
 *
 * @example A progress handler called from a worker thread
 * ```ts
 * import { i32, threadedCallback, void_ } from "../mod.ts";
 * using progress = threadedCallback({ args: [i32], returns: void_ }, (percent) => console.log(percent));
 * console.log(progress.closed); // false
 * ```
 */
export function threadedCallback<const D extends CallbackDefinition>(
  definition: D,
  fn: CallbackFunction<D>,
  options: ThreadedCallbackOptions = {},
): ThreadedCallback<D> {
  if (typeof fn !== "function") throw new TypeError("Cannot create a threaded callback: expected a function");
  checkOptions(options, ["ref"], "call", "threadedCallback");
  if (typeof definition !== "object" || definition === null || !Array.isArray(definition.args)) {
    throw new TypeError(
      "Cannot create a threaded callback: expected a definition { args: [...], returns: type }",
    );
  }
  const name = fn.name ? `threaded callback ${fn.name}()` : "a threaded callback";
  const args = definition.args.map((type, i) => {
    const kind = kindOf(type, `argument ${i} of ${name}`);
    if (kind === "void") throw new TypeError(`Cannot declare argument ${i} of ${name} as void`);
    if (backend.runtime === "bun" && MACHINE_TYPES[kind].value === "bigint") {
      throw new ThreadSafetyError(
        `declare argument ${i} of ${name} as ${kind}`,
        "Bun would make a BigInt of it on the calling thread, outside its JavaScript thread",
      );
    }
    return kind;
  });
  const returns: ResultKind = kindOf(definition.returns, `the result of ${name}`);
  if (backend.runtime === "bun" && returns !== "void") {
    throw new ThreadSafetyError(
      `declare ${name} returning ${returns}`,
      "Bun's thread-safe callbacks give C 0 at once and drop the result: declare it void",
    );
  }
  const inbound = args.map((kind) => backend.resultConverter(kind));
  const outbound = returns === "void" ? null : resultCheck(returns, name);
  const fallback = returns === "void" ? undefined : MACHINE_TYPES[returns].value === "bigint" ? 0n : 0;
  const state: { owner: ThreadedCallback | null } = { owner: null };
  let target: ((...values: unknown[]) => unknown) | null = fn as (...values: unknown[]) => unknown;
  const run = (...values: unknown[]): unknown => {
    const owner = state.owner!;
    if (!ThreadedCallback.arrive(owner)) {
      target = null; // let the function be collected
      return fallback;
    }
    try {
      for (let i = 0; i < inbound.length; i++) {
        const convert = inbound[i];
        if (convert) values[i] = convert(values[i]);
      }
      const result = target!(...values);
      return outbound ? outbound(result) : undefined;
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
      return fallback === undefined ? undefined : returns === "pointer" ? null : fallback;
    }
  };
  const raw: RawSymbol = { args, returns };
  const created = backend.callback(raw, run as (...args: never[]) => unknown, true);
  return new ThreadedCallback<D>(created, options.ref ?? true, state);
}

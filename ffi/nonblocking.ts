/**
 * Non-blocking calls: a symbol declared with `nonblocking: true` returns a `Promise` of its result and runs on
 * another thread, so that a `read` on a pipe, a `poll` or a long computation leaves timers and servers running.
 *
 * How each call runs:
 * - Deno, no `errno`/`fails`: Deno's own `nonblocking` (its blocking thread pool, which ran 32 calls at once:
 *   32 sleeps of 300 ms took 311 ms, 33 took 612).
 * - Deno with `errno`/`fails`, and every call on Bun (which has no `nonblocking`): a pool of node:worker_threads
 *   threads (ffi/_call_pool.ts), each opening the same library and making the call synchronously, then reading
 *   its own thread's `errno` in the next statement, as a blocking call does (ffi/errno.ts). Deno's pool thread
 *   runs other work between the end of a call and any later read, so its `errno` cannot be read there.
 *
 * Lent memory: a buffer argument is copied into shared memory the toolkit holds until the promise settles (a
 * reused chunk of a `SharedArrayBuffer` slab up to 4 KiB, ffi/_call_arena.ts; a buffer of its own above), and
 * copied back then; the caller's buffer may be detached, transferred or freed meanwhile without C
 * ever writing into released memory (the promise then rejects with a `ThreadSafetyError`, the bytes lost). A
 * view of a `SharedArrayBuffer` (which can neither be detached nor shrink) is lent as it is, kept reachable.
 * A view of a resizable `ArrayBuffer` is refused at the call.
 *
 * @module
 */
import { MACHINE_TYPES } from "../structs/_internal.ts";
import { type ArgumentCheck, argumentCheck, refusedCall } from "./_argument_checks.ts";
import { backend, type Converter, type RawFunction, type RawSymbol } from "./_backend.ts";
import { bufferArgument } from "./_buffer.ts";
import { byteOrderConverter } from "./_byte_order.ts";
import { borrowShared, returnShared } from "./_call_arena.ts";
import { type CallAnswer, runOnPool, setPoolLimit } from "./_call_pool.ts";
import { Callback, javaScriptThreadOnly } from "./callback.ts";
import { newSyscallError } from "./errno.ts";
import { ThreadSafetyError } from "./errors.ts";
import type { Pointer, Scalar } from "../structs/scalars.ts";
import type { SymbolDefinition } from "./types.ts";

/**
 * Sets how many non-blocking calls may run at once on the toolkit's own pool (every non-blocking call on Bun;
 * on Deno those declared with `errno` or `fails`), and returns the previous limit. The default, 4, suits a
 * few blocking waits; raise it to the number of calls that may block at the same time (each pool thread is a
 * JavaScript worker: a few MiB and about 10 ms to start, on first need). Calls beyond the limit wait their
 * turn. Deno's own pool, which runs the others, ran 32 at once (docs/runtime-notes.md, "Threads").
 *
 * @param count How many pool threads may run calls at once, from 1 to 256.
 * @returns The previous limit.
 * @throws {RangeError} When `count` is not an integer from 1 to 256.
 *
 * @example Letting eight calls block at once
 * ```ts
 * import { setNonblockingThreads } from "../mod.ts";
 * const previous = setNonblockingThreads(8);
 * console.log(previous); // 4
 * setNonblockingThreads(previous);
 * ```
 */
export function setNonblockingThreads(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new RangeError(
      `Cannot set the non-blocking threads to ${String(count)}: expected an integer from 1 to 256`,
    );
  }
  return setPoolLimit(count);
}

/** What a non-blocking wrapper needs. */
export interface NonblockingPlan {
  /** The table's name, for errors. */
  readonly name: string;
  /** The library's path and the C symbol, opened again by each pool thread. */
  readonly path: string;
  readonly symbol: string;
  readonly definition: SymbolDefinition;
  readonly raw: RawSymbol;
  /** Deno's `nonblocking` function, when the call needs no `errno` (else `null`). */
  readonly native: RawFunction | null;
  readonly errno: boolean;
  readonly fails: ((result: unknown) => boolean) | null;
}

/** Whether this runtime can run a call of `definition` on Deno's own pool, with nothing to capture. */
export function runsNatively(definition: SymbolDefinition): boolean {
  return backend.runtime === "deno" && definition.errno !== true && definition.fails === undefined;
}

/**
 * Refuses, when the table is read, a non-blocking declaration the toolkit cannot carry to another thread: a
 * struct passed or returned by value (its bytes are not carried to the pool threads), and a value the wrapper
 * would convert on the way (a byte order swapped, an owned result freed): the pool's threads and Deno's own
 * non-blocking call pass values as the runtime does.
 */
export function checkNonblocking(name: string, definition: SymbolDefinition, raw: RawSymbol): void {
  const refuse = (index: number, why: string): never => {
    const what = index < raw.args.length ? `argument ${index}` : "the result";
    throw new ThreadSafetyError(`declare "${name}" as non-blocking`, `${what} ${why}`);
  };
  const struct = [...raw.args, raw.returns].findIndex((kind) => typeof kind === "object");
  if (struct >= 0) refuse(struct, "is a struct by value, which non-blocking calls do not carry");
  const converted = [...definition.args, definition.returns].findIndex((type) => {
    const t = type as { kind?: string };
    return t.kind === "owned" || t.kind === "borrowed" ||
      (t.kind === "scalar" && byteOrderConverter(type as Scalar) !== null);
  });
  if (converted >= 0) {
    refuse(
      converted,
      "has a byte order or is read or freed after the call, which non-blocking calls do not carry yet",
    );
  }
}

/** The runtime's own type names of a symbol, for a pool thread, which imports nothing of the toolkit. */
function nativeTypes(raw: RawSymbol): { args: string[]; returns: string } {
  const name = (kind: RawSymbol["args"][number] | RawSymbol["returns"]): string => {
    if (typeof kind === "object") throw new TypeError("a struct by value cannot reach a pool thread");
    if (kind === "void") return "void";
    if (kind === "buffer" || kind === "function") return backend.runtime === "bun" ? "ptr" : kind;
    return backend.runtime === "bun" ? MACHINE_TYPES[kind].bun : MACHINE_TYPES[kind].deno;
  };
  return { args: raw.args.map(name), returns: name(raw.returns) };
}

// A buffer lent to a call in flight: the caller's bytes, and the copy C sees.
interface Lent {
  readonly source: ArrayBufferView | ArrayBuffer;
  readonly copy: Uint8Array;
}

function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}

function bytesOf(source: ArrayBufferView | ArrayBuffer): Uint8Array | null {
  const buffer = source instanceof ArrayBuffer ? source : source.buffer;
  if ((buffer as { detached?: boolean }).detached) return null;
  try {
    return source instanceof ArrayBuffer
      ? new Uint8Array(source)
      : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  } catch {
    return null; // out of bounds: its buffer shrank
  }
}

/** The memory C is given for a buffer argument: the shared view itself, or a copy in shared memory. */
function lend(value: ArrayBufferView | ArrayBuffer, lent: Lent[], where: string): Uint8Array {
  const buffer = value instanceof ArrayBuffer ? value : value.buffer;
  if (isShared(buffer)) {
    const view = bytesOf(value)!;
    lent.push({ source: value, copy: view }); // kept reachable until the call settles
    return view;
  }
  if ((buffer as { resizable?: boolean }).resizable) {
    throw new ThreadSafetyError(
      `pass ${where} to a non-blocking call`,
      "its ArrayBuffer is resizable and could shrink while the call runs",
    );
  }
  const bytes = bytesOf(value)!;
  const copy = borrowShared(bytes.byteLength);
  copy.set(bytes);
  lent.push({ source: value, copy });
  return copy;
}

/** Returns the lent copies to the arena, once C can no longer write them (the call settled or never ran). */
function release(lent: readonly Lent[]): void {
  for (const { source, copy } of lent) {
    if (copy !== source && !isShared(source instanceof ArrayBuffer ? source : source.buffer)) {
      returnShared(copy);
    }
  }
}

/**
 * Copies each lent buffer back and releases the copies; a caller's buffer that is gone or shorter is reported,
 * the others restored.
 */
function giveBack(lent: readonly Lent[], name: string): ThreadSafetyError | null {
  let lost: ThreadSafetyError | null = null;
  for (const { source, copy } of lent) {
    if (copy === source || isShared(source instanceof ArrayBuffer ? source : source.buffer)) continue;
    const target = bytesOf(source);
    if (target === null || target.byteLength !== copy.byteLength) {
      lost ??= new ThreadSafetyError(
        `give back a buffer lent to ${name}()`,
        "it was detached, freed or resized while the call ran; what C wrote to it is lost",
      );
      continue;
    }
    target.set(copy);
  }
  release(lent);
  return lost;
}

/**
 * The function a non-blocking symbol becomes: its arguments checked and converted on the calling thread, the
 * call run elsewhere, and a promise of its result (with `errno`, or rejected with `SyscallError` per `fails`).
 */
export function nonblockingFunction(plan: NonblockingPlan): RawFunction {
  const { name, raw } = plan;
  const count = raw.args.length;
  const checks: (ArgumentCheck | null)[] = raw.args.map((kind) => argumentCheck(kind));
  const buffers = raw.args.map((kind, i) => kind === "buffer" ? bufferArgument(name, i) : null);
  const pointers: (Converter | null)[] = raw.args.map((kind, i) =>
    kind === "pointer" || kind === "function"
      ? backend.argumentConverter(kind, `argument ${i} of ${name}()`)
      : null
  );
  const scalars = raw.args.map((kind) => typeof kind === "string" ? backend.argumentConverter(kind) : null);
  // Deno's own non-blocking function fails with "BadResource" once its runtime library is closed (a blocking
  // one keeps working): the calls of a function taken out before `close()` then go to the pool.
  let onPool = plan.native === null;
  let native = onPool ? nativeTypes(raw) : null!;
  const capture = plan.errno || plan.fails !== null;

  const settle = (value: unknown, errno: number, lent: readonly Lent[]): unknown => {
    const lost = giveBack(lent, name);
    if (plan.fails?.(value)) throw newSyscallError(name, errno);
    if (lost) throw lost;
    return capture && !plan.fails ? { value, errno } : value;
  };

  const convert = (args: unknown[], lent: Lent[], passed: unknown[]): void => {
    for (let i = 0; i < count; i++) {
      let value = args[i];
      const kind = raw.args[i];
      if (kind === "buffer") {
        value = buffers[i]!(value);
        passed[i] = value === null
          ? null
          : lend(value as ArrayBufferView, lent, `argument ${i} of ${name}()`);
      } else if (kind === "function" || kind === "pointer") {
        if (
          value instanceof Callback ||
          (typeof value === "object" && value !== null && javaScriptThreadOnly.has(value))
        ) {
          throw new ThreadSafetyError(
            `pass argument ${i} of ${name}()`,
            "a callback() runs on the JavaScript thread only, and a non-blocking call runs on another: " +
              "pass a threadedCallback()",
          );
        }
        if (kind === "function" && typeof value === "object" && value !== null && "pointer" in value) {
          value = (value as { pointer: unknown }).pointer;
        }
        const converted = pointers[i]!(value); // refuses a revoked pointer
        passed[i] = onPool
          ? (value === null ? null : { address: backend.toAddress(value as Pointer) })
          : converted;
      } else {
        passed[i] = !onPool && scalars[i] ? scalars[i]!(value) : value;
      }
    }
  };

  const call = (...args: unknown[]): Promise<unknown> => {
    if (args.length !== count) throw refusedCall(name, raw.args, checks, args.length, args);
    for (let i = 0; i < count; i++) {
      if (checks[i] && !checks[i]!.accepts(args[i])) throw refusedCall(name, raw.args, checks, count, args);
    }
    const lent: Lent[] = [];
    const passed = new Array<unknown>(count);
    try {
      convert(args, lent, passed);
    } catch (error) {
      release(lent); // an earlier argument's copy goes back to the arena
      throw error;
    }
    if (!onPool) {
      return (plan.native!(...passed) as Promise<unknown>).then(
        (value) => settle(value, 0, lent),
        (error) => {
          if ((error as Error)?.name === "BadResource") {
            onPool = true;
            native = nativeTypes(raw);
            release(lent);
            return call(...args); // the lent copies were never written: nothing to give back
          }
          giveBack(lent, name);
          throw error;
        },
      );
    }
    return runOnPool({
      path: plan.path,
      symbol: plan.symbol,
      native,
      args: passed,
      errno: capture,
    }).then((answer: CallAnswer) => {
      if ("error" in answer) {
        giveBack(lent, name);
        throw new Error(`Cannot call ${name}() on a pool thread: ${answer.error}`);
      }
      let value = answer.value;
      if (raw.returns === "pointer") {
        value = value === null ? null : backend.fromAddress((value as { address: bigint }).address);
      }
      return settle(value, answer.errno, lent);
    }, (error) => {
      release(lent); // the thread ended: C no longer runs
      throw error;
    });
  };
  return Object.defineProperty(call, "name", { value: name });
}

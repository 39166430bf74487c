/**
 * The body of one pool thread of non-blocking calls (ffi/nonblocking.ts): a Worker that opens the libraries it
 * is asked for, makes each call synchronously on its own thread and reads that thread's `errno` in the next
 * statement, as a blocking call does on the JavaScript thread (ffi/errno.ts). Pointers are process-wide, so they
 * travel as addresses; lent buffers are copies in a `SharedArrayBuffer`, which both threads see.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { backend, type RawFunction, type RawLibrary, type RawSymbol } from "./_backend.ts";
import { errorCellOf } from "./errno.ts";

/** One call, as the JavaScript thread posts it. */
export interface CallRequest {
  readonly id: number;
  readonly path: string;
  readonly symbol: string;
  readonly definition: RawSymbol;
  /** Numbers, BigInts, booleans, `null`, a pointer as `{ address }`, a buffer as a view of a shared buffer. */
  readonly args: readonly unknown[];
  readonly errno: boolean;
}

/** Its answer: the result (a pointer as `{ address }`) and `errno`, or the error's words. */
export type CallAnswer =
  | { readonly id: number; readonly value: unknown; readonly errno: number }
  | { readonly id: number; readonly error: string };

// Each library stays open for the life of the thread: a call in flight when the caller closed its Library
// still runs through mapped code.
const libraries = new Map<string, RawLibrary>();
const functions = new Map<string, RawFunction>();

function functionOf(request: CallRequest): RawFunction {
  const key = `${request.path}\0${request.symbol}\0${JSON.stringify(request.definition)}`;
  let fn = functions.get(key);
  if (fn === undefined) {
    const library = backend.open(request.path, { [request.symbol]: request.definition });
    libraries.set(key, library);
    fn = library.symbols[request.symbol]!;
    functions.set(key, fn);
  }
  return fn;
}

function argument(kind: unknown, value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return value; // a buffer: the runtimes take a typed array where a pointer goes
  const pointer = backend.fromAddress((value as { address: bigint }).address);
  return backend.argumentConverter(kind === "function" ? "function" : "pointer")!(pointer);
}

function answer(request: CallRequest): CallAnswer {
  try {
    const fn = functionOf(request);
    const args = request.args.map((value, i) => argument(request.definition.args[i], value));
    const sixtyFour = request.definition.args.map((kind) =>
      typeof kind === "string" && kind !== "buffer" && kind !== "function"
        ? backend.argumentConverter(kind)
        : null
    );
    for (let i = 0; i < args.length; i++) {
      const convert = sixtyFour[i];
      if (convert && typeof args[i] !== "object") args[i] = convert(args[i]);
    }
    const cell = request.errno ? errorCellOf() : null;
    cell?.set(0);
    const r = fn(...args);
    const errno = cell ? cell.get() : 0;
    const convert = backend.resultConverter(request.definition.returns);
    let value = convert ? convert(r) : r;
    if (request.definition.returns === "pointer") {
      value = value === null ? null : { address: backend.toAddress(value as never) };
    }
    return { id: request.id, value, errno };
  } catch (error) {
    return {
      id: request.id,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

// node:worker_threads rather than a web Worker: both runtimes have it, and its `unref()` lets a program with an
// idle pool thread exit (a web Worker kept Deno running).
const port = parentPort!;
port.on("message", (request: CallRequest) => port.postMessage(answer(request)));

/**
 * The pool of threads that run non-blocking calls which Deno's own `nonblocking` cannot run (every one on Bun,
 * which has none; on Deno those that capture `errno`): node:worker_threads Workers running ffi/_call_worker.js,
 * one call at a time each, started on demand up to a limit, and let go of (`unref`) while idle so that an idle
 * pool never keeps a program running.
 *
 * A call travels through shared memory, not messages: each thread has a small `SharedArrayBuffer` of cells
 * (the layout below, mirrored in ffi/_call_worker.js) where the JavaScript thread writes the function's number
 * and the arguments and wakes it (`Atomics.notify`); the thread answers in the same cells and wakes the
 * JavaScript thread's `Atomics.waitAsync`. A message goes only for what shared memory cannot hold, and the
 * thread reads it synchronously (`receiveMessageOnPort`): the first call of a function, a new arena slab, a
 * buffer outside the arena, more than 16 arguments. Probe: bench/probes/pool_round_trip.ts.
 *
 * @module
 */
import type { MessagePort, Worker } from "node:worker_threads";
import { slabNumber, slabs } from "./_call_arena.ts";
import { callWorkerUrl } from "./_call_worker_url.ts";

/** One call, as ffi/nonblocking.ts hands it to the pool. */
export interface CallRequest {
  readonly path: string;
  readonly symbol: string;
  /** The runtime's own type names: `{ args: ["i32", "buffer"], returns: "i64" }`. */
  readonly native: { readonly args: readonly string[]; readonly returns: string };
  /** Numbers, BigInts, booleans, `null`, a pointer as `{ address }`, a buffer as a view of a shared buffer. */
  readonly args: readonly unknown[];
  readonly errno: boolean;
}

/** Its answer: the result (a pointer as `{ address }`) and `errno`, or the error's words. */
export type CallAnswer =
  | { readonly value: unknown; readonly errno: number }
  | { readonly error: string };

// The cells (Int32 indexes; the 8-byte slots are Float64/BigInt64 indexes of the same memory).
const REQUEST = 0; // bumped by the JavaScript thread for each call
const ANSWER = 1; // set to the request's count by the pool thread when it answers
const FUNCTION = 2; // the function's number on that thread; -1 stops the thread
const FLAGS = 3; // 1: read errno; 2: the arguments came as a message
const STATUS = 4; // 0 answered, 1 failed (the error's words at TEXT)
const ERRNO = 5;
const RESULT_TAG = 6;
const MESSAGES = 7; // messages posted for this call, to read before it
const TEXT_LENGTH = 8;
const COUNT = 9;
const TAGS = 16; // per argument: 0 number, 1 bigint, 2 null, 3 address, 4 arena bytes, 5 true, 6 false
const SLAB = 32; // arena bytes: slab number, offset, length
const OFFSET = 48;
const LENGTH = 64;
const SLOTS = 40; // 8-byte slots: the arguments' values
const RESULT = 56; // 8-byte slot: the result
const TEXT = 256; // Uint16 index: the error's words, up to 256
const CELL_BYTES = 1024;
const FAST_ARGUMENTS = 16;

interface PoolThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly cells: Int32Array;
  readonly slots: Float64Array;
  readonly wide: BigInt64Array;
  readonly text: Uint16Array;
  /** The functions it has opened: key → number. */
  readonly known: Map<string, number>;
  /** How many arena slabs it has been sent. */
  slabsSent: number;
  /** Its calls so far. */
  count: number;
  /** The call it runs, or null. */
  busy: Pending | null;
}

interface Pending {
  readonly request: CallRequest;
  readonly resolve: (answer: CallAnswer) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_THREADS = 4;
let limit = DEFAULT_THREADS;
const threads: PoolThread[] = [];
const queue: Pending[] = [];

/**
 * Sets how many pool threads may run non-blocking calls at once (default 4), and returns the previous limit.
 * Lowering it lets surplus threads go once they are idle.
 */
export function setPoolLimit(count: number): number {
  const previous = limit;
  limit = count;
  while (threads.length > limit) {
    const index = threads.findIndex((thread) => thread.busy === null);
    if (index < 0) break;
    stop(threads.splice(index, 1)[0]!);
  }
  return previous;
}

/** The current limit. */
export function poolLimit(): number {
  return limit;
}

function stop(thread: PoolThread): void {
  thread.cells[FUNCTION] = -1;
  Atomics.add(thread.cells, REQUEST, 1);
  Atomics.notify(thread.cells, REQUEST);
  thread.port.close();
  void thread.worker.terminate();
}

// node:worker_threads is imported on the first non-blocking call, not at import: a static import cost every
// program that imports the toolkit +8-20 ms on Deno and +8 ms on Bun (docs/runtime-notes.md "Start-up").
let workerThreads: typeof import("node:worker_threads") | undefined;

function start(): PoolThread {
  const { MessageChannel, Worker } = workerThreads!;
  const shared = new SharedArrayBuffer(CELL_BYTES);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(callWorkerUrl(), {
    workerData: { cells: shared, port: port2 },
    transferList: [port2],
  });
  const thread: PoolThread = {
    worker,
    port: port1,
    cells: new Int32Array(shared),
    slots: new Float64Array(shared),
    wide: new BigInt64Array(shared),
    text: new Uint16Array(shared),
    known: new Map(),
    slabsSent: 0,
    count: 0,
    busy: null,
  };
  port1.unref();
  const fail = (error: unknown) => {
    const index = threads.indexOf(thread);
    if (index >= 0) threads.splice(index, 1);
    const pending = thread.busy;
    thread.busy = null;
    pending?.reject(new Error("A pool thread of non-blocking calls ended during a call", { cause: error }));
    if (queue.length > 0) dispatch(threads.length < limit ? start() : null);
  };
  worker.on("error", fail);
  worker.on("exit", fail);
  threads.push(thread);
  return thread;
}

/** Writes `args` into the cells; false when one needs a message. */
function writeArguments(thread: PoolThread, args: readonly unknown[]): boolean {
  if (args.length > FAST_ARGUMENTS) return false;
  const { cells, slots, wide } = thread;
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    switch (typeof value) {
      case "number":
        cells[TAGS + i] = 0;
        slots[SLOTS + i] = value;
        break;
      case "bigint":
        cells[TAGS + i] = 1;
        wide[SLOTS + i] = BigInt.asIntN(64, value);
        break;
      case "boolean":
        cells[TAGS + i] = value ? 5 : 6;
        break;
      default:
        if (value === null) {
          cells[TAGS + i] = 2;
        } else if (value instanceof Uint8Array) {
          const slab = slabNumber(value.buffer);
          if (slab < 0) return false;
          cells[TAGS + i] = 4;
          cells[SLAB + i] = slab;
          cells[OFFSET + i] = value.byteOffset;
          cells[LENGTH + i] = value.byteLength;
        } else {
          cells[TAGS + i] = 3;
          wide[SLOTS + i] = BigInt.asIntN(64, (value as { address: bigint }).address);
        }
    }
  }
  return true;
}

function readAnswer(thread: PoolThread): CallAnswer {
  const { cells, slots, wide } = thread;
  if (cells[STATUS] !== 0) {
    return { error: String.fromCharCode(...thread.text.subarray(TEXT, TEXT + cells[TEXT_LENGTH]!)) };
  }
  let value: unknown;
  switch (cells[RESULT_TAG]) {
    case 0:
      value = slots[RESULT];
      break;
    case 1:
      value = wide[RESULT];
      break;
    case 2:
      value = BigInt.asUintN(64, wide[RESULT]!);
      break;
    case 3:
      value = null;
      break;
    case 4:
      value = { address: BigInt.asUintN(64, wide[RESULT]!) };
      break;
    case 5:
      value = true;
      break;
    case 6:
      value = false;
      break;
    default:
      value = undefined;
  }
  return { value, errno: cells[ERRNO]! };
}

/** Gives `thread` (idle, or null for any idle one) the next queued call, or lets it go idle. */
function dispatch(thread: PoolThread | null): void {
  const next = queue[0];
  if (next === undefined) {
    thread?.worker.unref();
    return;
  }
  thread ??= threads.find((t) => t.busy === null) ?? (threads.length < limit ? start() : null);
  if (thread === null) return;
  queue.shift();
  thread.busy = next;
  const { request } = next;
  const { cells, port } = thread;
  let messages = 0;
  while (thread.slabsSent < slabs.length) {
    port.postMessage({ slab: thread.slabsSent, buffer: slabs[thread.slabsSent] });
    thread.slabsSent++;
    messages++;
  }
  const key = `${request.path}\0${request.symbol}\0${request.native.args.join()}\0${request.native.returns}`;
  let index = thread.known.get(key);
  if (index === undefined) {
    index = thread.known.size;
    thread.known.set(key, index);
    port.postMessage({ open: index, path: request.path, symbol: request.symbol, native: request.native });
    messages++;
  }
  let flags = request.errno ? 1 : 0;
  if (!writeArguments(thread, request.args)) {
    port.postMessage({ args: request.args });
    messages++;
    flags |= 2;
  }
  cells[FUNCTION] = index;
  cells[FLAGS] = flags;
  cells[COUNT] = request.args.length;
  cells[MESSAGES] = messages;
  const count = ++thread.count;
  thread.worker.ref(); // a call in flight keeps the program running
  Atomics.store(cells, REQUEST, count);
  Atomics.notify(cells, REQUEST);
  awaitAnswer(thread, next, count);
}

function awaitAnswer(thread: PoolThread, pending: Pending, count: number): void {
  const waiting = Atomics.waitAsync(thread.cells, ANSWER, count - 1);
  if (waiting.async) void waiting.value.then(() => finish(thread, pending, count));
  else finish(thread, pending, count);
}

function finish(thread: PoolThread, pending: Pending, count: number): void {
  if (thread.busy !== pending) return; // the thread ended and the call was already rejected
  // A wake-up without this call's answer waits on: on Bun, 2 runs in 13 of tests/ffi/call_pool_test.ts read
  // the previous call's answer (its errno; the buffer given back before C wrote it) without this check.
  if (Atomics.load(thread.cells, ANSWER) !== count) return awaitAnswer(thread, pending, count);
  const answer = readAnswer(thread);
  thread.busy = null;
  dispatch(thread);
  pending.resolve(answer);
}

/** Runs one call on a pool thread; the answer carries the result and that thread's `errno`. */
export function runOnPool(request: CallRequest): Promise<CallAnswer> {
  if (workerThreads === undefined) {
    return import("node:worker_threads").then((module) => {
      workerThreads ??= module;
      return runOnPool(request);
    });
  }
  return new Promise((resolve, reject) => {
    queue.push({ request, resolve, reject });
    dispatch(null);
  });
}

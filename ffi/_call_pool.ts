/**
 * The pool of threads that run non-blocking calls which Deno's own `nonblocking` cannot run (every one on Bun,
 * which has none; on Deno those that capture `errno`): node:worker_threads Workers running ffi/_call_worker.js,
 * one call at a time each, started on demand up to a limit, and let go of (`unref`) while idle so that an idle
 * pool never keeps a program running.
 *
 * @module
 */
import type { Worker } from "node:worker_threads";

/** One call, as the JavaScript thread posts it to ffi/_call_worker.js. */
export interface CallRequest {
  readonly id: number;
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
  | { readonly id: number; readonly value: unknown; readonly errno: number }
  | { readonly id: number; readonly error: string };

interface PoolThread {
  readonly worker: Worker;
  /** The id of the call it runs, or 0. */
  busy: number;
}

interface Pending {
  readonly request: Omit<CallRequest, "id">;
  readonly resolve: (answer: CallAnswer) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_THREADS = 4;
let limit = DEFAULT_THREADS;
const threads: PoolThread[] = [];
const queue: Pending[] = [];
const inFlight = new Map<number, Pending>();
let nextId = 1;

/**
 * Sets how many pool threads may run non-blocking calls at once (default 4), and returns the previous limit.
 * Lowering it lets surplus threads go once they are idle.
 */
export function setPoolLimit(count: number): number {
  const previous = limit;
  limit = count;
  while (threads.length > limit) {
    const index = threads.findIndex((thread) => thread.busy === 0);
    if (index < 0) break;
    void threads.splice(index, 1)[0]!.worker.terminate();
  }
  return previous;
}

/** The current limit. */
export function poolLimit(): number {
  return limit;
}

// node:worker_threads is imported on the first non-blocking call, not at import: a static import cost every
// program that imports the toolkit +8-20 ms on Deno and +8 ms on Bun (docs/runtime-notes.md "Start-up").
let WorkerClass: typeof Worker | undefined;

function start(): PoolThread {
  const worker = new WorkerClass!(new URL("./_call_worker.js", import.meta.url));
  const thread: PoolThread = { worker, busy: 0 };
  worker.on("message", (answer: CallAnswer) => {
    const pending = inFlight.get(answer.id);
    inFlight.delete(answer.id);
    thread.busy = 0;
    dispatch(thread);
    pending?.resolve(answer);
  });
  const fail = (error: unknown) => {
    const index = threads.indexOf(thread);
    if (index >= 0) threads.splice(index, 1);
    const pending = inFlight.get(thread.busy);
    inFlight.delete(thread.busy);
    pending?.reject(new Error("A pool thread of non-blocking calls ended during a call", { cause: error }));
    if (queue.length > 0) dispatch(threads.length < limit ? start() : null);
  };
  worker.on("error", fail);
  worker.on("exit", fail);
  threads.push(thread);
  return thread;
}

/** Gives `thread` (idle, or null for any idle one) the next queued call, or lets it go idle. */
function dispatch(thread: PoolThread | null): void {
  const next = queue[0];
  if (next === undefined) {
    thread?.worker.unref();
    return;
  }
  thread ??= threads.find((t) => t.busy === 0) ?? (threads.length < limit ? start() : null);
  if (thread === null) return;
  queue.shift();
  const id = nextId++;
  thread.busy = id;
  inFlight.set(id, next);
  thread.worker.ref();
  thread.worker.postMessage({ ...next.request, id });
}

/** Runs one call on a pool thread; the answer carries the result and that thread's `errno`. */
export function runOnPool(request: Omit<CallRequest, "id">): Promise<CallAnswer> {
  if (WorkerClass === undefined) {
    return import("node:worker_threads").then((module) => {
      WorkerClass ??= module.Worker;
      return runOnPool(request);
    });
  }
  return new Promise((resolve, reject) => {
    queue.push({ request, resolve, reject });
    dispatch(null);
  });
}

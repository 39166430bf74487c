/**
 * The line protocol between a worker process (`worker.ts`, `node/koffi_peer.mjs`) and `run.ts`: one JSON
 * message per stdout line, marked with a prefix. Kept apart from `_harness.ts` so that `run.ts` (and the
 * dashboard that imports it) does not load mitata.
 *
 * @module
 */
import type { Measurement } from "./schema.ts";

/** Where the garbage numbers come from on this runtime, written into the result file. */
export interface GarbageSources {
  heap: string;
  gcCount: string;
}

/** A message from a worker to the runner, one JSON line on stdout prefixed with `PROTOCOL_PREFIX`. */
export type WorkerMessage =
  /** Contestants planned, and the expected time of the whole process (for the time-left estimate). */
  | { type: "plan"; total: number; costMs: number }
  /** A contestant finished; `costMs` is the expected time of the work done so far, context included. */
  | {
    type: "progress";
    suite: string;
    group: string;
    name: string;
    done: number;
    total: number;
    costMs: number;
  }
  | { type: "note"; text: string }
  | {
    type: "result";
    runtime: { name: "deno" | "bun" | "node"; version: string };
    measurements: Measurement[];
    mitata: Record<string, unknown>;
    notes?: string[];
    garbageSources?: GarbageSources;
  };

/** Marks protocol lines, so that anything else a library prints is ignored. */
export const PROTOCOL_PREFIX = "@@bench ";

/** Sends one message to the runner. */
export function emit(message: WorkerMessage): void {
  console.log(PROTOCOL_PREFIX + JSON.stringify(message));
}

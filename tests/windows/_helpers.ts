/**
 * Helpers of the Windows tests: whether they run under Wine, and a child process to put in a job.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { dlopen } from "../../ffi/dlopen.ts";
import { pointer } from "../../structs/mod.ts";

/** True on Windows builds running under Wine, whose ntdll exports `wine_get_version`. */
export function underWine(): boolean {
  if (process.platform !== "win32") return false;
  const ntdll = dlopen("ntdll.dll", { wine_get_version: { args: [], returns: pointer, optional: true } }, {
    lazy: true,
  });
  return ntdll.symbols.wine_get_version !== null;
}

/** A child process of the running runtime that sleeps until killed. */
export interface Sleeper {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the milliseconds from spawn to exit. */
  readonly exited: Promise<number>;
  kill(): void;
}

/**
 * Starts the running runtime's own executable on a script that sleeps for `ms`, and waits until it runs.
 *
 * @param ms How long the child sleeps unless killed.
 */
export async function spawnSleeper(ms = 60_000): Promise<Sleeper> {
  const script = `setTimeout(() => {}, ${ms})`;
  const args = "Bun" in globalThis ? ["-e", script] : ["eval", script];
  const started = Date.now();
  // The child shares this process's console: with a console of its own, Wine 10 leaves that console's
  // conhost.exe running after a child that was in a job object ends, and the runner must kill it.
  const child = spawn(process.execPath, args, { stdio: "inherit" });
  const exited = new Promise<number>((resolve) => child.once("exit", () => resolve(Date.now() - started)));
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", () => resolve());
    child.once("error", reject);
  });
  if (child.pid === undefined) throw new Error(`Cannot start ${process.execPath}: no pid`);
  return { pid: child.pid, child, exited, kill: () => void child.kill() };
}

/** Resolves with `promise`'s value, or `null` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Forces a full collection: Deno's `gc()` (windows/wine/run.sh runs Deno with `--v8-flags=--expose-gc`) or
 * `Bun.gc(true)`; `undefined` when neither is available.
 */
export const forceCollection: (() => void) | undefined = (globalThis as { gc?: () => void }).gc ??
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc.bind(null, true);

/** Collects garbage several times, yielding between rounds so that finalizers run (they run between tasks). */
export async function collectGarbage(rounds = 6): Promise<void> {
  if (forceCollection === undefined) throw new Error("Cannot force a collection: run Deno with --expose-gc");
  for (let i = 0; i < rounds; i++) {
    forceCollection();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

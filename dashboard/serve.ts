/**
 * The dashboard entry's helpers: serving a hono app with `Deno.serve` or `Bun.serve`, and the first quick run
 * with its terminal progress bar.
 *
 * @module
 */
import type { Hono } from "hono";
import process from "node:process";
import { setInterval } from "node:timers";
import type { BenchProgress, BenchRunner, BenchTracker } from "./bench_run.ts";
import { listResultFileNames } from "./results.ts";

/** Where to listen. */
export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
}

interface BunServer {
  url: URL;
  stop(closeActiveConnections?: boolean): void | Promise<void>;
}
interface BunServe {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Response | Promise<Response>;
    idleTimeout?: number;
  }): BunServer;
}

/** A running server. */
export interface RunningServer {
  url: string;
  /** Stops listening. */
  close(): Promise<void>;
}

function urlOf(hostname: string, port: number): string {
  return `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`;
}

/** Thrown by {@linkcode startServer} when it cannot listen; the message is one line a person can act on. */
export class ListenError extends Error {
  override name = "ListenError";
}

/** The system's name for a listening failure: Bun's and Node's `code`, or Deno's error class name. */
function listenErrorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : "";
}

/** Turns a listening failure into one line that says what to do. */
function listenError(error: unknown, options: ServeOptions): ListenError {
  const where = `${
    options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname
  }:${options.port}`;
  const code = listenErrorCode(error);
  const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
  let what: string;
  if (code === "EADDRINUSE" || code === "AddrInUse") {
    what = "the port is in use; choose another with --port <number>, or --port 0 for any free port";
  } else if (code === "EACCES" || code === "PermissionDenied") {
    what =
      `permission denied (${detail}); ports below 1024 need privileges: choose another with --port <number>`;
  } else if (code === "EADDRNOTAVAIL" || code === "AddrNotAvailable" || code === "ENOTFOUND") {
    what = `this machine has no such address (${detail}); choose another with --host, such as 127.0.0.1`;
  } else {
    what = detail ?? "unknown error";
  }
  return new ListenError(`Cannot serve on ${where}: ${what}`, { cause: error });
}

/**
 * Serves an app on the running runtime: `Deno.serve` on Deno, `Bun.serve` on Bun.
 *
 * @param app The hono app.
 * @param options Host and port.
 * @returns The URL and a way to stop, once listening.
 * @throws {ListenError} When the port is in use or cannot be bound, in one line that says what to do.
 */
export async function startServer(app: Hono, options: ServeOptions): Promise<RunningServer> {
  const bun = (globalThis as { Bun?: BunServe }).Bun;
  if (bun) {
    let server: BunServer;
    try {
      server = bun.serve({
        hostname: options.hostname,
        port: options.port,
        fetch: app.fetch,
        idleTimeout: 60,
      });
    } catch (error) {
      throw listenError(error, options);
    }
    return {
      url: urlOf(options.hostname, Number(server.url.port)),
      close: async () => await server.stop(true),
    };
  }
  const { promise, resolve } = Promise.withResolvers<number>();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve(
      { hostname: options.hostname, port: options.port, onListen: ({ port }) => resolve(port) },
      app.fetch,
    );
  } catch (error) {
    throw listenError(error, options);
  }
  const port = await promise;
  return { url: urlOf(options.hostname, port), close: () => server.shutdown() };
}

/**
 * Serves an app until the process ends.
 *
 * @param app The hono app.
 * @param options Host and port.
 * @returns The URL, once listening.
 */
export async function serve(app: Hono, options: ServeOptions): Promise<string> {
  return (await startServer(app, options)).url;
}

/**
 * Ends this process soon after the process that started it ends, so that killing `npm start` or
 * `deno task dashboard` (even with SIGKILL, which cannot be passed on) does not leave the server answering.
 * An orphan is handed to another parent (init or a subreaper), so a changed parent pid is the sign.
 *
 * @param intervalMs How often to look.
 */
export function exitWithParent(intervalMs = 500): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid === parent) return;
    console.log(`The dashboard's parent process ${parent} ended: stopping`);
    process.exit(0);
  }, intervalMs).unref();
}

let lastLine = "";

/**
 * Draws a progress bar on the terminal (redrawn in place on a TTY, a line per tenth otherwise).
 *
 * @param progress Steps done and in all.
 */
export function drawProgress(progress: BenchProgress): void {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const width = 30;
  const filled = Math.round(fraction * width);
  const steps = progress.total > 0 ? ` ${progress.done}/${progress.total}` : "";
  const percent = String(Math.round(fraction * 100)).padStart(3);
  const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}%${steps} ${
    progress.label ?? ""
  }`;
  if (process.stdout.isTTY) {
    const columns = process.stdout.columns ?? 100;
    process.stdout.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, lastLine.length))}`);
    lastLine = line;
  } else {
    const tenth = `${Math.floor(fraction * 10)}`;
    if (tenth !== lastLine) console.log(line);
    lastLine = tenth;
  }
}

/**
 * Wraps a runner so that its progress is also drawn on the terminal.
 *
 * @param runner The runner the dashboard's tracker calls.
 * @returns The same runner, drawing {@linkcode drawProgress} as it reports.
 */
export function withTerminalProgress(runner: BenchRunner): BenchRunner {
  return (options) =>
    runner({
      ...options,
      onProgress: (progress) => {
        options.onProgress(progress);
        drawProgress(progress);
      },
    });
}

/**
 * Runs the quick benchmark when the results folder has no result file, so a newcomer sees charts at once.
 * Call it once the server listens: the run goes through the dashboard's tracker, so a page opened meanwhile
 * shows its progress and then its charts.
 *
 * @param resultsDir The results folder.
 * @param tracker The dashboard's run tracker; when it has no runner, this only says why.
 */
export async function runFirstIfEmpty(resultsDir: string, tracker: BenchTracker): Promise<void> {
  if ((await listResultFileNames(resultsDir)).length > 0) return;
  const before = tracker.status;
  if (before.state === "unavailable") {
    console.log(`No benchmark results yet, and the benchmark cannot run: ${before.unavailableReason}`);
    return;
  }
  console.log("No benchmark results yet: running the quick benchmark first (the page shows its progress).");
  try {
    tracker.start("quick");
  } catch (error) {
    // A run started from the page in the moment since listening: that one writes the first results.
    console.log(`Not starting the quick benchmark: ${error instanceof Error ? error.message : error}`);
    return;
  }
  await tracker.whenIdle();
  if (process.stdout.isTTY) process.stdout.write("\n");
  const status = tracker.status;
  if (status.state === "done") {
    console.log(`Wrote ${status.files.length} result file(s) to ${resultsDir}`);
    for (const note of status.notes) console.log(`note: ${note}`);
  } else {
    console.error(`The quick benchmark failed: ${status.error}`);
  }
}

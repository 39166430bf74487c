/**
 * The dashboard entry's helpers: serving a hono app with `Deno.serve` or `Bun.serve`, and the first quick run
 * with its terminal progress bar.
 *
 * @module
 */
import type { Hono } from "hono";
import process from "node:process";
import type { BenchProgress } from "./bench_run.ts";
import { listResultFileNames } from "./results.ts";
import type { RunnerSource } from "./wiring.ts";

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

/**
 * Serves an app on the running runtime: `Deno.serve` on Deno, `Bun.serve` on Bun.
 *
 * @param app The hono app.
 * @param options Host and port.
 * @returns The URL and a way to stop, once listening.
 */
export async function startServer(app: Hono, options: ServeOptions): Promise<RunningServer> {
  const bun = (globalThis as { Bun?: BunServe }).Bun;
  if (bun) {
    const server = bun.serve({
      hostname: options.hostname,
      port: options.port,
      fetch: app.fetch,
      idleTimeout: 60,
    });
    return {
      url: urlOf(options.hostname, Number(server.url.port)),
      close: async () => await server.stop(true),
    };
  }
  const { promise, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve(
    { hostname: options.hostname, port: options.port, onListen: ({ port }) => resolve(port) },
    app.fetch,
  );
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
 * Runs the quick benchmark when the results folder has no result file, so a newcomer sees charts at once.
 *
 * @param resultsDir The results folder.
 * @param bench The runner, or why there is none (then it only says so).
 */
export async function runFirstIfEmpty(resultsDir: string, bench: RunnerSource): Promise<void> {
  if ((await listResultFileNames(resultsDir)).length > 0) return;
  if (!("runner" in bench)) {
    console.log(`No benchmark results yet, and the benchmark cannot run: ${bench.unavailable}`);
    return;
  }
  console.log("No benchmark results yet: running the quick benchmark first.");
  try {
    const outcome = await bench.runner({ quick: true, onProgress: drawProgress });
    if (process.stdout.isTTY) process.stdout.write("\n");
    const files = Array.isArray(outcome) ? outcome : outcome.files;
    console.log(`Wrote ${files.length} result file(s) to ${resultsDir}`);
    for (const note of Array.isArray(outcome) ? [] : outcome.notes ?? []) console.log(`note: ${note}`);
  } catch (error) {
    console.error(`\nThe quick benchmark failed: ${error instanceof Error ? error.message : error}`);
  }
}

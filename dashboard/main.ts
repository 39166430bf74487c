/**
 * `deno task dashboard` (or `bun dashboard/main.ts`): serves the benchmark dashboard on loopback and, when
 * there are no results yet, runs the quick benchmark once it listens (the page shows the run's progress).
 * A port in use is reported in one line, with the way to choose another, and exit code 1. It stops when the
 * process that started it ends (`npm start` killed).
 *
 * Options: `--port 8377`, `--host 127.0.0.1` (another host serves the network: be sure you want that),
 * `--results bench/results`, `--no-bench` (never run the benchmark at start).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createApp } from "./app.ts";
import { BenchTracker } from "./bench_run.ts";
import { exitWithParent, ListenError, runFirstIfEmpty, startServer, withTerminalProgress } from "./serve.ts";
import { loadBenchRunner, loadLiveBindings } from "./wiring.ts";

const options = {
  port: { type: "string", default: "8377" },
  host: { type: "string", default: "127.0.0.1" },
  results: { type: "string", default: fileURLToPath(new URL("../bench/results/", import.meta.url)) },
  "no-bench": { type: "boolean", default: false },
} as const;
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>["values"];
try {
  ({ values } = parseArgs({ args: process.argv.slice(2), options }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}
usage: deno task dashboard [--port 8377] [--host 127.0.0.1] [--results bench/results] [--no-bench]`);
  process.exit(2);
}
const port = Number(values.port);
if (!/^\d{1,5}$/.test(values.port) || port > 65535) {
  console.error(`Cannot serve on port "${values.port}": a port is 0 to 65535`);
  process.exit(2);
}

exitWithParent();
const [bench, live] = await Promise.all([loadBenchRunner(values.results), loadLiveBindings()]);
// One tracker for the page's run button and the first run below, so the page shows either's progress.
const tracker = "runner" in bench
  ? new BenchTracker(withTerminalProgress(bench.runner))
  : new BenchTracker(undefined, bench.unavailable);
const app = createApp({
  resultsDir: values.results,
  tracker,
  live,
  // Serving every interface means being reached by any name; otherwise only by the bound one and loopback.
  allowedHosts: values.host === "0.0.0.0" || values.host === "::" ? ["*"] : [values.host],
});

// Listen first: a port in use is said at once, not after a minute of benchmarks.
let url: string;
try {
  url = (await startServer(app, { hostname: values.host, port })).url;
} catch (error) {
  console.error(error instanceof ListenError ? error.message : `Cannot serve the dashboard: ${error}`);
  process.exit(1);
}
console.log(`Dashboard: ${url}`);
if (!["127.0.0.1", "::1", "localhost"].includes(values.host)) {
  console.log(
    `Warning: serving on ${values.host}, not only loopback: anyone who can reach it can start runs`,
  );
}
if ("unavailable" in live) console.log(`Live views unavailable: ${live.unavailable}`);
if (!values["no-bench"]) await runFirstIfEmpty(values.results, tracker);

/**
 * `deno task bench`: runs the benchmark suites on Deno, Bun and Node (koffi), writes one result file per
 * runtime to `bench/results/`, shows progress on stderr and prints a summary with the ratios on stdout.
 *
 * Usage: `deno run -A bench/main.ts [--quick] [--only=rows,calls,memory,garbage] [--runtimes=deno,bun,node]
 * [--out=<dir>]`. The output directory defaults to `$FFIKIT_BENCH_OUT`, else `bench/results/`.
 *
 * @module
 */
import process from "node:process";
import { type ProgressEvent, runBench, type RuntimeName, SUITE_NAMES, type SuiteName } from "./run.ts";
import { summarize } from "./summary.ts";

function value(argv: string[], name: string): string | undefined {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const USAGE = `usage: deno task bench [--quick] [--only=${
  SUITE_NAMES.join(",")
}] [--runtimes=deno,bun,node] [--out=<dir>]
  (npm run bench -- <the same flags> where deno is not on PATH)
  --quick     small N and short budgets: about 30 s for all three runtimes; the speed goals are set for 1e6
              rows, so a quick run's goal lines are not a verdict
  --only      some suites (default: all)
  --runtimes  some runtimes (default: all three; node runs koffi's peer figures)
  --out       where the result files go (default: $FFIKIT_BENCH_OUT, else bench/results/)`;

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = argv.filter((a) => !/^--(quick|only=.*|runtimes=.*|out=.*)$/.test(a));
if (unknown.length) {
  console.error(`Cannot run the benchmarks: unknown argument "${unknown[0]}"\n${USAGE}`);
  process.exit(2);
}
const only = value(argv, "only")?.split(",") as SuiteName[] | undefined;
const runtimes = value(argv, "runtimes")?.split(",") as RuntimeName[] | undefined;
const outDir = value(argv, "out");
const tty = process.stderr.isTTY;
let lastLine = 0;

function progress(event: ProgressEvent): void {
  const clear = tty && lastLine ? "\r\x1b[K" : "";
  if (event.kind === "progress") {
    const left = event.remainingMs === null ? "" : `, ~${clock(event.remainingMs)} left`;
    const line =
      `[${event.runtime} ${event.done}/${event.total}, all ${event.overallDone}/${event.overallTotal}] ${event.suite} › ${event.group} › ${event.name} (${
        clock(event.elapsedMs)
      } elapsed${left})`;
    if (tty) {
      process.stderr.write(clear + line.slice(0, (process.stderr.columns ?? 120) - 1));
      lastLine = 1;
    } else if (event.done === event.total || event.done % 10 === 0) {
      process.stderr.write(line + "\n");
    }
  } else {
    const text = event.kind === "start"
      ? `${event.runtime}: starting`
      : event.kind === "note"
      ? `${event.runtime}: ${event.text}`
      : `${event.runtime}: wrote ${event.file}`;
    process.stderr.write(clear + text + "\n");
    lastLine = 0;
  }
}

const options: Parameters<typeof runBench>[0] = { quick: argv.includes("--quick"), onProgress: progress };
if (only) options.only = only;
if (runtimes) options.runtimes = runtimes;
if (outDir) options.outDir = outDir;

try {
  const run = await runBench(options);
  if (tty && lastLine) process.stderr.write("\n");
  console.log(summarize(run.results));
  console.log(`\nresult files:\n${run.files.map((f) => `  ${f}`).join("\n")}`);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

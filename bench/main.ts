/**
 * `deno task bench`: runs the benchmark suites on Deno, Bun and Node (koffi), writes one result file per
 * runtime to `bench/results/`, shows progress on stderr and prints a summary with the ratios on stdout.
 *
 * Usage: `deno run -A bench/main.ts [--quick] [--only=rows,calls,memory,libraries,garbage,startup,threads] [--runtimes=deno,bun,node]
 * [--out=<dir>]`. The output directory defaults to `$FFIKIT_BENCH_OUT`, else `bench/results/`. A wrong
 * argument (an unknown or repeated suite or runtime, a folder it cannot write) exits with 2 and the usage,
 * before anything runs.
 *
 * @module
 */
import process from "node:process";
import {
  checkNames,
  checkOutDir,
  type ProgressEvent,
  resultsDirOf,
  runBench,
  RUNTIME_NAMES,
  type RuntimeName,
  SUITE_NAMES,
  type SuiteName,
} from "./run.ts";
import { summarize } from "./summary.ts";

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const USAGE = `usage: deno task bench [--quick] [--only=${SUITE_NAMES.join(",")}] [--runtimes=${
  RUNTIME_NAMES.join(",")
}] [--out=<dir>]
  (npm run bench -- <the same flags> where deno is not on PATH)
  --quick     1e2, 1e4 and 1e5 rows (the wide row 1e2 to 1e4), short budgets: about a minute for all three runtimes;
              the speed goals are set for 1e6 rows, so a quick run's goal lines are not a verdict
  --only      some suites, each once: ${SUITE_NAMES.join(", ")} (default: all)
  --runtimes  some runtimes, each once: ${
  RUNTIME_NAMES.join(", ")
} (default: all three; node runs koffi's peer
              figures)
  --out       where the result files go (default: $FFIKIT_BENCH_OUT, else bench/results/)`;

/** Says why the command line is refused, with the usage, and exits with 2 (a usage error). */
function refuse(reason: string): never {
  console.error(`${reason}\n${USAGE}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = argv.filter((a) => !/^--(quick|only=.*|runtimes=.*|out=.*)$/.test(a));
if (unknown.length) refuse(`Cannot run the benchmarks: unknown argument "${unknown[0]}"`);

/** The value of `--name=value`; a flag given twice is refused rather than one of them ignored. */
function value(name: string): string | undefined {
  const given = argv.filter((a) => a.startsWith(`--${name}=`));
  if (given.length > 1) refuse(`Cannot take --${name} twice: give one list, such as --${name}=a,b`);
  return given[0]?.slice(name.length + 3);
}

const onlyArg = value("only");
const runtimesArg = value("runtimes");
const outDir = value("out");
const only = onlyArg?.split(",");
const runtimes = runtimesArg?.split(",");
try {
  if (only) checkNames("suite", only, SUITE_NAMES);
  if (runtimes) checkNames("runtime", runtimes, RUNTIME_NAMES);
} catch (error) {
  refuse((error as Error).message);
}
if (outDir === "") refuse(`Cannot write the result files to "": give a folder, such as --out=/tmp/results`);
try {
  // Here rather than after a runtime's whole run.
  checkOutDir(resultsDirOf(outDir));
} catch (error) {
  refuse((error as Error).message);
}
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
if (only) options.only = only as SuiteName[];
if (runtimes) options.runtimes = runtimes as RuntimeName[];
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

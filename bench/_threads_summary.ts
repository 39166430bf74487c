/**
 * The threads suite's lines of the summary (bench/threads.ts): the goal of issue 19 on Deno, a non-blocking
 * call within 1.2x of Deno's own `nonblocking`, judged with the spread of the samples; and, on every runtime,
 * what a non-blocking call costs against a blocking one and the cross-thread callbacks' rate against the raw
 * runtime's.
 *
 * @module
 */
import type { ResultFile } from "./schema.ts";
import { formatNs, quartiles, table } from "./summary.ts";

/** The goal (issue 19): a non-blocking call within 1.2x of Deno's own `nonblocking`, on Deno. */
export const THREADS_GOAL = 1.2;

/** The two ways the calls are awaited, as the group names end. */
const WAYS = ["awaited one by one", "64 in flight"];

/** One goal line: a toolkit non-blocking call against Deno's own, in one group. */
export interface ThreadsGoal {
  runtime: string;
  contestant: string;
  toolkitNs: number;
  rawNs: number;
  ratio: number;
  /** The ratio's range from the samples' quartiles: toolkit p25 / raw p75 to toolkit p75 / raw p25. */
  low: number;
  high: number;
  met: boolean;
  /** The goal lies inside [low, high]: a verdict the noise of this run could turn. */
  withinSpread: boolean;
}

/** The goal lines of a run's files (Deno's only: Bun has no `nonblocking` of its own). */
export function threadsGoals(files: readonly ResultFile[]): ThreadsGoal[] {
  const out: ThreadsGoal[] = [];
  for (const file of files) {
    const list = file.measurements.filter((m) => m.suite === "threads");
    for (const way of WAYS) {
      const raw = list.find((m) => m.name === `raw Deno nonblocking getpid(), ${way}`);
      if (!raw) continue;
      const [raw25, raw75] = quartiles(file, raw);
      for (const ours of list.filter((m) => m.technique === "toolkit" && m.name.endsWith(way))) {
        const [ours25, ours75] = quartiles(file, ours);
        const ratio = ours.nsPerOp / raw.nsPerOp;
        const low = ours25 / raw75;
        const high = ours75 / raw25;
        out.push({
          runtime: file.runtime.name,
          contestant: ours.name,
          toolkitNs: ours.nsPerOp,
          rawNs: raw.nsPerOp,
          ratio,
          low,
          high,
          met: ratio <= THREADS_GOAL,
          withinSpread: low <= THREADS_GOAL && THREADS_GOAL <= high,
        });
      }
    }
  }
  return out;
}

/** The summary's threads section, or "" when the run has no threads suite. */
export function threadsSummary(files: readonly ResultFile[]): string {
  const parts: string[] = [];
  const goals = threadsGoals(files);
  if (goals.length) {
    parts.push(
      `\n== threads goal (a non-blocking call <= ${THREADS_GOAL}x Deno's own nonblocking, on Deno) ==`,
    );
    if (files.some((f) => f.mode === "quick")) {
      parts.push("(a quick run: few calls per round, so these lines are not a verdict)");
    }
    parts.push(table(
      ["runtime", "contestant", "ffikit", "Deno's", "ratio", "p25-p75", ""],
      goals.map((g) => [
        g.runtime,
        g.contestant,
        formatNs(g.toolkitNs),
        formatNs(g.rawNs),
        `${g.ratio.toFixed(2)}x`,
        `${g.low.toFixed(2)}-${g.high.toFixed(2)}x`,
        (g.met ? "met" : "MISSED") + (g.withinSpread ? " (within spread)" : ""),
      ]),
    ));
  }
  const figures: string[][] = [];
  for (const file of files) {
    const list = file.measurements.filter((m) => m.suite === "threads");
    const blocking = list.find((m) => m.name === "raw blocking getpid()");
    for (const m of list) {
      if (m.technique !== "toolkit" || !m.name.includes("nonblocking") || !blocking) continue;
      figures.push([
        file.runtime.name,
        m.name,
        formatNs(m.nsPerOp),
        `${(m.nsPerOp / blocking.nsPerOp).toFixed(0)}x`,
      ]);
    }
    const rawCallback = list.find((m) => m.technique === "baseline" && m.name.startsWith("raw thread-safe"));
    const callback = list.find((m) =>
      m.technique === "toolkit" && m.name.startsWith("toolkit threadedCallback")
    );
    if (rawCallback && callback) {
      figures.push([
        file.runtime.name,
        `${callback.name}: ${Math.round(1e9 / callback.nsPerOp).toLocaleString("en")} calls/s, raw ${
          Math.round(1e9 / rawCallback.nsPerOp).toLocaleString("en")
        }`,
        formatNs(callback.nsPerOp),
        `${(callback.nsPerOp / rawCallback.nsPerOp).toFixed(2)}x raw`,
      ]);
    }
  }
  if (figures.length) {
    parts.push("\n== threads figures (medians; a non-blocking call against a blocking one) ==");
    parts.push(table(["runtime", "contestant", "per call", "against"], figures));
  }
  return parts.join("\n");
}

/**
 * The start-up chart's series: per module, what importing it adds to a process that imports nothing (the
 * start-up suite's median difference from the empty script, round by round), in milliseconds; a dataset per run,
 * so that Deno and Bun, or a run before and after a change, show side by side against the goal.
 *
 * @module
 */
import { type BarChart, barChart, type BarRun } from "./bar_chart.ts";
import type { Measurement } from "../bench/schema.ts";

/** Issue 24's goal: importing ffikit adds at most this many milliseconds to an empty script. */
export const STARTUP_GOAL_MS = 10;

/** The start-up chart: modules as labels, one value per run (ms over the empty script). */
export interface StartupChart extends BarChart {
  /** Each run's empty script and `mod.ts` in plain times, with the spread of their processes. */
  caption: string;
  /** The goal for `mod.ts`, in ms over the empty script. */
  goalMs: number;
}

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(1)} ms`;
}

function spread(m: Measurement): string {
  return m.minNs !== undefined && m.maxNs !== undefined ? ` (${ms(m.minNs)}–${ms(m.maxNs)})` : "";
}

/**
 * Shapes the start-up chart of one or more runs.
 *
 * @param drawn The selected run's files, then the compared run's.
 * @returns The chart; no labels when no run measured the start-up suite.
 */
export function startupChart(drawn: readonly BarRun[]): StartupChart {
  const chart = barChart(
    drawn,
    ({ result }) =>
      result.measurements
        .filter((m) => m.suite === "startup" && m.technique !== "baseline" && m.overBaselineNs !== undefined)
        .map((m) => ({ label: m.name, technique: m.technique, values: [m.overBaselineNs! / 1e6] })),
    [],
  );
  const caption = drawn.flatMap(({ result, prefix }) => {
    const list = result.measurements.filter((m) => m.suite === "startup");
    const empty = list.find((m) => m.technique === "baseline");
    const all = list.find((m) => m.name === "mod.ts");
    if (!empty || !all) return [];
    const run = prefix ? prefix.replace(/: $/, "") : `${result.runtime.name} ${result.runtime.version}`;
    // Runs from before the built package (build/) have no such line.
    const built = list.find((m) => m.name === "ffikit package (built)");
    return [
      `${run}: empty script ${ms(empty.nsPerOp)}${spread(empty)}, mod.ts ${ms(all.nsPerOp)}${spread(all)}, +${
        ms(Math.max(0, all.overBaselineNs ?? 0))
      }${built ? `, the built package +${ms(Math.max(0, built.overBaselineNs ?? 0))}` : ""} (median of ${
        all.runs ?? "?"
      } rounds)`,
    ];
  }).join("; ");
  return { ...chart, caption, goalMs: STARTUP_GOAL_MS };
}

/**
 * The libraries chart's series: per task (a SQLite or zlib group of the libraries suite), the time of ffikit,
 * of the raw binding of the same system library and of the runtime's built-in driver, each over the raw
 * binding's time in the same run, so that the goal (ffikit within 1.15x) reads off one axis; a dataset per
 * run and binding, so that a Deno run and a Bun run compared show side by side.
 *
 * @module
 */
import { type BarChart, barChart, type BarRun } from "./bar_chart.ts";
import type { Measurement, Technique } from "../bench/schema.ts";
import { formatBytes } from "./public/js/format.js";

/** The three bindings, by the technique the suite records them with. */
const LIBRARY_SERIES: readonly { name: string; technique: Technique }[] = [
  { name: "ffikit", technique: "toolkit" },
  { name: "raw binding", technique: "baseline" },
  { name: "built-in driver", technique: "peer" },
];

/** A run drawn: its file, whether it is the compared one, and its label's prefix. */
export type LibrariesRun = BarRun;

/**
 * The libraries chart: the tasks as labels (each `toolkit`, the colours are the series'), the bindings as
 * series, per run and binding the time over the raw binding's per task (`null` where it was not measured).
 */
export interface LibrariesChart extends BarChart {
  /** Each run's raw and built-in times in plain units, so that the ratios have a scale. */
  caption: string;
}

function taskOf(m: Measurement): string {
  const size = m.n !== undefined ? `${m.n.toLocaleString("en")} rows` : formatBytes(m.bytes ?? 0);
  return `${m.group} (${size})`;
}

function milliseconds(ns: number): string {
  return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
}

/** A run's libraries measurements by task, in the order the run lists them. */
function tasksOf(run: LibrariesRun): Map<string, Measurement[]> {
  const tasks = new Map<string, Measurement[]>();
  for (const m of run.result.measurements) {
    if (m.suite !== "libraries") continue;
    const list = tasks.get(taskOf(m)) ?? [];
    list.push(m);
    tasks.set(taskOf(m), list);
  }
  return tasks;
}

/**
 * Shapes the libraries chart of one or two runs.
 *
 * @param drawn The selected run, then the compared one.
 * @returns The chart; no labels when no run measured the libraries suite.
 */
export function librariesChart(drawn: readonly LibrariesRun[]): LibrariesChart {
  const tasksByRun = new Map(drawn.map((run) => [run, tasksOf(run)]));
  const chart = barChart(drawn, (run) =>
    [...tasksByRun.get(run)!].map(([task, inTask]) => {
      const raw = inTask.find((m) => m.technique === "baseline");
      return {
        label: task,
        technique: "toolkit",
        values: LIBRARY_SERIES.map(({ technique }) => {
          const ours = inTask.find((m) => m.technique === technique);
          return raw && ours ? ours.nsPerOp / raw.nsPerOp : undefined;
        }),
      };
    }), LIBRARY_SERIES.map((s) => s.name));
  const caption = [...tasksByRun].filter(([, tasks]) => tasks.size > 0).map(([run, tasks]) => {
    const times = chart.labels.flatMap((task) => {
      const inTask = tasks.get(task) ?? [];
      const raw = inTask.find((m) => m.technique === "baseline");
      const builtin = inTask.find((m) => m.technique === "peer");
      if (!raw) return [];
      return [
        `${task}: raw ${milliseconds(raw.nsPerOp)}${
          builtin ? `, ${builtin.name} ${milliseconds(builtin.nsPerOp)}` : ""
        }`,
      ];
    });
    return `${run.result.runtime.name}: ${times.join("; ")}`;
  }).join(". ");
  return { ...chart, caption };
}

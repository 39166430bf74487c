/**
 * The libraries chart's series: per task (a SQLite or zlib group of the libraries suite), the time of ffikit,
 * of the raw binding of the same system library and of the runtime's built-in driver, each over the raw
 * binding's time in the same run, so that the goal (ffikit within 1.15x) reads off one axis; a dataset per
 * run and binding, so that a Deno run and a Bun run compared show side by side.
 *
 * @module
 */
import type { Measurement, ResultFile, Technique } from "../bench/schema.ts";
import { formatBytes } from "./public/js/format.js";

/** The three bindings, by the technique the suite records them with. */
export const LIBRARY_SERIES: readonly { name: string; technique: Technique }[] = [
  { name: "ffikit", technique: "toolkit" },
  { name: "raw binding", technique: "baseline" },
  { name: "built-in driver", technique: "peer" },
];

/** A run drawn: its file, whether it is the compared one, and its label's prefix. */
export interface LibrariesRun {
  result: ResultFile;
  compared: boolean;
  prefix: string;
}

/** The libraries chart, in the bar chart shape the page draws (`public/js/charts/bars.js`). */
export interface LibrariesChart {
  /** The tasks, e.g. `sqlite3: prepared inserts in one transaction (10,000 rows)`. */
  labels: string[];
  /** Per label: always `toolkit` (the colours are the series'). */
  techniques: Technique[];
  /** The bindings, each a colour. */
  series: string[];
  runs: { name: string; compared: boolean }[];
  /** Per run and binding: time over the raw binding's, per task; `null` where it was not measured. */
  datasets: { label: string; series: string; compared: boolean; data: (number | null)[] }[];
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

/**
 * Shapes the libraries chart of one or two runs.
 *
 * @param drawn The selected run, then the compared one.
 * @returns The chart; no labels when no run measured the libraries suite.
 */
export function librariesChart(drawn: readonly LibrariesRun[]): LibrariesChart {
  const labels: string[] = [];
  const perRun = drawn.map((run) => {
    const list = run.result.measurements.filter((m) => m.suite === "libraries");
    for (const m of list) if (!labels.includes(taskOf(m))) labels.push(taskOf(m));
    return { run, list };
  });
  const datasets = perRun.flatMap(({ run, list }) => {
    const { runtime } = run.result;
    const runName = run.prefix ? run.prefix.replace(/: $/, "") : `${runtime.name} ${runtime.version}`;
    return LIBRARY_SERIES.map(({ name, technique }) => ({
      label: `${runName}: ${name}`,
      series: name,
      compared: run.compared,
      data: labels.map((task) => {
        const inTask = list.filter((m) => taskOf(m) === task);
        const raw = inTask.find((m) => m.technique === "baseline");
        const ours = inTask.find((m) => m.technique === technique);
        return raw && ours ? ours.nsPerOp / raw.nsPerOp : null;
      }),
    }));
  }).filter((dataset) => dataset.data.some((value) => value !== null));
  const caption = perRun.filter(({ list }) => list.length > 0).map(({ run, list }) => {
    const times = labels.flatMap((task) => {
      const inTask = list.filter((m) => taskOf(m) === task);
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
  return {
    labels,
    techniques: labels.map(() => "toolkit"),
    series: LIBRARY_SERIES.map((s) => s.name),
    runs: drawn.map(({ result, compared }) => ({
      name: `${result.runtime.name} ${result.runtime.version}`,
      compared,
    })),
    datasets,
    caption,
  };
}

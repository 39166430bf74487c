/**
 * The bar charts' shape, shared by the calls, peers, garbage and libraries charts: a label per contestant over
 * all runs drawn, and a dataset per run and series.
 *
 * @module
 */
import type { ResultFile, Technique } from "../bench/schema.ts";

/** A run drawn: its file, whether it is the compared one, and its labels' prefix (empty for a lone file). */
export interface BarRun {
  result: ResultFile;
  compared: boolean;
  prefix: string;
}

/** A bar's values, one per series, before they are laid out by label. */
export interface BarItem {
  label: string;
  technique: Technique;
  values: (number | undefined)[];
}

/** The bars of one run and one series, a value (or `null`) per label. */
export interface BarDataset {
  /** The legend's text: the run, and the series when there are several. */
  label: string;
  /** The series' name; empty when the chart has one value per contestant. */
  series: string;
  /** Whether it is the compared run's (drawn faded). */
  compared: boolean;
  /** The runtime that measured it, e.g. `bun`. */
  runtime: string;
  /** A value per label; `null` where the run has none. */
  data: (number | null)[];
}

/** A bar chart: every contestant of every run drawn, a dataset per run and series. */
export interface BarChart {
  /** The contestants, each once, in the order the runs list them. */
  labels: string[];
  /** The technique of each label. */
  techniques: Technique[];
  /** The series when a contestant has several values (garbage: heap growth, allocated); else empty. */
  series: string[];
  /** The runs drawn, e.g. `deno 2.9.5`, for the legend. */
  runs: { name: string; compared: boolean }[];
  /** Only datasets with at least one value. */
  datasets: BarDataset[];
}

/**
 * Bars of every run, one label per contestant over all runs; a value that is not a number is `null`.
 *
 * @param drawn The runs drawn: the selected run's files, then the compared run's.
 * @param pick A run's bar items.
 * @param series The series' names when an item has several values; else empty.
 * @returns The chart, in the shape the page draws (`public/js/charts/bars.js`).
 */
export function barChart<R extends BarRun>(
  drawn: readonly R[],
  pick: (run: R) => BarItem[],
  series: string[],
): BarChart {
  const picked = drawn.map((run) => ({ run, items: pick(run) }));
  const techniqueOf = new Map<string, Technique>();
  for (const { items } of picked) for (const item of items) techniqueOf.set(item.label, item.technique);
  const labels = [...techniqueOf.keys()];
  const datasets = picked.flatMap(({ run, items }) => {
    const { runtime } = run.result;
    const runName = run.prefix ? run.prefix.replace(/: $/, "") : `${runtime.name} ${runtime.version}`;
    return (series.length ? series : [""]).map((name, index) => ({
      label: name ? `${runName}: ${name}` : runName,
      series: name,
      compared: run.compared,
      runtime: runtime.name,
      data: labels.map((label) => {
        const value = items.find((item) => item.label === label)?.values[index];
        return value === undefined || Number.isNaN(value) ? null : value;
      }),
    }));
  }).filter((dataset) => dataset.data.some((value) => value !== null));
  return {
    labels,
    techniques: labels.map((label) => techniqueOf.get(label) ?? "toolkit"),
    series,
    runs: drawn.map(({ result, compared }) => ({
      name: `${result.runtime.name} ${result.runtime.version}`,
      compared,
    })),
    datasets,
  };
}

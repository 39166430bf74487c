/**
 * The charts' series, shaped on the server so the page only draws them: which measurements each chart takes,
 * which points make each line, the labels, the speed-up divisions and the bar values of one or two runs.
 * Colours, dashes and hatching stay in the page (`public/js/palette.js`); every series says its contestant
 * and technique so the page can pick them.
 *
 * @module
 */
import type { Measurement, ResultFile, Technique } from "../bench/schema.ts";
import { type BarChart, barChart, type BarItem, type BarRun } from "./bar_chart.ts";
import { formatBytes, utc, wordList } from "./public/js/format.js";
import { ALL_SUITES } from "./results.ts";
import { byRuntime, runLabel } from "./run_list.ts";
import { type LibrariesChart, librariesChart } from "./series_libraries.ts";
import { type StartupChart, startupChart } from "./series_startup.ts";

/** A result file with the name it was read by. */
export type NamedResult = ResultFile & { file: string };

/** One run drawn, as the page describes it. */
export interface RunView {
  /** The file's name. */
  file: string;
  /** `false` for the selected run, `true` for the one compared with it (drawn faded). */
  compared: boolean;
  /** The runtime's name, e.g. `deno`. */
  runtimeName: string;
  /** What its series' labels start with when two runs are drawn, e.g. `bun (compared): `; else empty. */
  prefix: string;
  /** The selector's label for the file. */
  label: string;
  /** E.g. `deno 2.9.5, quick run of 2026-11-20 09:30:00 UTC on devbox`. */
  description: string;
  /** Why it is shown when the reader picked it: `chosen`, or `chosen; it measures rows only`. */
  chosen: string;
  /** E.g. `Selected: deno 2.9.5`. */
  title: string;
  /** The machine, date, mode, size and file, following the title. */
  details: string;
  /** The run's notes, each naming the runtime. */
  notes: string[];
}

/** A point of a line. */
export interface Point {
  /** Across: N or bytes. */
  x: number;
  /** Up: ns per row, ns per operation or times faster. */
  y: number;
}

/** A contestant of a speed-up division and its time. */
export interface Contestant {
  /** The contestant's name. */
  name: string;
  /** Its time per row at that N. */
  nsPerRow: number;
}

/** A speed-up point: the copy's time per row over the fastest in-place one's, both named. */
export interface SpeedupPoint extends Point {
  /** The copying reference. */
  copy: Contestant;
  /** The fastest in-place technique. */
  best: Contestant;
}

/** One line of a line chart. */
export interface LineSeries<P extends Point = Point> {
  /** The legend's text. */
  label: string;
  /** What the page picks the colour by: the contestant, or the speed-up's reference. */
  name: string;
  /** The contestant's technique: references are dashed. */
  technique: Technique;
  /** Whether it is the compared run's (drawn faded). */
  compared: boolean;
  /** The runtime that measured it, e.g. `bun`: the page draws each runtime its own way when several are. */
  runtime: string;
  /** Sorted by `x`. */
  points: P[];
}

/** The peers chart, with the group and N it shows. */
export interface PeersChart extends BarChart {
  /** E.g. `MIB_TCPROW_OWNER_PID: sum owningPid, N = 100,000`. */
  caption: string;
}

/** The garbage chart, with where each runtime's numbers come from. */
export interface GarbageChart extends BarChart {
  /** E.g. `deno: GCs toolkit toArray 3, … (heap: …; GC count: …)`, a sentence per run. */
  sources: string;
}

/** The answer of `GET /api/charts`: everything the page draws for one or two runs. */
export interface Charts {
  /** The runtimes drawn, Deno first: the page gives each its line style when there are several. */
  runtimes: string[];
  /** The selected run, then the compared one; empty when no file is selected. */
  runs: RunView[];
  /** The row questions of the selected run. */
  groups: string[];
  /** The row question drawn: the one asked for when the run has it, else its first. */
  group: string;
  /** Time per row against N, for the row question drawn. */
  rows: LineSeries[];
  /** The speed-up of reading in place over each copying reference, per N. */
  speedup: LineSeries<SpeedupPoint>[];
  /** Nanoseconds per call. */
  calls: BarChart;
  /** Time per operation against block size. */
  memory: LineSeries[];
  /** Time per row of every contestant at the largest N. */
  peers: PeersChart;
  /** Heap growth and bytes allocated per row. */
  garbage: GarbageChart;
  /** ffikit, the raw binding and the built-in driver per real-library task, over the raw binding's time. */
  libraries: LibrariesChart;
  /** Per module, the milliseconds importing it adds to an empty script. */
  startup: StartupChart;
}

/** Techniques that are not the toolkit: named as such in labels. */
const REFERENCES: readonly Technique[] = ["baseline", "native", "peer"];

/** The techniques of the rows chart: the peers have their own chart. */
const ROWS_TECHNIQUES: readonly Technique[] = ["copy", "in-place", "native", "baseline"];

/** The references the speed-up divides by the toolkit's fastest in-place technique at the same N. */
const SPEEDUP_REFERENCES: readonly {
  name: string;
  label: string;
  technique: Technique;
  pick: (m: Measurement) => boolean;
}[] = [
  {
    name: "fastest copy",
    label: "toolkit's fastest copy",
    technique: "copy",
    pick: (m) => m.technique === "copy",
  },
  {
    name: "fresh object per row",
    label: "hand-written fresh object per row",
    technique: "baseline",
    pick: (m) => m.name === "fresh object per row",
  },
];

interface DrawnRun extends BarRun {
  result: NamedResult;
}

/**
 * The name as charts label it: references say which kind they are.
 *
 * @param m A measurement.
 * @returns E.g. `DataView loop (baseline)`, or `toolkit cursor`.
 */
export function contestantLabel(m: Pick<Measurement, "name" | "technique">): string {
  return REFERENCES.includes(m.technique) ? `${m.name} (${m.technique})` : m.name;
}

function runView(run: DrawnRun): RunView {
  const { result } = run;
  const suites = [...new Set(result.measurements.map((m) => m.suite))];
  const some = ALL_SUITES.some((suite) => !suites.includes(suite));
  const m = result.machine;
  return {
    file: result.file,
    compared: run.compared,
    runtimeName: result.runtime.name,
    prefix: run.prefix,
    label: runLabel(result),
    description: `${result.runtime.name} ${result.runtime.version}, ${result.mode} run of ${
      utc(result.date)
    } on ${m.hostname}`,
    chosen: some ? `chosen; it measures ${wordList(suites)} only` : "chosen",
    title: `${run.compared ? "Compared" : "Selected"}: ${result.runtime.name} ${result.runtime.version}`,
    details: ` on ${m.hostname} (${m.cpu}, ${m.cores} cores, ${
      formatBytes(m.memoryBytes)
    }, ${m.os} ${m.kernel} ${m.arch}), ${
      utc(result.date)
    }, ${result.mode} run, ${result.measurements.length} measurements, file ${result.file}`,
    notes: (result.notes ?? []).map((note) => `${result.runtime.name} note: ${note}`),
  };
}

/** One line per contestant, sorted by `x`; measurements without `x` or `y` are left out. */
function lineSeries(
  run: DrawnRun,
  measurements: readonly Measurement[],
  x: "n" | "bytes",
  y: "nsPerRow" | "nsPerOp",
): LineSeries[] {
  const byName = new Map<string, { m: Measurement; points: Point[] }>();
  for (const m of measurements) {
    const [px, py] = [m[x], m[y]];
    if (px === undefined || py === undefined) continue;
    const line = byName.get(m.name) ?? { m, points: [] };
    line.points.push({ x: px, y: py });
    byName.set(m.name, line);
  }
  return [...byName.values()].map(({ m, points }) => ({
    label: run.prefix + contestantLabel(m),
    name: m.name,
    technique: m.technique,
    compared: run.compared,
    runtime: run.result.runtime.name,
    points: points.sort((p, q) => p.x - q.x),
  }));
}

function fastest(list: readonly Measurement[]): (Measurement & { nsPerRow: number }) | undefined {
  let best: (Measurement & { nsPerRow: number }) | undefined;
  for (const m of list) {
    if (m.nsPerRow !== undefined && (best === undefined || m.nsPerRow < best.nsPerRow)) {
      best = m as Measurement & { nsPerRow: number };
    }
  }
  return best;
}

/** Per N: each reference's fastest time per row ÷ the fastest in-place one's; Ns missing either are left out. */
function speedupSeries(run: DrawnRun, group: string): LineSeries<SpeedupPoint>[] {
  const rows = run.result.measurements.filter((m) => m.suite === "rows" && m.group === group && m.nsPerRow);
  const ns = [...new Set(rows.map((m) => m.n ?? 0))].sort((p, q) => p - q);
  return SPEEDUP_REFERENCES.map((reference) => {
    const points: SpeedupPoint[] = [];
    for (const n of ns) {
      const atN = rows.filter((m) => (m.n ?? 0) === n);
      const best = fastest(atN.filter((m) => m.technique === "in-place"));
      const copy = fastest(atN.filter(reference.pick));
      if (!best || !copy) continue;
      points.push({
        x: n,
        y: copy.nsPerRow / best.nsPerRow,
        copy: { name: copy.name, nsPerRow: copy.nsPerRow },
        best: { name: best.name, nsPerRow: best.nsPerRow },
      });
    }
    return {
      label: `${run.prefix}${reference.label} ÷ toolkit's fastest in-place`,
      name: reference.name,
      technique: reference.technique,
      compared: run.compared,
      runtime: run.result.runtime.name,
      points,
    };
  }).filter((series) => series.points.length > 0);
}

/** Bar items labelled by contestant, and by group too when the measurements span several groups. */
function labelled(
  measurements: readonly Measurement[],
  values: (m: Measurement) => (number | undefined)[],
): BarItem[] {
  const groups = new Set(measurements.map((m) => m.group));
  return measurements.map((m) => ({
    label: groups.size > 1 ? `${m.group} · ${contestantLabel(m)}` : contestantLabel(m),
    technique: m.technique,
    values: values(m),
  }));
}

/** The group the peers chart shows for a run: the selected one when it has peers, else the first with peers. */
function peersGroup(result: ResultFile, group: string): string {
  const rows = result.measurements.filter((m) => m.suite === "rows");
  if (rows.some((m) => m.group === group && m.technique === "peer")) return group;
  return rows.find((m) => m.technique === "peer")?.group ?? group;
}

/** Every contestant of a run's peers group at its largest N (the largest N a peer ran, else any). */
function peersAtLargest(
  result: ResultFile,
  group: string,
): { group: string; n: number; rows: Measurement[] } {
  const shown = peersGroup(result, group);
  const rows = result.measurements.filter((m) => m.suite === "rows" && m.group === shown && m.nsPerRow);
  const largestOf = (list: Measurement[]) => Math.max(...list.map((m) => m.n ?? 0), 0);
  const n = largestOf(rows.filter((m) => m.technique === "peer")) || largestOf(rows);
  const atLargest = rows.filter((m) => m.n === n).sort((p, q) => (p.nsPerRow ?? 0) - (q.nsPerRow ?? 0));
  return { group: shown, n, rows: atLargest };
}

function peersChart(drawn: readonly DrawnRun[], group: string): PeersChart {
  const chart = barChart(drawn, ({ result }) =>
    peersAtLargest(result, group).rows.map((m) => ({
      label: contestantLabel(m),
      technique: m.technique,
      values: [m.nsPerRow],
    })), []);
  const first = drawn[0] && peersAtLargest(drawn[0].result, group);
  return { ...chart, caption: first ? `${first.group}, N = ${first.n.toLocaleString("en")}` : "" };
}

function perRow(m: Measurement, bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : m.n ? bytes / m.n : bytes;
}

function garbageChart(drawn: readonly DrawnRun[]): GarbageChart {
  const chart = barChart(drawn, ({ result }) => {
    const garbage = result.measurements.filter((m) => m.suite === "garbage" && m.heapBytes !== undefined);
    const largest = new Map<string, number>();
    const key = (m: Measurement) => JSON.stringify([m.group, m.name]);
    for (const m of garbage) largest.set(key(m), Math.max(largest.get(key(m)) ?? 0, m.n ?? 0));
    return labelled(
      garbage.filter((m) => (m.n ?? 0) === largest.get(key(m))),
      (m) => [perRow(m, m.heapBytes), perRow(m, m.allocatedBytes)],
    );
  }, ["heap growth", "allocated"]);
  const sources = drawn.map(({ result }) => {
    const counts = result.measurements.filter((m) => m.suite === "garbage" && m.gcCount !== undefined)
      .map((m) => `${m.name} ${m.gcCount}`);
    const where = result.garbageSources
      ? ` (heap: ${result.garbageSources.heap}; GC count: ${result.garbageSources.gcCount})`
      : "";
    return `${result.runtime.name}: GCs ${counts.join(", ") || "not reported"}${where}`;
  });
  return { ...chart, sources: sources.join(". ") };
}

/**
 * Shapes every chart of the page for the files of a selected run (one per runtime, drawn together) and,
 * optionally, the files of a run compared with it (drawn faded: before and after a change).
 *
 * @param selected The selected run's files; empty for empty charts.
 * @param compared The compared run's files; files also in `selected` are left out.
 * @param group The row question asked for; the selected run's first when it has no such group.
 * @returns The series of every chart, and the runs as the page describes them.
 */
export function shapeRunCharts(
  selected: readonly NamedResult[],
  compared: readonly NamedResult[],
  group = "",
): Charts {
  const shownFiles = new Set(selected.map((r) => r.file));
  const drawn: DrawnRun[] = [
    ...byRuntime(selected).map((result) => ({ result, compared: false, prefix: "" })),
    ...byRuntime(selected.length ? compared.filter((r) => !shownFiles.has(r.file)) : []).map((result) => ({
      result,
      compared: true,
      prefix: "",
    })),
  ];
  // Labels say the runtime as soon as two files are drawn, and which is the compared run.
  if (drawn.length > 1) {
    for (const run of drawn) run.prefix = `${run.result.runtime.name}${run.compared ? " (compared)" : ""}: `;
  }
  const groups = [
    ...new Set(selected.flatMap((r) => r.measurements).filter((m) => m.suite === "rows").map((m) => m.group)),
  ];
  const shown = groups.includes(group) ? group : groups[0] ?? "";
  const lines = (pick: (m: Measurement) => boolean, x: "n" | "bytes", y: "nsPerRow" | "nsPerOp") =>
    drawn.flatMap((run) => lineSeries(run, run.result.measurements.filter(pick), x, y));
  return {
    runtimes: [...new Set(drawn.map((run) => run.result.runtime.name))],
    runs: drawn.map(runView),
    groups,
    group: shown,
    rows: lines(
      (m) => m.suite === "rows" && m.group === shown && ROWS_TECHNIQUES.includes(m.technique),
      "n",
      "nsPerRow",
    ),
    speedup: drawn.flatMap((run) => speedupSeries(run, shown)),
    calls: barChart(
      drawn,
      ({ result }) => labelled(result.measurements.filter((m) => m.suite === "calls"), (m) => [m.nsPerOp]),
      [],
    ),
    memory: lines((m) => m.suite === "memory" && Boolean(m.bytes), "bytes", "nsPerOp"),
    peers: peersChart(drawn, shown),
    garbage: garbageChart(drawn),
    libraries: librariesChart(drawn),
    startup: startupChart(drawn),
  };
}

/**
 * Shapes every chart of the page for a selected file and, optionally, a file compared with it.
 *
 * @param selected The selected file, or `null` for empty charts.
 * @param compared The file drawn beside it (faded), or `null`; the selected file again counts as none.
 * @param group The row question asked for; the selected file's first when it has no such group.
 * @returns The series of every chart, and the runs as the page describes them.
 */
export function shapeCharts(
  selected: NamedResult | null,
  compared: NamedResult | null,
  group = "",
): Charts {
  return shapeRunCharts(selected ? [selected] : [], compared ? [compared] : [], group);
}

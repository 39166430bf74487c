// @ts-check
/**
 * Line charts: the series the server shaped, each a line in its contestant's colour, references dashed, the
 * compared run faded with triangles.
 *
 * @module
 */
import { DASHES, faded, isReference, palette, RUNTIME_DASHES, TECHNIQUE_POINTS } from "../palette.js";
import { draw } from "./draw.js";

/**
 * @typedef {{ x: number, y: number }} Point
 * @typedef {{ label: string, name: string, technique: string, compared: boolean, runtime: string,
 *   points: Point[] }} LineSeries
 */

/**
 * Whether series come from several runtimes: then each runtime has its line style and each technique its
 * point shape, instead of the technique's dashes.
 *
 * @param {readonly LineSeries[]} series Everything a chart draws.
 * @returns {boolean}
 */
export function severalRuntimes(series) {
  return new Set(series.map((s) => s.runtime)).size > 1;
}

/**
 * One line of a scatter chart: dashed by technique, faded with triangles for a compared run.
 *
 * @param {LineSeries} series The series.
 * @param {string} colour Its colour in the selected run.
 * @param {boolean} [byRuntime] Dash by runtime and shape points by technique (several runtimes drawn).
 * @returns {object} A chart.js dataset.
 */
export function lineDataset(series, colour, byRuntime = false) {
  const shown = series.compared ? faded(colour) : colour;
  const point = byRuntime ? TECHNIQUE_POINTS[series.technique] ?? "circle" : "circle";
  return {
    label: series.label,
    data: series.points,
    showLine: true,
    borderColor: shown,
    backgroundColor: shown,
    borderDash: (byRuntime ? RUNTIME_DASHES[series.runtime] : DASHES[series.technique]) ?? [],
    borderWidth: series.compared ? 1.5 : 2,
    // What the page reads back: the runtime and contestant of each line.
    runtime: series.runtime,
    contestant: series.name,
    technique: series.technique,
    pointStyle: series.compared ? "triangle" : point,
    pointRadius: series.compared ? 4 : 3,
    tension: 0,
  };
}

/** Legend entries drawn as a short line in the series' colour and dash, so a dashed reference looks dashed. */
export const lineLegend = {
  labels: {
    boxWidth: 26,
    boxHeight: 1,
    generateLabels: (/** @type {any} */ chart) =>
      chart.data.datasets.map((/** @type {any} */ dataset, /** @type {number} */ datasetIndex) => ({
        text: dataset.label,
        datasetIndex,
        hidden: !chart.isDatasetVisible(datasetIndex),
        fillStyle: dataset.borderColor,
        strokeStyle: dataset.borderColor,
        lineWidth: 2,
        lineDash: dataset.borderDash ?? [],
      })),
  },
};

/**
 * The legend of a chart of several runtimes: one entry per contestant (its colour and point) and one per
 * runtime (its line style); a click shows or hides every line of that contestant or runtime.
 */
export const runtimeLegend = {
  onClick: (/** @type {unknown} */ _event, /** @type {any} */ item, /** @type {any} */ legend) => {
    const chart = legend.chart;
    const lines = chart.data.datasets.map((/** @type {any} */ d, /** @type {number} */ i) => ({ d, i }))
      .filter((/** @type {any} */ { d }) => d[item.key] === item.value);
    const show = lines.every((/** @type {any} */ { i }) => !chart.isDatasetVisible(i));
    for (const { i } of lines) chart.setDatasetVisibility(i, show);
    chart.update();
  },
  labels: {
    boxWidth: 26,
    boxHeight: 1,
    generateLabels: (/** @type {any} */ chart) => {
      const datasets = /** @type {any[]} */ (chart.data.datasets);
      const hidden = (/** @type {string} */ key, /** @type {string} */ value) =>
        datasets.every((d, i) => d[key] !== value || !chart.isDatasetVisible(i));
      /** @type {Map<string, any>} */
      const contestants = new Map();
      for (const d of datasets) {
        if (d.compared || contestants.has(d.contestant)) continue;
        contestants.set(d.contestant, {
          text: isReference(d.technique) ? `${d.contestant} (${d.technique})` : d.contestant,
          key: "contestant",
          value: d.contestant,
          hidden: hidden("contestant", d.contestant),
          fillStyle: d.borderColor,
          strokeStyle: d.borderColor,
          lineWidth: 2,
          lineDash: [],
        });
      }
      const runtimes = [...new Set(datasets.map((d) => d.runtime))].map((runtime) => ({
        text: `${runtime}: ${(RUNTIME_DASHES[runtime] ?? []).length ? "dashed" : "solid"}`.replace(
          "node: dashed",
          "node: dotted",
        ),
        key: "runtime",
        value: runtime,
        hidden: hidden("runtime", runtime),
        fillStyle: "#5f6b7a",
        strokeStyle: "#5f6b7a",
        lineWidth: 2,
        lineDash: RUNTIME_DASHES[runtime] ?? [],
      }));
      return [...runtimes, ...contestants.values()];
    },
  },
};

/**
 * A line chart's height: the plot keeps its room however many legend rows the series take.
 *
 * @param {number} series How many series.
 * @returns {number} Pixels.
 */
export function lineChartHeight(series) {
  return Math.max(320, 250 + 20 * Math.ceil(series / 3));
}

/**
 * Draws series as lines, one palette over every run so a contestant keeps its colour across runs.
 *
 * @param {string} id The canvas id.
 * @param {LineSeries[]} series The series, from `GET /api/charts`.
 * @param {object} scales The chart.js scales.
 */
export function drawLines(id, series, scales) {
  const colourOf = palette(series);
  const byRuntime = severalRuntimes(series);
  const datasets = series.map((s) => ({
    ...lineDataset(s, colourOf(s.name), byRuntime),
    compared: s.compared,
  }));
  const legend = byRuntime ? runtimeLegend : lineLegend;
  const entries = byRuntime ? new Set(series.map((s) => s.name)).size + 3 : datasets.length;
  draw(
    id,
    { type: "scatter", data: { datasets }, options: { scales, plugins: { legend } } },
    lineChartHeight(entries),
  );
}

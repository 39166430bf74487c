// @ts-check
/**
 * Line charts: the series the server shaped, each a line in its contestant's colour, references dashed, the
 * compared run faded with triangles.
 *
 * @module
 */
import { DASHES, faded, palette } from "../palette.js";
import { draw } from "./draw.js";

/**
 * @typedef {{ x: number, y: number }} Point
 * @typedef {{ label: string, name: string, technique: string, compared: boolean, points: Point[] }} LineSeries
 */

/**
 * One line of a scatter chart: dashed by technique, faded with triangles for a compared run.
 *
 * @param {LineSeries} series The series.
 * @param {string} colour Its colour in the selected run.
 * @returns {object} A chart.js dataset.
 */
export function lineDataset(series, colour) {
  const shown = series.compared ? faded(colour) : colour;
  return {
    label: series.label,
    data: series.points,
    showLine: true,
    borderColor: shown,
    backgroundColor: shown,
    borderDash: DASHES[series.technique] ?? [],
    borderWidth: series.compared ? 1.5 : 2,
    pointStyle: series.compared ? "triangle" : "circle",
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
  const datasets = series.map((s) => lineDataset(s, colourOf(s.name)));
  draw(
    id,
    { type: "scatter", data: { datasets }, options: { scales, plugins: { legend: lineLegend } } },
    lineChartHeight(datasets.length),
  );
}

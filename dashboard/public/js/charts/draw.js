// @ts-check
/// <reference lib="dom" />
/**
 * Drawing one chart with chart.js (the UMD build, loaded before the modules as the global `Chart`), and the
 * axis every log scale uses.
 *
 * @module
 */
import { $ } from "../page.js";
import { chartInstances, state } from "../state.js";

const { Chart } = /** @type {any} */ (globalThis);

/**
 * Draws a chart on a canvas, replacing the one there, and marks the canvas with its point count and file.
 *
 * @param {string} id The canvas id.
 * @param {any} config A chart.js configuration.
 * @param {number} [height] The box's height in pixels; bar and line charts grow with their labels.
 */
export function draw(id, config, height) {
  chartInstances[id]?.destroy();
  const canvas = $(id);
  const box = canvas.parentElement;
  box.style.height = height ? `${height}px` : "";
  config.options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    ...config.options,
    plugins: {
      ...config.options?.plugins,
      legend: {
        ...config.options?.plugins?.legend,
        labels: { boxWidth: 12, font: { size: 11 }, ...config.options?.plugins?.legend?.labels },
      },
    },
  };
  chartInstances[id] = new Chart(canvas, config);
  const points = config.data.datasets.reduce(
    (/** @type {number} */ sum, /** @type {{ data: unknown[] }} */ d) =>
      sum + d.data.filter((v) => v !== null).length,
    0,
  );
  const file = state.charts?.runs[0]?.file ?? "";
  canvas.dataset.points = String(points);
  canvas.dataset.file = file;
  box.classList.toggle("empty", points === 0);
  box.dataset.empty = file ? "No measurements of this kind in the selected file" : "No result file selected";
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumSignificantDigits: 3 });

/**
 * A log axis labelled only where the mantissa is one of `mantissas`, so the labels never crowd.
 *
 * @param {string} title The axis title.
 * @param {number[]} [mantissas] The mantissas labelled.
 * @returns {object} A chart.js scale.
 */
export function logAxis(title, mantissas = [1]) {
  return {
    type: "logarithmic",
    title: { display: true, text: title },
    ticks: {
      callback: (/** @type {unknown} */ value) => {
        const v = Number(value);
        const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
        return mantissas.some((m) => Math.abs(mantissa - m) < 1e-6) ? compact.format(v) : "";
      },
    },
  };
}

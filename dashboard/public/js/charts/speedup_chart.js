// @ts-check
/**
 * The speed-up of reading in place over copying, per N: the server divides, this draws the lines and names
 * both contestants and their times in the tooltip.
 *
 * @module
 */
import { formatNs } from "../format.js";
import { draw, logAxis } from "./draw.js";
import { lineDataset, lineLegend, severalRuntimes } from "./lines.js";

/** A colour per reference the speed-up divides (the series' `name`). */
const REFERENCE_COLOUR = /** @type {Record<string, string>} */ ({
  "fastest copy": "#d62728",
  "fresh object per row": "#8c564b",
});

/**
 * @typedef {{ name: string, nsPerRow: number }} Contestant
 * @typedef {{ x: number, y: number, copy: Contestant, best: Contestant }} SpeedupPoint
 */

/**
 * The tooltip of a point: both contestants and their times.
 *
 * @param {{ raw: SpeedupPoint }} context chart.js's tooltip context.
 * @returns {string}
 */
function tooltip({ raw: { x, y, copy, best } }) {
  return `N ${x.toLocaleString("en")}: ${copy.name} ${formatNs(copy.nsPerRow)} ÷ ${best.name} ${
    formatNs(best.nsPerRow)
  } = ${y.toFixed(1)}×`;
}

/**
 * Draws the speed-up chart.
 *
 * @param {import("./lines.js").LineSeries[]} series The `speedup` series of `GET /api/charts`.
 */
export function drawSpeedupChart(series) {
  const byRuntime = severalRuntimes(series);
  const datasets = series.map((s) => lineDataset(s, REFERENCE_COLOUR[s.name] ?? "#333333", byRuntime));
  draw("chart-speedup", {
    type: "scatter",
    data: { datasets },
    options: {
      scales: {
        x: logAxis("N (rows)"),
        y: {
          type: "linear",
          beginAtZero: true,
          title: { display: true, text: "× faster in place (copy ÷ in-place, ns per row)" },
        },
      },
      plugins: { legend: lineLegend, tooltip: { callbacks: { label: tooltip } } },
    },
  });
}

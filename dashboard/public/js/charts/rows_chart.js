// @ts-check
/**
 * Time per row against N: each copying and in-place technique, the baselines and the C loop.
 *
 * @module
 */
import { logAxis } from "./draw.js";
import { drawLines } from "./lines.js";

/**
 * Draws the rows chart.
 *
 * @param {import("./lines.js").LineSeries[]} series The `rows` series of `GET /api/charts`.
 */
export function drawRowsChart(series) {
  drawLines("chart-rows", series, { x: logAxis("N (rows)"), y: logAxis("ns per row", [1, 2, 5]) });
}

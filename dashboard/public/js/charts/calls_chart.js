// @ts-check
/**
 * Call costs: nanoseconds per foreign call, every contestant.
 *
 * @module
 */
import { drawBars } from "./bars.js";

/**
 * Draws the calls chart.
 *
 * @param {import("./bars.js").BarChart} chart The `calls` chart of `GET /api/charts`.
 */
export function drawCallsChart(chart) {
  drawBars("chart-calls", chart, { axisTitle: "ns per call", log: true });
}

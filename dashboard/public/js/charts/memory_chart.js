// @ts-check
/**
 * Native memory against copying: time per operation against block size.
 *
 * @module
 */
import { logAxis } from "./draw.js";
import { drawLines } from "./lines.js";

/**
 * Draws the memory chart.
 *
 * @param {import("./lines.js").LineSeries[]} series The `memory` series of `GET /api/charts`.
 */
export function drawMemoryChart(series) {
  drawLines("chart-memory", series, { x: logAxis("block size (bytes)"), y: logAxis("ns per operation") });
}

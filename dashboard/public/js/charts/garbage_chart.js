// @ts-check
/**
 * Garbage per technique: heap growth and bytes allocated per row while scanning.
 *
 * @module
 */
import { $ } from "../page.js";
import { drawBars } from "./bars.js";

/** The garbage chart's series colours. */
const SERIES_COLOURS = { "heap growth": "#1f77b4", allocated: "#ff7f0e" };

/**
 * Draws the garbage chart and says where each runtime's numbers come from.
 *
 * @param {import("./bars.js").BarChart & { sources: string }} chart The `garbage` chart of `GET /api/charts`.
 */
export function drawGarbageChart(chart) {
  drawBars("chart-garbage", chart, { axisTitle: "bytes per row", log: false, seriesColours: SERIES_COLOURS });
  $("garbage-hint").textContent = `Heap growth and bytes allocated per row while scanning. ${chart.sources}`;
}

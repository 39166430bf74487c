// @ts-check
/**
 * Real libraries: per task, ffikit, the raw binding of the same system library and the runtime's built-in
 * driver, each as a multiple of the raw binding's time.
 *
 * @module
 */
import { $ } from "../page.js";
import { drawBars } from "./bars.js";

/** The bindings' colours: the toolkit's blue, the raw binding grey, the built-in driver orange. */
const SERIES_COLOURS = { ffikit: "#1f77b4", "raw binding": "#7f7f7f", "built-in driver": "#ff7f0e" };

/**
 * Draws the libraries chart and gives the raw binding's times, the scale of the ratios.
 *
 * @param {import("./bars.js").BarChart & { caption: string }} chart The `libraries` chart of `GET /api/charts`.
 */
export function drawLibrariesChart(chart) {
  drawBars("chart-libraries", chart, {
    axisTitle: "time ÷ the raw binding's (1 = raw; goal: ffikit ≤ 1.15)",
    log: false,
    seriesColours: SERIES_COLOURS,
  });
  $("libraries-hint").textContent = chart.labels.length
    ? `Per task, each binding's time over the raw binding's of the same library. ${chart.caption}`
    : "This run did not measure the libraries suite (npm run bench -- --only=libraries).";
}

// @ts-check
/**
 * Peers side by side: time per row at the largest N of one row question, every contestant.
 *
 * @module
 */
import { $ } from "../page.js";
import { drawBars } from "./bars.js";

/**
 * Draws the peers chart and says which question and N it shows.
 *
 * @param {import("./bars.js").BarChart & { caption: string }} chart The `peers` chart of `GET /api/charts`.
 */
export function drawPeersChart(chart) {
  drawBars("chart-peers", chart, { axisTitle: "ns per row", log: true });
  $("peers-hint").textContent =
    `Time per row at the largest N, every contestant; log scale; references hatched. ${chart.caption}`;
}

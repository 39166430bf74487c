// @ts-check
/**
 * Start-up: per module, the milliseconds importing it adds to a process that imports nothing.
 *
 * @module
 */
import { $ } from "../page.js";
import { drawBars } from "./bars.js";

/**
 * Draws the start-up chart and gives each run's plain times, the scale of the differences.
 *
 * @param {import("./bars.js").BarChart & { caption: string, goalMs: number }} chart The `startup` chart of
 *   `GET /api/charts`.
 */
export function drawStartupChart(chart) {
  drawBars("chart-startup", chart, {
    axisTitle: `ms added to an empty script (median per round; goal: mod.ts ≤ ${chart.goalMs})`,
    log: false,
  });
  $("startup-hint").textContent = chart.labels.length
    ? `Whole processes: what importing each module adds to a script that imports nothing. ${chart.caption}`
    : "This run did not measure start-up (npm run bench -- --only=startup).";
}

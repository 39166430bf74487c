// @ts-check
/**
 * Every chart of the page, drawn from one answer of `GET /api/charts`.
 *
 * @module
 */
import { drawCallsChart } from "./calls_chart.js";
import { drawGarbageChart } from "./garbage_chart.js";
import { drawLibrariesChart } from "./libraries_chart.js";
import { drawMemoryChart } from "./memory_chart.js";
import { drawPeersChart } from "./peers_chart.js";
import { drawRowsChart } from "./rows_chart.js";
import { drawSpeedupChart } from "./speedup_chart.js";
import { drawStartupChart } from "./startup_chart.js";

/**
 * Draws every chart.
 *
 * @param {any} charts The answer of `GET /api/charts`.
 */
export function drawCharts(charts) {
  drawRowsChart(charts.rows);
  drawSpeedupChart(charts.speedup);
  drawCallsChart(charts.calls);
  drawMemoryChart(charts.memory);
  drawPeersChart(charts.peers);
  drawGarbageChart(charts.garbage);
  drawLibrariesChart(charts.libraries);
  drawStartupChart(charts.startup);
}

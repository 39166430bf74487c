// @ts-check
/**
 * The dashboard page's entry: wires the controls and loads the runs, the charts, the run status and the live
 * views. Native ES modules over the JSON API, no build step; chart.js is the local UMD build loaded before.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { loadHeadline } from "./headline.js";
import { initLive, readTaskstats, refreshTcp } from "./live.js";
import { $, showMessage } from "./page.js";
import { pollRun, showRun, startRun } from "./bench_run.js";
import { loadCharts, loadList, loadSelected } from "./runs.js";
import { state } from "./state.js";

/**
 * Shows what went wrong in the message area.
 *
 * @param {unknown} error What was thrown.
 */
function fail(error) {
  showMessage(error instanceof Error ? error.message : String(error), "error");
}

async function start() {
  $("run-a").addEventListener("change", () => {
    state.shownReason = null;
    loadSelected().catch(fail);
  });
  $("run-b").addEventListener("change", () => loadSelected().catch(fail));
  $("group").addEventListener("change", () => loadCharts().catch(fail));
  $("run-button").addEventListener("click", () => startRun().catch(fail));
  $("tcp-refresh").addEventListener("click", () => refreshTcp());
  $("tcp-listen-only").addEventListener("change", () => refreshTcp());
  $("taskstats-form").addEventListener("submit", (/** @type {Event} */ event) => readTaskstats(event));
  await loadList(false);
  await Promise.all([loadHeadline(), loadSelected()]);
  const status = await getJson("/api/run");
  state.lastRunNumber = status.runNumber;
  showRun(status);
  if (status.state === "running") pollRun().catch(fail);
  await initLive();
}

start().catch(fail);

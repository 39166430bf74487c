// @ts-check
/**
 * The run button: starts the quick benchmark, shows its progress, and shows what it wrote once it finishes.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { $ } from "./page.js";
import { loadHeadline } from "./headline.js";
import { loadList, loadSelected } from "./runs.js";
import { state } from "./state.js";

/**
 * Shows a run's status by the button: progress while it runs, then what it wrote or why it failed.
 *
 * @param {any} status The answer of `GET /api/run`.
 */
export function showRun(status) {
  const progress = $("run-progress");
  const label = $("run-label");
  $("run-button").disabled = status.state === "running" || status.state === "unavailable";
  progress.hidden = status.state !== "running";
  progress.value = status.progress.fraction;
  document.body.dataset.runState = status.state;
  if (status.state === "running") {
    const steps = status.progress.total ? ` (${status.progress.done}/${status.progress.total})` : "";
    label.textContent = `Running ${status.benchmark} benchmark${steps}: ${status.progress.label}`;
  } else if (status.state === "done") {
    const notes = status.notes.length ? `; ${status.notes.length} note(s): ${status.notes.join("; ")}` : "";
    label.textContent = `Run ${status.runNumber} finished: ${status.files.join(", ") || "no files"}${notes}`;
  } else if (status.state === "failed") {
    label.textContent = `Run ${status.runNumber} failed: ${status.error}`;
  } else if (status.state === "unavailable") {
    label.textContent = `Runs are unavailable: ${status.unavailableReason}`;
  } else {
    label.textContent = "";
  }
}

/** Polls the run until it ends; a run that finished is then shown (its Deno file, else its first). */
export async function pollRun() {
  if (state.polling) return;
  state.polling = true;
  try {
    for (;;) {
      const status = await getJson("/api/run");
      showRun(status);
      if (status.state !== "running") {
        if (status.state === "done" && status.runNumber !== state.lastRunNumber) {
          state.lastRunNumber = status.runNumber;
          await loadList(true, status.runNumber);
          await Promise.all([loadHeadline(), loadSelected()]);
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    state.polling = false;
  }
}

/** Starts the quick benchmark and follows it. */
export async function startRun() {
  $("run-button").disabled = true;
  try {
    showRun(
      await getJson("/api/run", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ benchmark: "quick" }),
      }),
    );
  } catch (error) {
    $("run-label").textContent = error instanceof Error ? error.message : String(error);
  }
  await pollRun();
}

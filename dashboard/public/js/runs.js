// @ts-check
/// <reference lib="dom" />
/**
 * The run selectors and what they select: the runs listed by `GET /api/runs`, the charts of the selected
 * run (and the compared one) from `GET /api/charts`, and the lines that say which run is shown and why.
 *
 * @module
 */
import { drawCharts } from "./charts/all_charts.js";
import { renderComparison } from "./compare.js";
import { getJson } from "./fetch.js";
import { $, showMessage } from "./page.js";
import { state } from "./state.js";

/** What a selector's value starts with when it is a whole run (every runtime's file) rather than one file. */
export const RUN_PREFIX = "run:";

/**
 * Fills the run selectors, a group per run. Without a selection to keep, the server's pick is shown (the
 * newest full run with every suite); after a run the page saw finish, the file that run wrote.
 *
 * @param {boolean} [keepSelection] Keep the files selected when they are still listed.
 * @param {number} [finishedRun] The number of the run that just finished, to show what it wrote.
 */
export async function loadList(keepSelection = true, finishedRun = 0) {
  const listing = await getJson(`/api/runs${finishedRun ? `?finished=${finishedRun}` : ""}`);
  state.files = listing.groups.flatMap((/** @type {any} */ group) =>
    group.files.map((/** @type {{ file: string }} */ f) => f.file)
  );
  /** The whole-run choice of each run with several files, by any of its files. */
  const runOf = new Map();
  const a = $("run-a");
  const b = $("run-b");
  const previousA = keepSelection ? a.value : "";
  const previousB = keepSelection ? b.value : "";
  a.replaceChildren();
  b.replaceChildren(new Option("(none)", ""));
  for (const select of [a, b]) {
    for (const { key, label, runtimes, files } of listing.groups) {
      const group = document.createElement("optgroup");
      group.label = label;
      if (files.length > 1) {
        const value = `${RUN_PREFIX}${key}`;
        for (const f of files) runOf.set(f.file, value);
        group.append(new Option(`All runtimes of this run: ${runtimes.join(", ")}`, value));
      }
      group.append(...files.map((/** @type {any} */ f) => new Option(f.label, f.file)));
      select.append(group);
    }
  }
  const listed = (/** @type {string} */ value) =>
    state.files.includes(value) || [...runOf.values()].includes(value);
  // A file the page picks is shown with the other runtimes of its run.
  const picked = (/** @type {string} */ file) => runOf.get(file) ?? file;
  const { finished, selected } = listing;
  if (finished && listed(finished.file)) {
    a.value = picked(finished.file);
    state.shownReason = finished.reason;
  } else if (listed(previousA)) {
    a.value = previousA;
  } else if (selected && listed(selected.file)) {
    a.value = picked(selected.file);
    state.shownReason = selected.reason;
  }
  if (listed(previousB)) b.value = previousB;
  showMessage(listing.notice.text, listing.notice.kind, listing.notice.items);
}

/**
 * The query of `GET /api/charts` for a selector's value: a whole run or one file.
 *
 * @param {URLSearchParams} query The query to add to.
 * @param {string} value The selector's value.
 * @param {"a" | "b"} side The selected run or the compared one.
 */
function choose(query, value, side) {
  if (!value) return;
  if (value.startsWith(RUN_PREFIX)) {
    query.set(side === "a" ? "run" : "before", value.slice(RUN_PREFIX.length));
  } else query.set(side, value);
}

/** Fetches and draws the charts of the selected runs and row question. */
export async function loadCharts() {
  const a = $("run-a").value;
  const b = $("run-b").value;
  const query = new URLSearchParams({ group: $("group").value });
  choose(query, a, "a");
  if (b !== a) choose(query, b, "b");
  state.charts = await getJson(`/api/charts?${query}`);
  const select = $("group");
  select.replaceChildren(...state.charts.groups.map((/** @type {string} */ g) => new Option(g, g)));
  select.value = state.charts.group;
  drawCharts(state.charts);
}

/** Loads everything the selection shows: charts, run details, the side-by-side table. */
export async function loadSelected() {
  await loadCharts();
  renderRunInfo();
  await renderComparison(state.charts.runs);
  document.body.dataset.ready = "true";
}

/** Says which run the charts show and why that one, and describes each run drawn with its notes. */
function renderRunInfo() {
  const [selected] = state.charts.runs;
  const shown = state.charts.runs.filter((/** @type {{ compared: boolean }} */ r) => !r.compared);
  const others = shown.slice(1).map((/** @type {{ runtimeName: string }} */ r) => r.runtimeName);
  const together = others.length ? ` together with ${others.join(" and ")} of the same run` : "";
  $("shown").textContent = selected
    ? `Showing ${selected.description}${together} (${state.shownReason ?? selected.chosen})`
    : "";
  const info = $("run-info");
  info.replaceChildren();
  for (const run of state.charts.runs) {
    const p = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = run.title;
    p.append(strong, run.details);
    info.append(p);
    for (const note of run.notes) {
      const item = document.createElement("p");
      item.className = "note";
      item.textContent = note;
      info.append(item);
    }
  }
}

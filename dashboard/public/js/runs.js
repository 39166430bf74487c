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
  const a = $("run-a");
  const b = $("run-b");
  const previousA = keepSelection ? a.value : "";
  const previousB = keepSelection ? b.value : "";
  a.replaceChildren();
  b.replaceChildren(new Option("(none)", ""));
  for (const select of [a, b]) {
    for (const { label, files } of listing.groups) {
      const group = document.createElement("optgroup");
      group.label = label;
      group.append(...files.map((/** @type {any} */ f) => new Option(f.label, f.file)));
      select.append(group);
    }
  }
  const listed = (/** @type {string} */ file) => state.files.includes(file);
  const { finished, selected } = listing;
  if (finished && listed(finished.file)) {
    a.value = finished.file;
    state.shownReason = finished.reason;
  } else if (listed(previousA)) {
    a.value = previousA;
  } else if (selected && listed(selected.file)) {
    a.value = selected.file;
    state.shownReason = selected.reason;
  }
  if (listed(previousB)) b.value = previousB;
  showMessage(listing.notice.text, listing.notice.kind, listing.notice.items);
}

/** Fetches and draws the charts of the selected runs and row question. */
export async function loadCharts() {
  const a = $("run-a").value;
  const b = $("run-b").value;
  const query = new URLSearchParams({ group: $("group").value });
  if (a) query.set("a", a);
  if (b && b !== a) query.set("b", b);
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
  $("shown").textContent = selected
    ? `Showing ${selected.description} (${state.shownReason ?? selected.chosen})`
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

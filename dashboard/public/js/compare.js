// @ts-check
/// <reference lib="dom" />
/**
 * The side-by-side table of two runs, from `GET /api/compare`: each runtime of the selected run against the
 * same runtime of the compared one (before and after a change), differences over 10 % marked.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { formatBytes, formatNs } from "./format.js";
import { $ } from "./page.js";

/** A ratio beyond these counts as a difference: runs of one machine wander by a few percent. */
const SLOWER = 1.1;
const FASTER = 1 / SLOWER;

/** @typedef {{ file: string, label: string, runtimeName: string, compared: boolean }} RunView */

/**
 * The pairs of files to set side by side: each selected runtime with the compared run's file of the same
 * runtime; two single files are paired whatever their runtimes.
 *
 * @param {readonly RunView[]} runs The runs of `GET /api/charts`.
 * @returns {[RunView, RunView][]}
 */
export function pairsOf(runs) {
  const selected = runs.filter((r) => !r.compared);
  const compared = runs.filter((r) => r.compared);
  const [a, b] = [selected[0], compared[0]];
  if (a && b && selected.length === 1 && compared.length === 1) return [[a, b]];
  return selected.flatMap((a) => {
    const b = compared.find((r) => r.runtimeName === a.runtimeName);
    return b ? [/** @type {[RunView, RunView]} */ ([a, b])] : [];
  });
}

/**
 * Fills the table when two runs are drawn, and hides it otherwise.
 *
 * @param {RunView[]} runs The runs of `GET /api/charts`.
 */
export async function renderComparison(runs) {
  const section = $("compare");
  const pairs = pairsOf(runs);
  const [first] = pairs;
  if (!first) {
    section.hidden = true;
    return;
  }
  const answers = await Promise.all(
    pairs.map(([a, b]) => getJson(`/api/compare?${new URLSearchParams({ a: a.file, b: b.file })}`)),
  );
  const several = pairs.length > 1;
  $("compare-title").textContent = several
    ? pairs.map(([a, b]) => `${a.label}  vs  ${b.label}`).join("; ")
    : `${first[0].label}  vs  ${first[1].label}`;
  $("compare-a").textContent = several ? "selected" : `${first[0].runtimeName} (selected)`;
  $("compare-b").textContent = several ? "compared" : `${first[1].runtimeName} (compared)`;
  let slower = 0;
  let faster = 0;
  const rows = answers.flatMap((comparison, i) =>
    comparison.rows.map((/** @type {any} */ row) => {
      const tr = document.createElement("tr");
      const size = row.n !== null ? `N ${row.n}` : row.bytes !== null ? formatBytes(row.bytes) : "";
      const ratio = row.ratio === null ? "–" : `${row.ratio.toFixed(2)}×`;
      const runtime = pairs[i]?.[0].runtimeName ?? "";
      const cells = [runtime, row.suite, row.group, row.name, size, formatNs(row.a), formatNs(row.b), ratio];
      for (const text of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      if (row.ratio !== null && tr.lastElementChild) {
        const kind = row.ratio > SLOWER ? "slower" : row.ratio < FASTER ? "faster" : "";
        tr.lastElementChild.className = kind;
        if (kind) tr.className = `changed ${kind}`;
        if (kind === "slower") slower++;
        if (kind === "faster") faster++;
      }
      return tr;
    })
  );
  section.querySelector("tbody").replaceChildren(...rows);
  $("compare-summary").textContent =
    `${rows.length} measurements side by side; marked: ${slower} slower and ${faster} ` +
    `faster by more than 10 % in the compared run.`;
  section.hidden = false;
}

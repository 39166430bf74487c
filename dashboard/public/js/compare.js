// @ts-check
/// <reference lib="dom" />
/**
 * The side-by-side table of two runs, from `GET /api/compare`.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { formatBytes, formatNs } from "./format.js";
import { $ } from "./page.js";

/**
 * Fills the table when two runs are drawn, and hides it otherwise.
 *
 * @param {{ file: string, label: string, runtimeName: string }[]} runs The runs of `GET /api/charts`.
 */
export async function renderComparison(runs) {
  const section = $("compare");
  const [a, b] = runs;
  if (!a || !b) {
    section.hidden = true;
    return;
  }
  const comparison = await getJson(`/api/compare?${new URLSearchParams({ a: a.file, b: b.file })}`);
  $("compare-title").textContent = `${a.label}  vs  ${b.label}`;
  $("compare-a").textContent = `${a.runtimeName} (selected)`;
  $("compare-b").textContent = `${b.runtimeName} (compared)`;
  section.querySelector("tbody").replaceChildren(...comparison.rows.map((/** @type {any} */ row) => {
    const tr = document.createElement("tr");
    const size = row.n !== null ? `N ${row.n}` : row.bytes !== null ? formatBytes(row.bytes) : "";
    const ratio = row.ratio === null ? "–" : `${row.ratio.toFixed(2)}×`;
    for (const text of [row.suite, row.group, row.name, size, formatNs(row.a), formatNs(row.b), ratio]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    if (row.ratio !== null && tr.lastElementChild) {
      tr.lastElementChild.className = row.ratio > 1.1 ? "slower" : row.ratio < 0.9 ? "faster" : "";
    }
    return tr;
  }));
  section.hidden = false;
}

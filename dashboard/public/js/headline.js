// @ts-check
/// <reference lib="dom" />
/**
 * The headline at the top of the page, from `GET /api/headline`: per row type, each runtime side by side
 * (best in place, best copy, the ratio, the C loop), and the sentence to quote.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { formatNs, formatSpeed } from "./format.js";
import { $ } from "./page.js";

/**
 * @typedef {{ name: string, technique: string, nsPerRow: number }} Contestant
 * @typedef {{ runtime: string, title: string, n: number, inPlace: Contestant | null, copy: Contestant | null,
 *   ratio: number | null, floor: Contestant | null }} Side
 */

/**
 * A table cell.
 *
 * @param {string} tag `td` or `th`.
 * @param {string} text Its text.
 * @param {string} [title] A tooltip.
 * @returns {HTMLElement}
 */
function cell(tag, text, title) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (title) element.title = title;
  return element;
}

/**
 * A contestant's time, named under it.
 *
 * @param {Contestant | null} contestant The contestant.
 * @returns {HTMLElement}
 */
function timeCell(contestant) {
  const td = cell("td", contestant ? formatNs(contestant.nsPerRow) : "–");
  if (contestant) {
    const name = document.createElement("small");
    name.textContent = contestant.technique === "in-place" || contestant.technique === "copy"
      ? contestant.name
      : `${contestant.name} (${contestant.technique})`;
    td.append(name);
  }
  return td;
}

/**
 * One row type's table: a column per runtime.
 *
 * @param {{ name: string, bytes: number, sides: Side[], sentence: string }} row The row type.
 * @returns {HTMLElement}
 */
function rowTable(row) {
  const figure = document.createElement("figure");
  figure.className = "headline-row";
  figure.dataset.rowType = row.name;
  const caption = document.createElement("figcaption");
  caption.textContent = `${row.name} (${row.bytes} B per row)`;
  const table = document.createElement("table");
  const head = document.createElement("tr");
  head.append(cell("th", "ns per row"), ...row.sides.map((s) => cell("th", s.title)));
  const lines = [
    ["At N", (/** @type {Side} */ s) => cell("td", s.n.toLocaleString("en"))],
    ["Best in place", (/** @type {Side} */ s) => timeCell(s.inPlace)],
    ["Best copy", (/** @type {Side} */ s) => timeCell(s.copy)],
    ["In place is", (/** @type {Side} */ s) => {
      const speed = s.ratio === null ? null : formatSpeed(s.ratio);
      const td = cell("td", speed ? `${speed.times} ${speed.word}` : "–");
      td.className = speed?.word === "slower" ? "ratio slower" : "ratio";
      if (s.ratio !== null) td.dataset.ratio = String(s.ratio);
      return td;
    }],
    ["C loop (floor)", (/** @type {Side} */ s) => timeCell(s.floor)],
  ];
  const body = document.createElement("tbody");
  for (const [label, make] of /** @type {[string, (s: Side) => HTMLElement][]} */ (lines)) {
    const tr = document.createElement("tr");
    tr.append(
      cell("th", label),
      ...row.sides.map((s) => {
        const td = make(s);
        td.dataset.runtime = s.runtime;
        return td;
      }),
    );
    body.append(tr);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  table.append(thead, body);
  const scroll = document.createElement("div");
  scroll.className = "table-scroll";
  scroll.append(table);
  const quote = document.createElement("blockquote");
  quote.className = "quote";
  quote.textContent = row.sentence;
  figure.append(caption, scroll, quote);
  return figure;
}

/** Fetches and draws the headline of the newest run that measured rows. */
export async function loadHeadline() {
  const headline = await getJson("/api/headline");
  const section = $("headline");
  $("headline-run").textContent = headline.run ? `From the ${headline.run.label}.` : headline.empty;
  $("headline-rows").replaceChildren(...headline.rows.map(rowTable));
  section.dataset.run = headline.run?.key ?? "";
}

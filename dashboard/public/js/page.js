// @ts-check
/// <reference lib="dom" />
/**
 * The page's elements and its message area.
 *
 * @module
 */

/**
 * An element of the page by id; the page has every id the modules ask for.
 *
 * @param {string} id The element's id.
 * @returns {any} The element (typed loosely: each caller knows which kind it asked for).
 */
export function $(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no element "${id}"`);
  return element;
}

/**
 * Shows a message; `items` become a list under it (the skipped files, each with its reason).
 *
 * @param {string} text The message; empty hides the area.
 * @param {string} [kind] `info`, `warn` or `error`.
 * @param {readonly string[]} [items] Lines listed under the message.
 */
export function showMessage(text, kind = "info", items = []) {
  const message = $("message");
  const list = document.createElement("ul");
  list.append(...items.map((item) => {
    const li = document.createElement("li");
    li.textContent = item;
    return li;
  }));
  message.replaceChildren(text, ...(items.length ? [list] : []));
  message.className = `message ${kind}`;
  message.hidden = !text;
}

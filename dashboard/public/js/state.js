// @ts-check
/**
 * What the page's modules share: the chart instances and the page's state.
 *
 * @module
 */

/** Chart instances by canvas id, kept so a new selection replaces them. */
export const chartInstances = /** @type {Record<string, any>} */ ({});

/**
 * The page's state. `charts` is the last answer of `GET /api/charts`; `files` the result files listed;
 * `shownReason` why the selected run is shown, when the page picked it (`null` once the reader picks).
 */
export const state = {
  /** @type {any} */
  charts: null,
  /** @type {string[]} */
  files: [],
  polling: false,
  lastRunNumber: 0,
  /** @type {string | null} */
  shownReason: null,
};

// For reading from the browser's console.
Object.assign(globalThis, { dashboard: { charts: chartInstances, state } });

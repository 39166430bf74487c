// @ts-check
/**
 * How the dashboard writes times, sizes, dates and lists. Plain JavaScript with no browser or runtime names,
 * so the page imports it as a module and `dashboard/series.ts` imports it too: one wording on both sides.
 *
 * @module
 */

/**
 * Nanoseconds in the largest unit that keeps them at 1 or more, three significant digits.
 *
 * @param {number | null | undefined} ns A time in nanoseconds.
 * @returns {string} E.g. `4.23 µs`; `–` for no time.
 */
export function formatNs(ns) {
  if (ns === null || ns === undefined || Number.isNaN(ns)) return "–";
  if (ns >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

/**
 * Bytes in binary units, three significant digits.
 *
 * @param {number} bytes A size.
 * @returns {string} E.g. `7.75 GiB`.
 */
export function formatBytes(bytes) {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toPrecision(3)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toPrecision(3)} KiB`;
  return `${bytes} B`;
}

/**
 * A result file's date in UTC, said so.
 *
 * @param {string} date An ISO 8601 date.
 * @returns {string} E.g. `2026-11-21 09:50:32 UTC`; the text unchanged when it is not a date.
 */
export function utc(date) {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime())
    ? String(date)
    : `${parsed.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/**
 * Joins words as a sentence lists them.
 *
 * @param {readonly string[]} words The words.
 * @returns {string} "rows", "rows and calls", "rows, calls and memory".
 */
export function wordList(words) {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/**
 * A ratio as a sentence says it: whole from 10 up, one decimal below.
 *
 * @param {number} ratio A ratio.
 * @returns {string} E.g. `11×` or `2.4×`.
 */
export function formatRatio(ratio) {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}

/**
 * How many times faster one time is than another, or slower when the ratio is below 1.
 *
 * @param {number} ratio The other time over this one.
 * @returns {{ times: string, word: "faster" | "slower" }} E.g. 12 gives `12×` faster, 0.2 gives `5.0×` slower.
 */
export function formatSpeed(ratio) {
  return ratio >= 1
    ? { times: formatRatio(ratio), word: "faster" }
    : { times: formatRatio(1 / ratio), word: "slower" };
}

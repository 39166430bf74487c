// @ts-check
/// <reference lib="dom" />
/**
 * The live views: the machine's TCP sockets (`listTcpSockets()`) and a process's taskstats
 * (`getTaskstats(pid)`), read through the JSON API.
 *
 * @module
 */
import { getJson } from "./fetch.js";
import { $ } from "./page.js";

/**
 * A table cell.
 *
 * @param {unknown} text Its content; nothing for `null` and `undefined`.
 * @returns {HTMLTableCellElement}
 */
function cell(text) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  return td;
}

/** Reads the TCP sockets again and fills their table (listening ones only, when so ticked). */
export async function refreshTcp() {
  const status = $("tcp-status");
  status.textContent = "Loading…";
  try {
    const { sockets, note } = await getJson("/api/live/tcp");
    const listenOnly = $("tcp-listen-only").checked;
    const shown = sockets.filter((/** @type {any} */ s) => !listenOnly || s.state === "LISTEN")
      .sort((/** @type {any} */ p, /** @type {any} */ q) => p.localPort - q.localPort);
    $("tcp-table").querySelector("tbody").replaceChildren(...shown.map((/** @type {any} */ s) => {
      const tr = document.createElement("tr");
      tr.dataset.localPort = String(s.localPort);
      tr.dataset.state = s.state;
      tr.append(
        cell(s.family),
        cell(s.state),
        cell(s.localAddress),
        cell(s.localPort),
        cell(s.remoteAddress),
        cell(s.remotePort),
        cell(s.uid),
        cell(s.inode),
      );
      return tr;
    }));
    $("tcp-note").hidden = !note;
    $("tcp-note").textContent = note ?? "";
    status.textContent = `${shown.length} of ${sockets.length} sockets, ${
      new Date().toLocaleTimeString("en")
    }`;
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

/**
 * Flattens nested objects into dotted keys, so any taskstats shape shows as a two-column table.
 *
 * @param {unknown} value The value.
 * @param {string} [prefix] The key so far.
 * @param {[string, unknown][]} [out] Where the rows go.
 * @returns {[string, unknown][]}
 */
function flatten(value, prefix = "", out = []) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, field] of Object.entries(value)) flatten(field, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push([prefix, Array.isArray(value) ? value.join(", ") : value]);
  }
  return out;
}

/**
 * Reads the taskstats of the PID typed in, or says why not.
 *
 * @param {Event} [event] The form's submission.
 */
export async function readTaskstats(event) {
  event?.preventDefault();
  const error = $("taskstats-error");
  const body = $("taskstats-table").querySelector("tbody");
  error.hidden = true;
  const pid = $("pid-input").value.trim();
  if (!/^[1-9][0-9]{0,6}$/.test(pid)) {
    error.textContent = "A PID is a positive whole number, such as 1.";
    error.hidden = false;
    return;
  }
  $("taskstats-status").textContent = "Loading…";
  try {
    const { taskstats, note } = await getJson(`/api/live/taskstats/${pid}`);
    const rows = flatten(taskstats);
    if (note) rows.unshift(["note", note]);
    body.replaceChildren(...rows.map(([key, value]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = key;
      tr.append(th, cell(value));
      return tr;
    }));
    $("taskstats-status").textContent = `PID ${pid}, ${new Date().toLocaleTimeString("en")}`;
  } catch (failure) {
    body.replaceChildren();
    $("taskstats-status").textContent = "";
    error.textContent = failure instanceof Error ? failure.message : String(failure);
    error.hidden = false;
  }
}

/** Fills in the server's PID and the socket table, or says why the live views are unavailable. */
export async function initLive() {
  const live = await getJson("/api/live");
  $("pid-input").value = String(live.serverPid);
  if (!live.available) {
    for (const id of ["tcp-refresh", "pid-button"]) $(id).disabled = true;
    $("tcp-status").textContent = `Unavailable: ${live.reason}`;
    $("taskstats-status").textContent = `Unavailable: ${live.reason}`;
    return;
  }
  await refreshTcp();
}

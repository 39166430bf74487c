// The dashboard page: plain browser JavaScript over the JSON API, charts drawn with chart.js (served locally).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  /** Chart instances by canvas id, kept so a new selection replaces them. */
  const charts = {};
  const state = { list: [], a: null, b: null, polling: false, lastRunNumber: 0 };
  // Read by the browser test: which file each chart was drawn from.
  globalThis.dashboard = { charts, state };

  const TECHNIQUE_COLOURS = {
    copy: ["#d62728", "#ff7f0e", "#e377c2"],
    "in-place": ["#1f77b4", "#17becf", "#2ca02c", "#4e79a7", "#59a14f"],
    baseline: ["#7f7f7f", "#b5b5b5", "#4d4d4d", "#c49c94", "#9a8c7a"],
    native: ["#111111"],
    peer: ["#9467bd", "#8c564b", "#bcbd22", "#b07aa1"],
    toolkit: ["#17becf", "#1f77b4", "#2ca02c"],
  };

  function colourFor(technique, index) {
    const list = TECHNIQUE_COLOURS[technique] ?? ["#333333"];
    return list[index % list.length];
  }

  /** Colours contestants by technique, each name of a technique its own shade, the same in every chart. */
  function palette(measurements) {
    const byTechnique = {};
    const colours = new Map();
    for (const m of measurements) {
      if (colours.has(m.name)) continue;
      const index = byTechnique[m.technique] ?? 0;
      byTechnique[m.technique] = index + 1;
      colours.set(m.name, colourFor(m.technique, index));
    }
    return (name) => colours.get(name) ?? "#333333";
  }

  function formatNs(ns) {
    if (ns === null || ns === undefined || Number.isNaN(ns)) return "–";
    if (ns >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
    if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
    if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
    return `${ns.toPrecision(3)} ns`;
  }

  function formatBytes(bytes) {
    if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
    if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toPrecision(3)} MiB`;
    if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toPrecision(3)} KiB`;
    return `${bytes} B`;
  }

  function runLabel(summary) {
    return `${summary.runtime.name} ${summary.runtime.version} · ${summary.machine.hostname} · ${
      summary.date.replace("T", " ").slice(0, 19)
    } · ${summary.mode}`;
  }

  function showMessage(text, kind = "info") {
    const message = $("message");
    message.textContent = text;
    message.className = `message ${kind}`;
    message.hidden = !text;
  }

  async function getJson(url, options) {
    const response = await fetch(url, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.error ?? `${url} answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function fileOfName(name) {
    return state.list.find((summary) => summary.file === name);
  }

  // ---- run selection -------------------------------------------------------------------------------------

  async function loadList(keepSelection = true) {
    const { results, skipped } = await getJson("/api/results");
    state.list = results;
    const a = $("run-a");
    const b = $("run-b");
    const previousA = keepSelection ? a.value : "";
    const previousB = keepSelection ? b.value : "";
    a.replaceChildren();
    b.replaceChildren(new Option("(none)", ""));
    // One group per run (a date on a machine): a run writes one file per runtime.
    const runsByKey = new Map();
    for (const summary of results) {
      const key = `${summary.date.replace("T", " ").slice(0, 19)} on ${summary.machine.hostname}`;
      if (!runsByKey.has(key)) runsByKey.set(key, []);
      runsByKey.get(key).push(summary);
    }
    for (const select of [a, b]) {
      for (const [key, summaries] of runsByKey) {
        const group = document.createElement("optgroup");
        group.label = `Run ${key}`;
        group.append(...summaries.map((summary) => new Option(runLabel(summary), summary.file)));
        select.append(group);
      }
    }
    if (fileOfName(previousA)) a.value = previousA;
    if (fileOfName(previousB)) b.value = previousB;
    if (results.length === 0) {
      showMessage("No result files yet: press \u201cRun quick benchmark\u201d to make some.");
    } else if (skipped.length > 0) {
      showMessage(
        `Skipped ${skipped.length} unreadable file(s): ${skipped.map((s) => s.reason).join("; ")}`,
        "warn",
      );
    } else {
      showMessage("");
    }
  }

  async function loadSelected() {
    const aName = $("run-a").value;
    const bName = $("run-b").value;
    state.a = aName ? await getJson(`/api/results/${encodeURIComponent(aName)}`) : null;
    state.b = bName && bName !== aName ? await getJson(`/api/results/${encodeURIComponent(bName)}`) : null;
    fillGroups();
    renderRunInfo();
    renderCharts();
    await renderComparison();
    document.body.dataset.ready = "true";
  }

  function fillGroups() {
    const select = $("group");
    const previous = select.value;
    const groups = [
      ...new Set((state.a?.measurements ?? []).filter((m) => m.suite === "rows").map((m) => m.group)),
    ];
    select.replaceChildren(...groups.map((g) => new Option(g, g)));
    if (groups.includes(previous)) select.value = previous;
  }

  function renderRunInfo() {
    const info = $("run-info");
    info.replaceChildren();
    for (const [label, result] of [["Selected", state.a], ["Compared", state.b]]) {
      if (!result) continue;
      const m = result.machine;
      const p = document.createElement("p");
      const strong = document.createElement("strong");
      strong.textContent = `${label}: ${result.runtime.name} ${result.runtime.version}`;
      p.append(
        strong,
        ` on ${m.hostname} (${m.cpu}, ${m.cores} cores, ${
          formatBytes(m.memoryBytes)
        }, ${m.os} ${m.kernel} ${m.arch}),` +
          ` ${result.date}, ${result.mode} run, ${result.measurements.length} measurements, file ${result.file}`,
      );
      info.append(p);
      for (const note of result.notes ?? []) {
        const item = document.createElement("p");
        item.className = "note";
        item.textContent = `${result.runtime.name} note: ${note}`;
        info.append(item);
      }
    }
  }

  // ---- charts --------------------------------------------------------------------------------------------

  /** The runs drawn: the selected one solid, the compared one dashed. */
  function runs() {
    const list = [];
    if (state.a) list.push({ result: state.a, dash: [], prefix: "" });
    if (state.b) list.push({ result: state.b, dash: [6, 4], prefix: `${state.b.runtime.name} (compared): ` });
    if (state.b && list[0]) list[0].prefix = `${state.a.runtime.name}: `;
    return list;
  }

  function draw(id, config) {
    charts[id]?.destroy();
    const canvas = $(id);
    config.options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } }, ...config.options?.plugins },
    };
    charts[id] = new Chart(canvas, config);
    const points = config.data.datasets.reduce((sum, d) => sum + d.data.filter((v) => v !== null).length, 0);
    canvas.dataset.points = String(points);
    canvas.dataset.file = state.a?.file ?? "";
    const box = canvas.parentElement;
    box.classList.toggle("empty", points === 0);
    box.dataset.empty = state.a
      ? "No measurements of this kind in the selected file"
      : "No result file selected";
  }

  /** Cuts the middle of a long label, keeping its start (the question) and end (the contestant). */
  function shorten(text, length) {
    if (text.length <= length) return text;
    const head = Math.floor((length - 1) / 2);
    return `${text.slice(0, head)}…${text.slice(text.length - (length - 1 - head))}`;
  }

  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumSignificantDigits: 3 });

  /** A log axis labelled only where the mantissa is one of `mantissas`, so the labels never crowd. */
  const logAxis = (title, mantissas = [1]) => ({
    type: "logarithmic",
    title: { display: true, text: title },
    ticks: {
      callback: (value) => {
        const v = Number(value);
        const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
        return mantissas.some((m) => Math.abs(mantissa - m) < 1e-6) ? compact.format(v) : "";
      },
    },
  });

  function selectedGroup() {
    return $("group").value;
  }

  function lineSeries(measurements, x, y, colourOf, dash, prefix) {
    const names = [...new Set(measurements.map((m) => m.name))];
    return names.map((name) => {
      const points = measurements.filter((m) => m.name === name && m[x] !== undefined && m[y] !== undefined)
        .sort((p, q) => p[x] - q[x])
        .map((m) => ({ x: m[x], y: m[y] }));
      return {
        label: prefix + name,
        data: points,
        showLine: true,
        borderColor: colourOf(name),
        backgroundColor: colourOf(name),
        borderDash: dash,
        pointRadius: 3,
        tension: 0,
      };
    });
  }

  function renderRows() {
    const group = selectedGroup();
    const datasets = runs().flatMap(({ result, dash, prefix }) => {
      const rows = result.measurements.filter((m) =>
        m.suite === "rows" && m.group === group &&
        ["copy", "in-place", "native", "baseline"].includes(m.technique)
      );
      return lineSeries(rows, "n", "nsPerRow", palette(result.measurements), dash, prefix);
    });
    draw("chart-rows", {
      type: "scatter",
      data: { datasets },
      options: { scales: { x: logAxis("N (rows)"), y: logAxis("ns per row", [1, 2, 5]) } },
    });
  }

  function renderSpeedup() {
    const group = selectedGroup();
    const datasets = runs().flatMap(({ result, dash, prefix }) => {
      const rows = result.measurements.filter((m) => m.suite === "rows" && m.group === group && m.nsPerRow);
      const fastestCopy = new Map();
      for (const m of rows.filter((r) => r.technique === "copy")) {
        fastestCopy.set(m.n, Math.min(fastestCopy.get(m.n) ?? Infinity, m.nsPerRow));
      }
      const inPlace = rows.filter((m) => m.technique === "in-place" && fastestCopy.has(m.n))
        .map((m) => ({ ...m, speedup: fastestCopy.get(m.n) / m.nsPerRow }));
      return lineSeries(inPlace, "n", "speedup", palette(result.measurements), dash, prefix);
    });
    draw("chart-speedup", {
      type: "scatter",
      data: { datasets },
      options: {
        scales: {
          x: logAxis("N (rows)"),
          y: { type: "linear", beginAtZero: true, title: { display: true, text: "× faster than copying" } },
        },
      },
    });
  }

  /**
   * A bar chart of values per contestant: one dataset per drawn run and series, coloured by technique, the
   * compared run's bars lighter and outlined, later series hatched lighter still.
   */
  function barsByName(id, pick, axisTitle, log, series = [{ name: "", value: (item) => item.value }]) {
    const drawn = runs();
    const labels = [];
    for (const { result } of drawn) {
      for (const m of pick(result)) if (!labels.includes(m.label)) labels.push(m.label);
    }
    const datasets = drawn.flatMap(({ result, prefix }, runIndex) => {
      const items = pick(result);
      const colourOf = palette(result.measurements);
      const colours = labels.map((label) => {
        const m = items.find((item) => item.label === label);
        return m ? colourOf(m.name) : "#cccccc";
      });
      const runName = prefix ? prefix.replace(/: $/, "") : `${result.runtime.name} ${result.runtime.version}`;
      return series.map((s, seriesIndex) => {
        const data = labels.map((label) => {
          const item = items.find((candidate) => candidate.label === label);
          const value = item ? s.value(item) : undefined;
          return value === undefined || Number.isNaN(value) ? null : value;
        });
        const alpha = runIndex === 0 && seriesIndex === 0 ? "" : seriesIndex === 0 ? "99" : "55";
        return {
          label: s.name ? `${runName}: ${s.name}` : runName,
          data,
          backgroundColor: colours.map((c) => `${c}${alpha}`),
          borderColor: colours,
          borderWidth: runIndex === 0 && seriesIndex === 0 ? 0 : 1.5,
        };
      }).filter((dataset) => dataset.data.some((v) => v !== null));
    });
    draw(id, {
      type: "bar",
      data: { labels, datasets },
      options: {
        indexAxis: "y",
        scales: {
          x: log ? logAxis(axisTitle) : { beginAtZero: true, title: { display: true, text: axisTitle } },
          // Long contestant names are cut on the axis; the tooltip shows them whole.
          y: { ticks: { callback: (_value, index) => shorten(labels[index] ?? "", 44) } },
        },
      },
    });
  }

  function labelled(measurements, value) {
    const groups = new Set(measurements.map((m) => m.group));
    return measurements.map((m) => ({
      ...m,
      label: groups.size > 1 ? `${m.group} · ${m.name}` : m.name,
      value: value(m),
    }));
  }

  function renderCalls() {
    barsByName(
      "chart-calls",
      (result) => labelled(result.measurements.filter((m) => m.suite === "calls"), (m) => m.nsPerOp),
      "ns per call",
      true,
    );
  }

  function renderMemory() {
    const datasets = runs().flatMap(({ result, dash, prefix }) =>
      lineSeries(
        result.measurements.filter((m) => m.suite === "memory" && m.bytes),
        "bytes",
        "nsPerOp",
        palette(result.measurements),
        dash,
        prefix,
      )
    );
    draw("chart-memory", {
      type: "scatter",
      data: { datasets },
      options: { scales: { x: logAxis("block size (bytes)"), y: logAxis("ns per operation") } },
    });
  }

  function peersGroup(result) {
    const rows = result.measurements.filter((m) => m.suite === "rows");
    const selected = selectedGroup();
    if (rows.some((m) => m.group === selected && m.technique === "peer")) return selected;
    return rows.find((m) => m.technique === "peer")?.group ?? selected;
  }

  function renderPeers() {
    let caption = "";
    barsByName(
      "chart-peers",
      (result) => {
        const group = peersGroup(result);
        const rows = result.measurements.filter((m) => m.suite === "rows" && m.group === group && m.nsPerRow);
        const largest = Math.max(...rows.filter((m) => m.technique === "peer").map((m) => m.n ?? 0), 0) ||
          Math.max(...rows.map((m) => m.n ?? 0), 0);
        const atLargest = rows.filter((m) => m.n === largest).sort((p, q) => p.nsPerRow - q.nsPerRow);
        if (!caption) caption = `${group}, N = ${largest.toLocaleString("en")}`;
        return atLargest.map((m) => ({ ...m, label: `${m.name} (${m.technique})`, value: m.nsPerRow }));
      },
      "ns per row",
      true,
    );
    $("peers-hint").textContent = `Time per row at the largest N, every contestant; log scale. ${caption}`;
  }

  function renderGarbage() {
    const perRow = (m, bytes) => (bytes === undefined ? undefined : m.n ? bytes / m.n : bytes);
    barsByName(
      "chart-garbage",
      (result) => {
        const garbage = result.measurements.filter((m) => m.suite === "garbage" && m.heapBytes !== undefined);
        const largest = new Map();
        for (const m of garbage) {
          largest.set(m.group + m.name, Math.max(largest.get(m.group + m.name) ?? 0, m.n ?? 0));
        }
        return labelled(
          garbage.filter((m) => (m.n ?? 0) === largest.get(m.group + m.name)),
          (m) => perRow(m, m.heapBytes),
        );
      },
      "bytes per row",
      false,
      [
        { name: "heap growth", value: (m) => perRow(m, m.heapBytes) },
        { name: "allocated", value: (m) => perRow(m, m.allocatedBytes) },
      ],
    );
    const sources = runs().map(({ result }) => {
      const counts = result.measurements.filter((m) => m.suite === "garbage" && m.gcCount !== undefined)
        .map((m) => `${m.name} ${m.gcCount}`);
      const where = result.garbageSources
        ? ` (heap: ${result.garbageSources.heap}; GC count: ${result.garbageSources.gcCount})`
        : "";
      return `${result.runtime.name}: GCs ${counts.join(", ") || "not reported"}${where}`;
    });
    $("garbage-hint").textContent = `Heap growth and bytes allocated per row while scanning. ${
      sources.join(". ")
    }`;
  }

  function renderCharts() {
    renderRows();
    renderSpeedup();
    renderCalls();
    renderMemory();
    renderPeers();
    renderGarbage();
  }

  // ---- comparison ----------------------------------------------------------------------------------------

  async function renderComparison() {
    const section = $("compare");
    if (!state.a || !state.b) {
      section.hidden = true;
      return;
    }
    const comparison = await getJson(
      `/api/compare?a=${encodeURIComponent(state.a.file)}&b=${encodeURIComponent(state.b.file)}`,
    );
    $("compare-title").textContent = `${runLabel(fileOfName(state.a.file))}  vs  ${
      runLabel(fileOfName(state.b.file))
    }`;
    $("compare-a").textContent = `${state.a.runtime.name} (selected)`;
    $("compare-b").textContent = `${state.b.runtime.name} (compared)`;
    const body = section.querySelector("tbody");
    body.replaceChildren(...comparison.rows.map((row) => {
      const tr = document.createElement("tr");
      const size = row.n !== null ? `N ${row.n}` : row.bytes !== null ? formatBytes(row.bytes) : "";
      const ratio = row.ratio === null ? "–" : `${row.ratio.toFixed(2)}×`;
      for (const text of [row.suite, row.group, row.name, size, formatNs(row.a), formatNs(row.b), ratio]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      if (row.ratio !== null) {
        tr.lastChild.className = row.ratio > 1.1 ? "slower" : row.ratio < 0.9 ? "faster" : "";
      }
      return tr;
    }));
    section.hidden = false;
  }

  // ---- benchmark runs ------------------------------------------------------------------------------------

  function showRun(status) {
    const button = $("run-button");
    const progress = $("run-progress");
    const label = $("run-label");
    button.disabled = status.state === "running" || status.state === "unavailable";
    progress.hidden = status.state !== "running";
    progress.value = status.progress.fraction;
    document.body.dataset.runState = status.state;
    if (status.state === "running") {
      const steps = status.progress.total ? ` (${status.progress.done}/${status.progress.total})` : "";
      label.textContent = `Running ${status.benchmark} benchmark${steps}: ${status.progress.label}`;
    } else if (status.state === "done") {
      const notes = status.notes.length ? `; ${status.notes.length} note(s): ${status.notes.join("; ")}` : "";
      label.textContent = `Run ${status.runNumber} finished: ${
        status.files.join(", ") || "no files"
      }${notes}`;
    } else if (status.state === "failed") {
      label.textContent = `Run ${status.runNumber} failed: ${status.error}`;
    } else if (status.state === "unavailable") {
      label.textContent = `Runs are unavailable: ${status.unavailableReason}`;
    } else {
      label.textContent = "";
    }
  }

  async function pollRun() {
    if (state.polling) return;
    state.polling = true;
    try {
      for (;;) {
        const status = await getJson("/api/run");
        showRun(status);
        if (status.state !== "running") {
          if (status.state === "done" && status.runNumber !== state.lastRunNumber) {
            state.lastRunNumber = status.runNumber;
            const hadNone = state.list.length === 0;
            await loadList();
            if (hadNone && state.list[0]) $("run-a").value = state.list[0].file;
            await loadSelected();
          }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      state.polling = false;
    }
  }

  async function startRun() {
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
      $("run-label").textContent = error.message;
    }
    await pollRun();
  }

  // ---- live views ----------------------------------------------------------------------------------------

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text === undefined || text === null ? "" : String(text);
    return td;
  }

  async function refreshTcp() {
    const status = $("tcp-status");
    status.textContent = "Loading…";
    try {
      const { sockets, note } = await getJson("/api/live/tcp");
      const listenOnly = $("tcp-listen-only").checked;
      const shown = sockets.filter((s) => !listenOnly || s.state === "LISTEN")
        .sort((p, q) => p.localPort - q.localPort);
      $("tcp-table").querySelector("tbody").replaceChildren(...shown.map((s) => {
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
      status.textContent = error.message;
    }
  }

  /** Flattens nested objects into dotted keys, so any taskstats shape shows as a two-column table. */
  function flatten(value, prefix = "", out = []) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, field] of Object.entries(value)) {
        flatten(field, prefix ? `${prefix}.${key}` : key, out);
      }
    } else {
      out.push([prefix, Array.isArray(value) ? value.join(", ") : value]);
    }
    return out;
  }

  async function readTaskstats(event) {
    event?.preventDefault();
    const input = $("pid-input");
    const error = $("taskstats-error");
    const body = $("taskstats-table").querySelector("tbody");
    error.hidden = true;
    const pid = input.value.trim();
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
      error.textContent = failure.message;
      error.hidden = false;
    }
  }

  async function initLive() {
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

  // ---- start ---------------------------------------------------------------------------------------------

  async function start() {
    $("run-a").addEventListener("change", () => loadSelected().catch(fail));
    $("run-b").addEventListener("change", () => loadSelected().catch(fail));
    $("group").addEventListener("change", () => renderCharts());
    $("run-button").addEventListener("click", () => startRun().catch(fail));
    $("tcp-refresh").addEventListener("click", () => refreshTcp());
    $("tcp-listen-only").addEventListener("change", () => refreshTcp());
    $("taskstats-form").addEventListener("submit", (event) => readTaskstats(event));
    await loadList(false);
    await loadSelected();
    const status = await getJson("/api/run");
    state.lastRunNumber = status.runNumber;
    showRun(status);
    if (status.state === "running") pollRun().catch(fail);
    await initLive();
  }

  function fail(error) {
    showMessage(String(error?.message ?? error), "error");
  }

  start().catch(fail);
})();

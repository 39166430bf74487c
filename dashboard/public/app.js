// The dashboard page: plain browser JavaScript over the JSON API, charts drawn with chart.js (served locally).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  /** Chart instances by canvas id, kept so a new selection replaces them. */
  const charts = {};
  /** `shownReason`: why the selected run is shown, when the page picked it; `null` once the reader picks. */
  const state = { list: [], a: null, b: null, polling: false, lastRunNumber: 0, shownReason: null };
  // Read by the browser test: which file each chart was drawn from.
  globalThis.dashboard = { charts, state };

  /**
   * Colour families by technique: the toolkit in blues and greens (in place) and reds (copying), references in
   * greys and browns (baselines), black (native) and purples (peers). Within one chart every series gets a
   * colour no other series of that chart has: a family's next unused shade, then a shared reserve.
   */
  const FAMILIES = {
    "in-place": ["#1f77b4", "#17becf", "#2ca02c", "#0b3d91", "#74c476", "#6baed6"],
    copy: ["#d62728", "#ff7f0e", "#e377c2", "#8c0d0d"],
    toolkit: ["#1f77b4", "#17becf", "#2ca02c", "#0b3d91"],
    baseline: ["#7f7f7f", "#8c564b", "#bcbd22", "#4d4d4d", "#c49c94", "#9c755f", "#b8b8b8"],
    native: ["#111111", "#525252"],
    peer: ["#9467bd", "#b07aa1", "#54278f"],
  };
  const RESERVE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000"];

  /** One colour per technique, for bar charts, where the axis names each contestant. */
  const TECHNIQUE_COLOUR = {
    "in-place": "#1f77b4",
    copy: "#d62728",
    toolkit: "#17becf",
    baseline: "#7f7f7f",
    native: "#111111",
    peer: "#9467bd",
  };
  const TECHNIQUE_LEGEND = {
    "in-place": "toolkit, reading in place",
    copy: "toolkit, copying",
    toolkit: "toolkit",
    baseline: "hand-written or raw runtime (baseline)",
    native: "C through FFI (native)",
    peer: "another library (peer)",
  };
  /** Techniques that are not the toolkit: drawn dashed in line charts and hatched in bar charts. */
  const REFERENCES = ["baseline", "native", "peer"];
  const isReference = (technique) => REFERENCES.includes(technique);

  /** The name as charts label it: references say which kind they are. */
  function contestantLabel(m) {
    return isReference(m.technique) ? `${m.name} (${m.technique})` : m.name;
  }

  /** A dash pattern per technique: the toolkit solid, references dashed each their own way. */
  const DASHES = { baseline: [6, 3], native: [2, 3], peer: [10, 3, 2, 3] };

  /**
   * Colours for the contestants of one chart: each name its own colour, taken from its technique's family.
   *
   * @param {{ name: string, technique: string }[]} measurements Everything the chart draws, every run.
   * @returns {(name: string) => string}
   */
  function palette(measurements) {
    const colours = new Map();
    const used = new Set();
    for (const m of measurements) {
      if (colours.has(m.name)) continue;
      const family = FAMILIES[m.technique] ?? [];
      let colour = [...family, ...RESERVE].find((c) => !used.has(c));
      // Past the reserve: hues around the circle by the golden angle, never repeating.
      for (let i = used.size; colour === undefined || used.has(colour); i++) {
        colour = `hsl(${Math.round((i * 137.508) % 360)}, 65%, 45%)`;
      }
      used.add(colour);
      colours.set(m.name, colour);
    }
    return (name) => colours.get(name) ?? "#333333";
  }

  /** `#rrggbb` at an opacity, for the compared run; other colour forms unchanged. */
  function faded(colour, alpha = "88") {
    return /^#[0-9a-f]{6}$/i.test(colour)
      ? `${colour}${alpha}`
      : colour.replace(/^hsl\((.*)\)$/, "hsla($1, 0.55)");
  }

  /** Diagonal stripes in a colour over a light wash of it: how bar charts mark references. */
  function hatch(colour, alpha = 1) {
    const tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    const ctx = tile.getContext("2d");
    ctx.globalAlpha = alpha * 0.3;
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 8, 8);
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (const offset of [-8, 0, 8]) {
      ctx.moveTo(offset, 8);
      ctx.lineTo(offset + 8, 0);
    }
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
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

  /** A result file's date in UTC, said so: `2026-11-21 09:50:32 UTC`. */
  function utc(date) {
    const parsed = new Date(date);
    return Number.isNaN(parsed.getTime())
      ? String(date)
      : `${parsed.toISOString().replace("T", " ").slice(0, 19)} UTC`;
  }

  function runLabel(summary) {
    return `${summary.runtime.name} ${summary.runtime.version} · ${summary.machine.hostname} · ${
      utc(summary.date)
    } · ${summary.mode}`;
  }

  /** Shows a message; `items` become a list under it (the skipped files, each with its reason). */
  function showMessage(text, kind = "info", items = []) {
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

  /** "rows", "rows and calls", "rows, calls and memory". */
  function wordList(words) {
    return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
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

  /**
   * Fills the run selectors. Without a selection to keep, the server's pick is shown: the newest full run with
   * every suite (a newer run of the rows alone is listed, not shown first), and the page says why.
   */
  async function loadList(keepSelection = true) {
    const { results, skipped, selected } = await getJson("/api/results");
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
      const key = `${utc(summary.date)} on ${summary.machine.hostname}`;
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
    if (fileOfName(previousA)) {
      a.value = previousA;
    } else if (selected && fileOfName(selected.file)) {
      a.value = selected.file;
      state.shownReason = selected.reason;
    }
    if (fileOfName(previousB)) b.value = previousB;
    const unreadable = skipped.map((s) => s.reason);
    const skippedText = skipped.length === 1
      ? "Skipped 1 result file that cannot be read:"
      : `Skipped ${skipped.length} result files that cannot be read:`;
    if (results.length === 0) {
      const none = "No result files yet: press \u201cRun quick benchmark\u201d to make some.";
      showMessage(skipped.length ? `${none} ${skippedText}` : none, "info", unreadable);
    } else if (skipped.length > 0) {
      showMessage(skippedText, "warn", unreadable);
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

  /** Which run the charts show and why that one: the server's pick with its reason, or the reader's. */
  function renderShown() {
    const shown = $("shown");
    const summary = state.a && fileOfName(state.a.file);
    if (!state.a || !summary) {
      shown.textContent = "";
      return;
    }
    const some = ["rows", "calls", "memory", "garbage"].some((suite) => !summary.suites.includes(suite));
    const why = state.shownReason ??
      (some ? `chosen; it measures ${wordList(summary.suites)} only` : "chosen");
    shown.textContent = `Showing ${state.a.runtime.name} ${state.a.runtime.version}, ${state.a.mode} run of ${
      utc(state.a.date)
    } on ${state.a.machine.hostname} (${why})`;
  }

  function renderRunInfo() {
    renderShown();
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
          ` ${
            utc(result.date)
          }, ${result.mode} run, ${result.measurements.length} measurements, file ${result.file}`,
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

  /**
   * The runs drawn: the selected one in full colour with round points, the compared one faded with triangles.
   * (Dashes belong to the techniques: references are dashed.)
   */
  function runs() {
    const list = [];
    if (state.a) list.push({ result: state.a, compared: false, prefix: "" });
    if (state.b) {
      list.push({ result: state.b, compared: true, prefix: `${state.b.runtime.name} (compared): ` });
    }
    if (state.b && list[0]) list[0].prefix = `${state.a.runtime.name}: `;
    return list;
  }

  function draw(id, config, height) {
    charts[id]?.destroy();
    const canvas = $(id);
    const box = canvas.parentElement;
    // Bar charts grow with their bars, so that every contestant keeps its label.
    box.style.height = height ? `${height}px` : "";
    config.options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: {
        ...config.options?.plugins,
        legend: {
          ...config.options?.plugins?.legend,
          labels: { boxWidth: 12, font: { size: 11 }, ...config.options?.plugins?.legend?.labels },
        },
      },
    };
    charts[id] = new Chart(canvas, config);
    const points = config.data.datasets.reduce((sum, d) => sum + d.data.filter((v) => v !== null).length, 0);
    canvas.dataset.points = String(points);
    canvas.dataset.file = state.a?.file ?? "";
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

  /**
   * Legend entries drawn as a short line in the series' colour and dash, so a dashed reference looks dashed in
   * the legend too.
   */
  const lineLegend = {
    labels: {
      boxWidth: 26,
      boxHeight: 1,
      generateLabels: (chart) =>
        chart.data.datasets.map((dataset, datasetIndex) => ({
          text: dataset.label,
          datasetIndex,
          hidden: !chart.isDatasetVisible(datasetIndex),
          fillStyle: dataset.borderColor,
          strokeStyle: dataset.borderColor,
          lineWidth: 2,
          lineDash: dataset.borderDash ?? [],
        })),
    },
  };

  function selectedGroup() {
    return $("group").value;
  }

  /** One line per contestant: references dashed and named as such; the compared run faded, with triangles. */
  function lineSeries(measurements, x, y, colourOf, run) {
    const byName = new Map();
    for (const m of measurements) {
      if (m[x] === undefined || m[y] === undefined) continue;
      if (!byName.has(m.name)) byName.set(m.name, []);
      byName.get(m.name).push(m);
    }
    return [...byName.values()].map((list) => {
      const m = list[0];
      const data = list.sort((p, q) => p[x] - q[x]).map((point) => ({ x: point[x], y: point[y] }));
      return lineDataset(run, run.prefix + contestantLabel(m), data, colourOf(m.name), m.technique);
    });
  }

  /** One line of a scatter chart: dashed by technique, faded with triangles for a compared run. */
  function lineDataset(run, label, data, colour, technique) {
    const shown = run.compared ? faded(colour) : colour;
    return {
      label,
      data,
      showLine: true,
      borderColor: shown,
      backgroundColor: shown,
      borderDash: DASHES[technique] ?? [],
      borderWidth: run.compared ? 1.5 : 2,
      pointStyle: run.compared ? "triangle" : "circle",
      pointRadius: run.compared ? 4 : 3,
      tension: 0,
    };
  }

  /** A scatter chart of lines, one palette over every run drawn so a contestant keeps its colour across runs. */
  function drawLines(id, pickMeasurements, x, y, scales) {
    const drawn = runs().map((run) => ({ run, measurements: pickMeasurements(run.result) }));
    const colourOf = palette(drawn.flatMap(({ measurements }) => measurements));
    const datasets = drawn.flatMap(({ run, measurements }) => lineSeries(measurements, x, y, colourOf, run));
    draw(
      id,
      { type: "scatter", data: { datasets }, options: { scales, plugins: { legend: lineLegend } } },
      lineChartHeight(datasets.length),
    );
  }

  /** A line chart's height: the plot keeps its room however many legend rows the series take. */
  function lineChartHeight(series) {
    return Math.max(320, 250 + 20 * Math.ceil(series / 3));
  }

  function renderRows() {
    const group = selectedGroup();
    drawLines(
      "chart-rows",
      (result) =>
        result.measurements.filter((m) =>
          m.suite === "rows" && m.group === group &&
          ["copy", "in-place", "native", "baseline"].includes(m.technique)
        ),
      "n",
      "nsPerRow",
      { x: logAxis("N (rows)"), y: logAxis("ns per row", [1, 2, 5]) },
    );
  }

  /** The references the speed-up divides: each copying way's time per row over the fastest in-place one's. */
  const SPEEDUP_REFERENCES = [
    {
      label: "toolkit's fastest copy",
      colour: "#d62728",
      technique: "copy",
      pick: (m) => m.technique === "copy",
    },
    {
      label: "hand-written fresh object per row",
      colour: "#8c564b",
      technique: "baseline",
      pick: (m) => m.name === "fresh object per row",
    },
  ];

  const fastest = (list) =>
    list.reduce((best, m) => (best === undefined || m.nsPerRow < best.nsPerRow ? m : best), undefined);

  /**
   * How many times faster the toolkit's fastest in-place technique reads than each copying reference, per N:
   * reference ns per row ÷ fastest in-place ns per row; the tooltip names both and their times.
   */
  function renderSpeedup() {
    const group = selectedGroup();
    const datasets = runs().flatMap((run) => {
      const rows = run.result.measurements.filter((m) =>
        m.suite === "rows" && m.group === group && m.nsPerRow
      );
      const ns = [...new Set(rows.map((m) => m.n))].sort((p, q) => p - q);
      return SPEEDUP_REFERENCES.map((reference) => {
        const data = [];
        for (const n of ns) {
          const atN = rows.filter((m) => m.n === n);
          const best = fastest(atN.filter((m) => m.technique === "in-place"));
          const copy = fastest(atN.filter(reference.pick));
          if (!best || !copy) continue;
          data.push({ x: n, y: copy.nsPerRow / best.nsPerRow, copy, best });
        }
        const label = `${run.prefix}${reference.label} ÷ toolkit's fastest in-place`;
        return lineDataset(run, label, data, reference.colour, reference.technique);
      }).filter((dataset) => dataset.data.length > 0);
    });
    draw("chart-speedup", {
      type: "scatter",
      data: { datasets },
      options: {
        scales: {
          x: logAxis("N (rows)"),
          y: {
            type: "linear",
            beginAtZero: true,
            title: { display: true, text: "× faster in place (copy ÷ in-place, ns per row)" },
          },
        },
        plugins: {
          legend: lineLegend,
          tooltip: {
            callbacks: {
              label: (context) => {
                const { x, y, copy, best } = context.raw;
                return `N ${x.toLocaleString("en")}: ${copy.name} ${formatNs(copy.nsPerRow)} ÷ ${best.name} ${
                  formatNs(best.nsPerRow)
                } = ${y.toFixed(1)}×`;
              },
            },
          },
        },
      },
    });
  }

  /**
   * A bar chart of values per contestant, every contestant labelled. Bars are coloured by technique, and the
   * references (baseline, native, peer) hatched; with `series`, by series instead (references still hatched).
   * The compared run's bars are faded and outlined.
   */
  function barsByName(id, pick, axisTitle, log, series = null) {
    const drawn = runs();
    const labels = [];
    const techniqueOf = new Map();
    for (const { result } of drawn) {
      for (const m of pick(result)) {
        if (!labels.includes(m.label)) labels.push(m.label);
        techniqueOf.set(m.label, m.technique);
      }
    }
    const seriesList = series ?? [{ name: "", value: (item) => item.value }];
    const datasets = drawn.flatMap(({ result, prefix, compared }) => {
      const items = pick(result);
      const runName = prefix ? prefix.replace(/: $/, "") : `${result.runtime.name} ${result.runtime.version}`;
      return seriesList.map((s) => {
        const data = labels.map((label) => {
          const item = items.find((candidate) => candidate.label === label);
          const value = item ? s.value(item) : undefined;
          return value === undefined || Number.isNaN(value) ? null : value;
        });
        const colours = labels.map((label) =>
          s.colour ?? TECHNIQUE_COLOUR[techniqueOf.get(label)] ?? "#333333"
        );
        return {
          label: s.name ? `${runName}: ${s.name}` : runName,
          data,
          backgroundColor: labels.map((label, i) => {
            const colour = colours[i];
            if (isReference(techniqueOf.get(label))) return hatch(colour, compared ? 0.5 : 1);
            return compared ? faded(colour, "55") : colour;
          }),
          borderColor: colours,
          borderWidth: labels.map((label) => (compared ? 1.5 : isReference(techniqueOf.get(label)) ? 1 : 0)),
        };
      }).filter((dataset) => dataset.data.some((v) => v !== null));
    });
    // The legend says what colour and hatching mean: the techniques drawn (or the series), then the runs.
    const present = [...new Set(labels.map((label) => techniqueOf.get(label)))];
    const legendItems = [
      ...(series
        ? series.map((s) => ({ text: s.name, fillStyle: s.colour, strokeStyle: s.colour, lineWidth: 0 }))
        : present.filter((t) => !isReference(t)).map((t) => ({
          text: TECHNIQUE_LEGEND[t] ?? t,
          fillStyle: TECHNIQUE_COLOUR[t],
          strokeStyle: TECHNIQUE_COLOUR[t],
          lineWidth: 0,
        }))),
      ...present.filter(isReference).map((t) => ({
        text: TECHNIQUE_LEGEND[t],
        fillStyle: hatch(TECHNIQUE_COLOUR[t]),
        strokeStyle: TECHNIQUE_COLOUR[t],
        lineWidth: 1,
      })),
      ...(drawn.length > 1
        ? drawn.map(({ result, compared }) => ({
          text: `${result.runtime.name} ${result.runtime.version}${
            compared ? " (compared): faded, outlined" : ": solid"
          }`,
          fillStyle: compared ? "#cfd4da" : "#5f6b7a",
          strokeStyle: compared ? "#8a96a3" : "#5f6b7a",
          lineWidth: compared ? 1.5 : 0,
        }))
        : []),
    ].map((item) => ({ ...item, hidden: false }));
    const perLabel = 8 + 10 * Math.max(1, datasets.length);
    draw(
      id,
      {
        type: "bar",
        data: { labels, datasets },
        options: {
          indexAxis: "y",
          scales: {
            x: log ? logAxis(axisTitle) : { beginAtZero: true, title: { display: true, text: axisTitle } },
            // Every contestant keeps its label (no skipping); long names are cut in the middle on the axis,
            // and the tooltip shows them whole.
            y: {
              ticks: {
                autoSkip: false,
                font: { size: 11 },
                callback: (_value, index) => shorten(labels[index] ?? "", 56),
              },
            },
          },
          plugins: { legend: { onClick: null, labels: { generateLabels: () => legendItems } } },
        },
      },
      Math.max(320, 90 + labels.length * perLabel + 18 * Math.ceil(legendItems.length / 3)),
    );
  }

  function labelled(measurements, value) {
    const groups = new Set(measurements.map((m) => m.group));
    return measurements.map((m) => ({
      ...m,
      label: groups.size > 1 ? `${m.group} · ${contestantLabel(m)}` : contestantLabel(m),
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
    drawLines(
      "chart-memory",
      (result) => result.measurements.filter((m) => m.suite === "memory" && m.bytes),
      "bytes",
      "nsPerOp",
      { x: logAxis("block size (bytes)"), y: logAxis("ns per operation") },
    );
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
        return atLargest.map((m) => ({ ...m, label: contestantLabel(m), value: m.nsPerRow }));
      },
      "ns per row",
      true,
    );
    $("peers-hint").textContent =
      `Time per row at the largest N, every contestant; log scale; references hatched. ${caption}`;
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
        { name: "heap growth", colour: "#1f77b4", value: (m) => perRow(m, m.heapBytes) },
        { name: "allocated", colour: "#ff7f0e", value: (m) => perRow(m, m.allocatedBytes) },
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
            await loadList();
            // Show what was just measured: that run's Deno file (else its first), as the page's run button asked.
            const written = status.files.filter((file) => fileOfName(file));
            const shown = written.find((file) => fileOfName(file).runtime.name === "deno") ?? written[0];
            if (shown) {
              $("run-a").value = shown;
              state.shownReason = `the run just finished, run ${status.runNumber}`;
            }
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
    $("run-a").addEventListener("change", () => {
      state.shownReason = null;
      loadSelected().catch(fail);
    });
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

/**
 * `deno task test:browser`: the dashboard in a real browser, Debian's `chromium` driven by `playwright-core`
 * (never a downloaded browser). Serves the app on a free loopback port over a copy of the fixture results,
 * then checks that the page loads with no console errors, that every chart plots numbers of the selected
 * result file, that the run button runs (progress shown, a second run refused), that the live TCP table shows
 * a listener this script opened, and that taskstats are read for a PID; `run_checks.ts` checks one run of
 * three runtimes (the headline's figures, the run's files grouped, a chart of both runtimes, two runs compared,
 * the page at 1280×800 and 390×844). Saves screenshots to `dashboard/screenshots/` and ends with
 * `browser: N passed, M failed`.
 *
 * Not a `*_test.ts` file on purpose: `deno test tests/` and `bun test tests/` must not need a browser.
 *
 * Options: `--real-bench` uses `bench/run.ts` instead of the fake quick run; `--screenshots=<dir>` saves the
 * screenshots there instead; `CHROMIUM=/path` picks the browser.
 *
 * @module
 */
import { chromium, type Page } from "playwright-core";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Measurement, ResultFile } from "../../bench/schema.ts";
import { createApp } from "../../dashboard/app.ts";
import type { BenchRunner } from "../../dashboard/bench_run.ts";
import { startServer } from "../../dashboard/serve.ts";
import { loadBenchRunner, loadLiveBindings } from "../../dashboard/wiring.ts";
import { fixture, resultsWithRun } from "../dashboard/_fixtures.ts";
import { runChecks } from "./run_checks.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS =
  process.argv.find((a) => a.startsWith("--screenshots="))?.slice("--screenshots=".length) ??
    fileURLToPath(new URL("../../dashboard/screenshots/", import.meta.url));
const SELECTED = "2026-11-20T09-30-00-000Z-deno.json";
const COMPARED = "2026-11-20T09-31-10-000Z-bun.json";
/** A newer run of the rows alone: listed, but not the run shown first. */
const ROWS_ONLY = "2026-11-23T08-00-00-000Z-deno.json";
/** A run with every contestant of the real suites, named as `bench/` names them. */
const REALISTIC = "2026-11-18T12-00-00-000Z-deno.json";
/** Files the page must skip, each with a note. */
const CORRUPT: Record<string, (good: ResultFile) => string> = {
  "trunc.json": (good) => JSON.stringify(good).slice(0, 500),
  "baddate.json": (good) => JSON.stringify({ ...good, date: "zzzz" }),
  "zeros.json": (good) =>
    JSON.stringify({
      ...good,
      measurements: good.measurements.map((m) => ({ ...m, n: m.n === undefined ? m.n : 0 })),
    }),
};
const CHART_IDS = [
  "chart-rows",
  "chart-speedup",
  "chart-calls",
  "chart-memory",
  "chart-peers",
  "chart-garbage",
];

/** The few DOM names the page callbacks use; they run in the browser, where `document` exists. */
interface BrowserGlobals {
  document: {
    getElementById(id: string): { dataset: Record<string, string | undefined>; value?: number } | null;
    querySelectorAll(selector: string): { length: number };
  };
  Chart: {
    getChart(canvas: unknown): ChartLike | undefined;
  };
  CanvasPattern: new () => unknown;
}

interface ChartLike {
  config: { type: string };
  data: {
    labels?: string[];
    datasets: {
      label: string;
      data: unknown[];
      borderColor: string | string[];
      backgroundColor: unknown;
      borderDash?: number[];
    }[];
  };
  scales: Record<string, { ticks: { label: string | string[] }[] }>;
  legend: { legendItems: { text: string; fillStyle: unknown; strokeStyle: unknown; hidden: boolean }[] };
}

let passed = 0;
let failed = 0;
const problems: string[] = [];

async function check(name: string, fn: () => void | Promise<void>): Promise<void> {
  const start = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - start)} ms)`);
  } catch (error) {
    failed++;
    const message = error instanceof Error ? error.message : String(error);
    problems.push(`${name}: ${message}`);
    console.log(`FAIL ${name}\n     ${message.split("\n").join("\n     ")}`);
  }
}

/** A quick run that takes about two seconds, reports progress and writes one new result file. */
function fakeRunner(resultsDir: string): BenchRunner {
  return async ({ onProgress }) => {
    const steps = 8;
    for (let done = 0; done <= steps; done++) {
      onProgress({ done, total: steps, label: `fake quick run: step ${done}` });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const date = new Date().toISOString();
    const id = `${date.replaceAll(":", "-").replace(".", "-")}-deno`;
    const path = join(resultsDir, `${id}.json`);
    writeFileSync(path, JSON.stringify({ ...fixture(SELECTED), id, date }));
    return [path];
  };
}

/** A fixed pseudo-random factor between 0.9 and 1.1, so the generated run is reproducible. */
function wobble(seed: string): number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 0.9 + ((h >>> 0) % 2000) / 10_000;
}

/** A run with the real suites' contestants (names and techniques as `bench/` writes them), made up times. */
function realisticRun(): ResultFile {
  const base = fixture(SELECTED);
  const m: Measurement[] = [];
  const rowContestants: [string, Measurement["technique"], number][] = [
    ["DataView loop", "baseline", 1.1],
    ["strided Uint32Array loop", "baseline", 1.0],
    ["fresh object per row", "baseline", 11],
    ["fresh view per row", "baseline", 1.7],
    ["reused row object", "baseline", 1.9],
    ["hand-written cursor next()", "baseline", 2.6],
    ["copy into Row[]", "baseline", 141],
    ["C loop (one FFI call)", "native", 0.85],
    ["bun-ffi-structs unpackList", "peer", 140],
    ["restructure Array decode", "peer", 2200],
    ["toolkit read() per row", "copy", 10.8],
    ["toolkit toArray()", "copy", 38],
    ["toolkit at(i)", "in-place", 1.6],
    ["toolkit cursor next()", "in-place", 2.5],
    ["toolkit cursor seek(i)", "in-place", 1.9],
    ["toolkit column at(i)", "in-place", 1.2],
    ["toolkit column strided()", "in-place", 1.05],
  ];
  for (const group of ["MIB_TCPROW_OWNER_PID: sum owningPid", "MIB_TCPROW_OWNER_PID: collect localPort"]) {
    for (const n of [100, 1_000, 10_000, 100_000]) {
      for (const [name, technique, ns] of rowContestants) {
        const nsPerRow = ns * wobble(`${group}${name}${n}`) * (1 + 100 / n);
        m.push({ suite: "rows", group, name, technique, n, nsPerOp: nsPerRow * n, nsPerRow });
      }
    }
  }
  const calls: [string, string, Measurement["technique"], number][] = [
    ["add(i32, i32)", "raw runtime FFI", "baseline", 3.1],
    ["add(i32, i32)", "toolkit dlopen", "toolkit", 2.9],
    ["getpid()", "raw runtime FFI", "baseline", 80],
    ["getpid()", "toolkit dlopen", "toolkit", 82],
    ["syscall(SYS_getpid)", "raw runtime FFI, number argument", "baseline", 168],
    ["syscall(SYS_getpid)", "raw runtime FFI, BigInt argument", "baseline", 86],
    ["syscall(SYS_getpid)", "toolkit syscall()", "toolkit", 97],
    ["sum_bytes(buffer, usize): length as a number", "raw runtime FFI", "baseline", 96],
    ["sum_bytes(buffer, usize): length as a number", "toolkit dlopen", "toolkit", 55],
    ["sum_bytes(buffer, usize): length as a BigInt", "raw runtime FFI", "baseline", 35],
    ["sum_bytes(buffer, usize): length as a BigInt", "toolkit dlopen", "toolkit", 44],
    [
      "strlen(const char *): the string encoded on every call",
      "raw runtime FFI, TextEncoder.encode()",
      "baseline",
      336,
    ],
    [
      "strlen(const char *): the string encoded on every call",
      "raw runtime FFI, encodeInto()",
      "baseline",
      80,
    ],
    [
      "strlen(const char *): the string encoded on every call",
      "toolkit dlopen, cstring() per call",
      "toolkit",
      98,
    ],
    ["div(int, int): a div_t returned by value", "raw runtime FFI, DataView decode", "baseline", 361],
    ["div(int, int): a div_t returned by value", "toolkit dlopen, plain object out", "toolkit", 304],
    ["batch of 1000 (u32, f64) records", "raw runtime FFI, 1000 separate calls", "baseline", 9987],
    ["batch of 1000 (u32, f64) records", "hand-written typed arrays, then 1 raw call", "baseline", 1804],
    ["batch of 1000 (u32, f64) records", "toolkit dlopen, 1000 separate calls", "toolkit", 9782],
    ["batch of 1000 (u32, f64) records", "CallBatch push() x1000, then 1 call", "toolkit", 7115],
    [
      "batch of 1000 (u32, f64) records",
      "CallBatch reserve() + column() x1000, then 1 call",
      "toolkit",
      3225,
    ],
    ["getpid()", "koffi", "peer", 130],
  ];
  for (const [group, name, technique, ns] of calls) {
    m.push({ suite: "calls", group, name, technique, nsPerOp: ns });
  }
  const memory: [string, Measurement["technique"], number, number][] = [
    ["raw runtime view", "baseline", 430, 0.0015],
    ["raw runtime copy", "baseline", 640, 0.1],
    ["toolkit view (unsafePointerView)", "in-place", 550, 0.0015],
    ["toolkit copy (unsafeCopyFromPointer)", "copy", 810, 0.1],
    ["toolkit copy into a reused buffer", "copy", 126, 0.03],
    ["toolkit unsafeReadBytes (picks by size)", "toolkit", 165, 0.0015],
  ];
  for (const bytes of [64, 1024, 16_384, 262_144, 1_048_576]) {
    for (const [name, technique, fixed, perByte] of memory) {
      m.push({
        suite: "memory",
        group: "native memory: get the bytes, read first and last",
        name,
        technique,
        bytes,
        nsPerOp: (fixed + perByte * bytes) * wobble(`${name}${bytes}`),
      });
    }
  }
  for (const [name, technique, ns] of rowContestants.filter(([, , ns]) => ns < 1000)) {
    const n = 100_000;
    const heapBytes = Math.round((technique === "copy" || ns > 10 ? 40 : 0.5) * n * wobble(`heap${name}`));
    m.push({
      suite: "garbage",
      group: "MIB_TCPROW_OWNER_PID: sum owningPid",
      name,
      technique,
      n,
      nsPerOp: ns * n,
      heapBytes,
      gcCount: heapBytes > n ? 2 : 0,
      allocatedBytes: Math.round(heapBytes * 1.4),
    });
  }
  const date = "2026-11-18T12:00:00.000Z";
  return { ...base, id: REALISTIC.replace(/\.json$/, ""), date, measurements: m, notes: [] };
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end());
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** The numbers a chart plots, read from chart.js itself in the page. */
function chartValues(
  page: Page,
  id: string,
): Promise<{ labels: string[]; points: { x: number; y: number }[] }> {
  return page.evaluate((canvasId) => {
    const { Chart, document } = globalThis as unknown as BrowserGlobals;
    const chart = Chart.getChart(document.getElementById(canvasId));
    if (!chart) return { labels: [], points: [] };
    const points: { x: number; y: number }[] = [];
    for (const dataset of chart.data.datasets) {
      dataset.data.forEach((value, index) => {
        if (value === null || value === undefined) return;
        points.push(typeof value === "number" ? { x: index, y: value } : value as { x: number; y: number });
      });
    }
    return { labels: chart.data.datasets.map((d) => d.label), points };
  }, id);
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function assertFrom(values: number[], allowed: number[], what: string): void {
  assert.ok(values.length > 0, `${what}: no data points`);
  for (const value of values) {
    assert.ok(allowed.some((a) => close(a, value)), `${what}: ${value} is not a number of the result file`);
  }
}

async function main(): Promise<void> {
  assert.ok(
    existsSync(CHROMIUM),
    `Cannot find ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`,
  );
  const resultsDir = resultsWithRun();
  const selected = fixture(SELECTED);
  writeFileSync(
    join(resultsDir, ROWS_ONLY),
    JSON.stringify({
      ...selected,
      id: ROWS_ONLY.replace(/\.json$/, ""),
      date: "2026-11-23T08:00:00.000Z",
      measurements: selected.measurements.filter((m) => m.suite === "rows"),
    }),
  );
  writeFileSync(join(resultsDir, REALISTIC), JSON.stringify(realisticRun()));
  for (const [name, make] of Object.entries(CORRUPT)) writeFileSync(join(resultsDir, name), make(selected));

  let runBench: BenchRunner = fakeRunner(resultsDir);
  if (process.argv.includes("--real-bench")) {
    const real = await loadBenchRunner(resultsDir);
    if (!("runner" in real)) throw new Error(`--real-bench: ${real.unavailable}`);
    runBench = real.runner;
  }
  const live = await loadLiveBindings();
  if ("unavailable" in live) throw new Error(`Cannot test the live views: ${live.unavailable}`);

  const listener = await listen();
  const listenerPort = (listener.address() as { port: number }).port;
  const app = createApp({ resultsDir, runBench, live });
  const server = await startServer(app, { hostname: "127.0.0.1", port: 0 });
  const origin = server.url.replace(/\/$/, "");
  console.log(`serving ${server.url}; test listener on 127.0.0.1:${listenerPort}`);

  const profile = mkdtempSync(join(tmpdir(), "dashboard-browser-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const consoleErrors: string[] = [];
  // Requests the checks make to see a refusal: the browser logs each as "Failed to load resource".
  let deliberateFailures = 0;
  const offsite: string[] = [];
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    // The page must work offline: anything not from our server is refused and reported.
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      offsite.push(url);
      return route.abort();
    });

    await check(
      "the page loads with no console errors and lists the runs with their dates in UTC",
      async () => {
        const response = await page.goto(server.url);
        assert.equal(response?.status(), 200);
        await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
        await page.waitForSelector("#tcp-status:has-text('sockets')", { timeout: 10_000 });
        assert.deepEqual(consoleErrors, []);
        assert.equal(await page.title(), "ffikit benchmark dashboard");
        const options = await page.locator("#run-a option").allTextContents();
        assert.equal(
          options.length,
          9,
          "the three fixture files, the rows-only run, the realistic run, the one run's three files and its whole",
        );
        for (const text of options.filter((t) => !t.startsWith("All runtimes"))) {
          assert.match(text, / \d\d:\d\d:\d\d UTC /, text);
        }
        const groups = await page.locator("#run-a optgroup").evaluateAll((list) =>
          list.map((group) => (group as unknown as { label: string }).label)
        );
        for (const label of groups) assert.match(label, /^Run 2026-\d\d-\d\d \d\d:\d\d:\d\d UTC on /, label);
      },
    );

    await runChecks(page, check, { screenshots: SCREENSHOTS, otherRun: SELECTED, resultsDir });

    await check(
      "the run shown first is the newest with every suite, and the page says which and why",
      async () => {
        // The one run of three runtimes, shown whole.
        assert.equal(
          await page.inputValue("#run-a"),
          "run:2026-11-22T07:00:00.000Z devbox",
          "not the rows-only run",
        );
        assert.equal(
          (await page.textContent("#shown"))?.trim(),
          "Showing deno 2.9.5, quick run of 2026-11-22 07:00:00 UTC on devbox together with bun and node of the " +
            "same run (the newest run with every suite; 1 newer file measures only some)",
        );
        await page.selectOption("#run-a", ROWS_ONLY);
        await page.waitForFunction(
          (file) =>
            (globalThis as unknown as BrowserGlobals).document.getElementById("chart-rows")?.dataset.file ===
              file,
          ROWS_ONLY,
          { timeout: 10_000 },
        );
        assert.equal(
          (await page.textContent("#shown"))?.trim(),
          "Showing deno 2.9.5, quick run of 2026-11-23 08:00:00 UTC on devbox (chosen; it measures rows only)",
        );
      },
    );

    await check("corrupt or wrong-shape files are skipped with a note naming each", async () => {
      const message = await page.textContent("#message") ?? "";
      assert.match(message, /^Skipped 3 result files that cannot be read:/);
      for (const name of Object.keys(CORRUPT)) {
        assert.ok(message.includes(`"${name}"`), `${name} in ${message}`);
      }
      assert.match(message, /"date" is not an ISO date/);
      assert.match(message, /"measurements\[0\]\.n" is not a positive number/);
      assert.deepEqual(consoleErrors, []);
    });

    await check("the selected run is chosen and every chart has data points from it", async () => {
      await page.selectOption("#run-a", SELECTED);
      await page.waitForFunction(
        (file) =>
          (globalThis as unknown as BrowserGlobals).document.getElementById("chart-rows")?.dataset.file ===
            file,
        SELECTED,
        { timeout: 10_000 },
      );
      const file = fixture(SELECTED);
      const m = file.measurements;
      const group = await page.inputValue("#group");
      const rows = m.filter((x) => x.suite === "rows" && x.group === group);

      const rowPoints = (await chartValues(page, "chart-rows")).points;
      const expected = rows.filter((x) => ["copy", "in-place", "native", "baseline"].includes(x.technique));
      assert.equal(rowPoints.length, expected.length, "ns/row chart: one point per measurement");
      for (const point of rowPoints) {
        assert.ok(
          expected.some((x) => x.n === point.x && close(x.nsPerRow ?? NaN, point.y)),
          `ns/row chart: (${point.x}, ${point.y}) is not in the file`,
        );
      }

      // The speed-up: each copying reference over the fastest toolkit in-place technique at the same N.
      const speedup = await page.evaluate(() => {
        const { Chart, document } = globalThis as unknown as BrowserGlobals;
        const chart = Chart.getChart(document.getElementById("chart-speedup"))!;
        return chart.data.datasets.map((d) => ({
          label: d.label,
          data: d.data as { x: number; y: number }[],
        }));
      });
      assert.deepEqual(speedup.map((d) => d.label), [
        "toolkit's fastest copy ÷ toolkit's fastest in-place",
        "hand-written fresh object per row ÷ toolkit's fastest in-place",
      ]);
      const ns = [...new Set(rows.map((x) => x.n!))].sort((p, q) => p - q);
      const fastest = (list: Measurement[]) => Math.min(...list.map((x) => x.nsPerRow!));
      const expectedSpeedups = [
        ns.map((n) => ({
          x: n,
          y: fastest(rows.filter((x) => x.n === n && x.technique === "copy")) /
            fastest(rows.filter((x) => x.n === n && x.technique === "in-place")),
        })),
        ns.map((n) => ({
          x: n,
          y: fastest(rows.filter((x) => x.n === n && x.name === "fresh object per row")) /
            fastest(rows.filter((x) => x.n === n && x.technique === "in-place")),
        })),
      ];
      for (const [i, dataset] of speedup.entries()) {
        assert.equal(dataset.data.length, ns.length, dataset.label);
        for (const [j, point] of dataset.data.entries()) {
          assert.equal(point.x, expectedSpeedups[i]![j]!.x);
          assert.ok(
            close(point.y, expectedSpeedups[i]![j]!.y),
            `${dataset.label} at N ${point.x}: ${point.y}`,
          );
        }
      }
      const axis = await page.evaluate(() => {
        const { Chart, document } = globalThis as unknown as BrowserGlobals;
        const chart = Chart.getChart(document.getElementById("chart-speedup")) as unknown as {
          options: { scales: { y: { title: { text: string } } } };
        };
        return chart.options.scales.y.title.text;
      });
      assert.equal(axis, "× faster in place (copy ÷ in-place, ns per row)");

      const of = (suite: string, value: (x: Measurement) => number | undefined) =>
        m.filter((x) => x.suite === suite).map(value).filter((v): v is number => v !== undefined);
      assertFrom(
        (await chartValues(page, "chart-calls")).points.map((p) => p.y),
        of("calls", (x) => x.nsPerOp),
        "calls",
      );
      assertFrom(
        (await chartValues(page, "chart-memory")).points.map((p) => p.y),
        of("memory", (x) => x.nsPerOp),
        "memory",
      );
      assertFrom(
        (await chartValues(page, "chart-peers")).points.map((p) => p.y),
        of("rows", (x) => x.nsPerRow),
        "peers",
      );
      assertFrom(
        (await chartValues(page, "chart-garbage")).points.map((p) => p.y),
        [
          ...of("garbage", (x) => x.heapBytes! / x.n!),
          ...of("garbage", (x) => (x.allocatedBytes ?? NaN) / x.n!),
        ],
        "garbage",
      );
      // Start-up: per module, the ms it adds to the empty script; the caption gives the plain times.
      const startup = m.filter((x) => x.suite === "startup" && x.technique !== "baseline");
      const startupPoints = (await chartValues(page, "chart-startup")).points.map((p) => p.y);
      assert.equal(startupPoints.length, startup.length, "start-up chart: one bar per module");
      assertFrom(startupPoints, startup.map((x) => x.overBaselineNs! / 1e6), "start-up");
      const hint = await page.textContent("#startup-hint");
      assert.match(hint ?? "", /empty script [\d.]+ ms .*mod\.ts [\d.]+ ms/, `start-up hint: ${hint}`);
      for (const id of CHART_IDS) {
        const points = Number(await page.getAttribute(`#${id}`, "data-points"));
        assert.ok(points > 0, `${id} has no data points`);
      }
    });

    await check("a second run is compared side by side", async () => {
      await page.selectOption("#run-b", COMPARED);
      await page.waitForSelector("#compare:not([hidden]) #compare-table tbody tr", { timeout: 10_000 });
      const rows = await page.locator("#compare-table tbody tr").count();
      assert.equal(rows, fixture(SELECTED).measurements.length);
      const labels = (await chartValues(page, "chart-rows")).labels;
      assert.ok(labels.some((l) => l.startsWith("bun (compared): ")), `no compared series in ${labels}`);
      assert.ok(labels.some((l) => l.startsWith("deno: ")), `no selected series in ${labels}`);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "dashboard-compare.png"), fullPage: true });
    });

    /** The realistic run selected, and what each chart draws: labels, ticks, colours, dashes, hatching. */
    const realisticCharts = async () => {
      await page.selectOption("#run-b", "");
      await page.selectOption("#run-a", REALISTIC);
      await page.waitForFunction(
        (file) =>
          (globalThis as unknown as BrowserGlobals).document.getElementById("chart-rows")?.dataset.file ===
            file,
        REALISTIC,
        { timeout: 10_000 },
      );
      return await page.evaluate((ids) => {
        const { Chart, CanvasPattern, document } = globalThis as unknown as BrowserGlobals;
        return ids.map((id) => {
          const chart = Chart.getChart(document.getElementById(id))!;
          return {
            id,
            type: chart.config.type,
            labels: chart.data.labels ?? [],
            ticks: chart.scales.y!.ticks.map((t) => String(t.label)),
            datasets: chart.data.datasets.map((d) => ({
              label: d.label,
              colour: String(d.borderColor),
              dash: d.borderDash ?? [],
              patterned: Array.isArray(d.backgroundColor)
                ? d.backgroundColor.map((b) => b instanceof CanvasPattern)
                : [],
            })),
            legend: chart.legend.legendItems.map((item) => ({
              text: item.text,
              colour: String(item.strokeStyle),
              patterned: item.fillStyle instanceof CanvasPattern,
            })),
          };
        });
      }, CHART_IDS);
    };
    const techniqueOf = new Map(realisticRun().measurements.map((x) => [x.name, x.technique]));
    const isReference = (technique: string | undefined) =>
      ["baseline", "native", "peer"].includes(technique!);
    /** A bar's contestant: the label without its group and its "(technique)". */
    const barName = (label: string) =>
      label.replace(/ \((baseline|native|peer|copy|in-place|toolkit)\)$/, "").split(" · ").at(-1)!;

    await check("on a run with every contestant, every series of a chart has its own colour", async () => {
      for (const chart of await realisticCharts()) {
        // Lines: each series its colour. Bars: coloured by technique (or series), told apart in the legend.
        const colours = chart.type === "bar"
          ? chart.legend.map((item) => item.colour)
          : chart.datasets.map((d) => d.colour);
        assert.equal(new Set(colours).size, colours.length, `${chart.id}: colours ${colours}`);
      }
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "dashboard-realistic.png"), fullPage: true });
    });

    await check("on a run with every contestant, every bar has its label on the axis", async () => {
      for (const chart of (await realisticCharts()).filter((c) => c.type === "bar")) {
        assert.ok(chart.labels.length >= 5, `${chart.id}: ${chart.labels.length} bars`);
        assert.equal(chart.ticks.length, chart.labels.length, `${chart.id}: labels shown ${chart.ticks}`);
      }
    });

    await check("baselines, peers and the C loop are marked: dashed or hatched, and named so", async () => {
      for (const chart of await realisticCharts()) {
        if (chart.id === "chart-speedup") continue;
        if (chart.type === "bar") {
          for (const [i, label] of chart.labels.entries()) {
            const technique = techniqueOf.get(barName(label));
            assert.ok(technique, `${chart.id}: ${label} is a contestant`);
            const reference = isReference(technique);
            assert.equal(label.endsWith(`(${technique})`), reference, `${chart.id}: ${label} names its kind`);
            for (const dataset of chart.datasets) {
              assert.equal(dataset.patterned[i], reference, `${chart.id}: ${label} hatched iff a reference`);
            }
          }
          assert.ok(
            chart.legend.some((item) => item.patterned && /\(baseline\)/.test(item.text)),
            `${chart.id}: the legend shows the hatching of baselines: ${chart.legend.map((i) => i.text)}`,
          );
        } else {
          for (const dataset of chart.datasets) {
            const technique = techniqueOf.get(dataset.label.replace(/ \((baseline|native|peer)\)$/, ""));
            assert.ok(technique, `${chart.id}: ${dataset.label} is a contestant`);
            const reference = isReference(technique);
            assert.equal(
              dataset.dash.length > 0,
              reference,
              `${chart.id}: ${dataset.label} dashed iff a reference`,
            );
            assert.equal(
              dataset.label.endsWith(`(${technique})`),
              reference,
              `${chart.id}: ${dataset.label}`,
            );
          }
        }
      }
    });

    await check(
      "the run button runs the quick benchmark with progress, and a second run is refused",
      async () => {
        await page.click("#run-button");
        await page.waitForSelector("#run-progress:not([hidden])", { timeout: 5_000 });
        assert.match(await page.textContent("#run-label") ?? "", /^Running quick benchmark/);
        assert.ok(await page.isDisabled("#run-button"), "the button is disabled while a run is going");
        const second = await page.evaluate(async () => {
          const response = await fetch("/api/run", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ benchmark: "quick" }),
          });
          return { status: response.status, body: await response.json() };
        });
        deliberateFailures++;
        assert.equal(second.status, 409, "a second run is refused while one is going");
        assert.match(second.body.error, /still going/);
        await page.waitForFunction(
          () => {
            const value =
              (globalThis as unknown as BrowserGlobals).document.getElementById("run-progress")?.value ?? 0;
            return value > 0;
          },
          undefined,
          { timeout: 10_000 },
        );
        await page.waitForSelector("body[data-run-state=done]", { timeout: 600_000 });
        assert.match(await page.textContent("#run-label") ?? "", /^Run 1 finished: /);
        assert.ok(!(await page.isDisabled("#run-button")), "the button is enabled again");
        await page.waitForFunction(
          () =>
            (globalThis as unknown as BrowserGlobals).document.querySelectorAll("#run-a option").length >= 6,
          undefined,
          {
            timeout: 10_000,
          },
        );
      },
    );

    await check("the live TCP table shows the listener this test opened", async () => {
      await page.click("#tcp-refresh");
      const row = page.locator(`#tcp-table tr[data-local-port="${listenerPort}"][data-state="LISTEN"]`);
      await row.first().waitFor({ timeout: 10_000 });
      const cells = await row.first().locator("td").allTextContents();
      assert.equal(cells[2], "127.0.0.1");
      assert.equal(cells[3], String(listenerPort));
    });

    await check("taskstats are read for a PID, and bad or missing PIDs are explained", async () => {
      await page.fill("#pid-input", String(process.pid));
      await page.click("#pid-button");
      await page.waitForSelector("#taskstats-table tbody tr", { timeout: 10_000 });
      const table = await page.textContent("#taskstats-table") ?? "";
      assert.match(table, new RegExp(`pid${process.pid}`));
      deliberateFailures++;
      await page.fill("#pid-input", "4194303");
      await page.click("#pid-button");
      await page.waitForSelector("#taskstats-error:not([hidden])", { timeout: 10_000 });
      assert.match(await page.textContent("#taskstats-error") ?? "", /no such process/);
      deliberateFailures++;
      const invalid = await page.evaluate(async () => (await fetch("/api/live/taskstats/0")).status);
      assert.equal(invalid, 400);
      await page.fill("#pid-input", String(process.pid));
      await page.click("#pid-button");
      await page.waitForSelector("#taskstats-error[hidden]", { state: "attached", timeout: 10_000 });
    });

    await check("a screenshot is saved", async () => {
      await page.selectOption("#run-b", "");
      await page.waitForSelector("#compare[hidden]", { state: "attached" });
      await page.click("#tcp-refresh");
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, "dashboard.png");
      await page.screenshot({ path, fullPage: true });
      assert.ok(existsSync(path));
      console.log(`     screenshot: ${path}`);
    });

    await check("no console errors and nothing fetched from outside the server", () => {
      const refusals = consoleErrors.filter((e) => /^Failed to load resource: .* (400|404|409) /.test(e));
      assert.deepEqual(consoleErrors.filter((e) => !refusals.includes(e)), []);
      assert.equal(refusals.length, deliberateFailures, `unexpected failed requests: ${refusals}`);
      assert.deepEqual(offsite, []);
    });
  } finally {
    await context.close();
    await server.close();
    listener.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  failed++;
  problems.push(`setup: ${error instanceof Error ? error.message : String(error)}`);
  console.log(`FAIL setup: ${error instanceof Error ? error.stack : error}`);
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

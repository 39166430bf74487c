/**
 * `deno task test:browser`: the dashboard in a real browser, Debian's `chromium` driven by `playwright-core`
 * (never a downloaded browser). Serves the app on a free loopback port over a copy of the fixture results,
 * then checks that the page loads with no console errors, that every chart plots numbers of the selected
 * result file, that the run button runs (progress shown, a second run refused), that the live TCP table shows
 * a listener this script opened, and that taskstats are read for a PID. Saves a screenshot to
 * `dashboard/screenshots/` and ends with `browser: N passed, M failed`.
 *
 * Not a `*_test.ts` file on purpose: `deno test tests/` and `bun test tests/` must not need a browser.
 *
 * Options: `--real-bench` uses `bench/run.ts` instead of the fake quick run; `CHROMIUM=/path` picks the browser.
 *
 * @module
 */
import { chromium, type Page } from "playwright-core";
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FIXTURES = fileURLToPath(new URL("../dashboard/fixtures/", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../../dashboard/screenshots/", import.meta.url));
const SELECTED = "2026-11-20T09-30-00-000Z-deno.json";
const COMPARED = "2026-11-20T09-31-10-000Z-bun.json";
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
    getChart(canvas: unknown): { data: { datasets: { label: string; data: unknown[] }[] } } | undefined;
  };
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

function readFixture(name: string): ResultFile {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
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
    writeFileSync(path, JSON.stringify({ ...readFixture(SELECTED), id, date }));
    return [path];
  };
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
  const resultsDir = mkdtempSync(join(tmpdir(), "dashboard-browser-results-"));
  for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith(".json"))) {
    copyFileSync(join(FIXTURES, name), join(resultsDir, name));
  }

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

    await check("the page loads with no console errors and draws the newest run", async () => {
      const response = await page.goto(server.url);
      assert.equal(response?.status(), 200);
      await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
      await page.waitForSelector("#tcp-status:has-text('sockets')", { timeout: 10_000 });
      assert.deepEqual(consoleErrors, []);
      assert.equal(await page.title(), "ffikit benchmark dashboard");
      const options = await page.locator("#run-a option").count();
      assert.equal(options, 3, "the run selector lists the three fixture files");
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
      const file = readFixture(SELECTED);
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

      const speedups = (await chartValues(page, "chart-speedup")).points;
      const allowed: number[] = [];
      for (const inPlace of rows.filter((x) => x.technique === "in-place")) {
        const copies = rows.filter((x) => x.technique === "copy" && x.n === inPlace.n).map((x) =>
          x.nsPerRow!
        );
        if (copies.length) allowed.push(Math.min(...copies) / inPlace.nsPerRow!);
      }
      assertFrom(speedups.map((p) => p.y), allowed, "speed-up chart");

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
      for (const id of CHART_IDS) {
        const points = Number(await page.getAttribute(`#${id}`, "data-points"));
        assert.ok(points > 0, `${id} has no data points`);
      }
    });

    await check("a second run is compared side by side", async () => {
      await page.selectOption("#run-b", COMPARED);
      await page.waitForSelector("#compare:not([hidden]) #compare-table tbody tr", { timeout: 10_000 });
      const rows = await page.locator("#compare-table tbody tr").count();
      assert.equal(rows, readFixture(SELECTED).measurements.length);
      const labels = (await chartValues(page, "chart-rows")).labels;
      assert.ok(labels.some((l) => l.startsWith("bun (compared): ")), `no compared series in ${labels}`);
      assert.ok(labels.some((l) => l.startsWith("deno: ")), `no selected series in ${labels}`);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "dashboard-compare.png"), fullPage: true });
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
            (globalThis as unknown as BrowserGlobals).document.querySelectorAll("#run-a option").length >= 4,
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

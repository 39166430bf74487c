/**
 * The browser checks of one run drawn whole (`tests/dashboard/fixtures/one_run/`: Deno, Bun and Node of one
 * `bench` invocation): the headline against the fixture numbers, the run's files grouped, a chart of both
 * runtimes, two runs compared, the page at 1280×800 and at phone width, and a newer run without the row with
 * arrays inside shown by the headline rather than passed over. `dashboard_browser.ts` runs them.
 *
 * @module
 */
import type { Page } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Measurement, ResultFile } from "../../bench/schema.ts";
import {
  addTwoRowTypesRun,
  ONE_RUN_FILES,
  ONE_RUN_KEY,
  oneRunFixture,
  TWO_ROW_TYPES_DIR,
  TWO_ROW_TYPES_FILES,
  TWO_ROW_TYPES_KEY,
} from "../dashboard/_fixtures.ts";

const RUN_VALUE = `run:${ONE_RUN_KEY}`;

/** The row with arrays inside, as the headline names it. */
const ARRAYS = "MIB_TCPROW_OWNER_PID with u8[4] addresses";

/** The headline's row types: each one's group, and how its sentence names its rows and their size. */
const ROW_TYPES: Record<string, { group: string; rows: string }> = {
  MIB_TCPROW_OWNER_PID: {
    group: "MIB_TCPROW_OWNER_PID: sum owningPid",
    rows: "MIB_TCPROW_OWNER_PID rows (24 B)",
  },
  taskstats: { group: "taskstats: sum ac_pid", rows: "taskstats rows (416 B)" },
  [ARRAYS]: {
    group: "MIB_TCPROW_OWNER_PID, addresses as u8[4]: sum owningPid and an address byte each",
    rows: "MIB_TCPROW_OWNER_PID rows with u8[4] addresses (24 B)",
  },
};

type Check = (name: string, fn: () => void | Promise<void>) => Promise<void>;

interface PageGlobals {
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  };
  Chart: {
    getChart(canvas: unknown): {
      data: { datasets: { label: string; runtime?: string; borderDash?: number[]; data: unknown[] }[] };
      legend: { legendItems: { text: string; lineDash?: number[] }[] };
    } | undefined;
  };
}

/** The fastest time per row of a technique at the largest N, from the fixture itself. */
function fastest(file: ResultFile, group: string, techniques: Measurement["technique"][]): number {
  const rows = file.measurements.filter((m) => m.suite === "rows" && m.group === group);
  const n = Math.max(...rows.map((m) => m.n!));
  for (const technique of techniques) {
    const times = rows.filter((m) => m.n === n && m.technique === technique).map((m) => m.nsPerRow!);
    if (times.length) return Math.min(...times);
  }
  return NaN;
}

/** `formatNs()` of the page for times under a microsecond, and its microseconds. */
function ns(value: number): string {
  return value >= 1e3 ? `${(value / 1e3).toPrecision(3)} µs` : `${value.toPrecision(3)} ns`;
}

/** How many times faster (or, below 1, slower) reading in place is, as the page writes it. */
function speed(ratio: number): string {
  const times = (r: number) => r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
  return ratio >= 1 ? `${times(ratio)} faster` : `${times(1 / ratio)} slower`;
}

const TITLES: Record<string, string> = {
  deno: "Deno 2.9.5",
  bun: "Bun 1.4.5",
  node: "Node 22.20.0 with koffi",
};

/**
 * Checks the headline's figures against a run's files: the row types shown, a column per runtime, and in it
 * the best in place, the best copy, their ratio and the C loop, each found in the files without the page's
 * code; and the start of each sentence.
 */
async function checkHeadline(
  page: Page,
  files: readonly ResultFile[],
  rowTypes: readonly string[],
): Promise<void> {
  const figures = await page.locator("#headline figure").evaluateAll((list) =>
    list.map((f) => (f as unknown as { dataset: { rowType: string } }).dataset.rowType)
  );
  assert.deepEqual(figures, rowTypes);
  for (const rowType of rowTypes) {
    const { group, rows } = ROW_TYPES[rowType]!;
    const figure = page.locator(`#headline figure[data-row-type="${rowType}"]`);
    const header = await figure.locator("thead th").allTextContents();
    assert.deepEqual(header, ["ns per row", ...files.map((f) => TITLES[f.runtime.name]!)]);
    for (const file of files) {
      const runtime = file.runtime.name;
      const toolkit = runtime !== "node";
      const inPlace = fastest(file, group, toolkit ? ["in-place"] : ["baseline"]);
      const copy = fastest(file, group, toolkit ? ["copy"] : ["peer"]);
      const cells = await figure.locator(`td[data-runtime="${runtime}"]`).allTextContents();
      // At N, best in place, best copy, the ratio, the C loop.
      assert.ok(
        cells[1]!.startsWith(ns(inPlace)),
        `${rowType} ${runtime} in place: ${cells[1]} (${inPlace})`,
      );
      assert.ok(cells[2]!.startsWith(ns(copy)), `${rowType} ${runtime} copy: ${cells[2]} (${copy})`);
      assert.equal(cells[3], speed(copy / inPlace), `${rowType} ${runtime} ratio`);
      const floor = fastest(file, group, ["native"]);
      assert.ok(toolkit ? cells[4]!.startsWith(ns(floor)) : cells[4] === "–", `${rowType} ${runtime} floor`);
    }
    const quote = await figure.locator("blockquote").textContent() ?? "";
    const first = files[0]!;
    const ratio = fastest(first, group, ["copy"]) / fastest(first, group, ["in-place"]);
    const said = `Reading ${rows} in place is ${speed(ratio)} than copying each row out on ${
      TITLES[first.runtime.name]
    }`;
    assert.ok(quote.startsWith(said), `${quote} (expected ${said})`);
  }
}

async function waitForRun(page: Page): Promise<void> {
  await page.waitForFunction(
    (file) =>
      (globalThis as unknown as PageGlobals).document.getElementById("chart-rows")?.dataset.file === file,
    ONE_RUN_FILES[0],
    { timeout: 10_000 },
  );
}

/**
 * Runs the checks; the page shows the one run when they start and when they end.
 *
 * @param page The page, loaded.
 * @param check The suite's `check()`.
 * @param options The screenshots' folder, a file of another run to compare with, and the served results folder
 *   (a run is added to it and taken away again).
 */
export async function runChecks(
  page: Page,
  check: Check,
  { screenshots, otherRun, resultsDir }: { screenshots: string; otherRun: string; resultsDir: string },
): Promise<void> {
  mkdirSync(screenshots, { recursive: true });

  await check(
    "the headline sets in place against copying per runtime, with the fixture's numbers",
    async () => {
      await page.waitForSelector("#headline figure[data-row-type]", { timeout: 10_000 });
      assert.match(
        await page.textContent("#headline-run") ?? "",
        /^From the quick run of 2026-11-22 07:00:00 UTC on devbox: Deno 2\.9\.5, Bun 1\.4\.5 and Node 22\.20\.0 with koffi\.$/,
      );
      await checkHeadline(page, ONE_RUN_FILES.map(oneRunFixture), Object.keys(ROW_TYPES));
      // With arrays inside, the fixture reads in place slower than it copies on Deno and Bun: said in red.
      const arrays = page.locator(`#headline figure[data-row-type="${ARRAYS}"]`);
      assert.deepEqual(
        await arrays.locator("td.ratio").evaluateAll((list) =>
          list.map((td) => (td as unknown as { className: string }).className)
        ),
        ["ratio slower", "ratio slower", "ratio"],
      );
      await arrays.scrollIntoViewIfNeeded();
      await arrays.screenshot({ path: join(screenshots, "dashboard-headline-arrays.png") });
    },
  );

  await check("the files of one run are grouped, and the page opens on the whole run", async () => {
    const group = page.locator(`#run-a optgroup[label="Run 2026-11-22 07:00:00 UTC on devbox"]`);
    const values = await group.locator("option").evaluateAll((list) =>
      list.map((o) => (o as unknown as { value: string }).value)
    );
    assert.deepEqual(values, [RUN_VALUE, ...ONE_RUN_FILES]);
    assert.equal(
      await group.locator("option").first().textContent(),
      "All runtimes of this run: deno, bun, node",
    );
    assert.equal(await page.inputValue("#run-a"), RUN_VALUE);
    assert.match(
      await page.textContent("#shown") ?? "",
      /^Showing deno 2\.9\.5, quick run of 2026-11-22 07:00:00 UTC on devbox together with bun and node of the same run \(the newest run with every suite; 1 newer file measures only some\)$/,
    );
  });

  await check(
    "a chart shows both runtimes at once: colour per contestant, line style per runtime",
    async () => {
      await waitForRun(page);
      const chart = await page.evaluate(() => {
        const { Chart, document } = globalThis as unknown as PageGlobals;
        const c = Chart.getChart(document.getElementById("chart-rows"))!;
        return {
          lines: c.data.datasets.map((d) => ({
            label: d.label,
            runtime: d.runtime,
            dash: d.borderDash ?? [],
          })),
          legend: c.legend.legendItems.map((item) => ({ text: item.text, dash: item.lineDash ?? [] })),
        };
      });
      const dashes = { deno: [], bun: [9, 4], node: [2, 3] } as Record<string, number[]>;
      for (const runtime of ["deno", "bun", "node"]) {
        const lines = chart.lines.filter((l) => l.runtime === runtime);
        assert.ok(lines.length > 0, `no ${runtime} lines`);
        for (const line of lines) {
          assert.ok(line.label.startsWith(`${runtime}: `), line.label);
          assert.deepEqual(line.dash, dashes[runtime], line.label);
        }
      }
      // Deno's and Bun's toolkit cursor share a colour: one legend entry for the contestant, one per runtime.
      assert.deepEqual(chart.legend.slice(0, 3), [
        { text: "deno: solid", dash: [] },
        { text: "bun: dashed", dash: [9, 4] },
        { text: "node: dotted", dash: [2, 3] },
      ]);
      assert.equal(chart.legend.filter((l) => l.text === "toolkit column at(i)").length, 1);
      const speedup = await page.evaluate(() => {
        const { Chart, document } = globalThis as unknown as PageGlobals;
        return Chart.getChart(document.getElementById("chart-speedup"))!.data.datasets.map((d) => d.label);
      });
      assert.ok(speedup.some((l) => l.startsWith("deno: ")) && speedup.some((l) => l.startsWith("bun: ")));
      // Bars: a dataset per runtime, Deno opaque, Bun lighter, Node lightest, said in the legend.
      const bars = await page.evaluate(() => {
        const { Chart, document } = globalThis as unknown as PageGlobals;
        const c = Chart.getChart(document.getElementById("chart-calls"))!;
        return {
          labels: c.data.datasets.map((d) => d.label),
          legend: c.legend.legendItems.map((item) => item.text).filter((t) => /^(deno|bun|node) /.test(t)),
        };
      });
      assert.deepEqual(bars.labels, ["deno", "bun", "node"]);
      assert.deepEqual(bars.legend, [
        "deno 2.9.5: full colour",
        "bun 1.4.5: lighter",
        "node 22.20.0: lightest",
      ]);
      await page.locator("#chart-calls").scrollIntoViewIfNeeded();
      await page.locator("#chart-calls").screenshot({
        path: join(screenshots, "dashboard-two-runtimes-bars.png"),
      });
      await page.locator("#chart-rows").scrollIntoViewIfNeeded();
      await page.locator("#chart-rows").screenshot({ path: join(screenshots, "dashboard-two-runtimes.png") });
    },
  );

  await check("two runs compared: each runtime against the same runtime, differences marked", async () => {
    await page.selectOption("#run-b", otherRun);
    await page.waitForSelector("#compare:not([hidden]) #compare-table tbody tr", { timeout: 10_000 });
    const runtimes = new Set(await page.locator("#compare-table tbody tr td:first-child").allTextContents());
    assert.deepEqual([...runtimes], ["deno"], "only Deno is in both runs");
    const summary = await page.textContent("#compare-summary") ?? "";
    const [, total, slower, faster] = summary.match(
      /^(\d+) measurements side by side; marked: (\d+) slower and (\d+) faster by more than 10 % in the compared run\.$/,
    ) ?? [];
    assert.ok(total, summary);
    assert.equal(await page.locator("#compare-table tr.changed.slower").count(), Number(slower));
    assert.equal(await page.locator("#compare-table tr.changed.faster").count(), Number(faster));
    assert.ok(Number(slower) + Number(faster) > 0, "the fixture runs differ");
    await page.screenshot({ path: join(screenshots, "dashboard-run-compare.png"), fullPage: true });
    await page.selectOption("#run-b", "");
    await page.waitForSelector("#compare[hidden]", { state: "attached" });
  });

  for (const [width, height] of [[1280, 800], [390, 844]] as const) {
    await check(
      `the page stays usable at ${width}×${height}: no sideways scrolling, controls reachable`,
      async () => {
        const before = page.viewportSize();
        await page.setViewportSize({ width, height });
        try {
          await page.waitForTimeout(300);
          await page.screenshot({ path: join(screenshots, `dashboard-${width}x${height}.png`) });
          await page.screenshot({
            path: join(screenshots, `dashboard-${width}x${height}-full.png`),
            fullPage: true,
          });
          const overflow = await page.evaluate(() => {
            const { document } = globalThis as unknown as PageGlobals & {
              document: {
                querySelectorAll(
                  s: string,
                ): Iterable<{ id: string; tagName: string; getBoundingClientRect(): { right: number } }>;
              };
            };
            const { documentElement } = document;
            const wide = [...document.querySelectorAll("body *")]
              .filter((e) => e.getBoundingClientRect().right > documentElement.clientWidth + 0.5)
              .slice(0, 5)
              .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}`);
            return { by: documentElement.scrollWidth - documentElement.clientWidth, wide };
          });
          assert.ok(
            overflow.by <= 0,
            `the page is ${overflow.by} px wider than the window: ${overflow.wide.join(", ")}`,
          );
          for (const id of ["run-a", "run-b", "group", "run-button", "tcp-refresh", "pid-input"]) {
            const control = page.locator(`#${id}`);
            await control.scrollIntoViewIfNeeded();
            const box = await control.boundingBox();
            assert.ok(box, `#${id} is not laid out`);
            assert.ok(
              box.x >= 0 && box.x + box.width <= width + 0.5,
              `#${id} is outside the window: ${JSON.stringify(box)}`,
            );
            assert.ok(await control.isVisible() && await control.isEnabled(), `#${id} cannot be used`);
          }
          await page.evaluate(() =>
            (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0)
          );
          await page.screenshot({ path: join(screenshots, `dashboard-${width}x${height}.png`) });
          await page.screenshot({
            path: join(screenshots, `dashboard-${width}x${height}-full.png`),
            fullPage: true,
          });
        } finally {
          if (before) await page.setViewportSize(before);
        }
      },
    );
  }

  await check(
    "a newer run without the u8[4] row type is the headline's run, its two row types shown, not passed over",
    async () => {
      const added = addTwoRowTypesRun(resultsDir);
      try {
        await page.reload();
        await page.waitForSelector(`#headline[data-run="${TWO_ROW_TYPES_KEY}"] figure[data-row-type]`, {
          timeout: 10_000,
        });
        assert.match(
          await page.textContent("#headline-run") ?? "",
          /^From the quick run of 2026-11-24 06:00:00 UTC on devbox: Deno 2\.9\.5 and Bun 1\.4\.5\.$/,
        );
        const files = TWO_ROW_TYPES_FILES.map((name) =>
          JSON.parse(readFileSync(join(TWO_ROW_TYPES_DIR, name), "utf8")) as ResultFile
        );
        await checkHeadline(page, files, ["MIB_TCPROW_OWNER_PID", "taskstats"]);
        await page.locator("#headline").screenshot({
          path: join(screenshots, "dashboard-headline-two-row-types.png"),
        });
      } finally {
        for (const path of added) rmSync(path);
        await page.reload();
        await page.waitForSelector(`#headline[data-run="${ONE_RUN_KEY}"]`, { timeout: 10_000 });
        await waitForRun(page);
      }
    },
  );
}

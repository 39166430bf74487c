import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { STARTUP_GOAL_MS, startupChart } from "../../dashboard/series_startup.ts";
import { shapeCharts } from "../../dashboard/series.ts";
import { BUN_DEVBOX, DENO_CI, DENO_DEVBOX, fixture } from "./_fixtures.ts";

test("startupChart() gives per module the ms over the empty script, a dataset per runtime", () => {
  const deno = fixture(DENO_DEVBOX);
  const bun = fixture(BUN_DEVBOX);
  const chart = startupChart([
    { result: deno, compared: false, prefix: "deno: " },
    { result: bun, compared: true, prefix: "bun (compared): " },
  ]);
  assert.deepEqual(chart.labels, [
    "structs/mod.ts",
    "ffi/mod.ts",
    "cdef/mod.ts",
    "windows/mod.ts",
    "linux/mod.ts",
    "mod.ts",
  ]);
  assert.deepEqual(chart.datasets.map((d) => d.label), ["deno", "bun (compared)"]);
  // Against the fixtures' own numbers: each value is the measurement's difference, in ms.
  for (const [i, result] of [deno, bun].entries()) {
    for (const [j, label] of chart.labels.entries()) {
      const m = result.measurements.find((x) => x.suite === "startup" && x.name === label)!;
      assert.equal(chart.datasets[i]!.data[j], m.overBaselineNs! / 1e6, `${result.runtime.name} ${label}`);
    }
  }
  assert.equal(chart.goalMs, STARTUP_GOAL_MS);
  assert.match(
    chart.caption,
    /^deno: empty script [\d.]+ ms \([\d.]+ ms–[\d.]+ ms\), mod\.ts [\d.]+ ms .*\+9\.4 ms/,
  );
  assert.match(chart.caption, /; bun \(compared\): empty script/);
});

test("GET /api/charts' start-up chart is empty for a run without the start-up suite", () => {
  const charts = shapeCharts({ ...fixture(DENO_CI), file: DENO_CI }, null);
  assert.deepEqual(charts.startup.labels, []);
  assert.equal(charts.startup.caption, "");
  const withStartup = shapeCharts({ ...fixture(DENO_DEVBOX), file: DENO_DEVBOX }, null);
  assert.equal(withStartup.startup.labels.at(-1), "mod.ts");
  assert.deepEqual(withStartup.startup.datasets.map((d) => d.label), ["deno 2.9.5"]);
});

import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { librariesChart } from "../../dashboard/series_libraries.ts";
import { shapeCharts } from "../../dashboard/series.ts";
import { BUN_DEVBOX, DENO_CI, DENO_DEVBOX, fixture } from "./_fixtures.ts";

const INSERT = "sqlite3: prepared inserts in one transaction (10,000 rows)";

test("librariesChart() gives per task ffikit, raw and built-in over the raw binding's time, per runtime", () => {
  const deno = fixture(DENO_DEVBOX);
  const bun = fixture(BUN_DEVBOX);
  const chart = librariesChart([
    { result: deno, compared: false, prefix: "deno: " },
    { result: bun, compared: true, prefix: "bun (compared): " },
  ]);
  assert.deepEqual(chart.labels, [
    INSERT,
    "sqlite3: select all rows, read two text columns (10,000 rows)",
    "zlib: compress (1.00 MiB)",
    "zlib: decompress (1.00 MiB)",
  ]);
  assert.deepEqual(chart.series, ["ffikit", "raw binding", "built-in driver"]);
  assert.deepEqual(chart.datasets.map((d) => d.label), [
    "deno: ffikit",
    "deno: raw binding",
    "deno: built-in driver",
    "bun (compared): ffikit",
    "bun (compared): raw binding",
    "bun (compared): built-in driver",
  ]);
  // Against the fixture's own numbers: each value is that binding's time over the raw one's, in the same run.
  for (const [i, result] of [deno, bun].entries()) {
    const insert = result.measurements.filter((m) =>
      m.group === "sqlite3: prepared inserts in one transaction"
    );
    const ns = (technique: string) => insert.find((m) => m.technique === technique)!.nsPerOp;
    const [ours, raw, builtin] = chart.datasets.slice(3 * i, 3 * i + 3);
    assert.equal(ours!.data[0], ns("toolkit") / ns("baseline"));
    assert.equal(raw!.data[0], 1);
    assert.equal(builtin!.data[0], ns("peer") / ns("baseline"));
    assert.equal(ours!.compared, i === 1);
  }
  assert.match(
    chart.caption,
    /^deno: sqlite3: prepared inserts in one transaction \(10,000 rows\): raw [\d.]+ ms, built-in node:sqlite \/ bun:sqlite [\d.]+ ms;/,
  );
  assert.match(chart.caption, /\. bun: sqlite3/);
});

test("GET /api/charts' libraries chart is empty for a run without the libraries suite", () => {
  const charts = shapeCharts({ ...fixture(DENO_CI), file: DENO_CI }, null);
  assert.deepEqual(charts.libraries.labels, []);
  assert.deepEqual(charts.libraries.datasets, []);
  const withLibraries = shapeCharts({ ...fixture(DENO_DEVBOX), file: DENO_DEVBOX }, null);
  assert.equal(withLibraries.libraries.labels[0], INSERT);
  assert.deepEqual(withLibraries.libraries.datasets.map((d) => d.label), [
    "deno 2.9.5: ffikit",
    "deno 2.9.5: raw binding",
    "deno 2.9.5: built-in driver",
  ]);
});

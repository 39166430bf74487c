import assert from "node:assert/strict";
import { createApp } from "../../dashboard/app.ts";
import type { Charts } from "../../dashboard/series.ts";
import { test } from "../harness.ts";
import { DENO_DEVBOX, ONE_RUN_FILES, ONE_RUN_KEY, oneRunFixture, resultsWithRun } from "./_fixtures.ts";

const TCP = "MIB_TCPROW_OWNER_PID: sum owningPid";
const dir = resultsWithRun();

async function charts(query: string): Promise<Charts> {
  const response = await createApp({ resultsDir: dir }).request(`/api/charts${query}`);
  assert.equal(response.status, 200, query);
  return await response.json() as Charts;
}

test("GET /api/charts?run= draws every runtime of one run together, Deno first, each line saying its runtime", async () => {
  const body = await charts(`?run=${encodeURIComponent(ONE_RUN_KEY)}`);
  assert.deepEqual(body.runtimes, ["deno", "bun", "node"]);
  assert.deepEqual(body.runs.map((r) => [r.file, r.compared]), ONE_RUN_FILES.map((f) => [f, false]));
  assert.equal(body.group, TCP);
  // Each runtime's rows are the file's own: a line per contestant and runtime, points from that file.
  for (const [i, runtime] of (["deno", "bun", "node"] as const).entries()) {
    const file = oneRunFixture(ONE_RUN_FILES[i]!);
    const expected = file.measurements.filter((m) =>
      m.suite === "rows" && m.group === TCP &&
      ["copy", "in-place", "native", "baseline"].includes(m.technique)
    );
    const lines = body.rows.filter((s) => s.runtime === runtime);
    assert.equal(lines.flatMap((s) => s.points).length, expected.length, runtime);
    for (const line of lines) {
      assert.ok(line.label.startsWith(`${runtime}: `), line.label);
      for (const point of line.points) {
        assert.ok(
          expected.some((m) => m.name === line.name && m.n === point.x && m.nsPerRow === point.y),
          `${runtime} ${line.name} (${point.x}, ${point.y})`,
        );
      }
    }
  }
  // Three sizes, so each line is a line.
  assert.deepEqual(body.rows.find((s) => s.runtime === "bun")!.points.map((p) => p.x), [
    100,
    10_000,
    1_000_000,
  ]);
  // The speed-up of both toolkit runtimes; Node has no in-place toolkit technique.
  assert.deepEqual([...new Set(body.speedup.map((s) => s.runtime))], ["deno", "bun"]);
  // The bars have a dataset per runtime.
  assert.deepEqual(body.calls.datasets.map((d) => [d.label, d.runtime]), [
    ["deno", "deno"],
    ["bun", "bun"],
    ["node", "node"],
  ]);
});

test("GET /api/charts?run=&before= draws a run against an earlier one, the earlier faded", async () => {
  const before = "2026-11-20T09:30:00.000Z devbox";
  const body = await charts(`?run=${encodeURIComponent(ONE_RUN_KEY)}&before=${encodeURIComponent(before)}`);
  assert.deepEqual(
    body.runs.map((r) => [r.file, r.compared, r.prefix]),
    [
      [ONE_RUN_FILES[0], false, "deno: "],
      [ONE_RUN_FILES[1], false, "bun: "],
      [ONE_RUN_FILES[2], false, "node: "],
      [DENO_DEVBOX, true, "deno (compared): "],
    ],
  );
  const compared = body.rows.filter((s) => s.compared);
  assert.ok(
    compared.length > 0 &&
      compared.every((s) => s.runtime === "deno" && s.label.startsWith("deno (compared): ")),
  );
  // The same run on both sides is drawn once.
  const same = await charts(
    `?run=${encodeURIComponent(ONE_RUN_KEY)}&before=${encodeURIComponent(ONE_RUN_KEY)}`,
  );
  assert.equal(same.runs.length, 3);
});

test("GET /api/charts answers 404 for an unknown run", async () => {
  const app = createApp({ resultsDir: dir });
  for (const query of ["?run=nope", `?run=${encodeURIComponent(ONE_RUN_KEY)}&before=nope`]) {
    const response = await app.request(`/api/charts${query}`);
    assert.equal(response.status, 404, query);
    assert.match((await response.json()).error, /^Cannot read run "nope": there is no such run/);
  }
});

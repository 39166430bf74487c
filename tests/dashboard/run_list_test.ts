import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type DashboardOptions } from "../../dashboard/app.ts";
import type { BenchRunner } from "../../dashboard/bench_run.ts";
import type { RunListing } from "../../dashboard/run_list.ts";
import { test } from "../harness.ts";
import { BUN_DEVBOX, DENO_CI, DENO_DEVBOX, fixture, FIXTURES, resultsCopy } from "./_fixtures.ts";

async function runs(options: Partial<DashboardOptions> = {}, query = ""): Promise<RunListing> {
  const response = await createApp({ resultsDir: FIXTURES, ...options }).request(`/api/runs${query}`);
  assert.equal(response.status, 200);
  return await response.json() as RunListing;
}

test("GET /api/runs groups the files by run, newest first, each labelled with its date in UTC", async () => {
  assert.deepEqual(await runs(), {
    groups: [
      {
        key: "2026-11-20T09:31:10.000Z devbox",
        label: "Run 2026-11-20 09:31:10 UTC on devbox",
        runtimes: ["bun"],
        files: [{ file: BUN_DEVBOX, label: "bun 1.4.5 · devbox · 2026-11-20 09:31:10 UTC · quick" }],
      },
      {
        key: "2026-11-20T09:30:00.000Z devbox",
        label: "Run 2026-11-20 09:30:00 UTC on devbox",
        runtimes: ["deno"],
        files: [{ file: DENO_DEVBOX, label: "deno 2.9.5 · devbox · 2026-11-20 09:30:00 UTC · quick" }],
      },
      {
        key: "2026-11-19T17:02:45.000Z ci-runner",
        label: "Run 2026-11-19 17:02:45 UTC on ci-runner",
        runtimes: ["deno"],
        files: [{ file: DENO_CI, label: "deno 2.9.5 · ci-runner · 2026-11-19 17:02:45 UTC · quick" }],
      },
    ],
    selected: { file: BUN_DEVBOX, reason: "the newest run with every suite" },
    finished: null,
    notice: { text: "", kind: "info", items: [] },
  });
});

test("GET /api/runs puts the files of one run (one date, one machine) in one group, Deno's first", async () => {
  const dir = resultsCopy();
  const bun = fixture(BUN_DEVBOX);
  const date = fixture(DENO_DEVBOX).date;
  writeFileSync(join(dir, "same-run-bun.json"), JSON.stringify({ ...bun, id: "same-run-bun", date }));
  const listing = await runs({ resultsDir: dir });
  assert.deepEqual(listing.groups[1], {
    key: "2026-11-20T09:30:00.000Z devbox",
    label: "Run 2026-11-20 09:30:00 UTC on devbox",
    runtimes: ["deno", "bun"],
    files: [
      { file: DENO_DEVBOX, label: "deno 2.9.5 · devbox · 2026-11-20 09:30:00 UTC · quick" },
      { file: "same-run-bun.json", label: "bun 1.4.5 · devbox · 2026-11-20 09:30:00 UTC · quick" },
    ],
  });
  assert.equal(listing.groups.length, 3);
});

test("GET /api/runs says which files were skipped and why, or that there are none yet", async () => {
  const dir = resultsCopy();
  writeFileSync(join(dir, "trunc.json"), "{");
  const one = await runs({ resultsDir: dir });
  assert.deepEqual(one.notice, {
    text: "Skipped 1 result file that cannot be read:",
    kind: "warn",
    items: [`Cannot read result file "trunc.json": it is not valid JSON`],
  });
  const empty = mkdtempSync(join(tmpdir(), "dashboard-empty-"));
  const none = "No result files yet: press \u201cRun quick benchmark\u201d to make some.";
  assert.deepEqual((await runs({ resultsDir: empty })).notice, { text: none, kind: "info", items: [] });
  writeFileSync(join(empty, "a.json"), "[]");
  writeFileSync(join(empty, "b.json"), "{");
  const skipped = await runs({ resultsDir: empty });
  assert.equal(skipped.notice.text, `${none} Skipped 2 result files that cannot be read:`);
  assert.equal(skipped.notice.items.length, 2);
  assert.deepEqual([skipped.groups, skipped.selected], [[], null]);
});

test("GET /api/runs?finished= picks the Deno file the finished run wrote, only for that run", async () => {
  const dir = resultsCopy();
  const runner: BenchRunner = () => Promise.resolve([join(dir, BUN_DEVBOX), join(dir, DENO_CI), "gone.json"]);
  const app = createApp({ resultsDir: dir, runBench: runner });
  const started = await app.request("/api/run", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
  });
  assert.equal(started.status, 202);
  for (let i = 0; i < 100 && (await (await app.request("/api/run")).json()).state !== "done"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const listing = await (await app.request("/api/runs?finished=1")).json() as RunListing;
  assert.deepEqual(listing.finished, { file: DENO_CI, reason: "the run just finished, run 1" });
  assert.deepEqual(listing.selected, { file: BUN_DEVBOX, reason: "the newest run with every suite" });
  assert.equal((await (await app.request("/api/runs?finished=2")).json() as RunListing).finished, null);
  const bad = await app.request("/api/runs?finished=one");
  assert.equal(bad.status, 400);
  assert.match(
    (await bad.json()).error,
    /^Cannot list runs: "finished" is a run number such as 1, not "one"/,
  );
});

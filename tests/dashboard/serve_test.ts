import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRunner } from "../../dashboard/bench_run.ts";
import { runFirstIfEmpty } from "../../dashboard/serve.ts";
import { test } from "../harness.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/2026-11-20T09-30-00-000Z-deno.json", import.meta.url));

function countingRunner(): { runner: BenchRunner; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    runner: ({ onProgress }) => {
      calls.push(1);
      onProgress({ done: 1, total: 2, label: "half" });
      onProgress({ done: 2, total: 2, label: "all" });
      return Promise.resolve({ files: ["/r/a.json"], notes: [] });
    },
  };
}

test("runFirstIfEmpty() runs the quick benchmark only when there are no result files", async () => {
  const empty = mkdtempSync(join(tmpdir(), "dashboard-empty-"));
  const first = countingRunner();
  await runFirstIfEmpty(empty, { runner: first.runner });
  assert.equal(first.calls.length, 1);

  const full = mkdtempSync(join(tmpdir(), "dashboard-full-"));
  copyFileSync(FIXTURE, join(full, "2026-11-20T09-30-00-000Z-deno.json"));
  const second = countingRunner();
  await runFirstIfEmpty(full, { runner: second.runner });
  assert.equal(second.calls.length, 0);
});

test("runFirstIfEmpty() reports a failed or missing runner instead of throwing", async () => {
  const empty = mkdtempSync(join(tmpdir(), "dashboard-empty-"));
  await runFirstIfEmpty(empty, { runner: () => Promise.reject(new Error("no bun")) });
  await runFirstIfEmpty(empty, { unavailable: "bench/run.ts could not be loaded" });
});

import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../../dashboard/app.ts";
import { type BenchRunner, BenchTracker } from "../../dashboard/bench_run.ts";
import { runFirstIfEmpty, startServer } from "../../dashboard/serve.ts";
import { occupyPort, test } from "../harness.ts";

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
  const tracker = new BenchTracker(first.runner);
  await runFirstIfEmpty(empty, tracker);
  assert.equal(first.calls.length, 1);
  // Through the tracker the page polls, so a page opened during the first run shows its progress.
  assert.equal(tracker.status.runNumber, 1);
  assert.equal(tracker.status.state, "done");
  assert.deepEqual(tracker.status.files, ["a.json"]);

  const full = mkdtempSync(join(tmpdir(), "dashboard-full-"));
  copyFileSync(FIXTURE, join(full, "2026-11-20T09-30-00-000Z-deno.json"));
  const second = countingRunner();
  await runFirstIfEmpty(full, new BenchTracker(second.runner));
  assert.equal(second.calls.length, 0);
});

test("runFirstIfEmpty() reports a failed or missing runner instead of throwing", async () => {
  const empty = mkdtempSync(join(tmpdir(), "dashboard-empty-"));
  const failing = new BenchTracker(() => Promise.reject(new Error("no bun")));
  await runFirstIfEmpty(empty, failing);
  assert.equal(failing.status.state, "failed");
  await runFirstIfEmpty(empty, new BenchTracker(undefined, "bench/run.ts could not be loaded"));
});

test("startServer() on a port in use rejects with one line naming the port and --port", async () => {
  const { server, port } = await occupyPort();
  try {
    const app = createApp({ resultsDir: "/nonexistent" });
    await assert.rejects(startServer(app, { hostname: "127.0.0.1", port }), (error: Error) => {
      assert.equal(
        error.message,
        `Cannot serve on 127.0.0.1:${port}: the port is in use; choose another with --port <number>, ` +
          `or --port 0 for any free port`,
      );
      return true;
    });
    // The port is free again once the other server closes: nothing of the failed attempt keeps it.
  } finally {
    server.close();
  }
});

import assert from "node:assert/strict";
import { createServer } from "node:net";
import process from "node:process";
import { createApp } from "../../dashboard/app.ts";
import { loadBenchRunner, loadLiveBindings, progressFollower } from "../../dashboard/wiring.ts";
import { test } from "../harness.ts";

test("progressFollower() turns runBench() events into progress over the whole run", () => {
  const follow = progressFollower();
  assert.deepEqual(follow({ kind: "start", runtime: "deno" }), {
    done: 0,
    total: 0,
    label: "deno: starting",
  });
  assert.deepEqual(
    follow({
      kind: "progress",
      runtime: "deno",
      suite: "rows",
      group: "g",
      name: "toolkit cursor",
      done: 3,
      total: 10,
      overallDone: 3,
      overallTotal: 25,
      elapsedMs: 1500,
      remainingMs: 11_000,
    }),
    { done: 3, total: 25, label: "deno: rows › g › toolkit cursor (about 11 s left)" },
  );
  assert.deepEqual(
    follow({ kind: "note", runtime: "bun", text: "koffi: skipped" }),
    { done: 3, total: 25, label: "bun: koffi: skipped" },
    "an event without counts keeps the last ones",
  );
  assert.deepEqual(
    follow({ kind: "done", runtime: "deno", file: "/repo/bench/results/2026-11-21T10-00-00-000Z-deno.json" }),
    { done: 3, total: 25, label: "deno: wrote 2026-11-21T10-00-00-000Z-deno.json" },
  );
});

test("loadLiveBindings() and loadBenchRunner() give the functions or a reason, never throw", async () => {
  const live = await loadLiveBindings();
  if ("bindings" in live) {
    assert.equal(typeof live.bindings.listTcpSockets, "function");
    assert.equal(typeof live.bindings.getTaskstats, "function");
  } else {
    assert.match(live.unavailable, /linux\/mod\.ts|Linux/);
  }
  const bench = await loadBenchRunner("/nonexistent");
  if ("runner" in bench) assert.equal(typeof bench.runner, "function");
  else assert.match(bench.unavailable, /bench\/run\.ts/);
});

const realLive = await loadLiveBindings();

test(
  "the live API serves linux/mod.ts: a listener this test opened, this process's taskstats, ESRCH as 404",
  async () => {
    if (!("bindings" in realLive)) throw new Error(realLive.unavailable);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const app = createApp({ resultsDir: "/nonexistent", live: realLive });
      const tcp = await (await app.request("/api/live/tcp")).json() as { sockets: Record<string, unknown>[] };
      const mine = tcp.sockets.find((s) => s.localPort === port && s.state === "LISTEN");
      assert.equal(mine?.localAddress, "127.0.0.1");
      const stats = await app.request(`/api/live/taskstats/${process.pid}`);
      assert.equal(stats.status, 200);
      assert.equal((await stats.json() as { taskstats: { pid: number } }).taskstats.pid, process.pid);
      assert.equal((await app.request("/api/live/taskstats/4194303")).status, 404);
    } finally {
      server.close();
    }
  },
  { ignore: process.platform !== "linux" ? "the live views read Linux interfaces" : false },
);

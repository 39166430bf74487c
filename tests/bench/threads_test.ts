import assert from "node:assert/strict";
import { runtime, test } from "../harness.ts";
import type { Samples } from "../../bench/_harness.ts";
import type { Measurement, ResultFile } from "../../bench/schema.ts";
import { summarize } from "../../bench/summary.ts";
import { plan } from "../../bench/threads.ts";
import { THREADS_GOAL, threadsGoals } from "../../bench/_threads_summary.ts";
import { validateResultFile } from "../../bench/validate.ts";

function threads(name: "deno" | "bun", ns: Record<string, [number, number, number]>): ResultFile {
  const measurements: Measurement[] = [];
  const benchmarks: unknown[] = [];
  for (const [contestant, [p50, p25, p75]] of Object.entries(ns)) {
    const group = `getpid(): ${contestant.endsWith("64 in flight") ? "64 in flight" : "awaited one by one"}`;
    const technique = contestant.startsWith("toolkit") ? "toolkit" : "baseline";
    measurements.push({ suite: "threads", group, name: contestant, technique, nsPerOp: p50 });
    benchmarks.push({ alias: contestant, group, runs: [{ stats: { avg: p50, p50, p25, p75 } }] });
  }
  return {
    runtime: { name, version: "0" },
    mode: "full",
    measurements,
    mitata: { threads: { context: {}, benchmarks } },
  } as unknown as ResultFile;
}

test("threadsGoals() sets each non-blocking call against Deno's own at 1.2x, with the samples' spread", () => {
  const deno = threads("deno", {
    "raw blocking getpid()": [100, 90, 110],
    "raw Deno nonblocking getpid(), 64 in flight": [4000, 3800, 4200],
    "toolkit nonblocking getpid(), 64 in flight": [4400, 4300, 4500],
    "toolkit nonblocking getpid() with errno (pool), 64 in flight": [6000, 5900, 6100],
  });
  const bun = threads("bun", {
    "raw blocking getpid()": [100, 90, 110],
    "toolkit nonblocking getpid() with errno (pool), 64 in flight": [8000, 7000, 9000],
  });
  const [plain, errno, ...rest] = threadsGoals([deno, bun]);
  assert.equal(rest.length, 0, "Bun has no nonblocking of its own: no goal line");
  assert.equal(THREADS_GOAL, 1.2);
  assert.ok(plain && errno);
  assert.equal(plain.ratio, 1.1);
  assert.equal(plain.met, true);
  // 4300 / 4200 to 4500 / 3800: 1.02 to 1.18, the goal outside.
  assert.equal(plain.withinSpread, false);
  assert.equal(errno.ratio, 1.5);
  assert.equal(errno.met, false);
  const text = summarize([deno, bun]);
  assert.match(text, /threads goal/);
  assert.match(text, /deno +toolkit nonblocking getpid\(\), 64 in flight[^\n]*1\.10x[^\n]*met$/m);
  assert.match(
    text,
    /deno +toolkit nonblocking getpid\(\) with errno \(pool\), 64 in flight[^\n]*1\.50x[^\n]*MISSED$/m,
  );
  assert.match(
    text,
    /bun +toolkit nonblocking getpid\(\) with errno \(pool\), 64 in flight +8\.00 µs +80x$/m,
  );
});

test("plan() of the threads suite in quick mode times every contestant of this runtime, interleaved", async () => {
  const groups = plan({ quick: true, raw: undefined, rawMissing: "", libPath: undefined });
  assert.equal(groups.length, 3);
  for (const group of groups) {
    assert.equal(group.kind, "samples");
    const data = await group.setup();
    for (const contestant of group.contestants) {
      const fn = contestant.make(data);
      if (runtime === "bun" && contestant.name.startsWith("raw Deno nonblocking")) {
        assert.equal(typeof fn, "object", `${contestant.name} is skipped on Bun`);
        continue;
      }
      assert.equal(typeof fn, "function", `${contestant.name} ran`);
      const { samples } = (fn as () => Samples)();
      assert.ok(samples.length >= 3 && samples.every((ns) => ns > 0 && Number.isFinite(ns)), contestant.name);
    }
  }
});

test("validateResultFile() takes a threads measurement", () => {
  const file = JSON.parse(JSON.stringify(threads("deno", { "raw blocking getpid()": [100, 90, 110] })));
  Object.assign(file, {
    schema: 1,
    id: "2026-12-06T10-00-00-000Z-deno",
    date: "2026-12-06T10:00:00.000Z",
    machine: { cpu: "x", cores: 2, memoryBytes: 1, os: "Linux", kernel: "6", arch: "x64", hostname: "h" },
  });
  file.mitata.threads.context = { runtime: "deno", cpu: {} };
  assert.deepEqual(validateResultFile(file), []);
  file.measurements[0].suite = "thread";
  assert.notDeepEqual(validateResultFile(file), []);
});

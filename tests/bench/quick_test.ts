import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "../harness.ts";
import { type ProgressEvent, runBench } from "../../bench/run.ts";
import type { ResultFile } from "../../bench/schema.ts";
import { summarize } from "../../bench/summary.ts";
import { validateResultFile } from "../../bench/validate.ts";
import { GROUPS, plan } from "../../bench/rows.ts";

// Times are never asserted: only that a quick run of a subset writes one well-formed file per runtime.
test("runBench() in quick mode writes one well-formed result file per runtime", async () => {
  const outDir = mkdtempSync(join(tmpdir(), "ffikit-bench-test-"));
  try {
    const events: ProgressEvent[] = [];
    const run = await runBench({
      quick: true,
      only: ["calls", "memory", "garbage"],
      outDir,
      onProgress: (event) => events.push(event),
    });

    const written = readdirSync(outDir).filter((f) => f.endsWith(".json")).sort();
    assert.deepEqual(written, run.files.map((f) => basename(f)).sort());
    const files = written.map((f) => JSON.parse(readFileSync(join(outDir, f), "utf8")) as ResultFile);
    for (const [i, file] of files.entries()) {
      assert.deepEqual(validateResultFile(file), [], `${written[i]} is well-formed`);
      assert.equal(`${file.id}.json`, written[i]);
      assert.equal(file.mode, "quick");
    }
    const byRuntime = new Map(files.map((f) => [f.runtime.name, f]));
    assert.deepEqual([...byRuntime.keys()].sort(), ["bun", "deno", "node"], run.notes.join("\n"));
    // One run: the files share a date.
    assert.equal(new Set(files.map((f) => f.date)).size, 1);

    for (const name of ["deno", "bun"] as const) {
      const file = byRuntime.get(name)!;
      // The garbage suite weighs single passes without mitata; the timed suites keep mitata's results.
      assert.deepEqual(Object.keys(file.mitata).sort(), ["calls", "memory"]);
      const suites = new Set(file.measurements.map((m) => m.suite));
      assert.deepEqual([...suites].sort(), ["calls", "garbage", "memory"], `${name} measured every suite`);
      // Each group has a baseline.
      for (
        const group of new Set(file.measurements.filter((m) => m.suite !== "garbage").map((m) => m.group))
      ) {
        assert.ok(
          file.measurements.some((m) => m.group === group && m.technique === "baseline"),
          `${name}: group "${group}" has a baseline`,
        );
      }
      assert.ok(file.garbageSources, `${name} says where its garbage numbers come from`);
    }
    // koffi's peer takes part in the calls suite only.
    assert.deepEqual(Object.keys(byRuntime.get("node")!.mitata), ["calls"]);

    assert.ok(events.some((e) => e.kind === "progress"), "progress was reported");
    assert.equal(events.filter((e) => e.kind === "done").length, 3);
    assert.match(summarize(files), /== calls ==/);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}, { timeout: 180_000 });

// The dashboard draws time per row against N: a quick run needs three sizes of every row question for lines.
test("plan() of the rows suite in quick mode scans every row question at three sizes or more", () => {
  const groups = plan({ quick: true, raw: undefined, rawMissing: "not loaded", libPath: undefined });
  const sizes = new Map<string, Set<number>>();
  for (const group of groups) sizes.set(group.group, (sizes.get(group.group) ?? new Set()).add(group.n!));
  assert.deepEqual([...sizes.keys()].sort(), Object.values(GROUPS).sort());
  for (const [group, ns] of sizes) assert.ok(ns.size >= 3, `${group}: ${[...ns]}`);
  // 1e3 of the 24-byte rows is left out to keep the quick run near a minute.
  for (const group of [GROUPS.tcpSum, GROUPS.tcpCollect, GROUPS.tcpBytesSum]) {
    assert.deepEqual([...sizes.get(group)!].sort((a, b) => a - b), [100, 10_000, 100_000], group);
  }
  // The wide row stops at 1e4 in a quick run: 1e5 of them copied out took most of its time.
  assert.deepEqual([...sizes.get(GROUPS.taskstatsSum)!].sort((a, b) => a - b), [100, 1_000, 10_000]);
});

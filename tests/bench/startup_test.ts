import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { plan, STARTUP_SCRIPTS, timeStartup } from "../../bench/startup.ts";
import { validateResultFile } from "../../bench/validate.ts";
import { fixture } from "../dashboard/_fixtures.ts";
import { DENO_DEVBOX } from "../dashboard/_fixtures.ts";

// Times are never asserted (a loaded machine): only that every script runs as its own process and each timing
// is consistent with itself.
test(
  "timeStartup() times every script as a process of this runtime, the empty script as the baseline",
  () => {
    const timings = timeStartup(1);
    assert.equal(timings.length, STARTUP_SCRIPTS.length);
    for (const [i, t] of timings.entries()) {
      const name = STARTUP_SCRIPTS[i]!.name;
      assert.equal(t.runs, 1, name);
      // A process takes at least a millisecond; one round's median is its one time.
      assert.ok(t.nsPerOp > 1e6, `${name}: ${t.nsPerOp}`);
      assert.equal(t.minNs, t.nsPerOp, name);
      assert.equal(t.maxNs, t.nsPerOp, name);
      assert.equal(t.overBaselineNs, t.nsPerOp - timings[0]!.nsPerOp, name);
    }
    assert.equal(timings[0]!.overBaselineNs, 0);
  },
  { timeout: 120_000 },
);

test("plan() of the start-up suite names the empty script as the baseline of one process-timed group", () => {
  const groups = plan({ quick: true, raw: undefined, rawMissing: "not loaded", libPath: undefined });
  assert.equal(groups.length, 1);
  const [group] = groups;
  assert.equal(group!.kind, "process");
  assert.deepEqual(group!.contestants.map((c) => c.technique), [
    "baseline",
    ...STARTUP_SCRIPTS.slice(1).map(() => "toolkit"),
  ]);
  assert.deepEqual(group!.contestants.map((c) => c.name).slice(-5), [
    "mod.ts",
    "mod.ts, then first calls",
    "ffikit/structs package (built)",
    "ffikit package (built)",
    "ffikit package, then first calls",
  ]);
});

test("validateResultFile() takes start-up measurements and refuses one without its difference", () => {
  const file = fixture(DENO_DEVBOX);
  assert.ok(file.measurements.some((m) => m.suite === "startup"));
  assert.deepEqual(validateResultFile(file), []);
  const broken = {
    ...file,
    measurements: file.measurements.map((m) =>
      m.suite === "startup" && m.name === "mod.ts" ? { ...m, overBaselineNs: undefined, runs: 0 } : m
    ),
  };
  const problems = validateResultFile(JSON.parse(JSON.stringify(broken)));
  assert.ok(problems.some((p) => /has no "overBaselineNs" or "runs"/.test(p)), problems.join("; "));
  assert.ok(problems.some((p) => /\.runs" is not a positive number/.test(p)), problems.join("; "));
});

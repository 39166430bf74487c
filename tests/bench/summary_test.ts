import assert from "node:assert/strict";
import { test } from "../harness.ts";
import type { Measurement, ResultFile } from "../../bench/schema.ts";
import { headlines, summarize } from "../../bench/summary.ts";

const GROUP = "MIB_TCPROW_OWNER_PID: sum owningPid";

function rows(n: number, nsPerRow: Record<string, number>, group = GROUP): Measurement[] {
  return Object.entries(nsPerRow).map(([name, ns]) => ({
    suite: "rows",
    group,
    name,
    technique: name.startsWith("toolkit")
      ? (/read|toArray/.test(name) ? "copy" : "in-place")
      : name.startsWith("bun-ffi")
      ? "peer"
      : "baseline",
    n,
    nsPerOp: ns * n,
    nsPerRow: ns,
  }));
}

function file(runtime: string, measurements: Measurement[]): ResultFile {
  return { runtime: { name: runtime, version: "0" }, measurements } as unknown as ResultFile;
}

test("headlines() checks the rows speed goals at the largest N against the right references", () => {
  const deno = file("deno", [
    // At the smaller N the cursor misses badly: only the largest N counts.
    ...rows(10, { "DataView loop": 1, "strided Uint32Array loop": 1, "toolkit cursor next()": 9 }),
    ...rows(1000, {
      "DataView loop": 1.2,
      "strided Uint32Array loop": 1.0, // the best in-place loop
      "fresh object per row": 10,
      "copy into Row[]": 30,
      "reused row object": 1.1,
      "hand-written cursor next()": 1.1,
      "bun-ffi-structs unpackList": 50,
      "toolkit cursor next()": 1.25, // exactly at the goal: met; 1.14x its hand-written twin: met
      "toolkit column at(i)": 1.3, // over: missed
      "toolkit at(i)": 2.5, // goal 2: missed
      "toolkit read() per row": 12, // 1.2x: met; 50 / 12 = 4.2x faster than the peer: met
      "toolkit toArray()": 33, // 3.3x a fresh object: missed; 1.1x the Row[] copy: met
    }),
  ]);
  const goals = headlines([deno]).rowGoals;
  const find = (contestant: string, reference: string) => {
    const goal = goals.find((g) => g.contestant === contestant && g.reference === reference);
    assert.ok(goal, `${contestant} against ${reference}`);
    return goal;
  };
  assert.ok(goals.every((g) => g.n === 1000 && g.runtime === "deno" && g.group === GROUP));
  const next = find("toolkit cursor next()", "strided Uint32Array loop");
  assert.equal(next.ratio, 1.25);
  assert.equal(next.met, true);
  const twin = find("toolkit cursor next()", "hand-written cursor next()");
  assert.ok(Math.abs(twin.ratio - 1.25 / 1.1) < 1e-9);
  assert.equal(twin.met, true);
  assert.equal(find("toolkit column at(i)", "strided Uint32Array loop").met, false);
  assert.equal(find("toolkit at(i)", "strided Uint32Array loop").goal, 2);
  assert.equal(find("toolkit at(i)", "strided Uint32Array loop").met, false);
  assert.equal(find("toolkit read() per row", "fresh object per row").met, true);
  const peer = find("toolkit read() per row", "bun-ffi-structs unpackList");
  assert.ok(Math.abs(peer.ratio - 50 / 12) < 1e-9);
  assert.equal(peer.speedUp, true);
  assert.equal(peer.met, true);
  assert.equal(find("toolkit toArray()", "fresh object per row").met, false);
  assert.equal(find("toolkit toArray()", "copy into Row[]").met, true);
  // Contestants that were not measured (seek, strided) have no line.
  assert.equal(goals.some((g) => g.contestant === "toolkit cursor seek(i)"), false);
  assert.match(summarize([deno]), /rows speed goals[\s\S]*toolkit at\(i\)[^\n]*MISSED/);
  // A run that stopped short of 1e6 rows (a quick run) says its goal lines are not a verdict.
  assert.match(
    summarize([deno]),
    /set for 1e6 rows; this run went up to 1000, so these lines are not a verdict/,
  );
  const full = file("deno", rows(1e6, { "strided Uint32Array loop": 1, "toolkit column at(i)": 1.1 }));
  assert.doesNotMatch(summarize([full]), /not a verdict/);
  // A full run whose wide rows stop at 1e5 is judged at 1e6, and only the shorter group is said to be no verdict.
  const mixed = file("deno", [
    ...rows(1e6, { "strided Uint32Array loop": 1, "toolkit column at(i)": 1.1 }),
    ...rows(1e5, { "strided Uint32Array loop": 1, "toolkit column at(i)": 1.1 }, "taskstats: sum ac_pid"),
  ]);
  const text = summarize([mixed]);
  assert.doesNotMatch(text, /this run went up to/);
  assert.match(text, /taskstats: sum ac_pid, n = 100000 \(fewer than 1e6 rows: not a verdict\)/);
  assert.doesNotMatch(text, /owningPid, n = 1000000 \(/);
});

test("headlines() says a calls goal is met or missed only when every interleaved round agrees", () => {
  const call = (group: string, name: string, rounds?: number[]): Measurement => {
    const m: Measurement = {
      suite: "calls",
      group,
      name,
      technique: name.startsWith("toolkit") ? "toolkit" : "baseline",
      nsPerOp: rounds ? [...rounds].sort((a, b) => a - b)[rounds.length >> 1]! : 10,
    };
    if (rounds) m.rounds = rounds;
    return m;
  };
  const bun = file("bun", [
    // Every round within 1.15x: met.
    call("a", "raw", [10, 12, 20]),
    call("a", "toolkit", [11, 13, 21]),
    // Every round over: missed.
    call("b", "raw", [10, 12, 20]),
    call("b", "toolkit", [12, 14, 24]),
    // The median ratio is over, but one round is within: no verdict.
    call("c", "raw", [10, 12, 20]),
    call("c", "toolkit", [12, 14, 21]),
    // A file without rounds: the ratio alone decides, as before.
    call("d", "raw"),
    call("d", "toolkit"),
  ]);
  const lines = headlines([bun]).callOverhead;
  const verdict = (group: string) => lines.find((l) => l.group === group)!;
  assert.equal(verdict("a").verdict, "met");
  assert.equal(verdict("b").verdict, "missed");
  assert.equal(verdict("c").verdict, "within noise");
  assert.ok(verdict("c").toolkitNs / verdict("c").rawNs > 1.15);
  assert.equal(verdict("d").verdict, "met");
  assert.equal(verdict("d").low, verdict("d").high);
  assert.match(summarize([bun]), /calls goals[^]*within noise/);
});

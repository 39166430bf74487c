import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { test } from "../harness.ts";
import type { Contestant, GroupPlan } from "../../bench/_harness.ts";
import {
  checkCompressed,
  checkRoundTrip,
  checkRows,
  LIBRARY_GROUPS,
  LIBRARY_SIZES,
  zlibInput,
} from "../../bench/_libraries_workload.ts";
import { LIBRARY_ROUNDS, plan } from "../../bench/libraries.ts";
import type { Measurement, ResultFile } from "../../bench/schema.ts";
import { headlines, summarize } from "../../bench/summary.ts";
import { validateResultFile } from "../../bench/validate.ts";

const { rows, bytes } = LIBRARY_SIZES.quick;

/** Runs every contestant of a group once, as the recorder does before timing, and hands each answer over. */
async function answers(
  group: GroupPlan<unknown>,
  each: (name: string, answer: unknown, data: unknown) => void,
): Promise<void> {
  const data = await group.setup();
  try {
    for (const contestant of group.contestants as Contestant<unknown>[]) {
      const fn = contestant.make(data);
      assert.equal(typeof fn, "function", `${contestant.name} runs here`);
      const answer = (fn as () => unknown)();
      // The suite's own check, as the recorder applies it, and then an independent one.
      assert.equal(group.check?.(answer, data), undefined, `${group.group} / ${contestant.name}`);
      each(contestant.name, answer, data);
    }
  } finally {
    group.teardown?.(data);
  }
}

function groupOf(title: string): GroupPlan<unknown> {
  const group = plan({ quick: true }).find((g) => g.group === title);
  assert.ok(group, title);
  return group;
}

test("libraries plan(): ffikit, the raw binding and the built-in driver each insert and read back every row", async () => {
  const names: string[] = [];
  await answers(groupOf(LIBRARY_GROUPS.sqliteInsert), (name, answer) => {
    names.push(name);
    assert.equal(answer, rows, `${name}: rows inserted`);
  });
  assert.deepEqual(names, ["ffikit dlopen", "raw runtime FFI", "built-in node:sqlite / bun:sqlite"]);
  await answers(groupOf(LIBRARY_GROUPS.sqliteSelect), (name, answer) => {
    const list = answer as string[];
    assert.equal(list.length, 2 * rows, `${name}: row count`);
    // Written out here, apart from the workload's nameOf/emailOf: UTF-8 both ways.
    assert.equal(list[0], "Zoë Ångström 0", name);
    assert.equal(list[1], "user0@example.org", name);
    assert.equal(list[2], "user 1", name);
    assert.equal(list[2 * 700], "Zoë Ångström 700", name);
    assert.equal(list[2 * rows - 1], `user${rows - 1}@example.org`, name);
  });
});

test("libraries plan(): each zlib contestant's stream inflates to the input, at a sane size", async () => {
  const input = zlibInput(bytes);
  await answers(groupOf(LIBRARY_GROUPS.zlibCompress), (name, answer) => {
    const compressed = answer as Uint8Array;
    assert.ok(
      compressed.length < bytes / 2 && compressed.length > bytes / 100,
      `${name}: ${compressed.length}`,
    );
    // Inflated by another implementation than the contestant's.
    assert.deepEqual(new Uint8Array(inflateSync(compressed)), input, name);
  });
  await answers(groupOf(LIBRARY_GROUPS.zlibDecompress), (name, answer) => {
    // node:zlib answers with a Buffer: compared as bytes.
    const bytes = answer as Uint8Array;
    assert.deepEqual(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), input, name);
  });
});

test("the libraries checks refuse a wrong answer", () => {
  const good = Array.from(
    { length: 3 },
    (_, i) => [i === 0 ? "Zoë Ångström 0" : `user ${i}`, `user${i}@example.org`],
  )
    .flat();
  assert.equal(checkRows(good, 3), undefined);
  assert.match(checkRows(good.slice(2), 3)!, /^2 rows, expected 3$/);
  assert.match(checkRows(good.with(2, "user 9"), 3)!, /^row 1 has name "user 9"$/);
  assert.match(checkRows(good.with(0, "Zo? Ångström 0"), 3)!, /^row 0 has name/);
  assert.match(checkRows(good.with(5, ""), 3)!, /^row 2 has e-mail ""$/);
  const input = zlibInput(4096);
  assert.match(checkCompressed(input, 4096)!, /expected a zlib header/);
  assert.match(checkCompressed(new Uint8Array([0x78, 0x9c]), 4096)!, /^2 compressed bytes for 4096/);
  assert.equal(checkRoundTrip(input.slice(), input), undefined);
  assert.match(checkRoundTrip(input.with(100, 0), input)!, /^byte 100 is 0, expected/);
  assert.match(checkRoundTrip(input.subarray(1), input)!, /^4095 bytes, expected 4096$/);
});

function libraries(runtime: string, ns: Record<string, [number, number, number]>): ResultFile {
  const measurements: Measurement[] = [];
  const benchmarks: unknown[] = [];
  for (const [name, [avg, p25, p75]] of Object.entries(ns)) {
    const technique = name.startsWith("ffikit") ? "toolkit" : name.startsWith("raw") ? "baseline" : "peer";
    measurements.push({
      suite: "libraries",
      group: LIBRARY_GROUPS.sqliteInsert,
      name,
      technique,
      n: 10_000,
      nsPerOp: avg,
    });
    benchmarks.push({
      alias: name,
      group: LIBRARY_GROUPS.sqliteInsert,
      runs: [{ stats: { avg, p25, p75 } }],
    });
  }
  return {
    runtime: { name: runtime, version: "0" },
    mode: "full",
    measurements,
    mitata: { libraries: { context: {}, benchmarks } },
  } as unknown as ResultFile;
}

test("headlines() sets ffikit against the raw binding at 1.15x, with the spread of the samples", () => {
  const deno = libraries("deno", {
    "ffikit dlopen": [11e6, 10e6, 12e6],
    "raw runtime FFI": [10e6, 9e6, 11e6],
    "built-in node:sqlite": [8e6, 7e6, 9e6],
  });
  const bun = libraries("bun", {
    "ffikit dlopen": [20e6, 19e6, 21e6],
    "raw runtime FFI": [10e6, 9.5e6, 10.5e6],
  });
  const [d, b] = headlines([deno, bun]).libraryGoals;
  assert.ok(d && b);
  assert.equal(d.ratio, 1.1);
  assert.equal(d.met, true);
  assert.ok(Math.abs(d.low - 10 / 11) < 1e-9 && Math.abs(d.high - 12 / 9) < 1e-9);
  // 1.15 lies between 0.91 and 1.33: this run's noise could turn the verdict.
  assert.equal(d.withinSpread, true);
  assert.deepEqual(d.builtin, { name: "built-in node:sqlite", ns: 8e6 });
  assert.equal(b.ratio, 2);
  assert.equal(b.met, false);
  assert.equal(b.withinSpread, false);
  const text = summarize([deno, bun]);
  assert.match(text, /libraries goals/);
  assert.match(
    text,
    /deno +sqlite3: prepared inserts in one transaction \(10000 rows\)[^\n]*1\.10x[^\n]*met \(within spread\)/,
  );
  assert.match(text, /bun +sqlite3[^\n]*2\.00x[^\n]*MISSED$/m);
  assert.doesNotMatch(text, /not a verdict/);
});

test("validateResultFile() wants a size on a libraries measurement", () => {
  const file = JSON.parse(JSON.stringify(libraries("deno", { "ffikit dlopen": [1, 1, 1] })));
  Object.assign(file, {
    schema: 1,
    id: "2026-12-06T10-00-00-000Z-deno",
    date: "2026-12-06T10:00:00.000Z",
    machine: { cpu: "x", cores: 2, memoryBytes: 1, os: "Linux", kernel: "6", arch: "x64", hostname: "h" },
  });
  file.mitata.libraries.context = { runtime: "deno", cpu: {} };
  assert.deepEqual(validateResultFile(file), []);
  delete file.measurements[0].n;
  assert.deepEqual(validateResultFile(file), ['"measurements[0]" has no "n" or "bytes"']);
});

test("a libraries group timed in interleaved rounds judges the goal by each round's ratio", () => {
  const file = libraries("bun", {
    "ffikit dlopen": [11e6, 5e6, 30e6],
    "raw runtime FFI": [10e6, 5e6, 30e6],
  });
  const [ours, raw] = file.measurements;
  ours!.rounds = [11e6, 12e6, 10.5e6];
  raw!.rounds = [10e6, 10e6, 10e6];
  const [goal] = headlines([file]).libraryGoals;
  // The quartiles would say 0.17-6x; the rounds, 1.05-1.2x.
  assert.ok(
    goal && Math.abs(goal.low - 1.05) < 1e-9 && Math.abs(goal.high - 1.2) < 1e-9,
    `${goal?.low}-${goal?.high}`,
  );
  assert.equal(goal.withinSpread, true);
  for (const group of plan({ quick: true })) assert.equal(group.rounds, LIBRARY_ROUNDS.quick, group.group);
  for (const group of plan({ quick: false })) assert.equal(group.rounds, LIBRARY_ROUNDS.full, group.group);
});

import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../dashboard/app.ts";
import type { Headline } from "../../dashboard/headline.ts";
import type { Measurement } from "../../bench/schema.ts";
import { test } from "../harness.ts";
import {
  addTwoRowTypesRun,
  FIXTURES,
  ONE_RUN_DIR,
  ONE_RUN_FILES,
  ONE_RUN_KEY,
  oneRunFixture,
  resultsCopy,
  resultsWithRun,
  TWO_ROW_TYPES_FILES,
  TWO_ROW_TYPES_KEY,
} from "./_fixtures.ts";

const TCP = "MIB_TCPROW_OWNER_PID: sum owningPid";
const TASKSTATS = "taskstats: sum ac_pid";
const ARRAYS = "MIB_TCPROW_OWNER_PID, addresses as u8[4]: sum owningPid and an address byte each";
const ARRAYS_NAME = "MIB_TCPROW_OWNER_PID with u8[4] addresses";

async function headline(dir: string, query = ""): Promise<Headline> {
  const response = await createApp({ resultsDir: dir }).request(`/api/headline${query}`);
  assert.equal(response.status, 200);
  return await response.json() as Headline;
}

/** The fixture's fastest time per row of a technique at N, found without the dashboard's code. */
function fastestIn(file: string, group: string, n: number, technique: Measurement["technique"]): number {
  const times = oneRunFixture(file).measurements
    .filter((m) => m.suite === "rows" && m.group === group && m.n === n && m.technique === technique)
    .map((m) => m.nsPerRow!);
  return Math.min(...times);
}

test("GET /api/headline sets each runtime's best in place against its best copy at the largest N", async () => {
  const body = await headline(ONE_RUN_DIR);
  assert.equal(body.run?.key, ONE_RUN_KEY);
  assert.deepEqual(body.run?.files, ONE_RUN_FILES);
  assert.deepEqual(body.rows.map((r) => [r.name, r.bytes, r.required]), [
    ["MIB_TCPROW_OWNER_PID", 24, true],
    ["taskstats", 416, true],
    [ARRAYS_NAME, 24, false],
  ]);
  const [tcp, wide, arrays] = body.rows;
  assert.deepEqual(tcp!.sides.map((s) => [s.title, s.n]), [
    ["Deno 2.9.5", 1_000_000],
    ["Bun 1.4.5", 1_000_000],
    ["Node 22.20.0 with koffi", 1_000_000],
  ]);
  // The wide row stops at 1e5, as the bench runs it.
  assert.deepEqual(wide!.sides.map((s) => s.n), [100_000, 100_000, 100_000]);
  assert.deepEqual(arrays!.sides.map((s) => [s.runtime, s.n]), [
    ["deno", 1_000_000],
    ["bun", 1_000_000],
    ["node", 1_000_000],
  ]);
  for (const [row, group] of [[tcp!, TCP], [wide!, TASKSTATS], [arrays!, ARRAYS]] as const) {
    for (const [i, side] of row.sides.slice(0, 2).entries()) {
      const file = ONE_RUN_FILES[i]!;
      const inPlace = fastestIn(file, group, side.n, "in-place");
      const copy = fastestIn(file, group, side.n, "copy");
      assert.equal(side.inPlace?.nsPerRow, inPlace, `${file} ${group} in place`);
      assert.equal(side.copy?.nsPerRow, copy, `${file} ${group} copy`);
      assert.equal(side.ratio, copy / inPlace);
      assert.equal(side.floor?.nsPerRow, fastestIn(file, group, side.n, "native"));
      assert.equal(side.inPlace?.technique, "in-place");
      assert.equal(side.copy?.technique, "copy");
    }
    // Node has no toolkit: its hand-written loop and koffi's fastest decode stand in, named so.
    const node = row.sides[2]!;
    assert.equal(node.inPlace?.technique, "baseline");
    assert.equal(node.copy?.technique, "peer");
    assert.equal(node.inPlace?.nsPerRow, fastestIn(ONE_RUN_FILES[2]!, group, node.n, "baseline"));
    assert.equal(node.copy?.nsPerRow, fastestIn(ONE_RUN_FILES[2]!, group, node.n, "peer"));
    assert.equal(node.floor, null);
  }
  // The figures the fixture was made with: 12.5 against 1.1 ns on Deno (jittered by a few percent).
  assert.equal(tcp!.sides[0]!.inPlace?.name, "toolkit column at(i)");
  assert.equal(tcp!.sides[0]!.copy?.name, "toolkit read() per row");
  assert.ok(Math.abs(tcp!.sides[0]!.ratio! - 12.5 / 1.1) < 1.5, String(tcp!.sides[0]!.ratio));
  // With arrays inside, the fixture reads in place slower than it copies: 190 against 38 ns on Deno.
  assert.equal(arrays!.sides[0]!.inPlace?.name, "toolkit at(i)");
  assert.ok(Math.abs(arrays!.sides[0]!.ratio! - 38 / 190) < 0.05, String(arrays!.sides[0]!.ratio));
});

test("GET /api/headline says it in a sentence a person can quote", async () => {
  const [tcp, wide] = (await headline(ONE_RUN_DIR)).rows;
  const deno = tcp!.sides[0]!;
  const ratio = Math.round(deno.ratio!);
  assert.ok(ratio >= 10);
  const time = (ns: number) => ns.toPrecision(3);
  assert.equal(
    tcp!.sentence,
    `Reading MIB_TCPROW_OWNER_PID rows (24 B) in place is ${ratio}× faster than copying each row out on ` +
      `Deno 2.9.5 (${time(deno.inPlace!.nsPerRow)} ns against ${time(deno.copy!.nsPerRow)} ns per row at ` +
      `N = 1,000,000), ${Math.round(tcp!.sides[1]!.ratio!)}× on Bun 1.4.5 (${
        time(tcp!.sides[1]!.inPlace!.nsPerRow)
      } ns against ${time(tcp!.sides[1]!.copy!.nsPerRow)} ns) and ${
        Math.round(tcp!.sides[2]!.ratio!)
      }× on Node 22.20.0 with koffi (DataView loop (node) ${
        time(tcp!.sides[2]!.inPlace!.nsPerRow)
      } ns against koffi decode (array of n) ${
        time(tcp!.sides[2]!.copy!.nsPerRow)
      } ns); a C loop through FFI ` +
      `takes ${time(deno.floor!.nsPerRow)} ns on Deno and ${time(tcp!.sides[1]!.floor!.nsPerRow)} ns on Bun.`,
  );
  assert.match(
    wide!.sentence,
    /^Reading taskstats rows \(416 B\) in place is \d+× faster than copying each row out on Deno/,
  );
});

test("GET /api/headline says slower where reading in place is the slower, and each runtime's direction", async () => {
  const arrays = (await headline(ONE_RUN_DIR)).rows[2]!;
  const [deno, bun, node] = arrays.sides;
  const time = (ns: number) => ns >= 1e3 ? `${(ns / 1e3).toPrecision(3)} µs` : `${ns.toPrecision(3)} ns`;
  assert.ok(deno!.ratio! < 1 && bun!.ratio! < 1 && node!.ratio! > 1);
  // Deno's and Bun's "slower" is said once; Node's loop against koffi is faster, and says so.
  assert.equal(
    arrays.sentence,
    `Reading MIB_TCPROW_OWNER_PID rows with u8[4] addresses (24 B) in place is ${
      (1 / deno!.ratio!).toFixed(1)
    }× slower than copying each row out on Deno 2.9.5 (${time(deno!.inPlace!.nsPerRow)} against ${
      time(deno!.copy!.nsPerRow)
    } per row at N = 1,000,000), ${(1 / bun!.ratio!).toFixed(1)}× on Bun 1.4.5 (${
      time(bun!.inPlace!.nsPerRow)
    } against ${time(bun!.copy!.nsPerRow)}) and ${
      Math.round(node!.ratio!)
    }× faster on Node 22.20.0 with koffi (${node!.inPlace!.name} ${time(node!.inPlace!.nsPerRow)} against ${
      node!.copy!.name
    } ${time(node!.copy!.nsPerRow)}); ` +
      `a C loop through FFI takes ${time(deno!.floor!.nsPerRow)} on Deno and ${
        time(bun!.floor!.nsPerRow)
      } on Bun.`,
  );
});

test("GET /api/headline shows a newer run without the u8[4] row type instead of hiding it", async () => {
  const dir = resultsWithRun();
  addTwoRowTypesRun(dir);
  const body = await headline(dir);
  assert.equal(body.run?.key, TWO_ROW_TYPES_KEY, "the newest run with the required row types");
  assert.deepEqual(body.run?.files, TWO_ROW_TYPES_FILES);
  assert.deepEqual(body.rows.map((r) => r.name), ["MIB_TCPROW_OWNER_PID", "taskstats"]);
  assert.deepEqual(body.rows[0]!.sides.map((s) => s.runtime), ["deno", "bun"]);
  // The run with all three is still there by its key.
  const older = await headline(dir, `?run=${encodeURIComponent(ONE_RUN_KEY)}`);
  assert.equal(older.rows.length, 3);
  // A run of the optional row type alone is shown when no run measured the required ones.
  const lone = resultsCopy();
  const deno = oneRunFixture(ONE_RUN_FILES[0]!);
  const arraysOnly = {
    ...deno,
    id: "arrays-only-deno",
    date: "2026-11-25T08:00:00.000Z",
    measurements: deno.measurements.filter((m) => m.group === ARRAYS),
  };
  for (const name of readdirSync(lone)) {
    // Only runs without the required row types: the fixtures' taskstats-less files stay.
    if (
      JSON.parse(readFileSync(join(lone, name), "utf8")).measurements.some((m: Measurement) =>
        m.group === TASKSTATS
      )
    ) {
      rmSync(join(lone, name));
    }
  }
  writeFileSync(join(lone, "arrays-only-deno.json"), JSON.stringify(arraysOnly));
  const alone = await headline(lone);
  assert.equal(alone.run?.key, "2026-11-25T08:00:00.000Z devbox");
  assert.deepEqual(alone.rows.map((r) => r.name), [ARRAYS_NAME]);
});

test("GET /api/headline takes the newest run that measured rows, and any run by its key", async () => {
  const dir = resultsWithRun();
  assert.equal((await headline(dir)).run?.key, ONE_RUN_KEY, "the one run is the newest");
  // An older run of one runtime, by its key.
  const older = await headline(dir, `?run=${encodeURIComponent("2026-11-20T09:30:00.000Z devbox")}`);
  assert.deepEqual(older.rows.map((r) => r.name), ["MIB_TCPROW_OWNER_PID"], "it has no taskstats rows");
  assert.deepEqual(older.rows[0]!.sides.map((s) => s.runtime), ["deno"]);
  const missing = await createApp({ resultsDir: dir }).request("/api/headline?run=nope");
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /^Cannot read run "nope": there is no such run/);
});

test("GET /api/headline with no rows measured says so", async () => {
  const empty = await headline(FIXTURES.replace(/fixtures\/$/, "no-such-folder/"));
  assert.deepEqual(empty.rows, []);
  assert.equal(empty.run, null);
  assert.match(empty.empty, /^No run has measured rows yet/);
});

test("GET /api/headline prefers the newest run with every row type over a newer run of some", async () => {
  const dir = resultsWithRun();
  const deno = oneRunFixture(ONE_RUN_FILES[0]!);
  const tcpOnly = { ...deno, id: "newer-deno", date: "2026-11-23T08:00:00.000Z" };
  tcpOnly.measurements = deno.measurements.filter((m) => m.group !== TASKSTATS);
  writeFileSync(join(dir, "newer-deno.json"), JSON.stringify(tcpOnly));
  assert.equal((await headline(dir)).run?.key, ONE_RUN_KEY);
  // With only runs of some row types, the newest of them.
  const some = resultsCopy();
  writeFileSync(join(some, "newer-deno.json"), JSON.stringify(tcpOnly));
  assert.equal((await headline(some)).run?.key, "2026-11-23T08:00:00.000Z devbox");
});

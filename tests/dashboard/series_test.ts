import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../dashboard/app.ts";
import type { Charts } from "../../dashboard/series.ts";
import { test } from "../harness.ts";
import { BUN_DEVBOX, DENO_DEVBOX, fixture, FIXTURES, resultsCopy } from "./_fixtures.ts";

const MIB = "MIB_TCPROW_OWNER_PID: sum owningPid";
const SOCKADDR = "sockaddr_in6: read port";

async function charts(query: string): Promise<Charts> {
  const response = await createApp({ resultsDir: FIXTURES }).request(`/api/charts${query}`);
  assert.equal(response.status, 200, query);
  return await response.json() as Charts;
}

test("GET /api/charts draws a line per contestant of the rows chart, references named, points by N", async () => {
  const body = await charts(`?a=${DENO_DEVBOX}`);
  assert.deepEqual(body.groups, [MIB, SOCKADDR]);
  assert.equal(body.group, MIB);
  // The peers have their own chart; the rows chart has the toolkit, the baselines and the C loop.
  assert.deepEqual(body.rows.map((s) => [s.label, s.technique]), [
    ["toolkit toArray", "copy"],
    ["toolkit read per row", "copy"],
    ["toolkit cursor", "in-place"],
    ["toolkit view", "in-place"],
    ["toolkit column", "in-place"],
    ["DataView loop (baseline)", "baseline"],
    ["C loop via FFI (native)", "native"],
    ["fresh object per row (baseline)", "baseline"],
  ]);
  const cursor = body.rows.find((s) => s.name === "toolkit cursor")!;
  assert.deepEqual(cursor.points, [
    { x: 100, y: 6.448 },
    { x: 1000, y: 4.565 },
    { x: 10000, y: 4.228 },
    { x: 100000, y: 3.905 },
  ]);
  assert.equal(cursor.compared, false);
  assert.deepEqual(body.memory.map((s) => s.label), [
    "toolkit copy out",
    "toolkit view in place",
    "memcpy via FFI (native)",
  ]);
  assert.deepEqual(body.memory[2]!.points.map((p) => [p.x, p.y]), [
    [64, 43.408],
    [4096, 158.156],
    [65536, 1952.718],
    [1048576, 30483.068],
  ]);
});

test("GET /api/charts divides each copying reference by the fastest in-place technique at each N", async () => {
  const body = await charts(`?a=${DENO_DEVBOX}`);
  assert.deepEqual(body.speedup.map((s) => [s.label, s.name, s.technique]), [
    ["toolkit's fastest copy ÷ toolkit's fastest in-place", "fastest copy", "copy"],
    ["hand-written fresh object per row ÷ toolkit's fastest in-place", "fresh object per row", "baseline"],
  ]);
  const [copy, fresh] = body.speedup;
  // At N 100: read per row 50.699 ns (toArray is 67.373), column 4.889 ns (cursor 6.448, view 14.127).
  assert.deepEqual(copy!.points[0], {
    x: 100,
    y: 50.699 / 4.889,
    copy: { name: "toolkit read per row", nsPerRow: 50.699 },
    best: { name: "toolkit column", nsPerRow: 4.889 },
  });
  assert.deepEqual(copy!.points.map((p) => p.x), [100, 1000, 10000, 100000]);
  assert.equal(copy!.points[3]!.y, 48.881 / 1.561);
  assert.deepEqual(fresh!.points.map((p) => p.y), [
    41.667 / 4.889,
    39.26 / 1.939,
    40.518 / 1.658,
    41.147 / 1.561,
  ]);
});

test("GET /api/charts follows the row question asked, and falls back to the run's first", async () => {
  const sockaddr = await charts(`?a=${DENO_DEVBOX}&group=${encodeURIComponent(SOCKADDR)}`);
  assert.equal(sockaddr.group, SOCKADDR);
  assert.deepEqual(sockaddr.rows.map((s) => s.label), ["toolkit read per row", "toolkit cursor"]);
  // No fresh object per row in this question: only the toolkit's copy is divided.
  assert.deepEqual(sockaddr.speedup.map((s) => s.points.map((p) => [p.x, p.y])), [
    [[1000, 36.724 / 3.308], [100000, 33.521 / 3.009]],
  ]);
  // The question has no peers: the peers chart shows the first question that has.
  assert.equal(sockaddr.peers.caption, `${MIB}, N = 100,000`);
  const unknown = await charts(`?a=${DENO_DEVBOX}&group=nothing`);
  assert.equal(unknown.group, MIB);
});

test("GET /api/charts lays out bars per contestant: calls, peers at the largest N, garbage per row", async () => {
  const body = await charts(`?a=${DENO_DEVBOX}`);
  assert.deepEqual(body.calls, {
    labels: [
      "toolkit call",
      "raw runtime FFI (baseline)",
      "toolkit call with errno",
      "koffi (peer)",
      "C loop per call (native)",
    ],
    techniques: ["toolkit", "baseline", "toolkit", "peer", "native"],
    series: [],
    runs: [{ name: "deno 2.9.5", compared: false }],
    datasets: [{
      label: "deno 2.9.5",
      series: "",
      compared: false,
      runtime: "deno",
      data: [39.554, 32.327, 56.887, 125.04, 1.21],
    }],
  });
  assert.equal(body.peers.caption, `${MIB}, N = 100,000`);
  assert.deepEqual(body.peers.labels, [
    "C loop via FFI (native)",
    "toolkit column",
    "DataView loop (baseline)",
    "toolkit cursor",
    "toolkit view",
    "bun-ffi-structs (peer)",
    "fresh object per row (baseline)",
    "toolkit read per row",
    "toolkit toArray",
    "restructure (peer)",
  ]);
  assert.deepEqual(
    body.peers.datasets[0]!.data,
    [0.452, 1.561, 2.989, 3.905, 11.412, 23.362, 41.147, 48.881, 60.814, 298.415],
  );
  assert.deepEqual(body.garbage.series, ["heap growth", "allocated"]);
  assert.deepEqual(body.garbage.labels, [
    "toolkit toArray",
    "toolkit read per row",
    "toolkit cursor",
    "toolkit column",
    "bun-ffi-structs (peer)",
  ]);
  // Bytes over the 10,000 rows scanned.
  assert.deepEqual(body.garbage.datasets.map((d) => [d.label, d.data]), [
    ["deno 2.9.5: heap growth", [96.1824, 69.0336, 0.0192, 4.0324, 48.9936]],
    ["deno 2.9.5: allocated", [327.6346, 179.9482, 0.0193, 4.058, 88.4957]],
  ]);
  assert.equal(
    body.garbage.sources,
    "deno: GCs toolkit toArray 3, toolkit read per row 2, toolkit cursor 0, toolkit column 0, bun-ffi-structs 1 " +
      "(heap: process.memoryUsage().heapUsed; GC count: GC profiler)",
  );
});

test("GET /api/charts with a compared run prefixes each run's series and leaves out empty datasets", async () => {
  const body = await charts(`?a=${DENO_DEVBOX}&b=${BUN_DEVBOX}`);
  assert.deepEqual(body.runs.map((r) => [r.file, r.compared, r.prefix, r.title]), [
    [DENO_DEVBOX, false, "deno: ", "Selected: deno 2.9.5"],
    [BUN_DEVBOX, true, "bun (compared): ", "Compared: bun 1.4.5"],
  ]);
  assert.equal(body.rows.length, 16);
  assert.equal(body.rows[0]!.label, "deno: toolkit toArray");
  assert.equal(body.rows[8]!.label, "bun (compared): toolkit toArray");
  assert.equal(body.rows[8]!.compared, true);
  assert.deepEqual(body.speedup.map((s) => s.label), [
    "deno: toolkit's fastest copy ÷ toolkit's fastest in-place",
    "deno: hand-written fresh object per row ÷ toolkit's fastest in-place",
    "bun (compared): toolkit's fastest copy ÷ toolkit's fastest in-place",
    "bun (compared): hand-written fresh object per row ÷ toolkit's fastest in-place",
  ]);
  assert.equal(body.speedup[2]!.points[0]!.y, 41.997 / 4.366);
  assert.deepEqual(body.calls.datasets.map((d) => [d.label, d.compared, d.data]), [
    ["deno", false, [39.554, 32.327, 56.887, 125.04, 1.21]],
    ["bun (compared)", true, [33.107, 26.996, 48.237, 104.377, 0.979]],
  ]);
  // Bun reports no collections, so it has no bytes allocated: that dataset is left out, not drawn empty.
  assert.deepEqual(body.garbage.datasets.map((d) => d.label), [
    "deno: heap growth",
    "deno: allocated",
    "bun (compared): heap growth",
  ]);
  assert.match(body.garbage.sources, /\. bun: GCs not reported \(heap: .*; GC count: not reported\)$/);
  // The selected run compared with itself is one run.
  const same = await charts(`?a=${DENO_DEVBOX}&b=${DENO_DEVBOX}`);
  assert.equal(same.runs.length, 1);
  assert.equal(same.rows[0]!.label, "toolkit toArray");
});

test("GET /api/charts describes the runs drawn: what, when, where, and why when the reader chose it", async () => {
  const [deno] = (await charts(`?a=${DENO_DEVBOX}`)).runs;
  assert.deepEqual(deno, {
    file: DENO_DEVBOX,
    compared: false,
    runtimeName: "deno",
    prefix: "",
    label: "deno 2.9.5 · devbox · 2026-11-20 09:30:00 UTC · quick",
    description: "deno 2.9.5, quick run of 2026-11-20 09:30:00 UTC on devbox",
    chosen: "chosen",
    title: "Selected: deno 2.9.5",
    details:
      " on devbox (AMD Ryzen 7 7840U, 16 cores, 32.0 GiB, Debian GNU/Linux 12 6.1.0-27-amd64 x86_64), " +
      `2026-11-20 09:30:00 UTC, quick run, 85 measurements, file ${DENO_DEVBOX}`,
    notes: ["deno note: koffi: skipped in the rows suite: no struct array decoder"],
  });
});

test("GET /api/charts says that a run the reader chose measures only some suites", async () => {
  const dir = resultsCopy();
  const deno = fixture(DENO_DEVBOX);
  const measurements = deno.measurements.filter((m) => m.suite === "rows" || m.suite === "calls");
  writeFileSync(join(dir, "partial.json"), JSON.stringify({ ...deno, id: "partial-deno", measurements }));
  const response = await createApp({ resultsDir: dir }).request("/api/charts?a=partial.json");
  assert.equal(response.status, 200);
  const [run] = (await response.json() as Charts).runs;
  assert.equal(run!.chosen, "chosen; it measures rows and calls only");
  assert.equal(run!.details.endsWith(", quick run, 49 measurements, file partial.json"), true, run!.details);
});

test("GET /api/charts without a selected run answers empty charts", async () => {
  const body = await charts("");
  assert.deepEqual([body.runs, body.groups, body.group, body.rows, body.speedup, body.memory], [
    [],
    [],
    "",
    [],
    [],
    [],
  ]);
  assert.deepEqual(body.calls, { labels: [], techniques: [], series: [], runs: [], datasets: [] });
  assert.equal(body.peers.caption, "");
  assert.equal(body.garbage.sources, "");
});

test("GET /api/charts refuses a bad or unknown file name as the other routes do", async () => {
  const app = createApp({ resultsDir: FIXTURES });
  const bad = await app.request("/api/charts?a=..%2Fdeno.json");
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^Cannot read result file "..\/deno.json": a name is letters/);
  const missing = await app.request(`/api/charts?a=${DENO_DEVBOX}&b=2030-01-01T00-00-00-000Z-bun.json`);
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /there is no such file/);
});

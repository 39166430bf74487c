import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, type DashboardOptions, resolveChartJs } from "../../dashboard/app.ts";
import type { BenchProgress, BenchRunner, RunStatus } from "../../dashboard/bench_run.ts";
import type { LiveBindings } from "../../dashboard/live.ts";
import { test } from "../harness.ts";
import { BUN_DEVBOX, DENO_DEVBOX, fixture, FIXTURES, resultsCopy } from "./_fixtures.ts";

const JSON_HEADERS = { "Content-Type": "application/json" };

function app(options: Partial<DashboardOptions> = {}) {
  return createApp({ resultsDir: FIXTURES, ...options });
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return await response.json() as Record<string, unknown>;
}

/** A runner that reports progress and finishes only when told to. */
function controlledRunner() {
  let finish!: (files: string[]) => void;
  let failRun!: (error: Error) => void;
  let report!: (progress: BenchProgress) => void;
  let calls = 0;
  const runner: BenchRunner = (options) => {
    calls++;
    report = options.onProgress;
    return new Promise((resolve, reject) => {
      finish = resolve;
      failRun = reject;
    });
  };
  return {
    runner,
    finish: (files: string[]) => finish(files),
    fail: (error: Error) => failRun(error),
    progress: (progress: BenchProgress) => report(progress),
    get calls() {
      return calls;
    },
  };
}

async function waitForState(a: ReturnType<typeof app>, state: RunStatus["state"]): Promise<RunStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await (await a.request("/api/run")).json() as RunStatus;
    if (status.state === state) return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`The run never reached state "${state}"`);
}

function startRun(a: ReturnType<typeof app>, body: unknown = { benchmark: "quick" }, headers = JSON_HEADERS) {
  return a.request("/api/run", { method: "POST", headers, body: JSON.stringify(body) });
}

const fakeLive = (overrides: Partial<LiveBindings> = {}): DashboardOptions["live"] => ({
  bindings: {
    listTcpSockets: () => [
      {
        family: "ipv4",
        state: "LISTEN",
        localAddress: "127.0.0.1",
        localPort: 8377,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        uid: 1000,
        inode: 123456789012n,
      },
    ],
    getTaskstats: (pid: number) => ({ pid, command: "deno", cpu: { runRealTotalNs: 2n ** 64n - 1n } }),
    ...overrides,
  },
});

test("createApp() serves the page, its script and style from dashboard/public", async () => {
  const a = app();
  const page = await a.request("/");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("Content-Type") ?? "", /^text\/html/);
  assert.match(page.headers.get("Content-Security-Policy") ?? "", /default-src 'self'/);
  const html = await page.text();
  assert.equal(html, readFileSync(new URL("../../dashboard/public/index.html", import.meta.url), "utf8"));
  assert.match(html, /src="\/vendor\/chart\.umd\.js"/);
  assert.doesNotMatch(html, /https?:\/\/(?!127)/, "the page loads nothing from the network");
  assert.match(html, /<script type="module" src="\/js\/main\.js">/);
  for (
    const [path, type] of [
      ["/js/main.js", /javascript/],
      ["/js/charts/rows_chart.js", /javascript/],
      ["/style.css", /css/],
    ] as const
  ) {
    const response = await a.request(path);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get("Content-Type") ?? "", type);
  }
});

test("createApp() serves chart.js from the installed npm package", async () => {
  const response = await app().request("/vendor/chart.umd.js");
  assert.equal(response.status, 200);
  const installed = readFileSync(
    new URL("../../node_modules/chart.js/dist/chart.umd.js", import.meta.url),
    "utf8",
  );
  assert.equal(await response.text(), installed);
  assert.equal(
    resolveChartJs(),
    fileURLToPath(new URL("../../node_modules/chart.js/dist/chart.umd.js", import.meta.url)),
  );
});

test("createApp() serves no other file", async () => {
  const a = app();
  for (
    const path of [
      "/app.ts",
      "/main.ts",
      "/public/js/main.js",
      "/app.js",
      "/js/",
      "/js/../app.ts",
      "/js/%2e%2e%2fapp.ts",
      "/js/charts/",
      "/dashboard/app.ts",
      "/..%2Fapp.ts",
      "/%2e%2e/package.json",
      "/vendor/chart.js",
      "/vendor/..%2F..%2Fpackage.json",
      "/node_modules/chart.js/dist/chart.umd.js",
      "/etc/passwd",
    ]
  ) {
    const response = await a.request(path);
    assert.equal(response.status, 404, path);
    assert.doesNotMatch(await response.text(), /"name"|import |root:/, path);
  }
});

test("GET /api/results lists the result files, newest first", async () => {
  const body = await json(await app().request("/api/results"));
  const results = body.results as { file: string; runtime: { name: string }; measurements: number }[];
  assert.deepEqual(
    results.map((r) => r.file),
    [BUN_DEVBOX, DENO_DEVBOX, "2026-11-19T17-02-45-000Z-deno.json"],
  );
  assert.deepEqual(results.map((r) => r.runtime.name), ["bun", "deno", "deno"]);
  assert.equal(results[1]?.measurements, fixture(DENO_DEVBOX).measurements.length);
  assert.deepEqual(body.skipped, []);
});

test("GET /api/results lists unreadable files apart and ignores other names and links", async () => {
  const dir = resultsCopy();
  writeFileSync(join(dir, "broken.json"), "{ not json");
  writeFileSync(join(dir, "old-schema.json"), JSON.stringify({ ...fixture(DENO_DEVBOX), schema: 0 }));
  writeFileSync(join(dir, "notes.txt"), "not a result");
  writeFileSync(join(dir, ".hidden.json"), JSON.stringify(fixture(DENO_DEVBOX)));
  mkdirSync(join(dir, "folder.json"));
  const outside = mkdtempSync(join(tmpdir(), "dashboard-outside-"));
  writeFileSync(join(outside, "secret.json"), JSON.stringify(fixture(DENO_DEVBOX)));
  symlinkSync(join(outside, "secret.json"), join(dir, "linked.json"));

  const a = app({ resultsDir: dir });
  const body = await json(await a.request("/api/results"));
  assert.equal((body.results as unknown[]).length, 3);
  const skipped = body.skipped as { file: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => s.file), ["broken.json", "old-schema.json"]);
  assert.match(skipped[0]?.reason ?? "", /not valid JSON/);
  assert.match(skipped[1]?.reason ?? "", /schema version 0 is not 1/);
  assert.equal(
    (await a.request("/api/results/linked.json")).status,
    404,
    "a link out of the folder is not served",
  );
  assert.equal((await a.request("/api/results/folder.json")).status, 404);
  const broken = await a.request("/api/results/broken.json");
  assert.equal(broken.status, 422, "a listed but unreadable file is the file's fault, not the server's");
  assert.match(String((await json(broken)).error), /not valid JSON/);
});

/** Writes files of every wrong shape the review met into a copy of the fixtures. */
function corruptCopy(): { dir: string; bad: Record<string, RegExp> } {
  const dir = resultsCopy();
  const good = fixture(DENO_DEVBOX);
  const first = good.measurements[0]!;
  const bad: Record<string, [unknown, RegExp]> = {
    "trunc.json": [JSON.stringify(good).slice(0, 2000), /not valid JSON/],
    "empty.json": ["\n", /not valid JSON/],
    "binary.json": ["\xff\xfe\x00garbage", /not valid JSON/],
    "null.json": ["null", /the top level is not an object/],
    "nomachine.json": [{ ...good, machine: {} }, /"machine\.cpu" is not a string/],
    "baddate.json": [{ ...good, date: "zzzz" }, /"date" is not an ISO date/],
    "zeros.json": [
      {
        ...good,
        measurements: good.measurements.map((m) => ({ ...m, n: m.n === undefined ? undefined : 0 })),
      },
      /"measurements\[0\]\.n" is not a positive number/,
    ],
    "python.json": [{ ...good, runtime: { name: "python", version: "3" } }, /"runtime" is not/],
    "xss.json": [
      { ...good, runtime: { name: "<img src=x onerror=alert(1)>", version: "1" } },
      /"runtime" is not/,
    ],
    "twice.json": [
      { ...good, measurements: [...good.measurements, first] },
      /repeats measurement 0 \(rows, MIB_TCPROW_OWNER_PID: sum owningPid, toolkit toArray, N 100\)/,
    ],
    "schema2.json": [{ ...good, schema: 2 }, /schema version 2 is not 1/],
  };
  for (const [name, [content]] of Object.entries(bad)) {
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return { dir, bad: Object.fromEntries(Object.entries(bad).map(([name, [, reason]]) => [name, reason])) };
}

test("GET /api/results skips every corrupt or wrong-shape file with its reason", async () => {
  const { dir, bad } = corruptCopy();
  const a = app({ resultsDir: dir });
  const response = await a.request("/api/results");
  assert.equal(response.status, 200);
  const body = await json(response);
  assert.deepEqual(
    (body.results as { file: string }[]).map((r) => r.file),
    [BUN_DEVBOX, DENO_DEVBOX, "2026-11-19T17-02-45-000Z-deno.json"],
    "only the well-formed files are listed",
  );
  const skipped = body.skipped as { file: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => s.file).sort(), Object.keys(bad).sort());
  for (const { file, reason } of skipped) {
    assert.match(reason, new RegExp(`^Cannot read result file "${file.replace(".", "\\.")}": `));
    assert.match(reason, bad[file]!, file);
    const direct = await a.request(`/api/results/${file}`);
    assert.equal(direct.status, 422, file);
    assert.equal((await json(direct)).error, reason, file);
    assert.equal((await a.request(`/api/compare?a=${file}&b=${DENO_DEVBOX}`)).status, 422, file);
  }
});

test("GET /api/results skips a file too large to be a result file without reading it", async () => {
  const dir = resultsCopy();
  writeFileSync(join(dir, "huge.json"), "[" + "0,".repeat(9 * 2 ** 20) + "0]");
  const body = await json(await app({ resultsDir: dir }).request("/api/results"));
  const skipped = body.skipped as { file: string; reason: string }[];
  assert.deepEqual(skipped.map((s) => s.file), ["huge.json"]);
  assert.match(skipped[0]!.reason, /is 18\.0 MiB, more than the 16 MiB a result file may be/);
});

/** A copy of a fixture as another run: a new date and id, and only some suites if asked. */
function asRun(
  dir: string,
  name: string,
  date: string,
  options: { suites?: string[]; mode?: "quick" | "full" } = {},
): string {
  const source = fixture(name);
  const runtime = source.runtime.name;
  const id = `${date.replaceAll(":", "-").replace(".", "-")}-${runtime}`;
  const measurements = options.suites
    ? source.measurements.filter((m) => options.suites!.includes(m.suite))
    : source.measurements;
  writeFileSync(
    join(dir, `${id}.json`),
    JSON.stringify({ ...source, id, date, mode: options.mode ?? source.mode, measurements }),
  );
  return `${id}.json`;
}

test("GET /api/results picks the run to show first: the newest full run with every suite", async () => {
  const dir = resultsCopy();
  const a = app({ resultsDir: dir });
  const selected = async () =>
    (await json(await a.request("/api/results"))).selected as {
      file: string;
      reason: string;
    };
  // The fixtures are quick runs with every suite: the newest wins, Deno before Bun within one run.
  assert.equal((await selected()).file, BUN_DEVBOX);
  assert.match((await selected()).reason, /^the newest run with every suite$/);
  const sameRun = asRun(dir, DENO_DEVBOX, "2026-11-20T09:31:10.000Z");
  assert.equal((await selected()).file, sameRun, "Deno first among one run's files");

  // A newer run of the rows alone is listed but not shown first.
  const rowsOnly = asRun(dir, DENO_DEVBOX, "2026-11-21T10:00:00.000Z", { suites: ["rows"] });
  const list = await json(await a.request("/api/results"));
  assert.equal((list.results as { file: string }[])[0]?.file, rowsOnly);
  assert.equal((await selected()).file, sameRun);
  assert.match(
    (await selected()).reason,
    /^the newest run with every suite; 1 newer file measures only some$/,
  );

  // A full run with every suite beats newer quick runs.
  const full = asRun(dir, DENO_DEVBOX, "2026-11-01T00:00:00.000Z", { mode: "full" });
  assert.equal((await selected()).file, full);
  assert.match(
    (await selected()).reason,
    /^the newest full run with every suite; 5 newer files are quick or partial runs$/,
  );

  // With only partial runs, the newest file.
  const partial = mkdtempSync(join(tmpdir(), "dashboard-partial-"));
  copyFileSync(join(dir, rowsOnly), join(partial, rowsOnly));
  const b = app({ resultsDir: partial });
  const only = (await json(await b.request("/api/results"))).selected as { file: string; reason: string };
  assert.deepEqual(only, { file: rowsOnly, reason: "the newest file; no run has every suite" });
  const none = app({ resultsDir: join(tmpdir(), "dashboard-no-such-folder") });
  assert.equal((await json(await none.request("/api/results"))).selected, null);
});

test("GET /api/results on a missing folder lists nothing", async () => {
  const body = await json(
    await app({ resultsDir: join(tmpdir(), "dashboard-no-such-folder") }).request("/api/results"),
  );
  assert.deepEqual(body, { results: [], skipped: [], selected: null });
});

test("GET /api/results/:file returns the file as written", async () => {
  const response = await app().request(`/api/results/${DENO_DEVBOX}`);
  assert.equal(response.status, 200);
  const body = await json(response);
  const expected = fixture(DENO_DEVBOX);
  assert.equal(body.file, DENO_DEVBOX);
  assert.equal(body.id, expected.id);
  assert.deepEqual(body.machine, expected.machine);
  assert.deepEqual(body.measurements, expected.measurements);
});

test("GET /api/results/:file/measurements filters by suite, group and technique", async () => {
  const a = app();
  const all = fixture(BUN_DEVBOX).measurements;
  const calls = await json(await a.request(`/api/results/${BUN_DEVBOX}/measurements?suite=calls`));
  assert.deepEqual(calls.measurements, all.filter((m) => m.suite === "calls"));
  const inPlace = await json(
    await a.request(`/api/results/${BUN_DEVBOX}/measurements?suite=rows&technique=in-place`),
  );
  const expected = all.filter((m) => m.suite === "rows" && m.technique === "in-place");
  assert.ok(expected.length > 0);
  assert.deepEqual(inPlace.measurements, expected);
  assert.deepEqual((inPlace.runtime as { name: string }).name, "bun");
});

test("GET /api/results/:file refuses names outside the pattern, so no path traversal", async () => {
  const a = app();
  for (
    const name of [
      "..%2F..%2Fdeno.json",
      "..%2F..%2F..%2Fetc%2Fpasswd",
      "%2e%2e%2fpackage.json",
      ".hidden.json",
      "a.b.json",
      "result.JSON",
      "result.json%00.txt",
      "%2Fetc%2Fpasswd",
      "x".repeat(300) + ".json",
    ]
  ) {
    const response = await a.request(`/api/results/${name}`);
    assert.equal(response.status, 400, name);
    assert.match(
      String((await json(response)).error),
      /^Cannot read result file ".*": a name is letters/,
      name,
    );
  }
  // A literal ".." is resolved by the URL parser before routing: it names no result file at all.
  assert.equal((await a.request("/api/results/../../deno.json")).status, 404);
  const missing = await a.request("/api/results/2030-01-01T00-00-00-000Z-deno.json");
  assert.equal(missing.status, 404);
  assert.match(String((await json(missing)).error), /there is no such file/);
  assert.equal((await a.request("/api/results/..%2F..%2Fdeno.json/measurements")).status, 400);
});

test("GET /api/compare pairs the measurements of two runs", async () => {
  const response = await app().request(`/api/compare?a=${DENO_DEVBOX}&b=${BUN_DEVBOX}`);
  assert.equal(response.status, 200);
  const body = await json(response);
  const rows = body.rows as {
    suite: string;
    name: string;
    n: number | null;
    a: number;
    b: number;
    ratio: number;
  }[];
  const deno = fixture(DENO_DEVBOX).measurements;
  const bun = fixture(BUN_DEVBOX).measurements;
  assert.equal(rows.length, deno.length);
  const cursorDeno = deno.find((m) => m.name === "toolkit cursor" && m.n === 100_000 && m.suite === "rows");
  const cursorBun = bun.find((m) => m.name === "toolkit cursor" && m.n === 100_000 && m.suite === "rows");
  const row = rows.find((r) => r.name === "toolkit cursor" && r.n === 100_000 && r.suite === "rows");
  assert.equal(row?.a, cursorDeno?.nsPerRow);
  assert.equal(row?.b, cursorBun?.nsPerRow);
  assert.equal(row?.ratio, cursorBun!.nsPerRow! / cursorDeno!.nsPerRow!);
  const call = rows.find((r) => r.suite === "calls" && r.name === "koffi");
  assert.equal(call?.a, deno.find((m) => m.suite === "calls" && m.name === "koffi")?.nsPerOp);
});

test("GET /api/compare lists what only one run measured with null on the other side", async () => {
  const dir = resultsCopy();
  const extra = { suite: "calls", group: "getpid()", name: "only in b", technique: "peer", nsPerOp: 7 };
  const b = fixture(BUN_DEVBOX);
  writeFileSync(
    join(dir, "b.json"),
    JSON.stringify({ ...b, measurements: [...b.measurements.slice(1), extra] }),
  );
  const body = await json(await app({ resultsDir: dir }).request(`/api/compare?a=${DENO_DEVBOX}&b=b.json`));
  const rows = body.rows as {
    name: string;
    n: number | null;
    a: number | null;
    b: number | null;
    ratio: unknown;
  }[];
  const first = fixture(DENO_DEVBOX).measurements[0]!;
  const missing = rows.find((r) => r.name === first.name && r.n === first.n);
  assert.deepEqual([missing?.a, missing?.b, missing?.ratio], [first.nsPerRow, null, null]);
  assert.deepEqual(rows.at(-1), {
    suite: "calls",
    group: "getpid()",
    name: "only in b",
    technique: "peer",
    n: null,
    bytes: null,
    a: null,
    b: 7,
    ratio: null,
  });
});

test("GET /api/compare validates both names", async () => {
  const a = app();
  assert.equal((await a.request(`/api/compare?a=${DENO_DEVBOX}`)).status, 400);
  assert.equal((await a.request(`/api/compare?a=${DENO_DEVBOX}&b=..%2Fx.json`)).status, 400);
  assert.equal((await a.request(`/api/compare?a=${DENO_DEVBOX}&b=missing.json`)).status, 404);
});

test("POST /api/run starts the quick run, reports progress, and refuses a second with 409", async () => {
  const dir = resultsCopy();
  const fake = controlledRunner();
  const a = app({ resultsDir: dir, runBench: fake.runner });
  const idle = await json(await a.request("/api/run"));
  assert.equal(idle.state, "idle");

  const started = await startRun(a);
  assert.equal(started.status, 202);
  const status = await json(started);
  assert.equal(status.state, "running");
  assert.equal(status.runNumber, 1);
  assert.equal(status.benchmark, "quick");

  const second = await startRun(a);
  assert.equal(second.status, 409);
  assert.match(String((await json(second)).error), /^Cannot start a run: run 1 is still going/);
  assert.equal(fake.calls, 1, "the second request did not start the runner");

  fake.progress({ done: 3, total: 12, label: "deno: rows" });
  const running = await json(await a.request("/api/run"));
  assert.deepEqual(running.progress, { done: 3, total: 12, fraction: 0.25, label: "deno: rows" });

  fake.finish([
    join(dir, "2026-11-21T10-00-00-000Z-deno.json"),
    join(dir, "2026-11-21T10-00-30-000Z-bun.json"),
  ]);
  const done = await waitForState(a, "done");
  assert.deepEqual(done.files, ["2026-11-21T10-00-00-000Z-deno.json", "2026-11-21T10-00-30-000Z-bun.json"]);
  assert.equal(done.progress.fraction, 1);
  assert.ok(done.finishedAt);

  const again = await startRun(a);
  assert.equal(again.status, 202, "a new run may start once the last one ended");
  assert.equal((await json(again)).runNumber, 2);
  fake.fail(new Error("mitata exploded"));
  const failed = await waitForState(a, "failed");
  assert.equal(failed.error, "mitata exploded");
});

test("POST /api/run starts only known benchmarks, from JSON requests of the same origin", async () => {
  const fake = controlledRunner();
  const a = app({ runBench: fake.runner });
  const unknown = await startRun(a, { benchmark: "full; rm -rf /" });
  assert.equal(unknown.status, 400);
  assert.match(
    String((await json(unknown)).error),
    /^Cannot start benchmark "full; rm -rf \/": known benchmarks are quick/,
  );
  assert.equal((await startRun(a, { benchmark: 42 })).status, 400);
  const form = await a.request("/api/run", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "benchmark=quick",
  });
  assert.equal(form.status, 415);
  const badJson = await a.request("/api/run", { method: "POST", headers: JSON_HEADERS, body: "{" });
  assert.equal(badJson.status, 400);
  const huge = await startRun(a, { benchmark: "quick", padding: "x".repeat(10_000) });
  assert.equal(huge.status, 413);
  const crossSite = await startRun(
    a,
    { benchmark: "quick" },
    { ...JSON_HEADERS, Origin: "https://evil.example" } as typeof JSON_HEADERS,
  );
  assert.equal(crossSite.status, 403);
  assert.equal(fake.calls, 0);
  const sameOrigin = await startRun(
    a,
    {},
    { ...JSON_HEADERS, Origin: "http://localhost" } as typeof JSON_HEADERS,
  );
  assert.equal(sameOrigin.status, 202, "an empty body means the quick benchmark");
  assert.equal(fake.calls, 1);
  fake.finish([]);
});

test("POST /api/run refuses a body that is JSON but not an object with 400", async () => {
  const fake = controlledRunner();
  const a = app({ runBench: fake.runner });
  for (const body of ["null", "[]", '[{"benchmark":"quick"}]', '"quick"', "5", "true"]) {
    const response = await a.request("/api/run", { method: "POST", headers: JSON_HEADERS, body });
    assert.equal(response.status, 400, body);
    assert.match(
      String((await json(response)).error),
      /^Cannot start a run: the body must be a JSON object such as \{"benchmark":"quick"\}/,
      body,
    );
  }
  assert.equal(fake.calls, 0, "nothing was started");
});

test("POST /api/run answers 503 with the reason when there is no runner", async () => {
  const a = app({ runBenchUnavailable: "bench/run.ts could not be loaded: not written yet" });
  const status = await json(await a.request("/api/run"));
  assert.equal(status.state, "unavailable");
  assert.equal(status.unavailableReason, "bench/run.ts could not be loaded: not written yet");
  const response = await startRun(a);
  assert.equal(response.status, 503);
  assert.match(String((await json(response)).error), /not written yet/);
});

test("GET /api/live/tcp returns the socket table, bigints made JSON-safe", async () => {
  const response = await app({ live: fakeLive() }).request("/api/live/tcp");
  assert.equal(response.status, 200);
  const body = await json(response);
  assert.equal(body.count, 1);
  assert.deepEqual(body.sockets, [{
    family: "ipv4",
    state: "LISTEN",
    localAddress: "127.0.0.1",
    localPort: 8377,
    remoteAddress: "0.0.0.0",
    remotePort: 0,
    uid: 1000,
    inode: 123456789012,
  }]);
});

test("GET /api/live/taskstats/:pid validates the PID", async () => {
  let asked: number | undefined;
  const a = app({ live: fakeLive({ getTaskstats: (pid) => ({ pid: asked = pid }) }) });
  for (const pid of ["0", "-1", "abc", "1.5", "01", "1e3", "4194305", "99999999", "%20", "0x10"]) {
    const response = await a.request(`/api/live/taskstats/${pid}`);
    assert.equal(response.status, 400, pid);
    assert.match(String((await json(response)).error), /^Cannot read PID ".*": a PID is/, pid);
  }
  assert.equal(asked, undefined, "no invalid PID reached the bindings");
  const max = await a.request("/api/live/taskstats/4194304");
  assert.equal(max.status, 200);
  assert.equal(asked, 4194304);
  const body = await json(await app({ live: fakeLive() }).request("/api/live/taskstats/1"));
  assert.deepEqual(body.taskstats, {
    pid: 1,
    command: "deno",
    cpu: { runRealTotalNs: "18446744073709551615" },
  });
});

test("GET /api/live/taskstats/:pid maps ESRCH to 404, EPERM to 403, others to 500", async () => {
  class SyscallError extends Error {
    override name = "SyscallError";
    constructor(message: string, readonly code: string, readonly errno: number) {
      super(message);
    }
  }
  const cases: [unknown, number, RegExp][] = [
    [
      new SyscallError("taskstats: ESRCH (No such process)", "ESRCH", 3),
      404,
      /PID 77: there is no such process/,
    ],
    [Object.assign(new Error("netlink said no"), { errno: -3 }), 404, /no such process/],
    [new Error("wrapped", { cause: new SyscallError("no", "ESRCH", 3) }), 404, /no such process/],
    [new SyscallError("taskstats: EPERM", "EPERM", 1), 403, /PID 77: taskstats: EPERM/],
    [new TypeError("layout mismatch"), 500, /PID 77: layout mismatch/],
  ];
  for (const [error, status, message] of cases) {
    const a = app({
      live: fakeLive({
        getTaskstats: () => {
          throw error;
        },
      }),
    });
    const response = await a.request("/api/live/taskstats/77");
    assert.equal(response.status, status, String(error));
    assert.match(String((await json(response)).error), message);
  }
});

test("GET /api/live says why the live views are unavailable, and they answer 503", async () => {
  const a = app({ live: { unavailable: "linux/mod.ts could not be loaded: not written yet" } });
  const live = await json(await a.request("/api/live"));
  assert.equal(live.available, false);
  assert.equal(live.reason, "linux/mod.ts could not be loaded: not written yet");
  assert.equal(typeof live.serverPid, "number");
  assert.equal((await a.request("/api/live/tcp")).status, 503);
  assert.equal((await a.request("/api/live/taskstats/1")).status, 503);
  assert.equal((await a.request("/api/live/taskstats/0")).status, 400, "input is validated first");
});

test("createApp() refuses requests for other host names (DNS rebinding)", async () => {
  const a = app();
  const evil = await a.request("http://evil.example/api/results", { headers: { Host: "evil.example" } });
  assert.equal(evil.status, 403);
  for (const host of ["127.0.0.1:8377", "localhost:8377", "[::1]:8377", "LOCALHOST"]) {
    assert.equal((await a.request("/api/results", { headers: { Host: host } })).status, 200, host);
  }
  const lan = app({ allowedHosts: ["192.168.1.20"] });
  assert.equal((await lan.request("/api/results", { headers: { Host: "192.168.1.20:8377" } })).status, 200);
  const any = app({ allowedHosts: ["*"] });
  assert.equal((await any.request("/api/results", { headers: { Host: "box.lan" } })).status, 200);
});

test("createApp() answers unknown routes with 404, and a wrong method on a known route with 405", async () => {
  const a = app();
  const response = await a.request("/api/nothing");
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { error: "Cannot GET /api/nothing: there is no such route" });
  for (
    const [method, path] of [
      ["POST", "/api/nothing"],
      ["DELETE", "/api/nothing/deeper"],
      ["GET", "/api/run/now"],
      ["GET", "/api/results/x.json/other"],
      ["POST", "/nope"],
      ["PUT", "/nope.html"],
    ] as const
  ) {
    assert.equal((await a.request(path, { method })).status, 404, `${method} ${path}`);
  }
  for (
    const [method, path, allow] of [
      ["DELETE", "/api/results", "GET, HEAD"],
      ["POST", `/api/results/${DENO_DEVBOX}`, "GET, HEAD"],
      ["PUT", "/api/run", "GET, HEAD, POST"],
      ["POST", "/api/live/taskstats/1", "GET, HEAD"],
      ["POST", "/", "GET, HEAD"],
      ["DELETE", "/js/main.js", "GET, HEAD"],
      ["POST", "/api/charts", "GET, HEAD"],
    ] as const
  ) {
    const refused = await a.request(path, { method });
    assert.equal(refused.status, 405, `${method} ${path}`);
    assert.equal(refused.headers.get("Allow"), allow, `${method} ${path}`);
    if (path.startsWith("/api/")) {
      assert.deepEqual(await refused.json(), {
        error: `Cannot ${method} ${path}: this route answers ${allow.replace(/, (?=[^,]*$)/, " and ")}`,
      });
    }
  }
});

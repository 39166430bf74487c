/**
 * The benchmark dashboard as a hono app: a value built from its dependencies (the results folder, the
 * benchmark runner, the Linux bindings), so tests drive it with `app.request()` without opening a socket.
 *
 * @example Serve the charts of a results folder
 * ```ts ignore
 * import { createApp } from "./app.ts";
 * const app = createApp({ resultsDir: "bench/results" });
 * Deno.serve({ hostname: "127.0.0.1", port: 8377 }, app.fetch);
 * ```
 *
 * @module
 */
import { Hono } from "hono";
import type { Context, Handler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Measurement } from "../bench/schema.ts";
import {
  type BenchRunner,
  BenchTracker,
  KNOWN_BENCHMARKS,
  RunInProgressError,
  RunnerUnavailableError,
} from "./bench_run.ts";
import { type LiveSource, parsePid, statusOfLiveError, toJsonSafe } from "./live.ts";
import { isResultFileName, listResultFileNames, listResults, readResultFile } from "./results.ts";
import { allowedMethods, describeRoutes, registerRoutes, type Route } from "./routes.ts";
import { finishedRun, listRuns } from "./run_list.ts";
import { HEADLINE_ROW_TYPES, shapeHeadline } from "./headline.ts";
import { readNewestRunWith, readRun } from "./run_files.ts";
import { type NamedResult, shapeRunCharts } from "./series.ts";

/** The dependencies of the dashboard. */
export interface DashboardOptions {
  /** The folder of result files (`bench/results`). */
  resultsDir: string;
  /** Runs the quick benchmark; without it the run button says why it cannot run. */
  runBench?: BenchRunner | undefined;
  /** Why there is no runner, shown on the page. */
  runBenchUnavailable?: string | undefined;
  /**
   * The run tracker to use instead of one made from `runBench`: the entry shares it to start the first quick
   * run itself, so that the page shows that run's progress too.
   */
  tracker?: BenchTracker | undefined;
  /** The Linux bindings for the live views, or why they are not available. */
  live?: LiveSource | undefined;
  /** `chart.umd.js` of the installed chart.js; found in `node_modules` when not given. */
  chartJsPath?: string | undefined;
  /**
   * Host names the `Host` header may carry besides the loopback names, or `"*"` for any (when serving on all
   * interfaces). Refusing other names stops DNS-rebinding pages from reaching a loopback server.
   */
  allowedHosts?: readonly string[] | undefined;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];

function hostNameOf(hostHeader: string): string {
  const bracketed = hostHeader.match(/^(\[[^\]]*\])(?::\d+)?$/);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  return hostHeader.replace(/:\d+$/, "").toLowerCase();
}

const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

const HTML = "text/html; charset=utf-8";
const JAVASCRIPT = "text/javascript; charset=utf-8";

/**
 * The only files the dashboard serves: URL path to file and type, the page's modules listed once at start.
 * Nothing else is ever read for a URL.
 */
function staticFiles(): Record<string, { file: string; type: string }> {
  const files: Record<string, { file: string; type: string }> = {
    "/": { file: join(PUBLIC_DIR, "index.html"), type: HTML },
    "/index.html": { file: join(PUBLIC_DIR, "index.html"), type: HTML },
    "/style.css": { file: join(PUBLIC_DIR, "style.css"), type: "text/css; charset=utf-8" },
  };
  const modules = readdirSync(join(PUBLIC_DIR, "js"), { recursive: true, encoding: "utf8" });
  for (const name of modules.filter((n) => n.endsWith(".js")).sort()) {
    const path = name.split(/[\\/]/).join("/");
    files[`/js/${path}`] = { file: join(PUBLIC_DIR, "js", name), type: JAVASCRIPT };
  }
  return files;
}

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Finds `chart.js/dist/chart.umd.js` in the `node_modules` above the dashboard.
 *
 * @returns The absolute path.
 * @throws {Error} When chart.js is not installed.
 */
export function resolveChartJs(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules", "chart.js", "dist", "chart.umd.js");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  try {
    // The package's exports do not list the UMD build; its main entry sits in the same folder.
    const main = createRequire(import.meta.url).resolve("chart.js");
    const candidate = join(dirname(main), "chart.umd.js");
    if (existsSync(candidate)) return candidate;
  } catch (error) {
    throw new Error(`Cannot find chart.js: run "npm ci" first`, { cause: error });
  }
  throw new Error(`Cannot find chart.js/dist/chart.umd.js: run "npm ci" first`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function jsonError(
  c: Context,
  status: 400 | 403 | 404 | 405 | 409 | 415 | 422 | 500 | 503,
  message: string,
): Response {
  return c.json({ error: message }, status);
}

/** The measurement's identity across two runs. */
function measurementKey(m: Measurement): string {
  return JSON.stringify([m.suite, m.group, m.name, m.n ?? null, m.bytes ?? null]);
}

/** The number a comparison divides: time per row when there is one, else time per operation. */
function timeOf(m: Measurement): number {
  return m.nsPerRow ?? m.nsPerOp;
}

/**
 * Builds the dashboard app.
 *
 * @param options The results folder and the injected runner and bindings.
 * @returns The hono app; serve it with `Deno.serve(app.fetch)` or `Bun.serve({ fetch: app.fetch })`.
 */
export function createApp(options: DashboardOptions): Hono {
  const { resultsDir } = options;
  const chartJsPath = options.chartJsPath ?? resolveChartJs();
  const tracker = options.tracker ?? new BenchTracker(options.runBench, options.runBenchUnavailable);
  const live: LiveSource = options.live ?? { unavailable: "No Linux bindings are configured" };
  const allowedHosts = new Set([
    ...LOOPBACK_NAMES,
    ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
  ]);
  const app = new Hono();

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    if (!c.req.path.startsWith("/api/")) c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  });

  app.use("*", async (c, next) => {
    const host = c.req.header("Host");
    if (!allowedHosts.has("*") && host !== undefined && !allowedHosts.has(hostNameOf(host))) {
      return c.text(`Host "${host.slice(0, 80)}" is not served here`, 403);
    }
    return await next();
  });

  /** Looks a file name up among the listed files; returns a response when it is refused. */
  async function checkedFile(c: Context, name: string): Promise<string | Response> {
    if (!isResultFileName(name)) {
      return jsonError(
        c,
        400,
        `Cannot read result file "${
          name.slice(0, 80)
        }": a name is letters, digits, "-" and "_" followed by ".json"`,
      );
    }
    if (!(await listResultFileNames(resultsDir)).includes(name)) {
      return jsonError(c, 404, `Cannot read result file "${name}": there is no such file`);
    }
    return name;
  }

  async function readChecked(c: Context, name: string): Promise<NamedResult | Response> {
    const file = await checkedFile(c, name);
    if (file instanceof Response) return file;
    try {
      return { file, ...await readResultFile(resultsDir, file) };
    } catch (error) {
      // A file that is not a result file (the listing skips it with the same reason) is the file's fault.
      return jsonError(c, error instanceof TypeError ? 422 : 500, errorMessage(error));
    }
  }

  const getResult: Handler = async (c) => {
    const result = await readChecked(c, c.req.param("file") ?? "");
    return result instanceof Response ? result : c.json(result);
  };

  const getMeasurements: Handler = async (c) => {
    const result = await readChecked(c, c.req.param("file") ?? "");
    if (result instanceof Response) return result;
    const filters = (["suite", "group", "technique"] as const).map((key) => [key, c.req.query(key)] as const);
    const measurements = result.measurements.filter((m) =>
      filters.every(([key, wanted]) => wanted === undefined || m[key] === wanted)
    );
    return c.json({ file: result.file, runtime: result.runtime, measurements });
  };

  const getCompare: Handler = async (c) => {
    const names = [c.req.query("a"), c.req.query("b")];
    if (names[0] === undefined || names[1] === undefined) {
      return jsonError(c, 400, `Cannot compare runs: give two result files as "a" and "b"`);
    }
    const a = await readChecked(c, names[0]);
    if (a instanceof Response) return a;
    const b = await readChecked(c, names[1]);
    if (b instanceof Response) return b;
    const byKey = new Map(b.measurements.map((m) => [measurementKey(m), m]));
    const row = (m: Measurement, ma: Measurement | undefined, mb: Measurement | undefined) => ({
      suite: m.suite,
      group: m.group,
      name: m.name,
      technique: m.technique,
      n: m.n ?? null,
      bytes: m.bytes ?? null,
      a: ma ? timeOf(ma) : null,
      b: mb ? timeOf(mb) : null,
      ratio: ma && mb ? timeOf(mb) / timeOf(ma) : null,
    });
    const rows = a.measurements.map((ma) => {
      const key = measurementKey(ma);
      const mb = byKey.get(key);
      byKey.delete(key);
      return row(ma, ma, mb);
    });
    // What only the second run measured comes last.
    for (const mb of byKey.values()) rows.push(row(mb, undefined, mb));
    return c.json({
      a: { file: names[0], id: a.id, runtime: a.runtime, machine: a.machine, date: a.date },
      b: { file: names[1], id: b.id, runtime: b.runtime, machine: b.machine, date: b.date },
      unit: "ns per row where measured per row, else ns per operation; ratio is b / a",
      rows,
    });
  };

  const getRuns: Handler = async (c) => {
    const list = await listResults(resultsDir);
    const finished = c.req.query("finished");
    if (finished !== undefined && !/^[1-9][0-9]{0,8}$/.test(finished)) {
      return jsonError(
        c,
        400,
        `Cannot list runs: "finished" is a run number such as 1, not "${finished.slice(0, 20)}"`,
      );
    }
    return c.json(
      listRuns(list, finished ? finishedRun(tracker.status, Number(finished), list.results) : null),
    );
  };

  /** The files of `?<name>=`: a run's by its key; `[]` when not asked; a 404 response for an unknown run. */
  async function runQuery(c: Context, name: string): Promise<NamedResult[] | Response> {
    const key = c.req.query(name);
    if (key === undefined || key === "") return [];
    const run = await readRun(resultsDir, key);
    return run?.files ??
      jsonError(c, 404, `Cannot read run "${key.slice(0, 80)}": there is no such run (see GET /api/runs)`);
  }

  const getCharts: Handler = async (c) => {
    const [aName, bName] = [c.req.query("a"), c.req.query("b")];
    const a = aName ? await readChecked(c, aName) : null;
    if (a instanceof Response) return a;
    const b = bName ? await readChecked(c, bName) : null;
    if (b instanceof Response) return b;
    const run = await runQuery(c, "run");
    if (run instanceof Response) return run;
    const before = await runQuery(c, "before");
    if (before instanceof Response) return before;
    // A file and a run may be asked together: a file adds to the run on its side.
    const selected = [...(a ? [a] : []), ...run];
    const compared = [...(b ? [b] : []), ...before];
    return c.json(shapeRunCharts(selected, compared, c.req.query("group") ?? ""));
  };

  const getHeadline: Handler = async (c) => {
    const key = c.req.query("run");
    const run = key ? await readRun(resultsDir, key) : await readNewestRunWith(
      resultsDir,
      HEADLINE_ROW_TYPES.filter((t) => t.required).map((t) => t.group),
      HEADLINE_ROW_TYPES.filter((t) => !t.required).map((t) => t.group),
    );
    if (key && !run) {
      return jsonError(
        c,
        404,
        `Cannot read run "${key.slice(0, 80)}": there is no such run (see GET /api/runs)`,
      );
    }
    return c.json(shapeHeadline(run?.files ?? [], run?.key ?? ""));
  };

  const startRun: Handler = async (c) => {
    // A cross-site form cannot send JSON without a preflight this server never answers.
    if (!(c.req.header("Content-Type") ?? "").startsWith("application/json")) {
      return jsonError(c, 415, `Cannot start a run: send a JSON body such as {"benchmark":"quick"}`);
    }
    const origin = c.req.header("Origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      return jsonError(c, 403, `Cannot start a run from origin "${origin}"`);
    }
    let body: unknown;
    try {
      const text = await c.req.text();
      body = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      return jsonError(c, 400, "Cannot start a run: the body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return jsonError(
        c,
        400,
        `Cannot start a run: the body must be a JSON object such as {"benchmark":"quick"}, not ${
          body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`
        }`,
      );
    }
    const benchmark = "benchmark" in body ? (body as { benchmark: unknown }).benchmark : "quick";
    if (typeof benchmark !== "string" || !KNOWN_BENCHMARKS.includes(benchmark)) {
      return jsonError(
        c,
        400,
        `Cannot start benchmark "${
          String(benchmark).slice(0, 40)
        }": known benchmarks are ${KNOWN_BENCHMARKS}`,
      );
    }
    try {
      return c.json(tracker.start(benchmark), 202);
    } catch (error) {
      if (error instanceof RunInProgressError) return jsonError(c, 409, error.message);
      if (error instanceof RunnerUnavailableError) return jsonError(c, 503, error.message);
      throw error;
    }
  };

  const getLive: Handler = (c) =>
    c.json(
      "bindings" in live
        ? { available: true, reason: null, note: live.note ?? null, serverPid: process.pid }
        : { available: false, reason: live.unavailable, note: null, serverPid: process.pid },
    );

  const getTcp: Handler = async (c) => {
    if (!("bindings" in live)) return jsonError(c, 503, `Live views are unavailable: ${live.unavailable}`);
    try {
      const sockets = await live.bindings.listTcpSockets();
      return c.json({ note: live.note ?? null, count: sockets.length, sockets: toJsonSafe(sockets) });
    } catch (error) {
      return jsonError(c, statusOfLiveError(error), `Cannot list TCP sockets: ${errorMessage(error)}`);
    }
  };

  const getTaskstats: Handler = async (c) => {
    let pid: number;
    try {
      pid = parsePid(c.req.param("pid") ?? "");
    } catch (error) {
      return jsonError(c, 400, errorMessage(error));
    }
    if (!("bindings" in live)) return jsonError(c, 503, `Live views are unavailable: ${live.unavailable}`);
    try {
      const stats = await live.bindings.getTaskstats(pid);
      return c.json({ pid, note: live.note ?? null, taskstats: toJsonSafe(stats) });
    } catch (error) {
      const status = statusOfLiveError(error);
      const message = status === 404
        ? `Cannot read taskstats for PID ${pid}: there is no such process`
        : `Cannot read taskstats for PID ${pid}: ${errorMessage(error)}`;
      return jsonError(c, status, message);
    }
  };

  const smallBody = bodyLimit({
    maxSize: 4096,
    onError: (c) => c.json({ error: "Cannot start a run: the body is larger than 4096 bytes" }, 413),
  });

  /** Every route the dashboard answers; the registrations, `Allow` and `GET /api` all come from here. */
  const routes: Route[] = [
    ...Object.entries(staticFiles()).map(([path, { file, type }]): Route => ({
      method: "GET",
      path,
      handler: async (c) => c.body(await readFile(file, "utf8"), 200, { "Content-Type": type }),
    })),
    {
      method: "GET",
      path: "/vendor/chart.umd.js",
      handler: async (c) => c.body(await readFile(chartJsPath, "utf8"), 200, { "Content-Type": JAVASCRIPT }),
    },
    { method: "GET", path: "/api", handler: (c) => c.json({ routes: describeRoutes(routes) }) },
    { method: "GET", path: "/api/results", handler: async (c) => c.json(await listResults(resultsDir)) },
    { method: "GET", path: "/api/results/:file", handler: getResult },
    {
      method: "GET",
      path: "/api/results/:file/measurements",
      query: "?suite=&group=&technique=",
      handler: getMeasurements,
    },
    { method: "GET", path: "/api/compare", query: "?a=:file&b=:file", handler: getCompare },
    { method: "GET", path: "/api/runs", query: "?finished=:run", handler: getRuns },
    {
      method: "GET",
      path: "/api/charts",
      query: "?a=:file&b=:file&run=:run&before=:run&group=",
      handler: getCharts,
    },
    { method: "GET", path: "/api/headline", query: "?run=:run", handler: getHeadline },
    { method: "GET", path: "/api/run", handler: (c) => c.json(tracker.status) },
    { method: "POST", path: "/api/run", middleware: smallBody, handler: startRun },
    { method: "GET", path: "/api/live", handler: getLive },
    { method: "GET", path: "/api/live/tcp", handler: getTcp },
    { method: "GET", path: "/api/live/taskstats/:pid", handler: getTaskstats },
  ];
  registerRoutes(app, routes);

  app.notFound((c) => {
    const { method, path } = c.req;
    const api = path === "/api" || path.startsWith("/api/");
    const allow = allowedMethods(routes, path);
    if (allow !== undefined) {
      c.header("Allow", allow);
      const methods = allow.replace(/, (?=[^,]*$)/, " and ");
      return api
        ? jsonError(c, 405, `Cannot ${method} ${path}: this route answers ${methods}`)
        : c.text(`Method ${method} is not allowed here: this page answers ${methods}`, 405);
    }
    return api
      ? jsonError(c, 404, `Cannot ${method} ${path}: there is no such route`)
      : c.text("Not found", 404);
  });
  app.onError((error, c) => jsonError(c, 500, errorMessage(error)));

  return app;
}

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createApp } from "../../dashboard/app.ts";
import { allowedMethods, describeRoutes, type Route } from "../../dashboard/routes.ts";
import { test } from "../harness.ts";
import { DENO_DEVBOX, FIXTURES } from "./_fixtures.ts";

const answer: Route["handler"] = (c) => c.text("");
const table: Route[] = [
  { method: "GET", path: "/", handler: answer },
  { method: "GET", path: "/js/main.js", handler: answer },
  { method: "GET", path: "/api/run", handler: answer },
  { method: "POST", path: "/api/run", handler: answer },
  { method: "GET", path: "/api/results/:file", handler: answer },
  { method: "GET", path: "/api/compare", query: "?a=:file&b=:file", handler: answer },
];

test("allowedMethods() lists the methods of every route with that path, HEAD with GET", () => {
  assert.equal(allowedMethods(table, "/api/run"), "GET, HEAD, POST");
  assert.equal(allowedMethods(table, "/api/results/x.json"), "GET, HEAD");
  assert.equal(allowedMethods(table, "/"), "GET, HEAD");
  // A path segment matches one segment, and a dot in a path is a dot.
  for (
    const path of ["/api/results/x/y", "/api/results/", "/js/mainxjs", "/js/main.js/", "/index.html", "/api"]
  ) {
    assert.equal(allowedMethods(table, path), undefined, path);
  }
});

test("describeRoutes() lists the API routes with their queries, in the table's order", () => {
  assert.deepEqual(describeRoutes(table), [
    "GET /api/run",
    "POST /api/run",
    "GET /api/results/:file",
    "GET /api/compare?a=:file&b=:file",
  ]);
});

test("GET /api lists every API route, each answers, and dashboard/README.md documents each", async () => {
  const app = createApp({ resultsDir: FIXTURES });
  const { routes } = await (await app.request("/api")).json() as { routes: string[] };
  assert.deepEqual(routes, [
    "GET /api/results",
    "GET /api/results/:file",
    "GET /api/results/:file/measurements?suite=&group=&technique=",
    "GET /api/compare?a=:file&b=:file",
    "GET /api/runs?finished=:run",
    "GET /api/charts?a=:file&b=:file&run=:run&before=:run&group=",
    "GET /api/headline?run=:run",
    "GET /api/run",
    "POST /api/run",
    "GET /api/live",
    "GET /api/live/tcp",
    "GET /api/live/taskstats/:pid",
  ]);
  const readme = readFileSync(new URL("../../dashboard/README.md", import.meta.url), "utf8");
  for (const route of routes) {
    const [method, path] = route.split(" ") as [string, string];
    const documented = path.replace(/\?.*/, "");
    assert.match(readme, new RegExp(`\\| \`${method} ${documented.replaceAll("/", "\\/")}[?\` ]`), route);
    const url = documented.replace(":file", DENO_DEVBOX).replace(":pid", "1");
    const response = await app.request(url, method === "POST" ? { method, body: "{}" } : {});
    assert.ok(![404, 405].includes(response.status), `${route} answers ${response.status}`);
  }
});

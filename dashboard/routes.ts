/**
 * The dashboard's one route table and what is derived from it: the hono registrations, the `Allow` header
 * of a 405 (a known path asked with another method) and the route list `GET /api` answers.
 *
 * @module
 */
import type { Handler, Hono, MiddlewareHandler } from "hono";

/** One route: a method, a hono path (`:name` for a segment) and what answers it. */
export interface Route {
  /** The method; HEAD is answered with GET. */
  method: "GET" | "POST";
  /** A hono path, e.g. `/api/results/:file`. */
  path: string;
  /** The query it reads, as the route list shows it, e.g. `?a=:file&b=:file`. */
  query?: string;
  /** Runs before the handler (a body limit). */
  middleware?: MiddlewareHandler;
  /** Answers the request. */
  handler: Handler;
}

/** The order `Allow` lists methods in; HEAD comes with GET, as hono answers it. */
const METHOD_ORDER = ["GET", "HEAD", "POST"];

function patternOf(path: string): RegExp {
  const segments = path.split("/").map((segment) =>
    segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  );
  return new RegExp(`^${segments.join("/")}$`);
}

/**
 * Registers every route of a table on an app.
 *
 * @param app The hono app.
 * @param routes The table.
 */
export function registerRoutes(app: Hono, routes: readonly Route[]): void {
  for (const route of routes) {
    if (route.middleware) app.on(route.method, route.path, route.middleware, route.handler);
    else app.on(route.method, route.path, route.handler);
  }
}

/**
 * The methods a path answers, for the `Allow` header of a 405.
 *
 * @param routes The table.
 * @param path A request's path.
 * @returns E.g. `GET, HEAD, POST`; `undefined` when no route has that path (a 404).
 */
export function allowedMethods(routes: readonly Route[], path: string): string | undefined {
  const methods = new Set<string>();
  for (const route of routes) {
    if (!patternOf(route.path).test(path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return methods.size ? METHOD_ORDER.filter((m) => methods.has(m)).join(", ") : undefined;
}

/**
 * The JSON API's routes as `GET /api` lists them.
 *
 * @param routes The table.
 * @returns E.g. `GET /api/compare?a=:file&b=:file`, for every route under `/api/`.
 */
export function describeRoutes(routes: readonly Route[]): string[] {
  return routes.filter((r) => r.path.startsWith("/api/")).map((r) => `${r.method} ${r.path}${r.query ?? ""}`);
}

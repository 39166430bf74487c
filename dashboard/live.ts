/**
 * The live views' dependency: the two Linux bindings the dashboard shows at work, as an interface the app
 * receives, and the rules for PIDs and for turning the bindings' errors into HTTP statuses.
 *
 * @module
 */

/** One row of the machine's TCP socket table, as `linux/mod.ts` `listTcpSockets()` returns it. */
export interface TcpSocketRow {
  family: string;
  state: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  uid?: number;
  inode?: number | bigint;
  [field: string]: unknown;
}

/** The functions of `linux/mod.ts` the live views use. Either may be synchronous or asynchronous. */
export interface LiveBindings {
  listTcpSockets(): readonly TcpSocketRow[] | Promise<readonly TcpSocketRow[]>;
  getTaskstats(pid: number): object | Promise<object>;
}

/** The live views' dependency: the bindings, or why they are not available. */
export type LiveSource = { bindings: LiveBindings; note?: string } | { unavailable: string };

/** The largest PID Linux hands out (`PID_MAX_LIMIT` on 64-bit). */
export const PID_MAX = 4_194_304;

/**
 * Parses a PID from a request.
 *
 * @param text The PID as sent.
 * @returns The PID.
 * @throws {RangeError} When it is not a positive decimal integer up to {@linkcode PID_MAX}.
 */
export function parsePid(text: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(text)) {
    throw new RangeError(
      `Cannot read PID "${text.slice(0, 40)}": a PID is a positive integer up to ${PID_MAX}`,
    );
  }
  const pid = Number(text);
  if (pid > PID_MAX) {
    throw new RangeError(`Cannot read PID "${text}": a PID is at most ${PID_MAX}`);
  }
  return pid;
}

const ERRNO_NAMES: Record<number, string> = { 1: "EPERM", 3: "ESRCH", 13: "EACCES", 22: "EINVAL" };

/**
 * Finds the errno name of an error thrown by the bindings (`SyscallError`), looking at the common fields.
 *
 * @param error Anything thrown.
 * @returns A name such as "ESRCH", or `undefined`.
 */
export function errnoName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as {
    code?: unknown;
    errno?: unknown;
    errnoName?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  for (const value of [e.code, e.errnoName]) {
    if (typeof value === "string" && /^E[A-Z0-9]+$/.test(value)) return value;
  }
  for (const value of [e.errno, e.code]) {
    if (typeof value === "number") return ERRNO_NAMES[Math.abs(value)];
  }
  if (typeof e.message === "string") {
    const match = e.message.match(/\b(ESRCH|EPERM|EACCES|EINVAL|ENOENT)\b/);
    if (match) return match[1];
  }
  return e.cause === undefined || e.cause === error ? undefined : errnoName(e.cause);
}

/**
 * The HTTP status for an error from the bindings: 404 when the process does not exist, 403 when the
 * kernel refuses, 500 otherwise.
 *
 * @param error Anything thrown.
 * @returns The status code.
 */
export function statusOfLiveError(error: unknown): 404 | 403 | 500 {
  const name = errnoName(error);
  if (name === "ESRCH" || name === "ENOENT") return 404;
  if (name === "EPERM" || name === "EACCES") return 403;
  return 500;
}

/**
 * Makes a value from the bindings safe for `JSON.stringify`: `bigint` becomes a number when exact, else a
 * decimal string.
 *
 * @param value A value from the bindings.
 * @returns A JSON-safe copy.
 */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (typeof field !== "function") out[key] = toJsonSafe(field);
    }
    return out;
  }
  return value;
}

/**
 * The one test entry point for both runtimes: the same test files run under `deno test` and `bun test`.
 *
 * Assertions come from `node:assert/strict`, which both runtimes ship.
 *
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import process from "node:process";

/** The runtime the tests run on. */
export const runtime: "deno" | "bun" = "Bun" in globalThis ? "bun" : "deno";

type TestFn = () => void | Promise<void>;
interface BunTest {
  test(name: string, fn: TestFn, timeout?: number): void;
}

// A specifier held in a variable, so that `deno check` does not try to resolve Bun's built-in module.
const bunTestSpecifier = "bun:test";
const bunTest: BunTest | undefined = runtime === "bun" ? await import(bunTestSpecifier) : undefined;

/** Options of one test. */
export interface TestOptions {
  /** Skip the test, with the reason printed. A skipped test says why. */
  ignore?: string | false;
  /** Timeout in milliseconds (Bun's default of 5 s is too short for compiling C). */
  timeout?: number;
}

/**
 * Registers a test under the running runtime's test runner.
 *
 * @param name "symbol() does X"
 * @param fn The test body.
 * @param options Skip reason or timeout.
 */
export function test(name: string, fn: TestFn, options: TestOptions = {}): void {
  if (options.ignore) {
    console.log(`skipped: ${name}: ${options.ignore}`);
    if (bunTest) (bunTest.test as unknown as { skip(n: string, f: TestFn): void }).skip(name, fn);
    else Deno.test({ name, fn, ignore: true });
    return;
  }
  if (bunTest) bunTest.test(name, fn, options.timeout ?? 60_000);
  else Deno.test({ name, fn, sanitizeResources: false, sanitizeOps: false });
}

const cacheDir = join(tmpdir(), "ffikit-test-cc");

/** How `compileCached` runs one compiler. */
export interface CompileOptions {
  /** The compiler's command. */
  compiler: string;
  /** Its arguments before `-o <out> <source>`. */
  args: string[];
  /** The output file's extension (`""` for an executable). */
  ext: string;
  /** The start of the error when the source does not compile: the compiler's output follows. */
  failure: string;
  /** The error when the compiler is not installed; by default, `failure` with the system's error. */
  missing?: string;
}

/**
 * Compiles source once per content: the output is named by a hash of the compiler, its arguments and the
 * source, and reused while it exists.
 *
 * @returns The path of the built file.
 * @throws {Error} When the compiler is missing or the source does not compile, with the compiler's output.
 */
export function compileCached(source: string, options: CompileOptions): string {
  const { compiler, args, ext } = options;
  const key = createHash("sha256").update(compiler).update(args.join(" ")).update(source).digest("hex")
    .slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `${key}${ext}`);
  if (existsSync(out)) return out;
  const src = join(cacheDir, `${key}.c`);
  writeFileSync(src, source);
  try {
    execFileSync(compiler, [...args, "-o", out, src], { stdio: "pipe" });
  } catch (error) {
    if (options.missing && (error as { code?: unknown }).code === "ENOENT") {
      throw new Error(options.missing, { cause: error });
    }
    const stderr = (error as { stderr?: Uint8Array }).stderr;
    const detail = stderr ? new TextDecoder().decode(stderr) : String(error);
    throw new Error(`${options.failure}: ${detail}`, { cause: error });
  }
  return out;
}

/**
 * Compiles C source with the system's `cc`, cached by content, and returns the output path.
 *
 * @param source C source text.
 * @param options `shared: true` builds a shared library (default), `false` an executable.
 * @returns The path of the built file.
 * @throws {Error} When `cc` is missing or the source does not compile, with the compiler's output.
 */
export function compileC(source: string, options: { shared?: boolean; flags?: string[] } = {}): string {
  const shared = options.shared ?? true;
  const flags = options.flags ?? [];
  return compileCached(source, {
    compiler: "cc",
    args: shared ? ["-shared", "-fPIC", "-O2", ...flags] : ["-O2", ...flags],
    ext: shared ? ".so" : "",
    failure: "Cannot compile C fixture with cc",
    missing: "Cannot compile C fixture: no C compiler (cc) on PATH; install gcc (apt-get install gcc)",
  });
}

/**
 * Compiles and runs a C program, returning its standard output.
 *
 * @param source C source with a `main`.
 * @returns What the program printed.
 */
export function runC(source: string, flags: string[] = []): string {
  const exe = compileC(source, { shared: false, flags });
  return execFileSync(exe, [], { encoding: "utf8" });
}

/** What a script run by `runScript` did. */
export interface ScriptOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed after `limitMs`: the script was still running (e.g. a benchmark it should have refused). */
  timedOut: boolean;
}

/**
 * Runs a TypeScript entry point on the running runtime (`deno run -A` or `bun`) from `cwd`, killed after
 * `limitMs`.
 */
export function runScript(
  path: string,
  args: string[],
  cwd: string,
  limitMs: number,
): Promise<ScriptOutcome> {
  const argv = runtime === "deno" ? ["run", "-A", path, ...args] : [path, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A TCP server on a free port of 127.0.0.1 that does nothing: a port in use. */
export function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(
      0,
      "127.0.0.1",
      () => resolve({ server, port: (server.address() as { port: number }).port }),
    );
  });
}

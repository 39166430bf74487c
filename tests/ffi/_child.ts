/**
 * Runs a script in a child process of the same runtime, so that a crash (SIGSEGV, an abort) is an outcome a test
 * can count rather than the end of the test run.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** How a child ended. */
export interface ChildResult {
  /** The exit status, or `null` when a signal ended it. */
  status: number | null;
  /** The signal that ended it (`"SIGSEGV"`), or `null`. */
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `source` (a TypeScript module) in a child process of this runtime, with the environment of this one.
 *
 * @param source The module's text; import the toolkit by absolute URL.
 * @param timeout Milliseconds before the child is killed.
 * @param v8Flags V8 flags for a Deno child (`--expose-gc`); Bun's child has `Bun.gc` without one.
 */
export function runScript(source: string, timeout = 30_000, v8Flags: readonly string[] = []): ChildResult {
  const dir = mkdtempSync(join(tmpdir(), "ffikit-child-"));
  const path = join(dir, "child.ts");
  try {
    writeFileSync(path, source);
    const denoFlags = v8Flags.length > 0 ? [`--v8-flags=${v8Flags.join(",")}`] : [];
    const args = "Bun" in globalThis ? [path] : ["run", "-A", "--quiet", ...denoFlags, path];
    const child = spawnSync(process.execPath, args, { encoding: "utf8", timeout, env: process.env });
    return {
      status: child.status,
      signal: child.signal,
      stdout: child.stdout ?? "",
      stderr: child.stderr ?? "",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `source` and returns its last line of output; throws with its stderr when it did not exit with 0. */
export function runChild(source: string): string {
  const result = runScript(source);
  if (result.status !== 0) {
    throw new Error(
      `The child process ended with ${result.signal ?? `status ${result.status}`}:\n${result.stderr}`,
    );
  }
  return result.stdout.trim().split("\n").at(-1) ?? "";
}

/** The toolkit's entry point, as a URL a child's import can use. */
export const toolkitUrl: string = new URL("../../mod.ts", import.meta.url).href;

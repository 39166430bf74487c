/**
 * Builds the ffi probes' C fixture (`fixture.c`, beside this file) with the system's `cc` into
 * `.cache/probes/` at the repository's root, once per content.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import process from "node:process";

/**
 * Compiles `fixture.c` into a shared library, unless a build of the same source is there already.
 *
 * @returns The library's path.
 * @throws {Error} When `cc` is missing or fails, with its output.
 */
export function buildFixture(): string {
  const source = new URL("./fixture.c", import.meta.url).pathname;
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  const dir = new URL("../../../.cache/probes/", import.meta.url).pathname;
  const out = `${dir}fixture-${hash}.so`;
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  // Built under another name and renamed: a probe's contestants may build it at the same time.
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", temporary, source], { stdio: "pipe" });
  } catch (error) {
    const stderr = (error as { stderr?: Uint8Array }).stderr;
    const detail = stderr ? new TextDecoder().decode(stderr).trim() : String(error);
    throw new Error(`Cannot build bench/probes/native/fixture.c with cc: ${detail}`, { cause: error });
  }
  renameSync(temporary, out);
  return out;
}

/**
 * Builds the C references in `bench/native/` with the system's `cc`, once per content, into a cache
 * directory outside the repository.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The built library, or why there is none. */
export type NativeBuild = { ok: true; path: string } | { ok: false; reason: string };

const SOURCES = ["rows.c", "calls.c"];

/** The cache directory: `$FFIKIT_BENCH_CACHE`, else `<tmpdir>/ffikit-bench-cc`. */
export function nativeCacheDir(): string {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  return env?.FFIKIT_BENCH_CACHE ?? join(tmpdir(), "ffikit-bench-cc");
}

let built: NativeBuild | undefined;

/**
 * Compiles `bench/native/*.c` into one shared library, cached by content hash.
 *
 * @returns The library path, or the plain reason it could not be built (for example, no `cc` on the PATH).
 */
export function buildNative(): NativeBuild {
  if (built) return built;
  const dir = new URL("./native/", import.meta.url);
  const files = SOURCES.map((name) => new URL(name, dir).pathname);
  const hash = createHash("sha256");
  for (const file of files) hash.update(readFileSync(file));
  const cache = nativeCacheDir();
  const out = join(cache, `bench-${hash.digest("hex").slice(0, 16)}.so`);
  if (existsSync(out)) return built = { ok: true, path: out };
  try {
    mkdirSync(cache, { recursive: true });
    const temporary = `${out}.${Date.now()}.tmp`;
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", temporary, ...files], { stdio: "pipe" });
    renameSync(temporary, out);
    return built = { ok: true, path: out };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const stderr = (error as { stderr?: Uint8Array }).stderr;
    const reason = code === "ENOENT"
      ? "no C compiler: `cc` is not on the PATH, so the native C references are skipped"
      : `cc failed to build bench/native: ${
        stderr ? new TextDecoder().decode(stderr).trim() : String(error)
      }`;
    return built = { ok: false, reason };
  }
}

/**
 * The package for Deno: `deno bundle` of every public entry point at once, with code splitting, so that the
 * entry points share one copy of the toolkit in a few chunk files and a program loads a handful of modules
 * where the sources are ~130. Each entry file names its source module as its types (`@ts-self-types`), and the
 * pool threads' body (`ffi/_call_worker.js`) is copied beside the chunk that starts them.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { entries, entryFile, ROOT } from "./entries.ts";

/** Deno's executable, as pinned in package.json. */
export const DENO: string = join(ROOT, "node_modules", ".bin", "deno");

/**
 * Builds the package for Deno into `outDir`.
 *
 * @param outDir An existing, empty folder.
 */
export function buildForDeno(outDir: string): void {
  const sources = entries().map(({ source }) => source);
  const child = spawnSync(
    DENO,
    ["bundle", "--platform=deno", "--code-splitting", "--outdir", outDir, ...sources],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`deno bundle failed: ${child.error?.message ?? child.stderr}`);

  for (const source of sources) {
    const file = join(outDir, entryFile(source));
    const types = relative(dirname(file), join(ROOT, source));
    writeFileSync(file, `// @ts-self-types="${types}"\n${readFileSync(file, "utf8")}`);
  }
  const starters = readdirSync(outDir).filter((name) =>
    name.endsWith(".js") && readFileSync(join(outDir, name), "utf8").includes('"./_call_worker.js"')
  );
  if (starters.length !== 1) {
    throw new Error(
      `expected one chunk that starts pool threads, found ${starters.length}: build/deno.ts is stale`,
    );
  }
  copyFileSync(join(ROOT, "ffi", "_call_worker.js"), join(outDir, "_call_worker.js"));
}

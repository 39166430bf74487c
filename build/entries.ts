/**
 * What the built packages are made of: the public entry points (deno.json's `exports`, which package.json's
 * mirror), the folders their sources live in, and the fingerprint of those sources a build records, so that a
 * stale build is seen.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The folders and files the packages are built from: what `mod.ts` reaches, and the pool threads' body. */
export const SOURCES: readonly string[] = ["mod.ts", "ffi", "structs", "linux", "windows", "cdef"];

/** One public entry point: its subpath (`"."`, `"./structs"`) and its source module, relative to the root. */
export interface Entry {
  readonly subpath: string;
  readonly source: string;
}

/** The public entry points, from deno.json's `exports`. */
export function entries(): Entry[] {
  const { exports } = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")) as {
    exports: Record<string, string>;
  };
  return Object.entries(exports).map(([subpath, source]) => ({
    subpath,
    source: source.replace(/^\.\//, ""),
  }));
}

/** The file of an entry point in a package, under the package's folder: its source's path, in JavaScript. */
export function entryFile(source: string): string {
  return source.replace(/\.ts$/, ".js");
}

function sourceFiles(path: string): string[] {
  if (!statSync(join(ROOT, path)).isDirectory()) return [path];
  // windows/wine/ holds the Wine suite, not library code.
  if (path === join("windows", "wine")) return [];
  return readdirSync(join(ROOT, path)).flatMap((name) =>
    /\.[jt]s$/.test(name) || !name.includes(".") ? sourceFiles(join(path, name)) : []
  );
}

/** Every file the packages are built from, relative to the root, in order. */
export function packageSources(): string[] {
  return SOURCES.flatMap(sourceFiles).sort();
}

/**
 * A hash of every source a package is built from, with the runtimes' versions that build and run it: equal
 * fingerprints mean a build is current.
 *
 * @param versions The versions of Deno and Bun the build is for.
 */
export function fingerprint(versions: { deno: string; bun: string }): string {
  const hash = createHash("sha256").update(JSON.stringify(versions));
  for (const file of packageSources()) {
    hash.update(file).update("\0").update(readFileSync(join(ROOT, file))).update("\0");
  }
  return hash.digest("hex");
}

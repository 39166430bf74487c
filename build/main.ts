/**
 * Builds the packages a program imports to start fast (issue 24): `dist/deno/` (build/deno.ts) and `dist/bun/`
 * (build/bun.ts), and `dist/build.json`, the fingerprint of the sources and runtimes they were built from
 * (build/entries.ts). A whole build is written beside `dist/` and then put in its place, so that nothing ever
 * sees half of one.
 *
 * `deno task build` (npm runs it on install and before packing); `--if-stale` builds only when `dist/` is not
 * current.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { buildForDeno, DENO } from "./deno.ts";
import { fingerprint, ROOT } from "./entries.ts";

/** Bun's executable, as pinned in package.json. */
export const BUN: string = join(ROOT, "node_modules", ".bin", "bun");

/** Where the packages are built. */
export const DIST: string = join(ROOT, "dist");

/** What `dist/build.json` records. */
export interface BuildRecord {
  readonly fingerprint: string;
  readonly deno: string;
  readonly bun: string;
}

function versionOf(executable: string): string {
  const child = spawnSync(executable, ["--version"], { encoding: "utf8" });
  if (child.status !== 0) {
    throw new Error(`cannot run ${executable}: ${child.error?.message ?? child.stderr}`);
  }
  return child.stdout.trim().split("\n")[0]!;
}

/** The record a build made now would write. */
export function currentRecord(): BuildRecord {
  const versions = { deno: versionOf(DENO), bun: versionOf(BUN) };
  return { fingerprint: fingerprint(versions), ...versions };
}

/** Whether `dir` holds a build of the sources as they are, by the runtimes installed. */
export function isCurrent(dir: string = DIST): boolean {
  const path = join(dir, "build.json");
  if (!existsSync(path)) return false;
  const recorded = JSON.parse(readFileSync(path, "utf8")) as BuildRecord;
  return recorded.fingerprint === currentRecord().fingerprint;
}

/**
 * Builds both packages into `dir`, replacing what it held.
 *
 * @param dir The packages' folder; `dist/` unless told.
 */
export function build(dir: string = DIST): void {
  const record = currentRecord();
  const staging = mkdtempSync(`${dir}.building-`);
  try {
    mkdirSync(join(staging, "deno"));
    mkdirSync(join(staging, "bun"));
    buildForDeno(join(staging, "deno"));
    const bun = spawnSync(BUN, [join(ROOT, "build", "bun.ts"), join(staging, "bun")], { encoding: "utf8" });
    if (bun.status !== 0) throw new Error(`build/bun.ts failed: ${bun.error?.message ?? bun.stderr}`);
    writeFileSync(join(staging, "build.json"), JSON.stringify(record, null, 2) + "\n");
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another build (the other runtime's start-up suite, `npm pack`) put its own there first: the same build.
      if (!isCurrent(dir)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== "--if-stale");
  if (unknown.length) throw new Error(`unknown option ${unknown.join(" ")}; build/main.ts takes --if-stale`);
  // Said on standard error: `npm pack --json` runs this first and its output must stay JSON.
  if (args.includes("--if-stale") && isCurrent()) console.error("build: dist/ is current");
  else {
    build();
    console.error("build: wrote dist/deno/ and dist/bun/");
  }
}

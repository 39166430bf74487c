/**
 * Question: how should the package for Deno (build/deno.ts) split the toolkit into files? Deno loads each module
 * of a program one at a time (the sources' ~130 modules cost `mod.ts` about 20 ms), so fewer files load faster,
 * but one file for everything makes `ffikit/structs` load all of ffi/, linux/ and windows/ too; code splitting
 * shares the toolkit between the entry points in chunk files, as many as there are sets of entry points that
 * use a module.
 *
 * Contestants, each a whole process importing `mod.ts`'s bundle against an empty script (the baseline),
 * interleaved in rounds by `bench/startup.ts`: every public entry point split (as build/deno.ts does), only
 * `mod.ts` and `structs/mod.ts` split (the other entry points would re-export from the whole), and one file;
 * then `structs/mod.ts` of the first two. Bundles are made with `deno bundle` in a temporary folder.
 *
 * Decided: every entry point split (build/deno.ts), unless the difference to one file is above the spread.
 * Deno only: Bun's package is one bundle with bytecode (build/bun.ts).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { entries } from "../../build/entries.ts";
import { timeScripts } from "../startup.ts";
import { reportProcesses } from "./_time.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

if ("Bun" in globalThis) {
  console.log("Bun: the package for Bun is one bundle with bytecode (build/bun.ts); nothing to split");
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "ffikit-startup-split-"));

/** `deno bundle` of `sources` into `out`, split when there are several; the pool threads' body beside. */
function bundle(out: string, sources: readonly string[]): void {
  const split = sources.length > 1 ? ["--code-splitting", "--outdir", out] : ["-o", join(out, "mod.js")];
  const child = spawnSync(process.execPath, ["bundle", "--platform=deno", ...split, ...sources], {
    cwd: root,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`deno bundle failed: ${child.stderr}`);
  copyFileSync(join(root, "ffi", "_call_worker.js"), join(out, "_call_worker.js"));
}

try {
  const all = entries().map(({ source }) => source);
  bundle(join(dir, "all"), all);
  bundle(join(dir, "two"), ["mod.ts", "structs/mod.ts"]);
  bundle(join(dir, "one"), ["mod.ts"]);
  const files = (name: string) =>
    readdirSync(join(dir, name), { recursive: true }).filter((f) => /\.js$/.test(`${f}`));
  const write = (name: string, target: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `import "${join(dir, target)}";\n`);
    return path;
  };
  const empty = join(dir, "empty.ts");
  writeFileSync(empty, "const nothing = 1;\nexport { nothing };\n");
  const names = [
    "empty script (baseline)",
    `mod.ts, every entry point split (${files("all").length} files)`,
    `mod.ts, mod.ts and structs/mod.ts split (${files("two").length} files)`,
    "mod.ts, one file",
    "structs/mod.ts, every entry point split",
    "structs/mod.ts, mod.ts and structs/mod.ts split",
  ];
  const scripts = [
    empty,
    write("all.ts", "all/mod.js"),
    write("two.ts", "two/mod.js"),
    write("one.ts", "one/mod.js"),
    write("all_structs.ts", "all/structs/mod.js"),
    write("two_structs.ts", "two/structs/mod.js"),
  ];
  const rounds = 15;
  reportProcesses(
    `whole processes, median of ${rounds} rounds after a warm-up`,
    names,
    timeScripts(scripts, rounds),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Question: should the package for Bun (build/bun.ts) be one bundle, or the layout engine (`structs/`) in a
 * bundle of its own that the rest requires? One bundle makes `ffikit/structs` load everything; two files let
 * it load a third of the code, but every import of `structs/` from the rest becomes a `require` of the other
 * file, and a program importing `mod.ts` reads two files and their bytecode.
 *
 * Contestants, each a whole process against an empty script (the baseline), interleaved in rounds by
 * `bench/startup.ts`: `mod.ts`'s names and `structs/mod.ts`'s from one CommonJS bundle with bytecode (as
 * build/bun.ts makes it), and from the split pair. Bundles are made here in a temporary folder, with the same
 * module replacements as build/bun.ts.
 *
 * Decided: one bundle (build/bun.ts): the split pair adds about 1 ms to `mod.ts` (+9.7 -> +10.8 and +10.9 ->
 * +12.0 ms, load 2-3), the goal's margin, while `structs/mod.ts` alone would fall from +8.4-9.2 to +2.4-2.6.
 * Bun only: Deno's package is split by `deno bundle` (bench/probes/startup_split.ts).
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { type BunBuild, replacements } from "../../build/bun.ts";
import { ROOT } from "../../build/entries.ts";
import { timeScripts } from "../startup.ts";
import { reportProcesses } from "./_time.ts";

if (!("Bun" in globalThis)) {
  console.log("Deno: the package for Deno is split by deno bundle (bench/probes/startup_split.ts)");
  process.exit(0);
}
const bun = (globalThis as unknown as { Bun: BunBuild }).Bun;
const dir = mkdtempSync(join(tmpdir(), "ffikit-bun-split-"));
const structsDir = join(ROOT, "structs") + "/";
const replaced = replacements();

/** A bundle of `entry` into `out`; imports of `structs/` from outside it become `./structs.cjs` when `split`. */
async function bundle(entry: string, out: string, naming: string, split: boolean): Promise<void> {
  const result = await bun.build({
    entrypoints: [entry],
    outdir: out,
    target: "bun",
    format: "cjs",
    bytecode: true,
    naming,
    plugins: [{
      name: "probe",
      setup(builder) {
        builder.onResolve({ filter: /^\.\.?\// }, (args) => {
          const target = resolve(dirname(args.importer), args.path);
          return split && !args.importer.startsWith(structsDir) && target.startsWith(structsDir)
            ? { path: "./structs.cjs", external: true }
            : undefined;
        });
        builder.onLoad(
          { filter: /[\\/]ffi[\\/](_runtime_backend|_bun_ffi|_call_worker_url)\.ts$/ },
          ({ path }) => ({ contents: replaced[basename(path)]!, loader: "ts" }),
        );
      },
    }],
  });
  if (!result.success) throw new Error(`Bun.build failed: ${JSON.stringify(result.logs)}`);
}

try {
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const exportsOf = (...modules: string[]) =>
    `${modules.map((m, i) => `import * as m${i} from "${join(ROOT, m)}";`).join("\n")}\n` +
    `declare const module: { exports: unknown };\nmodule.exports = Object.assign({}, ${
      modules.map((_, i) => `m${i}`).join(", ")
    });\n`;
  await bundle(write("one_entry.ts", exportsOf("mod.ts")), join(dir, "one"), "ffikit.cjs", false);
  const structsEntry = write("structs_entry.ts", exportsOf("structs/mod.ts", "structs/_internal.ts"));
  await bundle(structsEntry, join(dir, "split"), "structs.cjs", false);
  await bundle(join(dir, "one_entry.ts"), join(dir, "split"), "ffikit.cjs", true);
  const empty = write("empty.ts", "const nothing = 1;\nexport { nothing };\n");
  const names = [
    "empty script (baseline)",
    "mod.ts, one bundle",
    "mod.ts, structs/ split off",
    "structs/mod.ts, one bundle",
    "structs/mod.ts, structs/ split off",
  ];
  const scripts = [
    empty,
    write("one_mod.cjs", `require("${join(dir, "one", "ffikit.cjs")}");\n`),
    write("split_mod.cjs", `require("${join(dir, "split", "ffikit.cjs")}");\n`),
    write("one_structs.cjs", `require("${join(dir, "one", "ffikit.cjs")}");\n`),
    write("split_structs.cjs", `require("${join(dir, "split", "structs.cjs")}");\n`),
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

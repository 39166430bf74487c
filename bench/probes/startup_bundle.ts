/**
 * Question: would a pre-bundled single-file entry (`mod.ts` and its ~120 modules as one JavaScript file) bring
 * importing ffikit within issue 24's 10 ms of an empty script, where `mod.ts` itself does not?
 *
 * Contestants, each a whole process of this runtime against an empty script (the baseline), interleaved in
 * rounds by `bench/startup.ts`: `mod.ts`, and a bundle of it made here for this runtime (`deno bundle` on Deno;
 * `Bun.build({ target: "bun" })` on Bun, its backend import spelled out, since Bun's bundler cannot follow the
 * backend's import through a variable); and the same bundle inside a function never called, which the runtime
 * reads and parses but does not run: what loading that much code costs at the least, in one file. The bundle is
 * made in a temporary folder and never shipped. Last, the package that importing "ffikit" by name loads (build/:
 * on Deno every entry point bundled with code splitting, on Bun one CommonJS bundle with bytecode), and on Bun
 * the same package without its bytecode, and bundled from `mod.ts` itself (its names exported through getters,
 * where build/_bun_bundle_entry.ts makes them plain properties).
 *
 * Decided (issue 24): ship the built packages (build/); the figures are in docs/runtime-notes.md "Start-up".
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { buildForBun, type BunBuild, BUNDLE } from "../../build/bun.ts";
import { build, DIST, isCurrent } from "../../build/main.ts";
import { timeScripts } from "../startup.ts";
import { reportProcesses } from "./_time.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(root, "mod.ts");
const dir = mkdtempSync(join(tmpdir(), "ffikit-startup-bundle-"));

/** Bundles `mod.ts` for this runtime into `dir`; the bundle's path. */
async function bundle(): Promise<string> {
  const out = join(dir, "bundle.js");
  if (!("Bun" in globalThis)) {
    const child = spawnSync(process.execPath, ["bundle", "--platform=deno", entry, "-o", out], {
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`deno bundle failed: ${child.stderr}`);
    return out;
  }
  const bun = (globalThis as unknown as { Bun: BunBuild }).Bun;
  const result = await bun.build({
    entrypoints: [entry],
    target: "bun",
    outdir: dir,
    naming: "bundle.js",
    plugins: [{
      name: "backend",
      setup(builder) {
        builder.onLoad({ filter: /[\\/]ffi[\\/]_runtime_backend\.ts$/ }, ({ path }) => ({
          contents: readFileSync(path, "utf8").replace("import(bunImplementation)", 'import("./_bun.ts")')
            .replace('import("./_deno.ts")', "undefined"),
          loader: "ts",
        }));
      },
    }],
  });
  if (!result.success) throw new Error(`Bun.build failed: ${JSON.stringify(result.logs)}`);
  return out;
}

/**
 * The bundle's code inside a function that is never called: the runtime reads and parses all of it (Bun
 * transpiles it too) and runs none, the floor of loading this much code in one file.
 */
function unrun(code: string): string {
  const lines = code.split("\n");
  // Bun's bundle imports `bun:ffi` at its top; an import cannot move into a function.
  const imports = lines.filter((line) => line.startsWith("import "));
  const body = lines.filter((line) => !line.startsWith("import ")).join("\n");
  const exports = body.lastIndexOf("\nexport {");
  return `${imports.join("\n")}\nexport async function never() {\n${body.slice(0, exports)}\n}\n`;
}

try {
  const bundled = await bundle();
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const empty = write("empty.ts", "const nothing = 1;\nexport { nothing };\n");
  const viaBundle = write("via_bundle.ts", `import "${bundled}";\n`);
  const unrunBundle = write("unrun.js", unrun(readFileSync(bundled, "utf8")));
  const viaUnrun = write("via_unrun.ts", `import "${unrunBundle}";\n`);
  const toolkit = join(root, "bench", "startup", "mod.ts");
  if (!isCurrent()) build();
  const names = [
    "empty script (baseline)",
    "mod.ts",
    "mod.ts bundled, one file",
    "the bundle, never run",
    "the built package (build/)",
  ];
  const scripts = [empty, toolkit, viaBundle, viaUnrun, join(root, "bench", "startup", "package.ts")];
  if ("Bun" in globalThis) {
    // The same package without its bytecode: what the bytecode saves.
    cpSync(join(DIST, "bun"), join(dir, "plain"), { recursive: true });
    rmSync(join(dir, "plain", `${BUNDLE}.jsc`));
    names.push("the built package, no bytecode");
    scripts.push(write("via_plain.ts", `import "${join(dir, "plain", "mod.js")}";\n`));
    // The same package bundled from mod.ts itself, its names exported through Bun's getters.
    mkdirSync(join(dir, "getters"));
    await buildForBun(join(dir, "getters"), entry);
    names.push("the built package, names through getters");
    scripts.push(write("via_getters.ts", `import "${join(dir, "getters", "mod.js")}";\n`));
  }
  const rounds = 9;
  const timings = timeScripts(scripts, rounds);
  reportProcesses(`whole processes, median of ${rounds} rounds after a warm-up`, names, timings);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The package for Bun: the whole toolkit as one CommonJS bundle with JavaScriptCore bytecode beside it
 * (`ffikit.cjs` and `ffikit.cjs.jsc`), which Bun loads without parsing, its names plain properties of its
 * `module.exports` (build/_bun_bundle_entry.ts), and one small ES module per public entry point that re-exports
 * that entry's names from it, so that every entry point shares one copy of the toolkit.
 * Bun writes bytecode only for CommonJS, and CommonJS cannot wait at its top level, so three modules that do (or
 * that need their own location) are replaced in the bundle: the backend chosen at run time becomes a static
 * import of Bun's, `bun:ffi` is imported statically, and the pool threads' body travels as a `data:` URL.
 *
 * Runs under Bun: `bun build/bun.ts <out-dir>` (build/main.ts does).
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import process from "node:process";
import { entries, entryFile, ROOT } from "./entries.ts";

/** The part of `Bun.build` the build and the start-up probes use (`bench/probes/startup_*.ts`). */
export interface BunBuild {
  build(options: {
    entrypoints: string[];
    outdir: string;
    target: "bun";
    format?: "cjs" | "esm";
    bytecode?: boolean;
    naming: string;
    plugins: {
      name: string;
      setup(builder: {
        onResolve(
          filter: { filter: RegExp },
          resolve: (
            args: { path: string; importer: string },
          ) => { path: string; external: boolean } | undefined,
        ): void;
        onLoad(
          filter: { filter: RegExp },
          load: (args: { path: string }) => { contents: string; loader: "ts" },
        ): void;
      }): void;
    }[];
  }): Promise<{ success: boolean; logs: unknown[] }>;
}

/** The bundle's file, beside the entry points' modules. */
export const BUNDLE = "ffikit.cjs";

/** What replaces each module that cannot stay as it is in a CommonJS bundle, by its path under `ffi/`. */
export function replacements(): Record<string, string> {
  const workerBody = readFileSync(join(ROOT, "ffi", "_call_worker.js"), "utf8");
  return {
    "_runtime_backend.ts": 'export { default } from "./_bun.ts";\n',
    "_bun_ffi.ts": 'import * as bunFfi from "bun:ffi";\nexport default bunFfi;\n',
    "_call_worker_url.ts": `const body = ${JSON.stringify(workerBody)};\n` +
      "let url: URL | undefined;\n" +
      'export function callWorkerUrl(): URL {\n  return url ??= new URL("data:text/javascript," + encodeURIComponent(body));\n}\n',
  };
}

/** The module the bundle is made from. */
export const BUNDLE_ENTRY: string = join(ROOT, "build", "_bun_bundle_entry.ts");

/**
 * Builds the package for Bun into `outDir`.
 *
 * @param outDir An existing, empty folder.
 * @param entry The module bundled: `BUNDLE_ENTRY`, or `mod.ts` itself to see what the entry saves
 *   (bench/probes/startup_bundle.ts).
 */
export async function buildForBun(outDir: string, entry: string = BUNDLE_ENTRY): Promise<void> {
  const bun = (globalThis as unknown as { Bun?: BunBuild }).Bun;
  if (!bun) throw new Error("build/bun.ts runs under Bun: Bun.build writes the bytecode");
  const replaced = replacements();
  const seen = new Set<string>();
  const result = await bun.build({
    entrypoints: [entry],
    outdir: outDir,
    target: "bun",
    format: "cjs",
    bytecode: true,
    naming: BUNDLE,
    plugins: [{
      name: "ffikit-bun-package",
      setup(builder) {
        builder.onLoad(
          { filter: /[\\/]ffi[\\/](_runtime_backend|_bun_ffi|_call_worker_url)\.ts$/ },
          ({ path }) => {
            const name = basename(path);
            seen.add(name);
            return { contents: replaced[name]!, loader: "ts" };
          },
        );
      },
    }],
  });
  if (!result.success) throw new Error(`Bun.build failed: ${JSON.stringify(result.logs)}`);
  const missed = Object.keys(replaced).filter((name) => !seen.has(name));
  if (missed.length) {
    throw new Error(`the bundle never loaded ffi/${missed.join(", ffi/")}: build/bun.ts is stale`);
  }

  // Each entry point's names, read from its source module, re-exported from the bundle.
  const bundle = await import(join(outDir, BUNDLE)) as Record<string, unknown>;
  for (const { source } of entries()) {
    const names = Object.keys(await import(join(ROOT, source))).sort();
    const absent = names.filter((name) => !(name in bundle));
    if (absent.length) throw new Error(`the bundle lacks ${source}'s ${absent.join(", ")}`);
    const file = join(outDir, entryFile(source));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `// ${source}, from the one bundle of the toolkit (build/bun.ts).\nexport {\n${
        names.map((name) => `  ${name},\n`).join("")
      }} from "${relative(dirname(file), join(outDir, BUNDLE)).replace(/^(?!\.)/, "./")}";\n`,
    );
  }
}

if (import.meta.main) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error("usage: bun build/bun.ts <out-dir>");
  await buildForBun(outDir);
}

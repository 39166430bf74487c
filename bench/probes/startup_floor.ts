/**
 * Question: how much of what importing `mod.ts` costs is loading its modules (finding, reading, transpiling,
 * compiling ~100 files of documented TypeScript) rather than running them?
 *
 * Contestants, each a whole process of this runtime against an empty script (the baseline), interleaved in
 * rounds by `bench/startup.ts`: as many one-line modules as `mod.ts` loads; the same modules each padded with a
 * comment to the toolkit's average file size (the source a runtime reads, and Bun transpiles, on every start:
 * Bun keeps no transpiled copy of files under 50 KB); and `mod.ts` itself. What `mod.ts` adds beyond the padded
 * modules is what its top-level code runs (layouts placed, symbol tables checked).
 *
 * Decided (bench/startup.ts, issue 24): layouts build their accessors on first use and nothing touches
 * `node:fs`, `node:path` or `process` at import on Deno; the module loading measured here is what remains, and
 * is kept: one concept per file is the house style.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeScripts } from "../startup.ts";
import { reportProcesses } from "./_time.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The toolkit's TypeScript files `mod.ts` can load (every folder it re-exports), and their total size. */
function toolkitSources(): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const folder of ["structs", "ffi", "linux", "windows", "cdef"]) {
    for (const name of readdirSync(join(root, folder))) {
      // Bun's backend is not loaded on Deno, nor Deno's on Bun: one of the two.
      if (!name.endsWith(".ts") || name === "_bun.ts") continue;
      count++;
      bytes += statSync(join(root, folder, name)).size;
    }
  }
  return { count: count + 1, bytes: bytes + statSync(join(root, "mod.ts")).size };
}

const { count, bytes } = toolkitSources();
const dir = mkdtempSync(join(tmpdir(), "ffikit-startup-floor-"));
try {
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const empty = write("empty.ts", "const nothing = 1;\nexport { nothing };\n");
  const padding = `/*${" padding".repeat(Math.max(0, Math.floor(bytes / count / 8) - 1))}*/\n`;
  for (let i = 0; i < count; i++) {
    write(`plain/m${i}.ts`, `export const v${i}: number = ${i};\n`);
    write(`padded/m${i}.ts`, `${padding}export const v${i}: number = ${i};\n`);
  }
  const importAll = (folder: string) =>
    Array.from({ length: count }, (_, i) => `import "./${folder}/m${i}.ts";`).join("\n") + "\n";
  const plain = write("plain.ts", importAll("plain"));
  const padded = write("padded.ts", importAll("padded"));
  const toolkit = join(root, "bench", "startup", "mod.ts");
  const names = [
    "empty script (baseline)",
    `${count} one-line modules`,
    `${count} modules of ${Math.round(bytes / count)} bytes`,
    "mod.ts",
  ];
  const timings = timeScripts([empty, plain, padded, toolkit], 9);
  reportProcesses(
    `whole processes, median of 9 rounds after a warm-up (${count} files, ${bytes} bytes)`,
    names,
    timings,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Question: what of the toolkit's own JavaScript runs when a program imports it, and how long does each
 * function take? The built package (build/) removes module loading and, on Bun, parsing; what is left is the
 * top-level code of the modules and the functions it calls, which this probe lists so that a change that
 * brings work back to import shows by name.
 *
 * Runs `bench/startup/package.ts` (import "ffikit": the built package) in fresh processes under the runtime's
 * sampling profiler (`deno run --cpu-prof`, `bun --cpu-prof`, 50 µs), and prints the self time per function
 * summed over the runs and divided by their number, largest first, beside an empty script's total (the
 * baseline). The runtime's own entries, "(program)" (compiling, reading code caches, native work), "(idle)" and
 * the collector, are printed as they are.
 *
 * Decided (issue 24): what the fourth pass moved to first use (docs/runtime-notes.md "Start-up").
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/startup_profile.ts` and
 * `./node_modules/.bin/bun bench/probes/startup_profile.ts`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { build, isCurrent } from "../../build/main.ts";
import { ROOT } from "../../build/entries.ts";
import { runtime } from "./_time.ts";

const RUNS = 9;
const SHOWN = 25;

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function, in ms per run, of `script` run `RUNS` times under the profiler. */
function profile(script: string): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "ffikit-startup-profile-"));
  try {
    const flags = ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=50"];
    const args = "Bun" in globalThis ? [...flags, script] : ["run", "-A", ...flags, script];
    for (let i = 0; i < RUNS; i++) {
      const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
      if (child.status !== 0) throw new Error(`${script} failed under the profiler: ${child.stderr}`);
    }
    const self = new Map<string, number>();
    const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
    for (const file of files) {
      const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
      const byId = new Map(nodes.map((node) => [node.id, node.callFrame]));
      for (const [i, id] of samples.entries()) {
        const frame = byId.get(id)!;
        const where = frame.url ? ` ${frame.url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}` : "";
        const name = `${frame.functionName || "(top level)"}${where}`;
        self.set(name, (self.get(name) ?? 0) + (timeDeltas[i] ?? 0) / 1000 / files.length);
      }
    }
    return self;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isCurrent()) build();
const total = (self: Map<string, number>) => [...self.values()].reduce((a, b) => a + b, 0);
const empty = profile(join(ROOT, "bench", "startup", "empty.ts"));
const imported = profile(join(ROOT, "bench", "startup", "package.ts"));
console.log(`${runtime}: import "ffikit" (the built package), self time per function, ms per run of ${RUNS}`);
console.log(`  empty script (baseline): ${total(empty).toFixed(2)} ms profiled in all`);
console.log(`  import "ffikit":         ${total(imported).toFixed(2)} ms profiled in all`);
for (const [name, ms] of [...imported].sort((a, b) => b[1] - a[1]).slice(0, SHOWN)) {
  console.log(`  ${ms.toFixed(3).padStart(7)}  ${name}`);
}

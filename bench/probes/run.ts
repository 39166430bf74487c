/**
 * Runs every probe in this folder on Deno and on Bun, one after the other, and prints what each printed, so
 * that after a runtime upgrade one run shows which decisions changed (compare with `bench/probes/README.md`).
 *
 * Run: `./node_modules/.bin/deno task probes`, or name probes to run only those:
 * `./node_modules/.bin/deno run -A bench/probes/run.ts cursor_store_first view_escape`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import process from "node:process";

const folder = new URL(".", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;
const all = readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.startsWith("_") && f !== "run.ts")
  .sort();
const wanted = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ""));
const unknown = wanted.filter((name) => !all.includes(`${name}.ts`));
if (unknown.length > 0) {
  console.error(
    `Unknown probe ${unknown.map((n) => `"${n}"`).join(", ")}: expected one of ${all.join(", ")}`,
  );
  process.exit(2);
}
const probes = wanted.length > 0 ? wanted.map((name) => `${name}.ts`) : all;

const runtimes: Array<[string, string[]]> = [
  [`${root}node_modules/.bin/deno`, ["run", "-A"]],
  [`${root}node_modules/.bin/bun`, []],
];
let failed = 0;
for (const probe of probes) {
  for (const [command, args] of runtimes) {
    const child = spawnSync(command, [...args, `${folder}${probe}`], { encoding: "utf8", cwd: root });
    process.stdout.write(child.stdout ?? "");
    if (child.status !== 0) {
      failed++;
      console.error(`${probe} failed on ${command} (exit ${child.status}):\n${child.stderr ?? child.error}`);
    }
  }
}
if (failed > 0) process.exit(1);

/**
 * Every probe under bench/probes/ has its row in the README's table (what it asks, what it decided, its
 * figures): a probe without one is a decision nobody can find from the table of contents.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "../harness.ts";

const folder = fileURLToPath(new URL("../../bench/probes/", import.meta.url));

test("every probe in bench/probes/ has a row in its README's table, and every row a probe", () => {
  const probes = readdirSync(folder)
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_") && f !== "run.ts")
    .map((f) => f.slice(0, -3))
    .sort();
  const rows = [...readFileSync(`${folder}README.md`, "utf8").matchAll(/^\| \[(\w+)\]\((\w+)\.ts\)/gm)];
  for (const [, name, file] of rows) assert.equal(name, file, `the row of ${name} links ${file}.ts`);
  assert.deepEqual(rows.map(([, name]) => name).sort(), probes);
});

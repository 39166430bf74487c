import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { occupyPort, runScript, type ScriptOutcome, test } from "../harness.ts";

const MAIN = fileURLToPath(new URL("../../dashboard/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `dashboard/main.ts` on the running runtime, killed after `limitMs`. */
function dashboard(args: string[], limitMs: number): Promise<ScriptOutcome> {
  return runScript(MAIN, args, ROOT, limitMs);
}

test("dashboard/main.ts on a port in use says so in one line before running any benchmark", async () => {
  const { server, port } = await occupyPort();
  // No result files: the old entry ran the quick benchmark (a minute) before it found the port taken.
  const results = mkdtempSync(join(tmpdir(), "dashboard-main-empty-"));
  try {
    const outcome = await dashboard(["--port", String(port), "--results", results], 30_000);
    assert.equal(
      outcome.timedOut,
      false,
      `it ran on instead of stopping:\n${outcome.stdout}${outcome.stderr}`,
    );
    assert.notEqual(outcome.code, 0);
    assert.equal(
      outcome.stderr.trim(),
      `Cannot serve on 127.0.0.1:${port}: the port is in use; choose another with --port <number>, ` +
        `or --port 0 for any free port`,
      "one line, no stack trace",
    );
    assert.doesNotMatch(outcome.stdout, /running the quick benchmark/);
    assert.deepEqual(readdirSync(results), [], "no benchmark ran");
  } finally {
    server.close();
    rmSync(results, { recursive: true, force: true });
  }
}, { timeout: 60_000 });

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtime, test } from "../harness.ts";

const MAIN = fileURLToPath(new URL("../../dashboard/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(
      0,
      "127.0.0.1",
      () => resolve({ server, port: (server.address() as { port: number }).port }),
    );
  });
}

/** Runs `dashboard/main.ts` on the running runtime, killed after `limitMs`. */
function dashboard(
  args: string[],
  limitMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const argv = runtime === "deno" ? ["run", "-A", MAIN, ...args] : [MAIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

test("dashboard/main.ts on a port in use says so in one line before running any benchmark", async () => {
  const { server, port } = await occupy();
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

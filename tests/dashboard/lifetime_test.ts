import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtime, test } from "../harness.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Whether something accepts connections on 127.0.0.1:port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `command` in a process group of its own (so that the test can end whatever is left) and waits for the
 * dashboard's "Dashboard: <url>" line.
 */
async function startDashboard(
  command: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No "Dashboard:" line within 30 s:\n${output}`)), 30_000);
    child.stdout!.on("data", (chunk: string) => {
      output += chunk;
      const match = /Dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before serving:\n${output}`));
    });
  });
  return { child, port };
}

/** Kills the starting process with `signal` and checks the dashboard's port is free within 5 s. */
async function assertStopsWithParent(command: string, args: string[], signal: NodeJS.Signals): Promise<void> {
  const results = mkdtempSync(join(tmpdir(), "dashboard-lifetime-"));
  let group: number | undefined;
  try {
    const { child, port } = await startDashboard(command, [
      ...args,
      "--port",
      "0",
      "--no-bench",
      "--results",
      results,
    ]);
    group = child.pid;
    assert.equal(await answers(port), true, "the dashboard answers before the kill");
    process.kill(child.pid!, signal);
    const deadline = Date.now() + 5_000;
    while (await answers(port)) {
      assert.ok(Date.now() < deadline, `port ${port} still answers 5 s after ${signal} to ${command}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    try {
      if (group !== undefined) process.kill(-group, "SIGKILL");
    } catch {
      // The group is gone: nothing was left behind.
    }
    rmSync(results, { recursive: true, force: true });
  }
}

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  test(`npm start killed with ${signal} stops the dashboard server within 5 s`, async () => {
    await assertStopsWithParent("npm", ["start", "--"], signal);
  }, { timeout: 60_000 });
}

test(
  `dashboard/main.ts on ${runtime} stops within 5 s when the shell that started it is killed with SIGKILL`,
  async () => {
    const entry = runtime === "deno" ? ["run", "-A", "dashboard/main.ts"] : ["dashboard/main.ts"];
    // "; exit $?" keeps sh from exec-ing the runtime, so sh stays its parent, as npm's sh or deno task would.
    await assertStopsWithParent("sh", ["-c", '"$0" "$@"; exit $?', process.execPath, ...entry], "SIGKILL");
  },
  { timeout: 60_000 },
);

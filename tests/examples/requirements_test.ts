/**
 * An example that cannot run here (another operating system, no C compiler, no privilege) says why at once,
 * on standard error, and exits 1 instead of failing somewhere inside.
 *
 * @module
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runScript, runtime, test } from "../harness.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs an example on the running runtime with `env` over this process's environment. */
function runExample(name: string, env: Record<string, string>, prefix: string[] = []) {
  const args = runtime === "deno" ? ["run", "-A", `examples/${name}`] : [`examples/${name}`];
  const [command, ...rest] = [...prefix, process.execPath, ...args];
  return spawnSync(command!, rest, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

test("examples/windows_tcp_table.ts off Windows says it needs Windows in one line and exits 1", async () => {
  // --listen would open a socket first: the refusal comes before it.
  const outcome = await runScript("examples/windows_tcp_table.ts", ["--listen"], ROOT, 30_000);
  assert.equal(outcome.timedOut, false);
  assert.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
  assert.equal(outcome.stdout, "");
  assert.equal(
    outcome.stderr.trim(),
    `examples/windows_tcp_table.ts needs Windows (or Wine: windows/wine/run.sh); this is ${process.platform}`,
  );
}, { ignore: process.platform === "win32" ? "this is Windows: the example runs" : false });

test("examples/pointer_lifetime.ts without cc on PATH says it needs a C compiler in one line and exits 1", () => {
  const outcome = runExample("pointer_lifetime.ts", { PATH: "/nonexistent" });
  assert.equal(outcome.status, 1, outcome.stdout + outcome.stderr);
  assert.equal(outcome.stdout, "");
  assert.equal(
    outcome.stderr.trim(),
    "examples/pointer_lifetime.ts needs a C compiler (cc) on PATH to build its C library; install gcc " +
      "(apt-get install gcc)",
  );
});

// CAP_NET_ADMIN is bit 12 of CapEff in /proc/self/status (<linux/capability.h>).
const effective = /^CapEff:\s+([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "0";
const hasNetAdmin = ((BigInt(`0x${effective}`) >> 12n) & 1n) === 1n;

function setprivMissing(): string | false {
  if (!hasNetAdmin) return false;
  try {
    execFileSync("setpriv", ["--version"], { stdio: "ignore" });
    return false;
  } catch {
    return "no setpriv (util-linux) to start the example without CAP_NET_ADMIN";
  }
}

test("examples/taskstats.ts without CAP_NET_ADMIN says the capability is needed and exits 1", () => {
  const prefix = hasNetAdmin ? ["setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "--"] : [];
  const outcome = runExample("taskstats.ts", {}, prefix);
  assert.equal(outcome.status, 1, outcome.stdout + outcome.stderr);
  assert.equal(outcome.stderr.trim().split("\n").length, 1, outcome.stderr);
  assert.match(outcome.stderr, /^cannot read taskstats: .*EPERM.*needs CAP_NET_ADMIN/);
}, { ignore: setprivMissing() });

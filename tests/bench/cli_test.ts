import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type ProgressEvent, runBench } from "../../bench/run.ts";
import { runScript, type ScriptOutcome, test } from "../harness.ts";

const MAIN = fileURLToPath(new URL("../../bench/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `bench/main.ts` on the running runtime, killed after `limitMs`. */
function bench(args: string[], limitMs = 20_000): Promise<ScriptOutcome> {
  return runScript(MAIN, args, ROOT, limitMs);
}

/** A results folder of its own, so a run that should have been refused never writes to bench/results/. */
function scratch(): string {
  return mkdtempSync(join(tmpdir(), "ffikit-bench-cli-"));
}

function assertRefused(outcome: ScriptOutcome, message: RegExp, out: string): void {
  assert.equal(outcome.timedOut, false, `it ran instead of refusing:\n${outcome.stderr}`);
  assert.equal(outcome.code, 2, `exit code 2 for a usage error; stderr:\n${outcome.stderr}`);
  assert.match(outcome.stderr, message);
  assert.match(outcome.stderr, /^usage: deno task bench /m, "the usage follows the reason");
  assert.doesNotMatch(outcome.stderr, /: starting$/m, "no runtime was started");
  assert.deepEqual(readdirSync(out), [], "nothing was written");
}

test("bench/main.ts refuses an unknown runtime with the usage and exit code 2", async () => {
  const out = scratch();
  try {
    const outcome = await bench(["--quick", "--only=memory", "--runtimes=python", `--out=${out}`]);
    assertRefused(outcome, /Cannot run on runtime "python": the runtimes are deno, bun, node/, out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, { timeout: 60_000 });

test("bench/main.ts refuses a runtime or suite named twice, and an empty list", async () => {
  const out = scratch();
  try {
    assertRefused(
      await bench(["--quick", "--only=memory", "--runtimes=deno,deno", `--out=${out}`]),
      /Cannot run on runtime "deno" twice/,
      out,
    );
    assertRefused(
      await bench(["--quick", "--only=memory,memory", "--runtimes=deno", `--out=${out}`]),
      /Cannot run suite "memory" twice/,
      out,
    );
    assertRefused(
      await bench(["--quick", "--only=", `--out=${out}`]),
      /Cannot run suite "": the suites are rows, calls, memory, libraries, garbage/,
      out,
    );
    assertRefused(
      await bench(["--quick", "--only=memory", "--only=calls", `--out=${out}`]),
      /Cannot take --only twice/,
      out,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, { timeout: 120_000 });

test("bench/main.ts refuses an unknown suite with what it accepts and exit code 2", async () => {
  const out = scratch();
  try {
    const outcome = await bench(["--quick", "--only=nope", `--out=${out}`]);
    assertRefused(
      outcome,
      /Cannot run suite "nope": the suites are rows, calls, memory, libraries, garbage/,
      out,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, { timeout: 60_000 });

// /sys refuses new files even to root, where a chmod'ed folder would not.
const unwritable = "/sys";

test("bench/main.ts refuses an --out it cannot write before running anything", async () => {
  const outcome = await bench(["--quick", "--only=memory", "--runtimes=deno", `--out=${unwritable}`]);
  assert.equal(outcome.timedOut, false, `it ran instead of refusing:\n${outcome.stderr}`);
  assert.equal(outcome.code, 2, outcome.stderr);
  assert.match(outcome.stderr, /Cannot write the result files to "\/sys": /);
  assert.doesNotMatch(outcome.stderr, /: starting$/m, "no runtime was started");
}, { timeout: 60_000, ignore: process.platform !== "linux" ? "needs Linux's read-only /sys" : false });

test("runBench() refuses unknown or repeated runtimes and an unwritable folder before starting", async () => {
  const events: ProgressEvent[] = [];
  const onProgress = (event: ProgressEvent) => events.push(event);
  const out = scratch();
  try {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      runBench({ quick: true, only: ["memory"], runtimes: ["python" as any], outDir: out, onProgress }),
      (error: Error) => error instanceof TypeError && /runtime "python"/.test(error.message),
    );
    await assert.rejects(
      runBench({ quick: true, only: ["memory"], runtimes: ["bun", "bun"], outDir: out, onProgress }),
      (error: Error) => error instanceof TypeError && /runtime "bun" twice/.test(error.message),
    );
    if (process.platform === "linux") {
      const started = performance.now();
      await assert.rejects(
        runBench({ quick: true, only: ["memory"], runtimes: ["deno"], outDir: unwritable, onProgress }),
        /Cannot write the result files to "\/sys": /,
      );
      assert.ok(performance.now() - started < 5_000, "refused at once, not after a run");
    }
    assert.deepEqual(events, [], "nothing started");
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, { timeout: 120_000 });

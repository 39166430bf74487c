/**
 * The ffi misuse fuzz: random misuses (use after close, stale pointers, wrong argument counts and types, short
 * buffers to ioctl and syscall), each in a child process so that a crash is counted, not fatal. Seeded and
 * bounded to about 20 s per runtime; `FFIKIT_FUZZ_SEED` repeats a run, `FFIKIT_FUZZ_ITERATIONS` sets its length
 * (then with no time bound).
 *
 * @module
 */
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import { runScript } from "./_child.ts";
import type { MisuseCase, Outcome } from "./_misuse_case.ts";

const BUDGET_MS = 20_000;

// mulberry32: a small seeded generator, so that a seed repeats a run exactly.
function generator(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32 * bound) | 0;
  };
}

function draw(next: (bound: number) => number): { misuse: MisuseCase; expected: Outcome["outcome"] } {
  switch (next(7)) {
    case 0:
      return { misuse: { kind: "freed memory", size: 1 + next(256), use: next(6) }, expected: "refused" };
    case 1:
      return { misuse: { kind: "closed callback", use: next(3) }, expected: "refused" };
    case 2:
      return { misuse: { kind: "self-closing callback", length: 2 + next(40) }, expected: "ok" };
    case 3: {
      const count = next(5);
      return { misuse: { kind: "argument count", count: count === 1 ? 2 : count }, expected: "refused" };
    }
    case 4:
      return { misuse: { kind: "argument type", value: next(11), fn: next(2) }, expected: "refused" };
    case 5:
      return {
        misuse: { kind: "short ioctl buffer", length: next(4), pending: next(1000) },
        expected: "refused",
      };
    default: {
      const asked = 2 + next(200);
      return { misuse: { kind: "short syscall buffer", length: next(asked), asked }, expected: "refused" };
    }
  }
}

test(
  "ffi misuses are refused with named errors, never a crash or a silent write (seeded, in child processes)",
  () => {
    const env = process.env;
    const seed = env.FFIKIT_FUZZ_SEED !== undefined
      ? Number(env.FFIKIT_FUZZ_SEED)
      : (Math.random() * 2 ** 32) >>> 0;
    const fixed = env.FFIKIT_FUZZ_ITERATIONS !== undefined ? Number(env.FFIKIT_FUZZ_ITERATIONS) : undefined;
    assert.ok(Number.isSafeInteger(seed), `FFIKIT_FUZZ_SEED must be an integer, got ${env.FFIKIT_FUZZ_SEED}`);
    assert.ok(
      fixed === undefined || Number.isSafeInteger(fixed),
      "FFIKIT_FUZZ_ITERATIONS must be an integer",
    );
    const next = generator(seed);
    const caseModule = new URL("./_misuse_case.ts", import.meta.url).href;
    const start = performance.now();
    const counts = { refused: 0, ok: 0, accepted: 0, crashed: 0 };
    const findings: string[] = [];
    let iterations = 0;
    while (fixed !== undefined ? iterations < fixed : performance.now() - start < BUDGET_MS) {
      iterations++;
      const { misuse, expected } = draw(next);
      // The BigInt and i32-range values are valid for labs: the case says "ok" for those.
      const source = `import { runCase } from "${caseModule}";\nawait runCase(${JSON.stringify(misuse)});\n`;
      const child = runScript(source);
      const line = child.stdout.trim().split("\n").at(-1) ?? "";
      if (child.status !== 0 || !line.startsWith("{")) {
        counts.crashed++;
        findings.push(
          `${JSON.stringify(misuse)}: ${child.signal ?? `status ${child.status}`} ${
            child.stderr.slice(-300)
          }`,
        );
        continue;
      }
      const outcome = JSON.parse(line) as Outcome;
      counts[outcome.outcome]++;
      const fine = outcome.outcome === expected ||
        (misuse.kind === "argument type" && outcome.outcome === "ok");
      if (!fine) {
        findings.push(
          `${JSON.stringify(misuse)}: ${outcome.outcome} ${outcome.detail ?? outcome.error ?? ""}`,
        );
      }
    }
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    console.log(
      `ffi misuse fuzz: seed ${seed}, ${iterations} iterations in ${seconds} s: ${counts.refused} refused, ` +
        `${counts.ok} valid, ${counts.accepted} accepted, ${counts.crashed} crashed (FFIKIT_FUZZ_SEED=${seed})`,
    );
    assert.deepEqual(findings, [], `seed ${seed}`);
    assert.ok(iterations > 0);
  },
  { timeout: 600_000 },
);

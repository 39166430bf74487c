import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { validateResultFile } from "../../bench/validate.ts";
import { test } from "../harness.ts";

const valid = JSON.parse(
  readFileSync(new URL("../dashboard/fixtures/2026-11-20T09-30-00-000Z-deno.json", import.meta.url), "utf8"),
);
const first = valid.measurements[0];

test("validateResultFile() refuses empty scans, zero times, repeated measurements and zoneless dates", () => {
  assert.deepEqual(validateResultFile(valid), []);
  const cases: [unknown, RegExp][] = [
    [{ ...valid, measurements: [{ ...first, n: 0 }] }, /^"measurements\[0\]\.n" is not a positive number$/],
    [
      { ...valid, measurements: [{ ...first, nsPerOp: 0 }] },
      /^"measurements\[0\]\.nsPerOp" is not a positive/,
    ],
    [
      { ...valid, measurements: [{ ...first, nsPerRow: -1 }] },
      /^"measurements\[0\]\.nsPerRow" is not a positive/,
    ],
    [
      { ...valid, measurements: [first, { ...first, nsPerOp: 1 }] },
      /^"measurements\[1\]" repeats measurement 0 \(rows, MIB_TCPROW_OWNER_PID: sum owningPid, toolkit toArray, N 100\)$/,
    ],
    [{ ...valid, date: "2026-11-20" }, /^"date" is not an ISO date$/],
    [{ ...valid, date: "2026-11-20T09:30:00" }, /^"date" is not an ISO date$/],
    [{ ...valid, machine: { ...valid.machine, hostname: 1 } }, /^"machine\.hostname" is not a string$/],
  ];
  for (const [value, message] of cases) {
    const problems = validateResultFile(value);
    assert.equal(problems.length, 1, `${message}: ${problems}`);
    assert.match(problems[0]!, message);
  }
  // Heap growth may be 0 (a runtime that removes the garbage), a repeat in another suite or N is no repeat.
  assert.deepEqual(validateResultFile({ ...valid, measurements: [{ ...first, n: 1000 }, first] }), []);
});

test("validateResultFile() takes a measurement's interleaved rounds, and refuses a malformed list", () => {
  const withRounds = (rounds: unknown) =>
    validateResultFile({
      ...valid,
      measurements: [{ ...valid.measurements[0]!, rounds }],
    });
  assert.deepEqual(withRounds([1.5, 2, 3]), []);
  for (const bad of [[], [0], [1, -2], "1,2", [NaN]]) {
    assert.deepEqual(withRounds(bad), ['"measurements[0].rounds" is not a list of positive numbers']);
  }
});

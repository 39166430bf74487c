import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isResultFileName, parseResultFile } from "../../dashboard/results.ts";
import { test } from "../harness.ts";

const valid = JSON.parse(
  readFileSync(new URL("./fixtures/2026-11-20T09-30-00-000Z-deno.json", import.meta.url), "utf8"),
);

test("isResultFileName() accepts run ids and refuses paths", () => {
  assert.ok(isResultFileName("2026-11-21T10-00-00-000Z-deno.json"));
  assert.ok(isResultFileName("baseline_1.json"));
  for (
    const name of ["../x.json", "a/b.json", ".x.json", "x.json.bak", "x.js", "a..json", "x json.json", ""]
  ) {
    assert.equal(isResultFileName(name), false, name);
  }
});

test("parseResultFile() accepts the fixtures and refuses wrong shapes with the field named", () => {
  assert.equal(parseResultFile("f.json", valid), valid);
  const cases: [unknown, RegExp][] = [
    [[], /the top level is not an object/],
    [{ ...valid, schema: 2 }, /schema version 2 is not 1/],
    [{ ...valid, mode: "slow" }, /mode "slow" is unknown/],
    [{ ...valid, runtime: "deno" }, /"runtime" is not \{ name, version \}/],
    [{ ...valid, measurements: {} }, /"measurements" is not a list/],
    [
      { ...valid, measurements: [{ ...valid.measurements[0], technique: "magic" }] },
      /unknown technique "magic"/,
    ],
    [{ ...valid, measurements: [{ ...valid.measurements[0], nsPerOp: "fast" }] }, /no numeric "nsPerOp"/],
    [{ ...valid, measurements: [{ ...valid.measurements[0], n: null }] }, /non-numeric "n"/],
    [{ ...valid, notes: [1] }, /"notes" is not a list of strings/],
    [{ ...valid, date: "zzzz" }, /"date" is not an ISO date/],
    [{ ...valid, date: "2026-11-20" }, /"date" is not an ISO date/],
    [{ ...valid, machine: {} }, /"machine\.cpu" is not a string/],
    [
      { ...valid, runtime: { name: "python", version: "3" } },
      /"runtime" is not \{ name: deno \| bun \| node/,
    ],
    [
      { ...valid, measurements: [{ ...valid.measurements[0], n: 0 }] },
      /"measurements\[0\]\.n" is not a positive/,
    ],
    [
      { ...valid, measurements: [{ ...valid.measurements[0], nsPerRow: 0 }] },
      /\.nsPerRow" is not a positive/,
    ],
    [{ ...valid, measurements: [valid.measurements[0], valid.measurements[0]] }, /repeats measurement 0/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseResultFile("f.json", value), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Cannot read result file "f\.json": /);
      assert.match(error.message, message);
      return true;
    });
  }
});

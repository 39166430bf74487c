import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { buildNative } from "../../bench/_native.ts";
import { openRaw } from "../../bench/_raw_ffi.ts";
import { tcpBytesSumGroup } from "../../bench/rows.ts";
import { dataViewAddressSum, expectedAddressSum } from "../../bench/_workload.mjs";

const build = buildNative();

// The check the harness makes before timing is what keeps a wrong contestant out of the results: here it is
// run on every contestant, the C loop first among them, and shown to refuse a wrong sum.
test("tcpBytesSumGroup() answers the same sum from every contestant, the C loop included", async () => {
  assert.ok(build.ok, build.ok ? "" : build.reason);
  const raw = await openRaw(build.path);
  try {
    const n = 1_000;
    const group = tcpBytesSumGroup({ quick: true, raw, rawMissing: "", libPath: build.path }, n);
    const data = await group.setup();
    // The expected sum, from the fill's formula, agrees with the DataView loop over the bytes.
    assert.equal(dataViewAddressSum(data.bytes), expectedAddressSum(n));
    const cLoop = group.contestants.find((c) => c.technique === "native");
    assert.ok(cLoop, "the group has a C loop");
    const scan = cLoop.make(data);
    assert.equal(typeof scan, "function");
    assert.equal((scan as () => number)(), dataViewAddressSum(data.bytes));
    const names = group.contestants.map((c) => c.name);
    assert.ok(names.includes("restructure Array decode"), names.join(", "));
    for (const contestant of group.contestants) {
      const fn = contestant.make(data);
      assert.equal(typeof fn, "function", `${contestant.name} runs`);
      assert.equal(group.check!((fn as () => unknown)(), data), undefined, contestant.name);
    }
    // A C loop over one row fewer is refused.
    const short = raw.symbols.tcp_bytes_sum_owning_pid_and_addresses(data.bytes, n - 1);
    assert.match(group.check!(short, data) ?? "", /^sum \d+, expected \d+$/);
  } finally {
    raw.close();
  }
}, { ignore: build.ok ? false : build.reason, timeout: 60_000 });

/**
 * The benchmark's warm-up (`timeContestant` in bench/_workload.mjs): at least `warmupCalls` calls before
 * measuring where they fit in `warmupCap`, as well as `warmupTime`; none for a contestant whose first call
 * took half the cap or more. Counted calls, not times: the measurement after it is mitata's.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { BUDGETS, timeContestant } from "../../bench/_workload.mjs";

/** A contestant that counts its calls and takes `ms` per call, as the warm-up sees it. */
function counted(ms: number): { fn: () => number; calls: () => number } {
  let calls = 0;
  return {
    fn: () => {
      calls++;
      const end = performance.now() + ms;
      while (performance.now() < end) { /* busy: a scan of that long */ }
      return calls;
    },
    calls: () => calls,
  };
}

/** mitata's `measure` stood in for by one call, so that the calls counted are the warm-up's and this one. */
const oneCall = (fn: () => unknown) => (fn(), Promise.resolve({ samples: [1], debug: "" }));

test("the quick warm-up makes its 20 calls when a call takes 2 ms, where 5 ms of warm-up made 2", async () => {
  const c = counted(2);
  await timeContestant(c.fn, BUDGETS.quick, 20e6, oneCall);
  assert.equal(c.calls(), BUDGETS.quick.warmupCalls + 1);
});

test("the quick warm-up stops at its cap when calls are slow, and skips a contestant whose first call took half of it", async () => {
  const slow = counted(15);
  await timeContestant(slow.fn, BUDGETS.quick, 20e6, oneCall);
  const capCalls = Math.ceil(BUDGETS.quick.warmupCap / 15e6);
  assert.ok(slow.calls() >= capCalls - 1 && slow.calls() <= capCalls + 1, `${slow.calls()} calls`);
  const long = counted(1);
  await timeContestant(long.fn, BUDGETS.quick, BUDGETS.quick.warmupCap / 2 + 1, oneCall);
  assert.equal(long.calls(), 1, "measured only");
});

test("a warm-up of no time (the interleaved rounds after the first) makes no call", async () => {
  const c = counted(0);
  await timeContestant(c.fn, { ...BUDGETS.quick, warmupTime: 0 }, 1e3, oneCall);
  assert.equal(c.calls(), 1);
});

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../harness.ts";
import { delayAccountingEnabled } from "../../linux/mod.ts";

const SETTING = "/proc/sys/kernel/task_delayacct";

// Read through open(2) and read(2) since node:fs left the import path; checked here against node:fs's reading.
test("delayAccountingEnabled() says what /proc/sys/kernel/task_delayacct says", () => {
  const expected = existsSync(SETTING) ? readFileSync(SETTING, "utf8").trim() === "1" : undefined;
  assert.equal(delayAccountingEnabled(), expected);
});

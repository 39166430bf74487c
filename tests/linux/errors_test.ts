import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { NetlinkReplyError } from "../../mod.ts";

// A kernel that answers without the part asked for cannot be brought about here; the error's shape is checked.
test("NetlinkReplyError names what was attempted, the request and what its reply lacks", () => {
  const error = new NetlinkReplyError(
    'resolve generic netlink family "TASKSTATS"',
    "CTRL_CMD_GETFAMILY",
    "message",
  );
  assert.ok(error instanceof Error);
  assert.equal(error.name, "NetlinkReplyError");
  assert.deepEqual(
    [error.action, error.request, error.missing],
    ['resolve generic netlink family "TASKSTATS"', "CTRL_CMD_GETFAMILY", "message"],
  );
  assert.equal(
    error.message,
    'Cannot resolve generic netlink family "TASKSTATS": the CTRL_CMD_GETFAMILY reply has no message',
  );
});

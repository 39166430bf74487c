/**
 * Regenerating what `linux/` writes by hand gives the same layouts: `struct taskstats` (of the version the
 * installed header declares) and the inet_diag structs that `linux/` uses for socket diagnostics agree with the
 * generated ones in size, alignment and every field's name, offset, size and type. The one difference is
 * deliberate: `linux/` reads the `__be16`/`__be32` ports and addresses big-endian, which C's types do not say.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import * as handWritten from "../../linux/layouts.ts";
import * as extra from "../../linux/_extra_layouts.ts";
import { EXAMPLES, missingHeader } from "./_examples.ts";
import { compareLayouts } from "./_compare_layouts.ts";

const missing = missingHeader(EXAMPLES.find((e) => e.name === "kernel")!);

if (missing) {
  test("the generated kernel layouts", () => {}, { ignore: missing });
} else {
  const generated = await import("../../examples/kernel/taskstats_inet_diag.ts");

  test("the generated struct taskstats is linux/'s layout of the header's version", () => {
    const version = generated.TASKSTATS_VERSION;
    const layouts: Record<string, unknown> = { ...handWritten, ...extra };
    const ours = layouts[`taskstats_v${version}`];
    assert.ok(ours, `linux/ has no taskstats_v${version}`);
    assert.equal(generated.taskstats.size, (ours as { size: number }).size);
    assert.deepEqual(compareLayouts(generated.taskstats, ours, "taskstats", { endian: true }), []);
  });

  test("the generated inet_diag layouts are linux/'s, but for the byte order linux/ gives ports and addresses", () => {
    const byteOrder = (path: string) => [`${path}: native against big byte order`];
    const sockid = [
      ...byteOrder("inet_diag_sockid.idiag_sport"),
      ...byteOrder("inet_diag_sockid.idiag_dport"),
      ...byteOrder("inet_diag_sockid.idiag_src[]"),
      ...byteOrder("inet_diag_sockid.idiag_dst[]"),
    ];
    assert.deepEqual(
      compareLayouts(generated.inet_diag_sockid, handWritten.inet_diag_sockid, "inet_diag_sockid", {
        endian: true,
      }),
      sockid,
    );
    for (const name of ["inet_diag_sockid", "inet_diag_req_v2", "inet_diag_msg"] as const) {
      assert.deepEqual(compareLayouts(generated[name], handWritten[name], name, { endian: false }), []);
    }
    assert.equal(generated.inet_diag_msg.size, 72);
  });
}

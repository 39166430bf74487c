/**
 * The Linux layouts against `cc` and this machine's headers: size, alignment and every field offset, values C
 * wrote read back equal, values we wrote read back equal in C.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import * as L from "../../linux/layouts.ts";
import { castOneOf, LayoutError, type StructType } from "../../structs/mod.ts";
import {
  assertSameLayout,
  at,
  cBytes,
  cLayouts,
  cLoad,
  cStore,
  cValues,
  type Leaf,
  leavesOf,
  pathsOf,
  sampleValue,
} from "../structs/_c.ts";
import { pointerCodec } from "../../structs/scalars.ts";

const PRELUDE = `
#define _GNU_SOURCE
#include <string.h>
#include <stdint.h>
#include <endian.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/sysinfo.h>
#include <sys/resource.h>
#include <time.h>
#include <linux/taskstats.h>
#include <linux/vm_sockets.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/inet_diag.h>
`;

// deno-lint-ignore no-explicit-any
const LAYOUTS: [string, StructType<any>][] = [
  ["struct taskstats", L.taskstats],
  ["struct winsize", L.winsize],
  ["struct sockaddr_vm", L.sockaddr_vm],
  ["struct nlmsghdr", L.nlmsghdr],
  ["struct genlmsghdr", L.genlmsghdr],
  ["struct nlattr", L.nlattr],
  ["struct inet_diag_sockid", L.inet_diag_sockid],
  ["struct inet_diag_req_v2", L.inet_diag_req_v2],
  ["struct inet_diag_msg", L.inet_diag_msg],
  ["struct stat", L.stat],
  ["struct timespec", L.timespec],
  ["struct timeval", L.timeval],
  ["struct utsname", L.utsname],
  ["struct sysinfo", L.sysinfo],
  ["struct rusage", L.rusage],
];

const onX86 = (globalThis as { process?: { arch?: string } }).process?.arch === "x64";

test("linux layouts match cc: size, alignment and every field offset", () => {
  const types: Record<string, string[]> = {};
  for (const [c, layout] of LAYOUTS) types[c] = pathsOf(layout);
  const c = cLayouts(PRELUDE, types);
  for (const [name, layout] of LAYOUTS) assertSameLayout(layout, c.get(name));
}, onX86 ? {} : { ignore: "struct stat is only declared for x86-64 and AArch64; checked on x86-64" });

function sample(leaves: Leaf[]): { value: Record<string, unknown>; fill: string } {
  const value: Record<string, unknown> = {};
  const fill: string[] = [];
  leaves.forEach((leaf, k) => {
    let v = sampleValue(leaf, k);
    fill.push(cStore(leaf, v));
    if (leaf.scalar?.native === "pointer") v = pointerCodec().fromAddress(v as bigint);
    let target = value as Record<string | number, unknown>;
    for (let i = 0; i < leaf.keys.length - 1; i++) {
      const key = leaf.keys[i]!;
      target[key] ??= typeof leaf.keys[i + 1] === "number" ? [] : {};
      target = target[key] as Record<string | number, unknown>;
    }
    target[leaf.keys[leaf.keys.length - 1]!] = v;
  });
  return { value, fill: fill.join("\n  ") };
}

for (const [cName, layout] of LAYOUTS) {
  test(`${layout.name}.read() reads back the values C wrote at every field`, () => {
    const leaves = leavesOf(layout);
    const { value, fill } = sample(leaves);
    const bytes = cBytes(PRELUDE, cName, fill);
    assert.equal(bytes.length, layout.size);
    const read = layout.read(bytes);
    const view = layout.view(bytes);
    for (const leaf of leaves) {
      assert.deepEqual(at(read, leaf.keys), at(value, leaf.keys), `${layout.name}.${leaf.path}`);
      // The same leaf through the in-place view: arrays are views, read with at().
      let v: unknown = view;
      for (const key of leaf.keys) {
        v = typeof key === "number"
          ? (v as { at(i: number): unknown }).at(key)
          : (v as Record<string, unknown>)[key];
      }
      assert.deepEqual(v, at(value, leaf.keys), `view ${layout.name}.${leaf.path}`);
    }
  });

  test(`${layout.name}.encode() writes values that C reads back equal`, () => {
    const leaves = leavesOf(layout);
    const { value } = sample(leaves);
    const printed = cValues(PRELUDE, cName, layout.encode(value as never), leaves.map(cLoad));
    leaves.forEach((leaf, k) => {
      const expected = at(value, leaf.keys);
      const shown = typeof expected === "boolean"
        ? String(Number(expected))
        : leaf.scalar?.native === "pointer"
        ? String(pointerCodec().toAddress(expected as never))
        : String(expected);
      assert.equal(printed[k], shown, `${layout.name}.${leaf.path}`);
    });
  });
}

test("taskstats_v10..v13 are the header's struct cut at each version's last field", () => {
  const c = cLayouts(PRELUDE, {
    "struct taskstats": ["version", "compact_count", "ac_tgid", "wpcopy_count", "wpcopy_delay_total"],
  }).get("struct taskstats")!;
  assert.equal(L.taskstats.size, c.size);
  assert.equal(L.taskstats_v12.size, c.offsets.get("wpcopy_count"));
  assert.equal(L.taskstats_v11.size, c.offsets.get("ac_tgid"));
  assert.equal(L.taskstats_v10.size, c.offsets.get("compact_count"));
  assert.deepEqual(
    L.taskstatsVersions.map((v) => v.size),
    [c.size, c.offsets.get("wpcopy_count"), c.offsets.get("ac_tgid"), c.offsets.get("compact_count")],
  );
});

test("castOneOf() accepts any taskstats version by size and refuses other sizes", () => {
  const full = cBytes(
    PRELUDE,
    "struct taskstats",
    'x.version = 13; x.ac_pid = 4242; strcpy(x.ac_comm, "deno"); x.wpcopy_count = 9;',
  );
  const v13 = castOneOf(full, L.taskstatsVersions);
  assert.equal(v13.version, 13);
  assert.equal(v13.ac_pid, 4242);
  assert.equal(v13.ac_comm, "deno");
  // An older kernel's payload: the first sizeof(v11) bytes.
  const older = full.slice(0, L.taskstats_v11.size);
  const v11 = castOneOf(older, L.taskstatsVersions);
  assert.equal(v11.ac_pid, 4242);
  assert.equal("wpcopy_count" in v11, false);
  assert.throws(() => castOneOf(full.slice(0, 100), L.taskstatsVersions), (error: unknown) => {
    assert.ok(error instanceof LayoutError);
    assert.equal(error.actual, 100);
    assert.deepEqual(error.expected, L.taskstatsVersions.map((v) => v.size));
    assert.match(error.message, /expected one of \d+, \d+, \d+, \d+ bytes, got 100/);
    return true;
  });
});

test("taskstats.cast() checks the size like mdlayher/taskstats, with a prefix form for newer kernels", () => {
  const bytes = new Uint8Array(L.taskstats.size + 16);
  assert.throws(() => L.taskstats.cast(bytes), {
    name: "LayoutError",
    message: `Cannot cast to "taskstats_v13": expected ${L.taskstats.size} bytes, got ${
      L.taskstats.size + 16
    }`,
  });
  const view = L.taskstats.cast(bytes, { prefix: true });
  view.ac_pid = 7;
  assert.equal(
    new DataView(bytes.buffer).getUint32(
      cLayouts(PRELUDE, { "struct taskstats": ["ac_pid"] })
        .get("struct taskstats")!.offsets.get("ac_pid")!,
      true,
    ),
    7,
  );
});

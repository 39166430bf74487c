// Linux-side checks of windows/: every layout against the Windows SDK's headers as the mingw-w64 cross compiler
// sees them (LLP64, read at build time: nothing runs on Windows), the TCP table rows, and the OS gate.
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import { MINGW_CC, mingwMissing, mingwObjects, quads } from "../_mingw.ts";
import { fieldPaths } from "../structs/_c.ts";
import type { ArrayView, StructType, UnionType } from "../../structs/mod.ts";
import * as windows from "../../windows/mod.ts";

// The headers that declare every layout: SECURITY_ATTRIBUTES (minwinbase.h), the job object structures (winnt.h),
// the TCP tables (tcpmib.h, through iphlpapi.h, which wants winsock2.h first).
const HEADERS = ["winsock2.h", "windows.h", "iphlpapi.h", "stddef.h"];

// Exported layouts that have no declaration of that name in the SDK, each with the reason. None today; a new
// one must be listed here to be left out of the check.
const WITHOUT_SDK_DECLARATION: Record<string, string> = {};

// Sizes Microsoft documents for x64 (and the Wine run measured), as a second independent source.
const DOCUMENTED_SIZES: Record<string, number> = {
  SECURITY_ATTRIBUTES: 24,
  MIB_TCPROW_OWNER_PID: 24,
  MIB_TCP6ROW_OWNER_PID: 56,
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION: 48,
  JOBOBJECT_BASIC_LIMIT_INFORMATION: 64,
  IO_COUNTERS: 48,
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION: 144,
};

type Layout = StructType | UnionType;

/** Every export of windows/mod.ts that is a struct or union layout, by its export name (the C typedef name). */
const exported: [string, Layout][] = Object.entries(windows).filter(([, value]) => {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return (kind === "struct" || kind === "union") && Array.isArray((value as Layout).fields);
}) as [string, Layout][];

test("windows/mod.ts exports nine layouts, all in windows.layouts, each under its SDK name", () => {
  assert.deepEqual(exported.map(([name]) => name).sort(), Object.keys(windows.layouts).sort());
  assert.equal(exported.length, 9);
  for (const [name, layout] of exported) assert.equal(layout.name, name);
  for (const name of Object.keys(WITHOUT_SDK_DECLARATION)) {
    assert.ok(
      exported.some(([n]) => n === name),
      `${name} is listed as without a declaration but not exported`,
    );
  }
});

test(`every windows/ layout equals the SDK's: sizeof, _Alignof and every offsetof (${MINGW_CC})`, () => {
  const checked = exported.filter(([name]) => !(name in WITHOUT_SDK_DECLARATION));
  const lines = checked.map(([name, layout], i) =>
    `const unsigned long long layout${i}[] = { sizeof(${name}), _Alignof(${name})${
      fieldPaths(layout).map(([path]) => `, offsetof(${name}, ${path})`).join("")
    } };`
  );
  const compiled = mingwObjects(`${HEADERS.map((h) => `#include <${h}>`).join("\n")}\n${lines.join("\n")}\n`);
  const failures: string[] = [];
  let offsets = 0;
  checked.forEach(([name, layout], i) => {
    const [size, align, ...cOffsets] = quads(compiled, `layout${i}`);
    if (size !== layout.size) failures.push(`sizeof(${name}): SDK ${size}, ours ${layout.size}`);
    if (align !== layout.align) failures.push(`_Alignof(${name}): SDK ${align}, ours ${layout.align}`);
    fieldPaths(layout).forEach(([path, ours], j) => {
      offsets++;
      if (cOffsets[j] !== ours) failures.push(`offsetof(${name}, ${path}): SDK ${cOffsets[j]}, ours ${ours}`);
    });
    const documented = DOCUMENTED_SIZES[name];
    if (documented !== undefined && documented !== layout.size) {
      failures.push(`sizeof(${name}): documented ${documented}, ours ${layout.size}`);
    }
  });
  assert.deepEqual(failures, []);
  // Nested structs' fields are checked too (JOBOBJECT_EXTENDED_LIMIT_INFORMATION's BasicLimitInformation.*).
  assert.equal(offsets, 65);
}, { ignore: mingwMissing, timeout: 120_000 });

test("MIB_TCPTABLE_OWNER_PID and MIB_TCP6TABLE_OWNER_PID count one row in sizeof, as the SDK's ANY_SIZE (1)", () => {
  assert.equal(windows.MIB_TCPTABLE_OWNER_PID.size, 4 + 24);
  assert.equal(windows.MIB_TCP6TABLE_OWNER_PID.size, 4 + 56);
  // An empty table is FIELD_OFFSET(T, table[0]) bytes, which GetExtendedTcpTable may return: it still casts.
  assert.equal(windows.MIB_TCPTABLE_OWNER_PID.cast(new Uint8Array(4)).table.length, 0);
  assert.deepEqual(windows.MIB_TCP6TABLE_OWNER_PID.read(new Uint8Array(4)).table, []);
});

test("MIB_TCPTABLE_OWNER_PID reads its ANY_SIZE rows copied and in place, with ports in network order", () => {
  // Two rows as Windows writes them: 127.0.0.1:8080 LISTEN (pid 1234), 10.0.0.2:443 → 10.0.0.9:51000 ESTAB.
  const bytes = new Uint8Array(4 + 2 * 24);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, 2, true);
  const rows = [
    { state: 2, local: [127, 0, 0, 1], localPort: 8080, remote: [0, 0, 0, 0], remotePort: 0, pid: 1234 },
    { state: 5, local: [10, 0, 0, 2], localPort: 443, remote: [10, 0, 0, 9], remotePort: 51000, pid: 77 },
  ];
  rows.forEach((r, i) => {
    const at = 4 + 24 * i;
    dv.setUint32(at, r.state, true);
    bytes.set(r.local, at + 4);
    dv.setUint16(at + 8, r.localPort, false);
    bytes.set(r.remote, at + 12);
    dv.setUint16(at + 16, r.remotePort, false);
    dv.setUint32(at + 20, r.pid, true);
  });
  const copied = windows.MIB_TCPTABLE_OWNER_PID.read(bytes);
  assert.equal(copied.dwNumEntries, 2);
  assert.equal(copied.table.length, 2);
  const view = windows.MIB_TCPTABLE_OWNER_PID.view(bytes).table;
  assert.equal(view.length, 2);
  rows.forEach((r, i) => {
    const c = copied.table[i]!;
    const v = view.at(i);
    assert.equal(c.dwState, r.state);
    assert.equal(v.dwState, r.state);
    assert.equal(windows.portFromNetworkOrder(c.dwLocalPort), r.localPort);
    assert.equal(windows.portFromNetworkOrder(v.dwRemotePort), r.remotePort);
    assert.equal(windows.ipv4FromNetworkOrder(c.dwLocalAddr), r.local.join("."));
    assert.equal(windows.ipv4FromNetworkOrder(v.dwRemoteAddr), r.remote.join("."));
    assert.equal(v.dwOwningPid, r.pid);
  });
  // In place: a write through the view is a write to the bytes.
  view.at(1).dwOwningPid = 99;
  assert.equal(dv.getUint32(4 + 24 + 20, true), 99);
});

test("ipv6FromBytes() writes RFC 5952 text", () => {
  const bytes = (hex: string) => hex.match(/../g)!.map((b) => parseInt(b, 16));
  assert.equal(windows.ipv6FromBytes(bytes("00000000000000000000000000000001")), "::1");
  assert.equal(windows.ipv6FromBytes(bytes("00000000000000000000000000000000")), "::");
  assert.equal(windows.ipv6FromBytes(bytes("20010db8000000000001000000000001")), "2001:db8::1:0:0:1");
  assert.equal(windows.ipv6FromBytes(bytes("fe800000000000000202b3fffe1e8329")), "fe80::202:b3ff:fe1e:8329");
  assert.equal(windows.ipv6FromBytes(bytes("20010db8000100000001000100010001")), "2001:db8:1:0:1:1:1:1");
  assert.throws(() => windows.ipv6FromBytes([1, 2, 3]), RangeError);
});

test("tcpStateName() names MIB_TCP_STATE values", () => {
  assert.equal(windows.tcpStateName(windows.TcpState.LISTEN), "LISTEN");
  assert.equal(windows.tcpStateName(5), "ESTAB");
  assert.equal(windows.tcpStateName(99), "UNKNOWN");
});

// Type-level expectations, checked by `deno check`: the family picks the row layout of the in-place view, and the
// copied structures have the value types of their C fields.
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;
const typeChecks: [
  Equals<ReturnType<windows.TcpTable<2>["view"]>, ArrayView<typeof windows.MIB_TCPROW_OWNER_PID>>,
  Equals<ReturnType<windows.TcpTable<23>["view"]>, ArrayView<typeof windows.MIB_TCP6ROW_OWNER_PID>>,
  Equals<windows.JobBasicAccounting["TotalUserTime"], bigint>,
  Equals<windows.JobBasicAccounting["ActiveProcesses"], number>,
  Equals<windows.JobExtendedLimits["BasicLimitInformation"]["Affinity"], bigint>,
  Equals<windows.TcpRow["stateName"], windows.TcpStateName | "UNKNOWN">,
] = [true, true, true, true, true, true];

test("windows/ types: the view follows the family; fields have their C value types", () => {
  assert.deepEqual(typeChecks, [true, true, true, true, true, true]);
});

const onWindows = process.platform === "win32";

test("createJobObject() off Windows throws UnsupportedPlatformError naming the OS", () => {
  assert.throws(() => windows.createJobObject("x"), (error: unknown) => {
    assert.ok(error instanceof windows.UnsupportedPlatformError);
    assert.equal(error.name, "UnsupportedPlatformError");
    assert.equal(error.api, "createJobObject");
    assert.equal(error.os, process.platform);
    assert.match(error.message, new RegExp(`createJobObject\\(\\).*"${process.platform}".*not Windows`));
    return true;
  });
}, { ignore: onWindows ? "checks the non-Windows path" : false });

test("getExtendedTcpTable() off Windows throws UnsupportedPlatformError naming the OS", () => {
  assert.throws(() => windows.getExtendedTcpTable(), (error: unknown) => {
    assert.ok(error instanceof windows.UnsupportedPlatformError);
    assert.match(error.message, new RegExp(`getExtendedTcpTable\\(\\).*"${process.platform}"`));
    return true;
  });
  assert.equal(windows.isWindows, false);
}, { ignore: onWindows ? "checks the non-Windows path" : false });

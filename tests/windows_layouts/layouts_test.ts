// Linux-side checks of windows/: every layout against a C mirror compiled with cc, and the OS gate.
import assert from "node:assert/strict";
import process from "node:process";
import { runC, test } from "../harness.ts";
import { alignOf, type ArrayView, fieldsOf, sizeOf } from "../../structs/mod.ts";
import * as windows from "../../windows/mod.ts";

// Fixed-width mirrors of the Windows x64 (LLP64) declarations, written from the SDK headers independently of
// windows/layouts.ts: DWORD, BOOL, ULONG → 32 bits; LARGE_INTEGER, ULONGLONG → 64 bits; SIZE_T, ULONG_PTR →
// 64 bits; LPVOID → void *; UCHAR → uint8_t; ANY_SIZE rows → a C99 flexible array member. x86-64 System V and
// Windows x64 align these types alike, so the host compiler gives Windows' offsets.
const MIRROR = `
typedef struct { uint32_t nLength; void *lpSecurityDescriptor; int32_t bInheritHandle; } SECURITY_ATTRIBUTES;
typedef struct { uint32_t dwState; uint32_t dwLocalAddr; uint32_t dwLocalPort; uint32_t dwRemoteAddr;
  uint32_t dwRemotePort; uint32_t dwOwningPid; } MIB_TCPROW_OWNER_PID;
typedef struct { uint32_t dwNumEntries; MIB_TCPROW_OWNER_PID table[]; } MIB_TCPTABLE_OWNER_PID;
typedef struct { uint8_t ucLocalAddr[16]; uint32_t dwLocalScopeId; uint32_t dwLocalPort; uint8_t ucRemoteAddr[16];
  uint32_t dwRemoteScopeId; uint32_t dwRemotePort; uint32_t dwState; uint32_t dwOwningPid; } MIB_TCP6ROW_OWNER_PID;
typedef struct { uint32_t dwNumEntries; MIB_TCP6ROW_OWNER_PID table[]; } MIB_TCP6TABLE_OWNER_PID;
typedef struct { int64_t TotalUserTime; int64_t TotalKernelTime; int64_t ThisPeriodTotalUserTime;
  int64_t ThisPeriodTotalKernelTime; uint32_t TotalPageFaultCount; uint32_t TotalProcesses;
  uint32_t ActiveProcesses; uint32_t TotalTerminatedProcesses; } JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
typedef struct { int64_t PerProcessUserTimeLimit; int64_t PerJobUserTimeLimit; uint32_t LimitFlags;
  size_t MinimumWorkingSetSize; size_t MaximumWorkingSetSize; uint32_t ActiveProcessLimit; uintptr_t Affinity;
  uint32_t PriorityClass; uint32_t SchedulingClass; } JOBOBJECT_BASIC_LIMIT_INFORMATION;
typedef struct { uint64_t ReadOperationCount; uint64_t WriteOperationCount; uint64_t OtherOperationCount;
  uint64_t ReadTransferCount; uint64_t WriteTransferCount; uint64_t OtherTransferCount; } IO_COUNTERS;
typedef struct { JOBOBJECT_BASIC_LIMIT_INFORMATION BasicLimitInformation; IO_COUNTERS IoInfo;
  size_t ProcessMemoryLimit; size_t JobMemoryLimit; size_t PeakProcessMemoryUsed; size_t PeakJobMemoryUsed;
} JOBOBJECT_EXTENDED_LIMIT_INFORMATION;
`;

// The fields of each mirror, in declaration order, as the SDK names them.
const FIELDS: Record<string, string[]> = {
  SECURITY_ATTRIBUTES: ["nLength", "lpSecurityDescriptor", "bInheritHandle"],
  MIB_TCPROW_OWNER_PID: [
    "dwState",
    "dwLocalAddr",
    "dwLocalPort",
    "dwRemoteAddr",
    "dwRemotePort",
    "dwOwningPid",
  ],
  MIB_TCPTABLE_OWNER_PID: ["dwNumEntries", "table"],
  MIB_TCP6ROW_OWNER_PID: [
    "ucLocalAddr",
    "dwLocalScopeId",
    "dwLocalPort",
    "ucRemoteAddr",
    "dwRemoteScopeId",
    "dwRemotePort",
    "dwState",
    "dwOwningPid",
  ],
  MIB_TCP6TABLE_OWNER_PID: ["dwNumEntries", "table"],
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION: [
    "TotalUserTime",
    "TotalKernelTime",
    "ThisPeriodTotalUserTime",
    "ThisPeriodTotalKernelTime",
    "TotalPageFaultCount",
    "TotalProcesses",
    "ActiveProcesses",
    "TotalTerminatedProcesses",
  ],
  JOBOBJECT_BASIC_LIMIT_INFORMATION: [
    "PerProcessUserTimeLimit",
    "PerJobUserTimeLimit",
    "LimitFlags",
    "MinimumWorkingSetSize",
    "MaximumWorkingSetSize",
    "ActiveProcessLimit",
    "Affinity",
    "PriorityClass",
    "SchedulingClass",
  ],
  IO_COUNTERS: [
    "ReadOperationCount",
    "WriteOperationCount",
    "OtherOperationCount",
    "ReadTransferCount",
    "WriteTransferCount",
    "OtherTransferCount",
  ],
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION: [
    "BasicLimitInformation",
    "IoInfo",
    "ProcessMemoryLimit",
    "JobMemoryLimit",
    "PeakProcessMemoryUsed",
    "PeakJobMemoryUsed",
  ],
};

// Sizes and offsets Microsoft documents for x64 (and the Wine run measured), as a second independent source.
const DOCUMENTED_SIZES: Record<string, number> = {
  SECURITY_ATTRIBUTES: 24,
  MIB_TCPROW_OWNER_PID: 24,
  MIB_TCP6ROW_OWNER_PID: 56,
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION: 48,
  JOBOBJECT_BASIC_LIMIT_INFORMATION: 64,
  IO_COUNTERS: 48,
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION: 144,
};

interface Measured {
  size: number;
  align: number;
  offsets: Record<string, number>;
}

let measured: Record<string, Measured> | undefined;

function mirror(): Record<string, Measured> {
  if (measured) return measured;
  const prints = Object.entries(FIELDS).map(([name, fields]) => {
    const offsets = fields.map((f) =>
      `printf("%s\\"${f}\\":%zu", ${fields.indexOf(f) ? '","' : '""'}, offsetof(${name}, ${f}));`
    );
    return `printf("%s\\"${name}\\":{\\"size\\":%zu,\\"align\\":%zu,\\"offsets\\":{", first ? "" : ",", sizeof(${name}), alignof(${name})); first = 0;
  ${offsets.join("\n  ")}
  printf("}}");`;
  });
  const source = `#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
${MIRROR}
int main(void) {
  int first = 1;
  printf("{");
  ${prints.join("\n  ")}
  printf("}\\n");
  return 0;
}
`;
  return measured = JSON.parse(runC(source)) as Record<string, Measured>;
}

test("windows/layouts.ts lists every mirrored layout", () => {
  assert.deepEqual(Object.keys(windows.layouts).sort(), Object.keys(FIELDS).sort());
});

for (const name of Object.keys(FIELDS)) {
  test(`${name} matches its C mirror: size, alignment and every field offset`, () => {
    const layout = windows.layouts[name];
    assert.ok(layout, `windows/layouts.ts has no ${name}`);
    const c = mirror()[name]!;
    assert.equal(sizeOf(layout), c.size, `sizeof(${name})`);
    assert.equal(alignOf(layout), c.align, `_Alignof(${name})`);
    const fields = fieldsOf(layout);
    assert.deepEqual(fields.map((f) => f.name), FIELDS[name], `fields of ${name}`);
    for (const field of fields) {
      assert.equal(field.offset, c.offsets[field.name], `offsetof(${name}, ${field.name})`);
    }
    if (DOCUMENTED_SIZES[name] !== undefined) assert.equal(layout.size, DOCUMENTED_SIZES[name]);
  }, { timeout: 120_000 });
}

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

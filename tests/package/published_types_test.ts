/**
 * The field lists that JSR's "no slow types" rule made say their types (`array(...) as ArrayType<...>`) keep the
 * exact types the calls infer, so the layouts built from them `Infer<>` the same values as before.
 *
 * @module
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import {
  aligned,
  ANY_SIZE,
  array,
  char,
  i64,
  type Infer,
  int,
  u32,
  u32be,
  u64,
  u8,
  uchar,
  ulong_lp64,
} from "../../structs/mod.ts";
import * as linux from "../../linux/layouts.ts";
import * as windows from "../../windows/layouts.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

/** Compiles only where `A` and `B` are the same type (otherwise it wants an argument of type `never`). */
function sameType<A, B>(..._proof: Equal<A, B> extends true ? [] : [never]): boolean {
  return true;
}

// The calls as the field lists wrote them before, their types inferred.
const inferred = {
  svm_zero: array(uchar, 3),
  idiag_src: array(u32be, 4),
  idiag_cookie: array(u32, 2),
  stat_x86_64_reserved: array(i64, 3),
  stat_aarch64_reserved: array(int, 2),
  utsname_field: array(char, 65, { string: true }),
  loads: array(ulong_lp64, 3),
  _f: array(char, 0),
  cpu_count: aligned(u64, 8),
  ac_comm: array(char, 32, { string: true }),
  ac_sched: aligned(u8, 8),
  ac_pad: array(u8, 3),
  ac_uid: aligned(u32, 8),
  ucLocalAddr: array(windows.UCHAR, 16),
  table4: array(windows.MIB_TCPROW_OWNER_PID, ANY_SIZE, { count: "dwNumEntries" }),
  table6: array(windows.MIB_TCP6ROW_OWNER_PID, ANY_SIZE, { count: "dwNumEntries" }),
};

// Each annotated field, against the call's own type.
const sameAsCall = [
  sameType<typeof linux.sockaddrVmFields.svm_zero, typeof inferred.svm_zero>(),
  sameType<typeof linux.inetDiagSockidFields.idiag_src, typeof inferred.idiag_src>(),
  sameType<typeof linux.inetDiagSockidFields.idiag_dst, typeof inferred.idiag_src>(),
  sameType<typeof linux.inetDiagSockidFields.idiag_cookie, typeof inferred.idiag_cookie>(),
  sameType<typeof linux.statX86_64Fields.__glibc_reserved, typeof inferred.stat_x86_64_reserved>(),
  sameType<typeof linux.statAarch64Fields.__glibc_reserved, typeof inferred.stat_aarch64_reserved>(),
  sameType<typeof linux.utsnameFields.sysname, typeof inferred.utsname_field>(),
  sameType<typeof linux.utsnameFields.domainname, typeof inferred.utsname_field>(),
  sameType<typeof linux.sysinfoFields.loads, typeof inferred.loads>(),
  sameType<typeof linux.sysinfoFields._f, typeof inferred._f>(),
  sameType<typeof linux.taskstatsV10Fields.cpu_count, typeof inferred.cpu_count>(),
  sameType<typeof linux.taskstatsV10Fields.ac_comm, typeof inferred.ac_comm>(),
  sameType<typeof linux.taskstatsV10Fields.ac_sched, typeof inferred.ac_sched>(),
  sameType<typeof linux.taskstatsV10Fields.ac_pad, typeof inferred.ac_pad>(),
  sameType<typeof linux.taskstatsV10Fields.ac_uid, typeof inferred.ac_uid>(),
  sameType<typeof linux.taskstatsV10Fields.ac_etime, typeof inferred.cpu_count>(),
  sameType<typeof linux.taskstatsV12Fields.ac_tgetime, typeof inferred.cpu_count>(),
  sameType<typeof windows.MIB_TCP6ROW_OWNER_PID_FIELDS.ucLocalAddr, typeof inferred.ucLocalAddr>(),
  sameType<typeof windows.MIB_TCPTABLE_OWNER_PID_FIELDS.table, typeof inferred.table4>(),
  sameType<typeof windows.MIB_TCP6TABLE_OWNER_PID_FIELDS.table, typeof inferred.table6>(),
];

// What users read from the layouts built from them.
const readValues = [
  sameType<Infer<typeof linux.utsname>, {
    sysname: string;
    nodename: string;
    release: string;
    version: string;
    machine: string;
    domainname: string;
  }>(),
  sameType<Infer<typeof linux.sockaddr_vm>["svm_zero"], number[]>(),
  sameType<Infer<typeof linux.inet_diag_sockid>["idiag_src"], number[]>(),
  sameType<Infer<typeof linux.taskstats>["ac_comm"], string>(),
  sameType<Infer<typeof linux.taskstats>["cpu_count"], bigint>(),
  sameType<Infer<typeof linux.taskstats>["ac_uid"], number>(),
  sameType<Infer<typeof linux.taskstats>["ac_tgetime"], bigint>(),
  sameType<Infer<typeof linux.sysinfo>["loads"], bigint[]>(),
  // Linux is LP64: its `long` fields are exactly bigint, not number | bigint.
  sameType<Infer<typeof linux.sysinfo>["totalram"], bigint>(),
  sameType<Infer<typeof linux.rusage>["ru_maxrss"], bigint>(),
  sameType<Infer<typeof linux.timespec>["tv_nsec"], bigint>(),
  sameType<Infer<typeof windows.MIB_TCP6ROW_OWNER_PID>["ucLocalAddr"], number[]>(),
  sameType<
    Infer<typeof windows.MIB_TCPTABLE_OWNER_PID>["table"],
    Infer<typeof windows.MIB_TCPROW_OWNER_PID>[]
  >(),
];

test("published field lists keep the types their array() and aligned() calls infer (checked by deno check)", () => {
  assert.ok(sameAsCall.every((same) => same) && readValues.every((same) => same));
});

// The declarations' data (kind, name, size, alignment, element, length); their codecs' functions are fresh per call.
const sameDeclaration = (actual: unknown, expected: unknown) =>
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));

test("published field lists hold the same declarations as the calls their types name", () => {
  sameDeclaration(linux.sockaddrVmFields.svm_zero, inferred.svm_zero);
  sameDeclaration(linux.inetDiagSockidFields.idiag_src, inferred.idiag_src);
  sameDeclaration(linux.utsnameFields.machine, inferred.utsname_field);
  sameDeclaration(linux.sysinfoFields.loads, inferred.loads);
  sameDeclaration(linux.taskstatsV10Fields.ac_comm, inferred.ac_comm);
  sameDeclaration(linux.taskstatsV10Fields.cpu_count, inferred.cpu_count);
  sameDeclaration(linux.taskstatsV12Fields.ac_tgetime, inferred.cpu_count);
  sameDeclaration(windows.MIB_TCP6ROW_OWNER_PID_FIELDS.ucRemoteAddr, inferred.ucLocalAddr);
  sameDeclaration(windows.MIB_TCP6TABLE_OWNER_PID_FIELDS.table, inferred.table6);
});

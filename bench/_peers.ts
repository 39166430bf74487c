/**
 * The two row layouts described with the npm libraries a user would pick instead of the toolkit:
 * bun-ffi-structs and restructure. (koffi runs under Node, in `node/koffi_peer.mjs`.)
 *
 * @module
 */
import { defineStruct } from "bun-ffi-structs";
import * as restructureModule from "restructure";
import { TASKSTATS_LAYOUT, TASKSTATS_SIZE } from "./_workload.mjs";

/** The part of restructure's untyped API the benchmarks use. */
interface RestructureType {
  decode(stream: unknown, parent?: unknown): unknown;
  size(value?: unknown, parent?: unknown): number;
}
interface Restructure {
  Struct: new (fields: Record<string, RestructureType>) => RestructureType;
  Array: new (type: RestructureType, length: number) => RestructureType;
  Buffer: new (length: number) => RestructureType;
  Reserved: new (type: RestructureType, count: number) => RestructureType;
  DecodeStream: new (bytes: Uint8Array) => { pos: number; view: DataView };
  uint8: RestructureType;
  uint16le: RestructureType;
  uint32le: RestructureType;
}

const r = restructureModule as unknown as Restructure;

/** restructure 3 has no 64-bit integer; this is the custom type its README describes how to write. */
const uint64le: RestructureType = {
  size: () => 8,
  decode(stream) {
    const s = stream as { pos: number; view: DataView };
    const value = s.view.getBigUint64(s.pos, true);
    s.pos += 8;
    return value;
  },
};

/** MIB_TCPROW_OWNER_PID in restructure. */
export const restructureTcpRow: RestructureType = new r.Struct({
  dwState: r.uint32le,
  dwLocalAddr: r.uint32le,
  dwLocalPort: r.uint32le,
  dwRemoteAddr: r.uint32le,
  dwRemotePort: r.uint32le,
  dwOwningPid: r.uint32le,
});

/** struct taskstats in restructure: padding as `Reserved`, `char[32]` as a 32-byte `Buffer`. */
export const restructureTaskstats: RestructureType = (() => {
  const fields: Record<string, RestructureType> = {};
  let offset = 0;
  let pad = 0;
  const scalar = { u8: r.uint8, u16: r.uint16le, u32: r.uint32le, u64: uint64le, char: r.uint8 };
  for (const field of TASKSTATS_LAYOUT) {
    if (field.offset > offset) fields[`_pad${pad++}`] = new r.Reserved(r.uint8, field.offset - offset);
    if (field.type === "char") fields[field.name] = new r.Buffer(field.count);
    else if (field.count > 1) fields[field.name] = new r.Array(scalar[field.type], field.count);
    else fields[field.name] = scalar[field.type];
    offset = field.offset + field.size;
  }
  if (TASKSTATS_SIZE > offset) fields[`_pad${pad++}`] = new r.Reserved(r.uint8, TASKSTATS_SIZE - offset);
  return new r.Struct(fields);
})();

/** Decodes `n` rows with restructure (`new Array(type, n).decode(new DecodeStream(bytes))`). */
export function restructureDecodeAll(type: RestructureType, bytes: Uint8Array, n: number): unknown[] {
  return new r.Array(type, n).decode(new r.DecodeStream(bytes)) as unknown[];
}

/** MIB_TCPROW_OWNER_PID in bun-ffi-structs. */
export const bunTcpRow = defineStruct(
  [
    ["dwState", "u32"],
    ["dwLocalAddr", "u32"],
    ["dwLocalPort", "u32"],
    ["dwRemoteAddr", "u32"],
    ["dwRemotePort", "u32"],
    ["dwOwningPid", "u32"],
  ] as const,
);

/**
 * struct taskstats in bun-ffi-structs. It has natural alignment only and no inline fixed arrays, so
 * `ac_comm` is four u64 words, `ac_pad` three u8 fields, and the `aligned(8)` gap before `ac_uid` an explicit
 * u32: what a user of the library would have to write.
 */
export const bunTaskstats = defineStruct(
  [
    ["version", "u16"],
    ["ac_exitcode", "u32"],
    ["ac_flag", "u8"],
    ["ac_nice", "u8"],
    ["cpu_count", "u64"],
    ["cpu_delay_total", "u64"],
    ["blkio_count", "u64"],
    ["blkio_delay_total", "u64"],
    ["swapin_count", "u64"],
    ["swapin_delay_total", "u64"],
    ["cpu_run_real_total", "u64"],
    ["cpu_run_virtual_total", "u64"],
    ["ac_comm0", "u64"],
    ["ac_comm1", "u64"],
    ["ac_comm2", "u64"],
    ["ac_comm3", "u64"],
    ["ac_sched", "u8"],
    ["ac_pad0", "u8"],
    ["ac_pad1", "u8"],
    ["ac_pad2", "u8"],
    ["_align_ac_uid", "u32"],
    ["ac_uid", "u32"],
    ["ac_gid", "u32"],
    ["ac_pid", "u32"],
    ["ac_ppid", "u32"],
    ["ac_btime", "u32"],
    ["ac_etime", "u64"],
    ["ac_utime", "u64"],
    ["ac_stime", "u64"],
    ["ac_minflt", "u64"],
    ["ac_majflt", "u64"],
    ["coremem", "u64"],
    ["virtmem", "u64"],
    ["hiwater_rss", "u64"],
    ["hiwater_vm", "u64"],
    ["read_char", "u64"],
    ["write_char", "u64"],
    ["read_syscalls", "u64"],
    ["write_syscalls", "u64"],
    ["read_bytes", "u64"],
    ["write_bytes", "u64"],
    ["cancelled_write_bytes", "u64"],
    ["nvcsw", "u64"],
    ["nivcsw", "u64"],
    ["ac_utimescaled", "u64"],
    ["ac_stimescaled", "u64"],
    ["cpu_scaled_run_real_total", "u64"],
    ["freepages_count", "u64"],
    ["freepages_delay_total", "u64"],
    ["thrashing_count", "u64"],
    ["thrashing_delay_total", "u64"],
    ["ac_btime64", "u64"],
    ["compact_count", "u64"],
    ["compact_delay_total", "u64"],
    ["ac_tgid", "u32"],
    ["ac_tgetime", "u64"],
    ["ac_exe_dev", "u64"],
    ["ac_exe_inode", "u64"],
    ["wpcopy_count", "u64"],
    ["wpcopy_delay_total", "u64"],
  ] as const,
);

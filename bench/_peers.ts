/**
 * The row layouts described with the npm libraries a user would pick instead of the toolkit:
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

/** The row with arrays inside in restructure: each address an `Array` of four `uint8`, decoded to a JS array. */
export const restructureTcpBytesRow: RestructureType = new r.Struct({
  dwState: r.uint32le,
  dwLocalAddr: new r.Array(r.uint8, 4),
  dwLocalPort: r.uint32le,
  dwRemoteAddr: new r.Array(r.uint8, 4),
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

/**
 * MIB_TCPROW_OWNER_PID in bun-ffi-structs. Its row with arrays inside has no twin here: an array field of
 * bun-ffi-structs (`["name", ["u8"]]`) is a pointer with a length, never bytes inside the struct, so `u8[4]`
 * could only be written as four `u8` fields, which is not an array.
 */
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
 * struct taskstats in bun-ffi-structs, from the same layout as the other contestants. It has natural alignment
 * only and no inline fixed arrays, so `ac_comm` becomes four u64 words, `ac_pad` three u8 fields, and the
 * `aligned(8)` gap before `ac_uid` explicit u8 padding: what a user of the library would have to write.
 */
export const bunTaskstats = defineStruct((() => {
  const fields: [string, "u8" | "u16" | "u32" | "u64"][] = [];
  let offset = 0;
  for (const field of TASKSTATS_LAYOUT) {
    const align = field.type === "char" ? 8 : field.size / field.count;
    const natural = Math.ceil(offset / align) * align;
    for (let gap = natural; gap < field.offset; gap++) fields.push([`_align_${field.name}_${gap}`, "u8"]);
    if (field.type === "char") {
      for (let word = 0; word < field.count / 8; word++) fields.push([`${field.name}${word}`, "u64"]);
    } else if (field.count > 1) {
      for (let i = 0; i < field.count; i++) fields.push([`${field.name}${i}`, field.type]);
    } else fields.push([field.name, field.type]);
    offset = field.offset + field.size;
  }
  return fields;
})());

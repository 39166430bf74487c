/**
 * Calls with byte-order types (`u16be`, `i32le`, …): C passes and returns integers in registers, in host order,
 * so a parameter declared `u16be` is the value whose bytes in memory are big-endian (what `htons(x)` returns),
 * and the toolkit swaps it in the wrapper, as it does for a field of that type.
 *
 * @module
 */
import type { NativeType, Scalar } from "../structs/scalars.ts";
import type { Converter } from "./_backend.ts";

/** Whether the host is little-endian (x86-64, AArch64 as the runtimes run it). */
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// One scratch cell: a value written in one byte order and read back in the other.
const cell = new DataView(new ArrayBuffer(8));

// Each machine type with a byte order: the swap of one value (a number, or a BigInt at 64 bits).
const SWAPS: Partial<Record<NativeType, Converter>> = {
  i16: (v) => (cell.setInt16(0, v as number, true), cell.getInt16(0, false)),
  u16: (v) => (cell.setUint16(0, v as number, true), cell.getUint16(0, false)),
  i32: (v) => (cell.setInt32(0, v as number, true), cell.getInt32(0, false)),
  u32: (v) => (cell.setUint32(0, v as number, true), cell.getUint32(0, false)),
  i64: (v) => (cell.setBigInt64(0, BigInt(v as number), true), cell.getBigInt64(0, false)),
  u64: (v) => (cell.setBigUint64(0, BigInt(v as number), true), cell.getBigUint64(0, false)),
  f32: (v) => (cell.setFloat32(0, v as number, true), cell.getFloat32(0, false)),
  f64: (v) => (cell.setFloat64(0, v as number, true), cell.getFloat64(0, false)),
};

/**
 * The conversion between a byte-order scalar's value and the host-order value C passes, or `null` when the
 * scalar is in host order (the same conversion both ways: a swap undoes itself).
 *
 * @param type The declared scalar.
 * @returns The swap, or `null`.
 * @throws {TypeError} When the type has a byte order but no swap (none of the scalars the toolkit declares).
 */
export function byteOrderConverter(type: Scalar): Converter | null {
  if (type.endian === "native" || (type.endian === "little") === HOST_LITTLE) return null;
  const swap = SWAPS[type.native];
  if (swap === undefined) throw new TypeError(`Cannot swap the bytes of "${type.name}" in a call`);
  return swap;
}

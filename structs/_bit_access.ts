/**
 * Bitfields' bits read and written in place, LSB first, for widths up to 32 (as numbers) and above (as
 * `bigint`s).
 *
 * @module
 */

/** Reads `width` bits starting `bit` bits after byte `o` (LSB-first bit order), as an unsigned number. */
export function readBits(dv: DataView, o: number, bit: number, width: number): number {
  const first = bit >>> 3;
  const last = (bit + width - 1) >>> 3;
  let value = 0;
  for (let i = last; i >= first; i--) value = value * 256 + dv.getUint8(o + i);
  const shifted = Math.floor(value / 2 ** (bit & 7));
  return width === 32 ? shifted % 4294967296 : shifted % 2 ** width;
}

/** `readBits` for widths above 32 (64-bit declared types): the bits as an unsigned `bigint`. */
export function readWideBits(dv: DataView, o: number, bit: number, width: number): bigint {
  const first = bit >>> 3;
  const last = (bit + width - 1) >>> 3;
  let value = 0n;
  for (let i = last; i >= first; i--) value = (value << 8n) | BigInt(dv.getUint8(o + i));
  return BigInt.asUintN(width, value >> BigInt(bit & 7));
}

/** `writeBits` for widths above 32: writes the low `width` bits of unsigned `value`. */
export function writeWideBits(dv: DataView, o: number, bit: number, width: number, value: bigint): void {
  // A byte's worth at a time, through writeBits, which keeps the other bits of the two end bytes.
  let v = value;
  let position = bit;
  let remaining = width;
  while (remaining > 0) {
    const take = Math.min(8 - (position & 7), remaining);
    writeBits(dv, o, position, take, Number(v & BigInt((1 << take) - 1)));
    v >>= BigInt(take);
    position += take;
    remaining -= take;
  }
}

/** Writes the low `width` bits of unsigned `value` starting `bit` bits after byte `o`. */
export function writeBits(dv: DataView, o: number, bit: number, width: number, value: number): void {
  let remaining = width;
  let v = value;
  let position = bit;
  while (remaining > 0) {
    const byte = o + (position >>> 3);
    const shift = position & 7;
    const take = Math.min(8 - shift, remaining);
    const mask = ((1 << take) - 1) << shift;
    const part = (v % (1 << take)) << shift;
    dv.setUint8(byte, (dv.getUint8(byte) & ~mask) | part);
    v = Math.floor(v / (1 << take));
    remaining -= take;
    position += take;
  }
}

/**
 * Bit casts between floating-point numbers and the integers with the same bits: Go's `math.Float64bits`, the
 * seed's first example of reinterpreting memory. `structs/bits.ts` is about bitfields, not these.
 *
 * Each cast writes the value into one shared 8-byte scratch buffer through one typed array and reads it back
 * through another — the typed-array form of `*(*uint64)(unsafe.Pointer(&f))` — in host byte order.
 *
 * NaN payloads: JavaScript engines may canonicalize a NaN held in a number, so `float64FromBits` and
 * `float32FromBits` of a non-canonical NaN return *a* NaN, not necessarily those bits, and its bits read back
 * may differ. Measured round trips: Bun (JavaScriptCore) turns every NaN into the canonical one (0x7fc00000,
 * 0x7ff8000000000000); Deno (V8) keeps float64 payloads, but a signalling float32 NaN comes back quiet
 * (0x7f800001 reads back as 0x7fc00001), because reading a `float` into a number widens it to a `double`.
 *
 * @module
 */

const scratch = new ArrayBuffer(8);
const f64 = new Float64Array(scratch);
const u64 = new BigUint64Array(scratch);
const f32 = new Float32Array(scratch, 0, 1);
const u32 = new Uint32Array(scratch, 0, 1);

/**
 * The IEEE 754 binary64 bits of a number (Go's `math.Float64bits`).
 *
 * @param value The number.
 * @returns Its 64 bits as an unsigned BigInt.
 *
 * @example The bits of 1.0
 * ```ts
 * import { float64Bits } from "./bits.ts";
 * console.log(float64Bits(1).toString(16)); // 3ff0000000000000
 * ```
 */
export function float64Bits(value: number): bigint {
  f64[0] = value;
  return u64[0]!;
}

/**
 * The number whose IEEE 754 binary64 bits are `bits` (Go's `math.Float64frombits`). A NaN's payload may not
 * survive (see the module notes).
 *
 * @param bits 64 bits as a BigInt; only the low 64 bits are used.
 * @returns The number.
 *
 * @example Back from bits
 * ```ts
 * import { float64FromBits } from "./bits.ts";
 * console.log(float64FromBits(0x4009_21fb_5444_2d18n)); // 3.141592653589793
 * ```
 */
export function float64FromBits(bits: bigint): number {
  u64[0] = BigInt.asUintN(64, bits);
  return f64[0]!;
}

/**
 * The IEEE 754 binary32 bits of a number rounded to single precision (Go's `math.Float32bits`).
 *
 * @param value The number; it is rounded to the nearest `float` first.
 * @returns Its 32 bits as an unsigned number.
 *
 * @example The bits of 1.0f
 * ```ts
 * import { float32Bits } from "./bits.ts";
 * console.log(float32Bits(1).toString(16)); // 3f800000
 * ```
 */
export function float32Bits(value: number): number {
  f32[0] = value;
  return u32[0]!;
}

/**
 * The single-precision number whose IEEE 754 binary32 bits are `bits` (Go's `math.Float32frombits`). A NaN's
 * payload may not survive (see the module notes).
 *
 * @param bits 32 bits as a number; only the low 32 bits are used.
 * @returns The number (exactly representable as a `float`).
 * @throws {RangeError} When `bits` is not an integer.
 *
 * @example Back from bits
 * ```ts
 * import { float32FromBits } from "./bits.ts";
 * console.log(float32FromBits(0x3fc00000)); // 1.5
 * ```
 */
export function float32FromBits(bits: number): number {
  if (!Number.isInteger(bits)) throw new RangeError(`Cannot read ${bits} as float32 bits: not an integer`);
  u32[0] = bits >>> 0;
  return f32[0]!;
}

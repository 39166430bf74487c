/**
 * A string in a `char16_t` or `char32_t` array (and `wchar_t`, which is one of the two): UTF-16 or UTF-32 code
 * units in the element's byte order, up to the first 0 unit. Writing refuses what would not read back (a NUL,
 * a lone surrogate), as the `char` array's UTF-8 string does.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import type { Codec } from "./_codec.ts";

/** The index of the first UTF-16 surrogate in `s` that is not half of a pair, or -1. */
export function loneSurrogate(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/**
 * A string in an array of `length` code units of `unit` bytes (2: UTF-16, 4: UTF-32), `little` or big-endian.
 * A UTF-32 unit that is no Unicode scalar value (a surrogate, above U+10FFFF) reads as U+FFFD, as TextDecoder
 * reads a bad UTF-8 sequence; UTF-16 units read as they are.
 */
export function wideStringCodec(unit: 2 | 4, little: boolean, length: number, name: string): Codec {
  const read = unit === 2
    ? (dv: DataView, o: number): string => readUtf16(dv, o, length, little)
    : (dv: DataView, o: number): string => readUtf32(dv, o, length, little);
  return {
    size: unit * length,
    align: unit,
    readAt: read,
    writeAt(dv, o, value, path) {
      if (typeof value !== "string") {
        throw new TypeError(`Cannot write "${path}": expected a string for ${name}, got ${describe(value)}`);
      }
      const nul = value.indexOf("\0");
      if (nul !== -1) throw new TypeError(`Cannot write "${path}": the string has a NUL at index ${nul}`);
      const lone = loneSurrogate(value);
      if (lone !== -1) {
        throw new TypeError(`Cannot write "${path}": the string has a lone surrogate at index ${lone}`);
      }
      const units: number[] = [];
      if (unit === 2) { for (let i = 0; i < value.length; i++) units.push(value.charCodeAt(i)); }
      else for (const character of value) units.push(character.codePointAt(0)!);
      if (units.length > length) {
        throw new RangeError(
          `Cannot write "${path}": the string takes ${units.length} code units but ${name} holds ${length}`,
        );
      }
      for (let i = 0; i < length; i++) {
        const c = units[i] ?? 0;
        if (unit === 2) dv.setUint16(o + 2 * i, c, little);
        else dv.setUint32(o + 4 * i, c, little);
      }
    },
  };
}

/** The UTF-16 string in `length` units at `o`, up to the first 0 unit. */
function readUtf16(dv: DataView, o: number, length: number, little: boolean): string {
  let s = "";
  for (let i = 0; i < length; i++) {
    const c = dv.getUint16(o + 2 * i, little);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** The UTF-32 string in `length` units at `o`, up to the first 0 unit; a unit that is no character is U+FFFD. */
function readUtf32(dv: DataView, o: number, length: number, little: boolean): string {
  let s = "";
  for (let i = 0; i < length; i++) {
    const c = dv.getUint32(o + 4 * i, little);
    if (c === 0) break;
    s += c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? "\ufffd" : String.fromCodePoint(c);
  }
  return s;
}

/** The code units of the 2- and 4-byte integer scalars arrays are made of (`array()` registers them). */
const textUnits = new WeakMap<Codec, { unit: 2 | 4; little: boolean }>();

/** Records that elements read with `codec` are 2- or 4-byte integers in that byte order: string code units. */
export function markTextUnits(codec: Codec, unit: 2 | 4, little: boolean): void {
  textUnits.set(codec, { unit, little });
}

/**
 * The string in `length` elements at `o` read with `codec` (`ArrayView.readString()` of a `char16_t`,
 * `char32_t` or `wchar_t` array), or `undefined` when its elements are not 2- or 4-byte integers.
 */
export function readTextUnits(codec: Codec, dv: DataView, o: number, length: number): string | undefined {
  const units = textUnits.get(codec);
  if (units === undefined) return undefined;
  return units.unit === 2 ? readUtf16(dv, o, length, units.little) : readUtf32(dv, o, length, units.little);
}

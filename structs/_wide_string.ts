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
    ? (dv: DataView, o: number): string => {
      let s = "";
      for (let i = 0; i < length; i++) {
        const c = dv.getUint16(o + 2 * i, little);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      return s;
    }
    : (dv: DataView, o: number): string => {
      let s = "";
      for (let i = 0; i < length; i++) {
        const c = dv.getUint32(o + 4 * i, little);
        if (c === 0) break;
        s += c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? "\ufffd" : String.fromCodePoint(c);
      }
      return s;
    };
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

/**
 * C's `wchar_t *` strings, whatever the platform makes of `wchar_t`: UTF-32 (a 4-byte unit) on Linux and macOS,
 * UTF-16 (a 2-byte unit) on Windows, where `wstring`/`readWString` already read it.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { checkOptions, isDetached, loneSurrogate } from "../structs/_internal.ts";
import { readWString, type StringSource, wstring } from "./strings.ts";

/** The size of C's `wchar_t` on this platform: 4 on Linux and macOS, 2 on Windows. */
export const WCHAR_SIZE: 2 | 4 = backend.os === "windows" ? 2 : 4;

/**
 * Encodes a string as a NUL-terminated `wchar_t` string, for a `const wchar_t *` argument: UTF-32 code points
 * (a `Uint32Array`) on Linux and macOS, UTF-16 code units (as `wstring`) on Windows.
 *
 * @param s The string; it must not contain NUL, nor (for UTF-32) a lone surrogate, which has no code point.
 * @returns The units, ending in 0.
 * @throws {TypeError} When `s` is not a string, contains NUL, or a lone surrogate where `wchar_t` is UTF-32.
 *
 * @example Measuring a wide string with wcslen
 * ```ts
 * import { buffer, dlopen, size_t, wcharString } from "../mod.ts";
 * using libc = dlopen("libc.so.6", { wcslen: { args: [buffer], returns: size_t } });
 * console.log(libc.symbols.wcslen(wcharString("é😀"))); // 2n on Linux (UTF-32)
 * ```
 */
export function wcharString(s: string): Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> {
  if (WCHAR_SIZE === 2) return wstring(s);
  if (typeof s !== "string") {
    throw new TypeError(`Cannot encode a wchar_t string: expected a string, got ${describe(s)}`);
  }
  const nul = s.indexOf("\0");
  if (nul !== -1) throw new TypeError(`Cannot encode a wchar_t string: the string has a NUL at index ${nul}`);
  const lone = loneSurrogate(s);
  if (lone !== -1) {
    throw new TypeError(`Cannot encode a wchar_t string: the string has a lone surrogate at index ${lone}`);
  }
  const points: number[] = [];
  for (const character of s) points.push(character.codePointAt(0)!);
  points.push(0);
  return Uint32Array.from(points);
}

const READ_OPTIONS = ["byteOffset", "maxUnits"];

function point(c: number): string {
  // A unit that is no Unicode scalar value (a surrogate, above U+10FFFF, negative as a signed wchar_t) reads as
  // U+FFFD, as TextDecoder reads a bad UTF-8 sequence.
  return c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? "\ufffd" : String.fromCodePoint(c);
}

/**
 * Reads a NUL-terminated `wchar_t` string: UTF-32 on Linux and macOS, UTF-16 on Windows (as `readWString`).
 *
 * From JavaScript memory, it reads up to the first 0 unit or the end of the buffer. From a native pointer it is
 * as unsafe as C's `wcslen`, though not named `unsafe…`: it trusts the pointer, and reads up to the first 0
 * unit but at most `maxUnits` units.
 *
 * @param source A typed array or `ArrayBuffer` (read in host byte order), or a native pointer.
 * @param options `byteOffset` where the string starts (a multiple of `WCHAR_SIZE`); `maxUnits` for pointers (an
 * integer ≥ 1, default 32768).
 * @returns The decoded string.
 * @throws {RangeError} When an option is out of range, or no 0 unit is found within `maxUnits`.
 * @throws {TypeError} When an option's name is unknown, `source` is neither a buffer nor a pointer, or its
 * buffer is detached.
 */
export function readWcharString(
  source: StringSource,
  options: { byteOffset?: number; maxUnits?: number } = {},
): string {
  if (WCHAR_SIZE === 2) return readWString(source, options);
  checkOptions(options, READ_OPTIONS, "call", "readWcharString");
  const byteOffset = options.byteOffset ?? 0;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % 4 !== 0) {
    throw new RangeError(
      `Cannot read a wchar_t string at offset ${byteOffset}: expected a multiple of 4, ≥ 0`,
    );
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const buffer = source instanceof ArrayBuffer ? source : source.buffer;
    if (isDetached(buffer)) throw new TypeError("Cannot read a wchar_t string: the buffer is detached");
    const view = source instanceof ArrayBuffer
      ? new DataView(source)
      : new DataView(source.buffer, source.byteOffset, source.byteLength);
    if (byteOffset > view.byteLength) {
      throw new RangeError(
        `Cannot read a string at offset ${byteOffset}: outside the ${view.byteLength}-byte buffer`,
      );
    }
    let out = "";
    for (let at = byteOffset; at + 3 < view.byteLength; at += 4) {
      const c = view.getUint32(at, true);
      if (c === 0) break;
      out += point(c);
    }
    return out;
  }
  if (!backend.isPointer(source)) {
    throw new TypeError("Cannot read a wchar_t string: expected a pointer or a buffer");
  }
  const maxUnits = options.maxUnits ?? 32768;
  if (!Number.isSafeInteger(maxUnits) || maxUnits < 1) {
    throw new RangeError(`Cannot read a wchar_t string with maxUnits ${maxUnits}: expected an integer ≥ 1`);
  }
  let out = "";
  for (let i = 0; i < maxUnits; i++) {
    const c = backend.read(source as Pointer, byteOffset + i * 4, "u32") as number;
    if (c === 0) return out;
    out += point(c);
  }
  throw new RangeError(`Cannot read a wchar_t string: no NUL within ${maxUnits} units`);
}

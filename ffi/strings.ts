/**
 * C strings (NUL-terminated UTF-8) and wide strings (NUL-terminated UTF-16LE, Windows' `WCHAR *`).
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function refuseNul(what: string, s: string): void {
  const at = s.indexOf("\0");
  if (at !== -1) throw new TypeError(`Cannot encode ${what}: the string has a NUL at index ${at}`);
}

/**
 * Encodes a string as a NUL-terminated UTF-8 C string, for a `const char *` argument.
 *
 * @param s The string; it must not contain NUL.
 * @returns The bytes, ending in 0.
 * @throws {TypeError} When `s` contains NUL, which C would read as the end of the string.
 *
 * @example Encoding a C string
 * ```ts
 * import { cstring } from "./strings.ts";
 * console.log(cstring("hi")); // Uint8Array(3) [ 104, 105, 0 ]
 * ```
 */
export function cstring(s: string): Uint8Array<ArrayBuffer> {
  refuseNul("a C string", s);
  const bytes = new Uint8Array(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, bytes);
  return bytes.subarray(0, written + 1);
}

/**
 * Encodes a string as a NUL-terminated UTF-16LE wide string, for a Windows `LPCWSTR` argument. Surrogate pairs
 * are kept as they are.
 *
 * @param s The string; it must not contain NUL.
 * @returns The code units, ending in 0.
 * @throws {TypeError} When `s` contains NUL.
 *
 * @example Encoding a wide string
 * ```ts
 * import { wstring } from "./strings.ts";
 * console.log(wstring("é😀").length); // 4: é, two surrogates, NUL
 * ```
 */
export function wstring(s: string): Uint16Array<ArrayBuffer> {
  refuseNul("a wide string", s);
  const units = new Uint16Array(s.length + 1);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return units;
}

/** Where a string is read from: JavaScript memory (bounds-checked) or a native pointer (unsafe). */
export type StringSource = Pointer | ArrayBufferView | ArrayBuffer;

function bytesOf(source: ArrayBufferView | ArrayBuffer): Uint8Array {
  return source instanceof ArrayBuffer
    ? new Uint8Array(source)
    : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

function checkOffset(byteOffset: number, length: number): void {
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset > length) {
    throw new RangeError(`Cannot read a string at offset ${byteOffset}: outside the ${length}-byte buffer`);
  }
}

/**
 * Reads a NUL-terminated UTF-8 string.
 *
 * From JavaScript memory, it reads up to the first NUL or the end of the buffer, never past it. From a native
 * pointer it reads up to the first NUL, wherever that is: unsafe, as in C.
 *
 * @param source A typed array, `ArrayBuffer`, or native pointer.
 * @param byteOffset Where the string starts.
 * @returns The decoded string.
 */
export function readCString(source: StringSource, byteOffset = 0): string {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = bytesOf(source);
    checkOffset(byteOffset, bytes.byteLength);
    let end = bytes.indexOf(0, byteOffset);
    if (end === -1) end = bytes.byteLength;
    return decoder.decode(bytes.subarray(byteOffset, end));
  }
  if (!backend.isPointer(source)) {
    throw new TypeError("Cannot read a C string: expected a pointer or a buffer");
  }
  return backend.readCString(source, byteOffset);
}

/**
 * Reads a NUL-terminated UTF-16LE string.
 *
 * From JavaScript memory, it reads up to the first NUL unit or the end of the buffer. From a native pointer it
 * reads up to the first NUL unit but at most `maxUnits` units: unsafe, as in C.
 *
 * @param source A `Uint16Array`, other typed array or `ArrayBuffer` (read as UTF-16LE), or native pointer.
 * @param options `byteOffset` where the string starts; `maxUnits` for pointers (default 32768, Windows' path
 * limit).
 * @returns The decoded string.
 */
export function readWString(
  source: StringSource,
  options: { byteOffset?: number; maxUnits?: number } = {},
): string {
  const byteOffset = options.byteOffset ?? 0;
  if (byteOffset % 2 !== 0) throw new RangeError(`Cannot read a wide string at odd offset ${byteOffset}`);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = bytesOf(source);
    checkOffset(byteOffset, bytes.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let out = "";
    for (let at = byteOffset; at + 1 < bytes.byteLength; at += 2) {
      const unit = view.getUint16(at, true);
      if (unit === 0) break;
      out += String.fromCharCode(unit);
    }
    return out;
  }
  if (!backend.isPointer(source)) {
    throw new TypeError("Cannot read a wide string: expected a pointer or a buffer");
  }
  const maxUnits = options.maxUnits ?? 32768;
  let out = "";
  for (let i = 0; i < maxUnits; i++) {
    const unit = backend.read(source, byteOffset + i * 2, "u16") as number;
    if (unit === 0) return out;
    out += String.fromCharCode(unit);
  }
  throw new RangeError(`Cannot read a wide string: no NUL within ${maxUnits} units`);
}

/**
 * C strings (NUL-terminated UTF-8) and wide strings (NUL-terminated UTF-16LE, Windows' `WCHAR *`).
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";
import { describe } from "./_buffer.ts";
// The one C-string decoder, shared with `char` array fields (structs/ is pure TypeScript; ffi/ builds on it).
import { checkOptions, decodeCString, isDetached } from "../structs/_internal.ts";

const encoder = new TextEncoder();

function refuseNul(what: string, s: string): void {
  if (typeof s !== "string") {
    throw new TypeError(`Cannot encode ${what}: expected a string, got ${describe(s)}`);
  }
  const at = s.indexOf("\0");
  if (at !== -1) throw new TypeError(`Cannot encode ${what}: the string has a NUL at index ${at}`);
}

// Short strings are carved out of a shared slab where a new small typed array is slow (Deno); each gets its
// own array where it is fast (Bun): bench/probes/cstring_slab.ts. A slab is never reused, so it is
// zero-filled.
const SLAB_BYTES = 8192;
const POOLED_UNITS = 512;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** Where `bytes` bytes start in `slab` (8-byte aligned), after moving to a fresh slab if they do not fit. */
function slabOffset(bytes: number): number {
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed = (at + bytes + 7) & ~7;
  return at;
}

/** Zero-filled UTF-16 code units for a string shorter than `POOLED_UNITS`. */
function smallUnits(length: number): Uint16Array<ArrayBuffer> {
  if (!backend.slowSmallArrays) return new Uint16Array(length);
  const at = slabOffset(2 * length); // first: it may move to a fresh slab
  return new Uint16Array(slab, at, length);
}

/**
 * Encodes a string as a NUL-terminated UTF-8 C string, for a `const char *` argument.
 *
 * Strings shorter than 512 characters may share a pooled buffer, as Node's `Buffer` pool does (on Deno, where a
 * new small array is slow): pass the returned view itself, not its `.buffer`, which may hold other strings.
 *
 * @param s The string; it must not contain NUL.
 * @returns The bytes, ending in 0.
 * @throws {TypeError} When `s` is not a string, or contains NUL, which C would read as the end of the string.
 *
 * @example Encoding a C string
 * ```ts
 * import { cstring } from "./strings.ts";
 * console.log(cstring("hi")); // Uint8Array(3) [ 104, 105, 0 ]
 * ```
 */
export function cstring(s: string): Uint8Array<ArrayBuffer> {
  if (typeof s !== "string") refuseNul("a C string", s);
  const n = s.length;
  if (backend.slowSmallArrays && n < POOLED_UNITS) {
    let i = 0;
    // Characters 1 to 0x7f; a NUL wraps around to 2^32 - 1.
    while (i < n && ((s.charCodeAt(i) - 1) >>> 0) < 0x7f) i++;
    if (i === n) {
      // ASCII without NUL: one byte per character, in the slab.
      const at = slabOffset(n + 1); // first: it may move to a fresh slab
      const bytes = new Uint8Array(slab, at, n + 1);
      for (let j = 0; j < n; j++) bytes[j] = s.charCodeAt(j);
      return bytes;
    }
  }
  refuseNul("a C string", s);
  return encoder.encode(s + "\0");
}

/**
 * Encodes a string as a NUL-terminated UTF-16LE wide string, for a Windows `LPCWSTR` argument. Surrogate pairs
 * are kept as they are.
 *
 * Strings shorter than 512 characters may share a pooled buffer, as for `cstring`.
 *
 * @param s The string; it must not contain NUL.
 * @returns The code units, ending in 0.
 * @throws {TypeError} When `s` is not a string, or contains NUL.
 *
 * @example Encoding a wide string
 * ```ts
 * import { wstring } from "./strings.ts";
 * console.log(wstring("é😀").length); // 4: é, two surrogates, NUL
 * ```
 */
export function wstring(s: string): Uint16Array<ArrayBuffer> {
  refuseNul("a wide string", s);
  const n = s.length;
  const units = n < POOLED_UNITS ? smallUnits(n + 1) : new Uint16Array(n + 1);
  for (let i = 0; i < n; i++) units[i] = s.charCodeAt(i);
  return units;
}

/** Where a string is read from: JavaScript memory (bounds-checked) or a native pointer (unsafe). */
export type StringSource = Pointer | ArrayBufferView | ArrayBuffer;

function bytesOf(source: ArrayBufferView | ArrayBuffer, what: string): Uint8Array {
  // A detached buffer would read as empty, or fail with the engine's words.
  if (isDetached(source instanceof ArrayBuffer ? source : source.buffer)) {
    throw new TypeError(`Cannot read ${what}: the buffer is detached`);
  }
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  // A view whose resizable buffer shrank below it reports 0 bytes (a DataView throws the engine's words):
  // tested only then, so the common path pays one comparison.
  if (source instanceof DataView ? outOfBounds(source) : source.byteLength === 0 && outOfBounds(source)) {
    throw new TypeError(`Cannot read ${what}: the buffer is shorter than the view now`);
  }
  return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

/**
 * Whether a view lies outside its resizable buffer now: the typed array methods refuse such an array (`at`
 * reads nothing from one in bounds), as a DataView's `byteLength` does.
 */
function outOfBounds(view: ArrayBufferView): boolean {
  if ((view.buffer as { resizable?: boolean }).resizable !== true) return false;
  try {
    if (view instanceof DataView) void view.byteLength;
    else (view as Uint8Array).at(0);
    return false;
  } catch {
    return true;
  }
}

function checkPointerOffset(what: string, byteOffset: number): void {
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new RangeError(
      `Cannot read ${what} at offset ${byteOffset} from a pointer: expected an integer ≥ 0`,
    );
  }
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
 * pointer it is as unsafe as C's `strlen`, though not named `unsafe…`: it trusts the pointer, and reads up to
 * the first NUL wherever that is. The caller vouches that a string is there and still allocated.
 *
 * @param source A typed array, `ArrayBuffer`, or native pointer.
 * @param byteOffset Where the string starts: an integer ≥ 0.
 * @returns The decoded string.
 * @throws {RangeError} When `byteOffset` is not an integer ≥ 0, or past the end of a buffer.
 * @throws {TypeError} When `source` is neither a buffer nor a pointer, or its buffer is detached or shorter than
 * the view now (a resizable buffer that shrank).
 */
export function readCString(source: StringSource, byteOffset = 0): string {
  // The common case, a pointer at offset 0 (a result of C), goes straight to the backend's read, which refuses
  // whatever is no pointer (Deno's own "expected external", Bun's box test) and a revoked one; the pointer test,
  // the dearest of the checks on Deno, runs only on a throw, to put the refusal in the toolkit's words
  // (bench/probes/read_cstring_checks.ts).
  if (byteOffset === 0 && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source)) {
    try {
      return backend.readCString(source as Pointer, 0, "argument 0 of readCString()");
    } catch (error) {
      if (backend.isPointer(source)) throw error;
    }
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = bytesOf(source, "a C string");
    checkOffset(byteOffset, bytes.byteLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return decodeCString(view, byteOffset, bytes.byteLength - byteOffset);
  }
  if (!backend.isPointer(source)) {
    throw new TypeError("Cannot read a C string: expected a pointer or a buffer");
  }
  checkPointerOffset("a C string", byteOffset);
  return backend.readCString(source, byteOffset);
}

const READ_WSTRING_OPTIONS = ["byteOffset", "maxUnits"];

/**
 * Reads a NUL-terminated UTF-16LE string.
 *
 * From JavaScript memory, it reads up to the first NUL unit or the end of the buffer. From a native pointer it
 * is as unsafe as C's `wcslen`, though not named `unsafe…`: it trusts the pointer, and reads up to the first
 * NUL unit but at most `maxUnits` units. The caller vouches that a string is there and still allocated.
 *
 * @param source A `Uint16Array`, other typed array or `ArrayBuffer` (read as UTF-16LE), or native pointer.
 * @param options `byteOffset` where the string starts (an even integer ≥ 0); `maxUnits` for pointers (an
 * integer ≥ 1, default 32768, Windows' path limit).
 * @returns The decoded string.
 * @throws {RangeError} When an option is out of range, or no NUL is found within `maxUnits`.
 * @throws {TypeError} When an option's name is unknown, `source` is neither a buffer nor a pointer, or its
 * buffer is detached.
 */
export function readWString(
  source: StringSource,
  options: { byteOffset?: number; maxUnits?: number } = {},
): string {
  checkOptions(options, READ_WSTRING_OPTIONS, "call", "readWString");
  const byteOffset = options.byteOffset ?? 0;
  if (byteOffset % 2 !== 0) throw new RangeError(`Cannot read a wide string at odd offset ${byteOffset}`);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = bytesOf(source, "a wide string");
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
  checkPointerOffset("a wide string", byteOffset);
  const maxUnits = options.maxUnits ?? 32768;
  if (!Number.isSafeInteger(maxUnits) || maxUnits < 1) {
    throw new RangeError(`Cannot read a wide string with maxUnits ${maxUnits}: expected an integer ≥ 1`);
  }
  let out = "";
  for (let i = 0; i < maxUnits; i++) {
    const unit = backend.read(source, byteOffset + i * 2, "u16") as number;
    if (unit === 0) return out;
    out += String.fromCharCode(unit);
  }
  throw new RangeError(`Cannot read a wide string: no NUL within ${maxUnits} units`);
}

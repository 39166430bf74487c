/**
 * A C string in a `char` array, decoded: by hand for short ASCII strings, by `TextDecoder` otherwise.
 *
 * @module
 */

const utf8 = new TextDecoder();

// Up to this many characters an ASCII string is built by hand: bench/probes/char_array_decode.ts
const HAND_DECODED = 32;

/**
 * A C string in a `char` array of `length` bytes at `o`: UTF-8 up to the first NUL byte, or all of it.
 */
export function decodeCString(dv: DataView, o: number, length: number): string {
  const limit = Math.min(length, HAND_DECODED);
  let end = 0;
  let c = 0;
  while (end < limit && (c = dv.getUint8(o + end)) !== 0 && c < 0x80) end++;
  if (end === length || (end < limit && c === 0)) {
    let s = "";
    for (let i = 0; i < end; i++) s += String.fromCharCode(dv.getUint8(o + i));
    return s;
  }
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset + o, length);
  const nul = bytes.indexOf(0);
  const text = bytes.subarray(0, nul === -1 ? length : nul);
  // TextDecoder refuses views of a SharedArrayBuffer: those are copied first. A copy is a new array, which
  // costs about 570 ns on Deno (see HAND_DECODED), so the others are decoded where they are.
  return utf8.decode(dv.buffer instanceof SharedArrayBuffer ? text.slice() : text);
}

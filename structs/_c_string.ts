/**
 * A C string in a `char` array, decoded: by hand for short ASCII strings, by `TextDecoder` otherwise.
 *
 * @module
 */

const utf8 = new TextDecoder();

// Up to this many characters, an ASCII string is built by hand: TextDecoder's cost per call (about 830 ns on
// Deno 2.9 and 100 on Bun 1.4, whatever the length) is more than building it. By hand took 26 ns for 4
// characters and 177 for 32 on Deno, 19 and 119 on Bun, where 32 is the break-even (/tmp probe, 5e5 strings).
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

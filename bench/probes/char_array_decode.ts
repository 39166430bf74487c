/**
 * Probe: what does reading a short C string out of a `char` array cost, built by hand (`String.fromCharCode`
 * per ASCII byte) against `TextDecoder.decode()` over a view of the bytes, at 4, 16, 32 and 64 characters?
 * `TextDecoder` has a cost per call whatever the length (on Deno partly the `Uint8Array` it needs, since V8
 * there keeps no typed array memory on its heap); by hand costs per character.
 *
 * Decided: `decodeCString` in `structs/` builds ASCII strings of up to `HAND_DECODED` (32) characters by hand
 * and hands longer or non-ASCII ones to `TextDecoder`. When decided (5e5 strings): by hand 26 ns at 4
 * characters and 177 at 32 on Deno, 19 and 119 on Bun; `TextDecoder` about 830 ns on Deno and 100 on Bun.
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/char_array_decode.ts` and
 * `./node_modules/.bin/bun bench/probes/char_array_decode.ts`.
 *
 * @module
 */
import { report, separately, time, type Timing } from "./_time.ts";

const STRINGS = 1000;
const FIELD = 80; // a char[80] per string, NUL-terminated
const LENGTHS = [4, 16, 32, 64];

function strings(length: number): DataView {
  const bytes = new Uint8Array(STRINGS * FIELD);
  for (let s = 0; s < STRINGS; s++) {
    for (let c = 0; c < length; c++) bytes[s * FIELD + c] = 97 + ((s + c) % 26);
  }
  return new DataView(bytes.buffer);
}

/** The chosen form, as `decodeCString` does it up to its threshold. */
function byHand(dv: DataView, o: number, length: number): string {
  let end = 0;
  let c = 0;
  while (end < length && (c = dv.getUint8(o + end)) !== 0 && c < 0x80) end++;
  let s = "";
  for (let i = 0; i < end; i++) s += String.fromCharCode(dv.getUint8(o + i));
  return s;
}
const utf8 = new TextDecoder();
function decoded(dv: DataView, o: number, length: number): string {
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset + o, length);
  const nul = bytes.indexOf(0);
  return utf8.decode(bytes.subarray(0, nul === -1 ? length : nul));
}
function byteSum(dv: DataView, o: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += dv.getUint8(o + i);
  return sum;
}

function measure(name: string): Timing {
  const [how, chars] = name.split(", ") as [string, string];
  const length = Number.parseInt(chars);
  const dv = strings(length);
  const read = how === "by hand" ? byHand : how === "TextDecoder" ? decoded : byteSum;
  return time(name, () => {
    let total = 0;
    for (let s = 0; s < STRINGS; s++) {
      const value = read(dv, s * FIELD, read === byteSum ? length : FIELD);
      total += typeof value === "string" ? value.length : value;
    }
    return total;
  }, { ops: STRINGS, rounds: 51, warmup: 20 });
}

report(
  "char_array_decode: one C string out of a char[80] (ns per string)",
  separately(import.meta.url, [
    "DataView byte loop, 32 chars (baseline)",
    ...LENGTHS.flatMap((n) => [`by hand, ${n} chars`, `TextDecoder, ${n} chars`]),
  ], measure),
);

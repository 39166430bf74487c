/**
 * Question: what does a new small typed array cost against a view carved out of a shared slab, and what does
 * encoding a short C string cost each way? Deno's V8 keeps no typed array memory on its heap (rusty_v8 sets
 * `v8_typed_array_max_size_in_heap = 0`), so every `new Uint8Array(8)` allocates its backing store outside
 * it.
 *
 * Decided: `cstring()` and `wstring()` in `ffi/strings.ts` carve strings shorter than 512 characters out of a
 * shared 8 KiB slab where the backend reports `slowSmallArrays` (`ffi/_backend.ts`: Deno), ASCII encoded by
 * hand, and use `TextEncoder` where a new array is cheap (Bun). When decided (Deno 2.9, Bun 1.4): `new
 * Uint8Array(8)` 570 ns on Deno and 4 on Bun, a slab view 15 and 32; `cstring("libc.so.6")` went from 815 to
 * 53 ns on Deno and from 160 to 39 on Bun.
 *
 * Contestants, each in a process of its own. A small array: `new Uint8Array(8)` (baseline) and an 8-byte view
 * of a slab. The C string `"libc.so.6"`: `TextEncoder.encode()` of the string and its NUL (baseline),
 * `encodeInto()` the slab, ASCII by hand into the slab, and the toolkit's `cstring()`.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/cstring_slab.ts` and
 * `./node_modules/.bin/bun bench/probes/cstring_slab.ts`.
 *
 * @module
 */
import { cstring } from "../../mod.ts";
import { report, separately, timeEach, type Timing } from "./_time.ts";

const SLAB_BYTES = 8192;
let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** Where `bytes` bytes start in the slab (8-byte aligned), on a fresh slab if they do not fit. */
function carve(bytes: number): number {
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used = (at + bytes + 7) & ~7;
  return at;
}

const encoder = new TextEncoder();
const NAME = "libc.so.6";

const arrays: Record<string, () => Uint8Array> = {
  "new Uint8Array(8)": () => new Uint8Array(8),
  "slab view of 8 bytes": () => new Uint8Array(slab, carve(8), 8),
};

const strings: Record<string, (s: string) => Uint8Array> = {
  "TextEncoder.encode(s + NUL)": (s) => encoder.encode(s + "\0"),
  "encodeInto() the slab": (s) => {
    const room = 3 * s.length + 1;
    const at = carve(room); // first: it may move to a fresh slab
    const { written } = encoder.encodeInto(s, new Uint8Array(slab, at, room));
    used = (at + written + 1 + 7) & ~7; // give back what the string did not use (the slab is zero-filled)
    return new Uint8Array(slab, at, written + 1);
  },
  "ASCII by hand into the slab": (s) => {
    const n = s.length;
    const bytes = new Uint8Array(slab, carve(n + 1), n + 1);
    for (let i = 0; i < n; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  },
  "toolkit cstring()": cstring,
};

const OPS = 20_000;
const expected = [...encoder.encode(NAME), 0].join();

const timings = separately(
  import.meta.url,
  [...Object.keys(arrays), ...Object.keys(strings)],
  (name): Timing => {
    const makeArray = arrays[name];
    if (makeArray) return timeEach(name, makeArray, OPS);
    const encode = strings[name]!;
    if (encode(NAME).join() !== expected) throw new Error(`${name}: "${NAME}" was not encoded right`);
    return timeEach(name, () => encode(NAME), OPS);
  },
);
const arrayNames = Object.keys(arrays);
report("A small typed array, ns each", timings.filter((t) => arrayNames.includes(t.name)));
report(`The C string "${NAME}", ns each`, timings.filter((t) => !arrayNames.includes(t.name)));

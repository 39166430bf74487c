/**
 * `char` arrays read as strings: short ASCII strings are built by hand, the rest goes through TextDecoder. The
 * reference is TextDecoder itself on the bytes up to the first NUL, over seeded random bytes that mix ASCII,
 * NUL, multi-byte UTF-8 and invalid bytes, at every length around the hand-built limit (32 characters).
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { array, char, struct, u8 } from "../../structs/mod.ts";

const reference = new TextDecoder();

function expected(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return reference.decode(bytes.slice(0, nul === -1 ? bytes.length : nul));
}

/** A small deterministic generator (xorshift32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = [
  [0x61],
  [0x7a],
  [0x20],
  [0x7f],
  [0x00],
  [0xc3, 0xa9], // é
  [0xe2, 0x82, 0xac], // €
  [0xf0, 0x9f, 0x98, 0x80], // 😀
  [0xff], // never valid in UTF-8
  [0xc3], // a lead byte without its continuation
];

test("array(char, n, { string: true }) reads what TextDecoder reads, up to the first NUL", () => {
  const next = random(0x5eed);
  let checked = 0;
  for (const length of [0, 1, 2, 15, 16, 31, 32, 33, 34, 63, 64, 65, 100]) {
    const Name = struct({ lead: u8, name: array(char, length, { string: true }) });
    for (let round = 0; round < 200; round++) {
      const bytes = new Uint8Array(1 + length);
      // Mostly ASCII, so that the hand-built path runs often; the rest anything.
      const ascii = next() < 0.6;
      for (let i = 1; i < bytes.length;) {
        const piece = ascii ? [0x21 + Math.floor(next() * 94)] : PIECES[Math.floor(next() * PIECES.length)]!;
        if (ascii && next() < 0.05) piece[0] = 0;
        for (const b of piece) if (i < bytes.length) bytes[i++] = b;
      }
      const want = expected(bytes.subarray(1));
      assert.equal(Name.read(bytes).name, want, `length ${length}, bytes ${bytes.subarray(1).join(",")}`);
      assert.equal(Name.view(bytes).name, want);
      checked++;
    }
  }
  assert.equal(checked, 13 * 200);
});

test("array(char, n, { string: true }) at the edges: full, empty, long, non-ASCII, shared memory", () => {
  const field = (length: number) => struct({ s: array(char, length, { string: true }) });
  const bytesOf = (text: string, length: number) => {
    const out = new Uint8Array(length);
    out.set(new TextEncoder().encode(text).subarray(0, length));
    return out;
  };
  // Exactly full (no NUL) at, below and above the hand-built limit.
  for (const length of [8, 32, 33, 40]) {
    const text = "x".repeat(length);
    assert.equal(field(length).read(bytesOf(text, length)).s, text);
  }
  assert.equal(field(16).read(new Uint8Array(16)).s, "");
  assert.equal(field(0).read(new Uint8Array(0)).s, "");
  assert.equal(field(16).read(bytesOf("héllo", 16)).s, "héllo");
  assert.equal(field(64).read(bytesOf("a".repeat(40) + "€", 64)).s, "a".repeat(40) + "€");
  // A SharedArrayBuffer, on both paths (TextDecoder refuses views of one, so those bytes are copied first).
  const shared = new Uint8Array(new SharedArrayBuffer(48));
  shared.set(bytesOf("kworker/u8:2", 48));
  assert.equal(field(48).read(shared).s, "kworker/u8:2");
  shared.set(bytesOf("naïve", 48));
  assert.equal(field(48).read(shared).s, "naïve");
});

test("ArrayView.readString() reads a char array the same way", () => {
  const Host = struct({ n: u8, name: array(char, 40) });
  const bytes = new Uint8Array(41);
  bytes.set(new TextEncoder().encode("host-01"), 1);
  assert.equal(Host.view(bytes).name.readString(), "host-01");
  bytes.set(new TextEncoder().encode("ħøšŧ-".repeat(4)), 1);
  assert.equal(Host.view(bytes).name.readString(), expected(bytes.subarray(1)));
});

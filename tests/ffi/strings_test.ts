import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import { cstring, readCString, readWString, wstring } from "../../mod.ts";

test("cstring() encodes UTF-8 with a NUL and refuses an embedded NUL", () => {
  assert.deepEqual([...cstring("hé")], [0x68, 0xc3, 0xa9, 0]);
  assert.deepEqual([...cstring("")], [0]);
  assert.throws(() => cstring("a\0b"), /Cannot encode a C string: the string has a NUL at index 1/);
});

test("wstring() encodes UTF-16 with surrogate pairs kept, and C counts and sums the same units", () => {
  using lib = openFixture();
  const text = "héllo 😀 日本";
  const units = wstring(text);
  assert.equal(units.length, text.length + 1);
  assert.equal(units[units.length - 1], 0);
  assert.equal(lib.symbols.utf16_units(units), BigInt(text.length));
  let checksum = 0;
  for (let i = 0; i < text.length; i++) checksum = (Math.imul(checksum, 31) + text.charCodeAt(i)) >>> 0;
  assert.equal(lib.symbols.utf16_checksum(units), checksum);
  assert.throws(() => wstring("a\0"), /wide string: the string has a NUL/);
});

test("readWString() reads a UTF-16 string C returns, surrogates included", () => {
  using lib = openFixture();
  assert.equal(readWString(lib.symbols.utf16_hello()!), "héllo 😀");
  assert.equal(readWString(wstring("round trip ☃")), "round trip ☃");
  assert.equal(readWString(new Uint16Array([0x41, 0x42])), "AB", "stops at the end of the buffer");
  assert.throws(() => readWString(new Uint16Array(4), { byteOffset: 1 }), /odd offset 1/);
});

test("readCString() reads C's UTF-8 and never past a JavaScript buffer", () => {
  using lib = openFixture();
  assert.equal(readCString(lib.symbols.utf8_hello()!), "héllo");
  assert.equal(readCString(cstring("abc")), "abc");
  assert.equal(readCString(new TextEncoder().encode("no terminator")), "no terminator");
  assert.equal(readCString(cstring("skip me"), 5), "me");
  assert.throws(() => readCString(new Uint8Array(4), 5), /offset 5: outside the 4-byte buffer/);
  assert.throws(() => readCString(42 as never), /expected a pointer or a buffer/);
});

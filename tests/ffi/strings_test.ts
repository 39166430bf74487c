import assert from "node:assert/strict";
import { runtime, test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import { buffer, cstring, dlopen, readCString, readWString, size_t, wstring } from "../../mod.ts";

test("cstring() encodes UTF-8 with a NUL and refuses an embedded NUL", () => {
  assert.deepEqual([...cstring("hé")], [0x68, 0xc3, 0xa9, 0]);
  assert.deepEqual([...cstring("")], [0]);
  assert.throws(() => cstring("a\0b"), /Cannot encode a C string: the string has a NUL at index 1/);
});

test("cstring() and wstring() give each string its own bytes, pooled or not, and C reads every one", () => {
  using lib = openFixture();
  using libc = dlopen("libc.so.6", { strlen: { args: [buffer], returns: size_t } });
  // Enough strings to fill several 8 KiB slabs, of every length around the pooled limit, mixed with non-ASCII.
  const texts: string[] = [];
  for (let i = 0; i < 600; i++) {
    const length = [0, 1, 7, 8, 9, 100, 510, 511, 512, 600][i % 10]!;
    texts.push((i % 7 === 0 ? "é" : "") + String(i).padEnd(length, String.fromCharCode(0x21 + (i % 90))));
  }
  const narrow = texts.map(cstring);
  const wide = texts.map(wstring);
  for (let i = 0; i < texts.length; i++) {
    const expected = new TextEncoder().encode(texts[i]);
    assert.deepEqual(narrow[i], Uint8Array.from([...expected, 0]), `cstring #${i}`);
    assert.equal(libc.symbols.strlen(narrow[i]!), BigInt(expected.length), `strlen of #${i}`);
    assert.equal(wide[i]!.length, texts[i]!.length + 1);
    assert.equal(lib.symbols.utf16_units(wide[i]!), BigInt(texts[i]!.length), `wide #${i}`);
  }
  // No two strings that share a buffer overlap.
  const spans = [...narrow, ...wide]
    .map((v) => ({ buffer: v.buffer, start: v.byteOffset, end: v.byteOffset + v.byteLength }))
    .sort((a, b) => a.start - b.start);
  for (const a of spans) {
    for (const b of spans) {
      if (a !== b && a.buffer === b.buffer) {
        assert.ok(a.end <= b.start || b.end <= a.start, "overlapping strings");
      }
    }
  }
  // Deno, where a new small array costs 570 ns, carves short strings out of shared slabs; Bun gives each its own.
  const short = narrow.filter((_, i) => texts[i]!.length < 16 && !texts[i]!.includes("é"));
  const buffers = new Set(short.map((v) => v.buffer)).size;
  if (runtime === "deno") {
    assert.ok(buffers < short.length / 10, `${buffers} buffers for ${short.length} strings`);
  } else assert.equal(buffers, short.length);
  assert.throws(() => cstring("ab\0"), /the string has a NUL at index 2/);
  assert.throws(() => cstring("\0"), /the string has a NUL at index 0/);
  assert.throws(() => wstring("x\0"), /the string has a NUL at index 1/);
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

test("cstring() and wstring() refuse what is not a string with a TypeError naming the type", () => {
  assert.throws(() => cstring(5 as never), {
    name: "TypeError",
    message: "Cannot encode a C string: expected a string, got a number",
  });
  assert.throws(
    () => cstring(undefined as never),
    /Cannot encode a C string: expected a string, got undefined/,
  );
  assert.throws(() => wstring(null as never), /Cannot encode a wide string: expected a string, got null/);
});

test("readCString() and readWString() check their offset and bound even at a pointer", () => {
  using lib = openFixture();
  const hello = lib.symbols.utf8_hello()!;
  assert.equal(readCString(hello, 1), "éllo");
  for (const offset of [-1, 1.5, Number.NaN]) {
    assert.throws(
      () => readCString(hello, offset),
      /Cannot read a C string at offset .* from a pointer: expected an integer ≥ 0/,
    );
  }
  const wide = lib.symbols.utf16_hello()!;
  assert.equal(readWString(wide, { byteOffset: 2 }), "éllo 😀");
  assert.throws(() => readWString(wide, { byteOffset: -2 }), /at offset -2 from a pointer/);
  assert.throws(() => readWString(wide, { maxUnits: Number.NaN }), /maxUnits NaN: expected an integer ≥ 1/);
  assert.throws(() => readWString(wide, { maxUnits: 0 }), /maxUnits 0/);
  assert.throws(() => readWString(wide, { maxUnits: 3 }), /no NUL within 3 units/);
});

test("readCString() and readWString() refuse detached bytes in their own words, not the engine's", () => {
  const bytes = new Uint8Array([104, 105, 0, 0]);
  const units = new Uint16Array(4);
  const view = new DataView(new ArrayBuffer(4));
  const buffer = new ArrayBuffer(4);
  for (const source of [bytes, units, view, buffer]) {
    (source instanceof ArrayBuffer ? source : source.buffer).transfer();
  }
  for (const source of [bytes, units, view, buffer]) {
    assert.throws(() => readCString(source), {
      name: "TypeError",
      message: "Cannot read a C string: the buffer is detached",
    });
    assert.throws(() => readWString(source), {
      name: "TypeError",
      message: "Cannot read a wide string: the buffer is detached",
    });
  }
});

test("readCString() and readWString() refuse a view its resizable buffer shrank below, rather than read it as empty", () => {
  const rab = new ArrayBuffer(16, { maxByteLength: 16 });
  new Uint8Array(rab).set([104, 105, 0], 8);
  const sources = [new Uint8Array(rab, 8, 8), new Uint16Array(rab, 8, 4), new DataView(rab, 8, 8)];
  for (const source of sources) assert.equal(readCString(source), "hi");
  rab.resize(4);
  for (const source of sources) {
    assert.throws(() => readCString(source), {
      name: "TypeError",
      message: "Cannot read a C string: the buffer is shorter than the view now",
    });
    assert.throws(() => readWString(source), {
      name: "TypeError",
      message: "Cannot read a wide string: the buffer is shorter than the view now",
    });
  }
  // An empty view still inside its buffer reads as the empty string.
  assert.equal(readCString(new Uint8Array(rab, 4, 0)), "");
  assert.equal(readCString(new Uint8Array(rab, 4)), "");
});

import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  alloc,
  buffer,
  dlopen,
  i32,
  ownedWcharString,
  pointer,
  readWcharString,
  size_t,
  void_,
  WCHAR_SIZE,
  wcharString,
} from "../../mod.ts";

// C's own wide literals and wcslen/wcscmp are the reference.
const path = compileC(`
#include <wchar.h>
const wchar_t *ws_text(void) { return L"h\\u00e9llo \\U0001F600"; }
size_t ws_size(void) { return sizeof(wchar_t); }
/* Writes L"\\u20ac\\U0001F600" into out, which holds n units. */
void ws_fill(wchar_t *out, size_t n) { wcsncpy(out, L"\\u20ac\\U0001F600", n); }
`);

test("wcharString() and readWcharString() agree with C's wchar_t: size, wcslen, wcscmp, literals", () => {
  using lib = dlopen(path, {
    ws_text: { args: [], returns: pointer },
    ws_size: { args: [], returns: size_t },
    ws_fill: { args: [buffer, size_t], returns: void_ },
  });
  using libc = dlopen("libc.so.6", {
    wcslen: { args: [buffer], returns: size_t }, // size_t wcslen(const wchar_t *s)
    wcscmp: { args: [buffer, pointer], returns: i32 }, // int wcscmp(const wchar_t *s1, const wchar_t *s2)
    wcsdup: { args: [buffer], returns: ownedWcharString("free") }, // wchar_t *wcsdup(const wchar_t *s)
  });
  assert.equal(BigInt(WCHAR_SIZE), lib.symbols.ws_size());
  const text = "héllo 😀";
  const encoded = wcharString(text);
  // One unit per code point where wchar_t is UTF-32.
  assert.equal(libc.symbols.wcslen(encoded), BigInt(WCHAR_SIZE === 4 ? [...text].length : text.length));
  assert.equal(libc.symbols.wcscmp(encoded, lib.symbols.ws_text()), 0);
  assert.equal(readWcharString(lib.symbols.ws_text()!), text);
  assert.equal(readWcharString(encoded), text);
  assert.equal(libc.symbols.wcsdup(encoded), text);
  assert.equal(libc.symbols.wcsdup(wcharString("")), "");
  using out = alloc(8 * WCHAR_SIZE);
  lib.symbols.ws_fill(out.bytes, 8);
  assert.equal(readWcharString(out.pointer), "€😀");
  assert.equal(readWcharString(out.bytes), "€😀");
  assert.equal(readWcharString(out.bytes, { byteOffset: WCHAR_SIZE }), "😀");
});

test("wcharString() refuses a NUL and a lone surrogate; readWcharString() checks its options", () => {
  assert.throws(() => wcharString("a\0"), /the string has a NUL at index 1/);
  assert.throws(() => wcharString(5 as never), /expected a string/);
  if (WCHAR_SIZE === 4) {
    assert.throws(() => wcharString("a\ud800"), /the string has a lone surrogate at index 1/);
    assert.throws(() => readWcharString(new Uint32Array(2), { byteOffset: 2 }), RangeError);
    // A unit that is no character reads as U+FFFD.
    assert.equal(readWcharString(Uint32Array.from([0x41, 0xd800, 0x110000, 0])), "A\ufffd\ufffd");
  }
  assert.throws(() => readWcharString(new Uint32Array(2), { max: 1 } as never), /unknown/i);
  using memory = alloc(4 * WCHAR_SIZE);
  memory.bytes.fill(0x41);
  assert.throws(() => readWcharString(memory.pointer, { maxUnits: 4 }), /no NUL within 4 units/);
});

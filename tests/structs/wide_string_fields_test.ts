/**
 * `char16_t`, `char32_t` and `wchar_t` arrays read and written as strings, checked against C: its layout
 * (`sizeof`, `offsetof`) and the bytes its `u""`, `U""` and `L""` literals put there.
 */
import assert from "node:assert/strict";
import { runC } from "../harness.ts";
import { bothPaths } from "./_both_paths.ts";
import {
  array,
  bool,
  char,
  char16_t,
  char32_t,
  f32,
  FLEXIBLE,
  offsetOf,
  struct,
  u16be,
  u32le,
  u64,
  wchar_t,
} from "../../structs/mod.ts";

// struct wide { char16_t a[6]; char c; char32_t b[4]; wchar_t w[5]; uint16_t be[3]; };
const C = runC(`
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uchar.h>
#include <wchar.h>
struct wide { char16_t a[6]; char c; char32_t b[4]; wchar_t w[5]; uint16_t be[3]; };
int main(void) {
  struct wide s;
  memset(&s, 0, sizeof s);
  memcpy(s.a, u"h\\u00e9\\U0001F600", sizeof u"h\\u00e9\\U0001F600");
  s.c = 'c';
  memcpy(s.b, U"\\U0001F600x", sizeof U"\\U0001F600x");
  memcpy(s.w, L"w\\u00e9", sizeof L"w\\u00e9");
  memcpy(s.be, "\\0A\\0B", 4); /* "AB" in big-endian UTF-16 */
  printf("%zu %zu %zu %zu %zu %zu %zu\\n", sizeof s, offsetof(struct wide, a), offsetof(struct wide, c),
    offsetof(struct wide, b), offsetof(struct wide, w), offsetof(struct wide, be), sizeof(wchar_t));
  for (size_t i = 0; i < sizeof s; i++) printf("%02x", ((unsigned char *)&s)[i]);
  printf("\\n");
  return 0;
}
`).trim().split("\n");
const [size, offA, offC, offB, offW, offBe, wcharSize] = C[0]!.split(" ").map(Number);
const bytes = Uint8Array.from(C[1]!.match(/../g)!.map((h) => parseInt(h, 16)));

bothPaths("char16_t, char32_t and wchar_t arrays read C's literals and write the bytes C wrote", (make) => {
  const Wide = make(() =>
    struct({
      a: array(char16_t, 6, { string: true }),
      c: char,
      b: array(char32_t, 4, { string: true }),
      w: array(wchar_t, 5, { string: true }),
      be: array(u16be, 3, { string: true }),
    })
  );
  assert.equal(wchar_t.size, wcharSize);
  assert.equal(Wide.size, size);
  assert.deepEqual(
    ["a", "c", "b", "w", "be"].map((f) => offsetOf(Wide, f as never)),
    [offA, offC, offB, offW, offBe],
  );
  const value = Wide.read(bytes);
  assert.deepEqual(value, { a: "hé😀", c: "c".charCodeAt(0), b: "😀x", w: "wé", be: "AB" });
  assert.equal(Wide.view(bytes).a, "hé😀");
  // Writing gives C's bytes back, the unused units zeroed (padding is left as it was: zero here).
  const out = new Uint8Array(Wide.size);
  Wide.write(out, value);
  assert.deepEqual(out, bytes);
});

bothPaths(
  "wide string fields refuse a NUL, a lone surrogate and a string too long, as char strings do",
  (make) => {
    const Wide = make(() =>
      struct({ a: array(char16_t, 3, { string: true }), b: array(char32_t, 2, { string: true }) })
    );
    const out = new Uint8Array(Wide.size);
    assert.throws(() => Wide.write(out, { a: "a\0b", b: "" }), /"struct.a": the string has a NUL at index 1/);
    assert.throws(
      () => Wide.write(out, { a: "\ud83d", b: "" }),
      /"struct.a": the string has a lone surrogate at index 0/,
    );
    assert.throws(
      () => Wide.write(out, { a: "", b: "x\ude00" }),
      /"struct.b": the string has a lone surrogate at index 1/,
    );
    // 😀 is two UTF-16 units but one UTF-32 unit; a full array has no NUL, as in C.
    assert.throws(() => Wide.write(out, { a: "ab😀", b: "" }), {
      name: "RangeError",
      message: 'Cannot write "struct.a": the string takes 4 code units but char16_t[3] holds 3',
    });
    Wide.write(out, { a: "a😀", b: "😀😀" });
    assert.deepEqual(Wide.read(out), { a: "a😀", b: "😀😀" });
    assert.throws(() => Wide.write(out, { a: "", b: "😀😀😀" }), RangeError);
    // A UTF-32 unit that is no character reads as U+FFFD.
    const raw = new DataView(out.buffer);
    raw.setUint32(offsetOf(Wide, "b"), 0xd800, true);
    raw.setUint32(offsetOf(Wide, "b") + 4, 0x110000, true);
    assert.equal(Wide.read(out).b, "\ufffd\ufffd");
    // Little-endian UTF-32 whatever the host; 8-byte and float units are no string.
    const le = struct({ s: array(u32le, 2, { string: true }) });
    const le8 = new Uint8Array(8);
    le.write(le8, { s: "é" });
    assert.deepEqual([...le8], [0xe9, 0, 0, 0, 0, 0, 0, 0]);
    for (const element of [u64, f32, bool]) {
      assert.throws(() => array(element as never, 2, { string: true }), /not 1-, 2- or 4-byte integers/);
    }
  },
);

bothPaths(
  "ArrayView.readString() reads char16_t, char32_t and wchar_t arrays as C's literals put them",
  (make) => {
    // The same arrays declared without `string: true`: views of their elements, read as strings on demand.
    const Units = make(() =>
      struct({
        a: array(char16_t, 6),
        c: char,
        b: array(char32_t, 4),
        w: array(wchar_t, 5),
        be: array(u16be, 3),
        f: array(f32, 1),
      })
    );
    const view = Units.view(Uint8Array.from([...bytes, 0, 0, 0, 0]));
    assert.equal(view.a.readString(), "hé😀");
    assert.equal(view.b.readString(), "😀x");
    assert.equal(view.w.readString(), "wé");
    assert.equal(view.be.readString(), "AB");
    assert.equal(view.a.at(0), "h".charCodeAt(0)); // still an array of code units
    assert.throws(() => view.f.readString(), {
      name: "TypeError",
      message: 'Cannot read "f32[1]" as a string: its elements are not 1-, 2- or 4-byte integers',
    });
    // A flexible array of char16_t: the units the bytes hold, up to the first 0.
    const Flexible = make(() => struct({ n: u64, text: array(char16_t, FLEXIBLE) }));
    const units = new Uint8Array(8 + 8);
    new DataView(units.buffer).setUint16(8, 0x41, true);
    new DataView(units.buffer).setUint16(10, 0xe9, true);
    assert.equal(Flexible.view(units).text.readString(), "Aé");
  },
);

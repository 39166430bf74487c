/**
 * A value that leaves fields out: they are zeros, as in C's designated initializers (`{ .a = 1 }`), checked
 * against the compiler's compound literals. `encode` and `write` agree (write zeroes what the value leaves out
 * in bytes that held something else); a key that is not a field is still refused.
 */
import assert from "node:assert/strict";
import { bothPaths } from "./_both_paths.ts";
import { cBytes } from "./_c.ts";
import {
  array,
  bits,
  bool,
  char,
  f64,
  FLEXIBLE,
  i64,
  int,
  pointer,
  struct,
  u16,
  u32,
  u8,
  union,
} from "../../structs/mod.ts";
import { withOpaquePointers } from "./_opaque_pointers.ts";

const PRELUDE = `#include <stdint.h>
#include <stdbool.h>
struct inner { uint8_t x; int64_t y; };
struct outer {
  int a; int b; double d; void *p; bool flag; char name[8]; uint16_t nums[3];
  uint32_t lo : 3; uint32_t hi : 20; struct inner in; union { uint32_t w; uint8_t bytes[4]; } u;
};`;

function layouts(make: <T>(f: () => T) => T) {
  const Inner = make(() => struct({ x: u8, y: i64 }, { name: "inner" }));
  const Outer = make(() =>
    struct({
      a: int,
      b: int,
      d: f64,
      p: pointer,
      flag: bool,
      name: array(char, 8, { string: true }),
      nums: array(u16, 3),
      lo: bits(u32, 3),
      hi: bits(u32, 20),
      in: Inner,
      u: union({ w: u32, bytes: array(u8, 4) }),
    }, { name: "outer" })
  );
  return { Inner, Outer };
}

bothPaths("encode() and write() zero what a value leaves out, as C's designated initializers do", (make) => {
  const { Outer } = layouts(make);
  for (
    const [c, value] of [
      [".a = 1", { a: 1 }],
      [".b = -2, .in = { .y = 5 }", { b: -2, in: { y: 5n } }],
      ['.name = "eth0", .hi = 9, .u = { .w = 7 }', { name: "eth0", hi: 9, u: { w: 7 } }],
      ["0", {}],
    ] as const
  ) {
    // C's compound literal, assigned over bytes that held 0xff: every member it leaves out is zero.
    const expected = Outer.read(
      cBytes(PRELUDE, "struct outer", `memset(raw, 0xff, sizeof raw); x = (struct outer){ ${c} };`),
    );
    assert.deepEqual(Outer.read(Outer.encode(value)), expected, c);
    const used = new Uint8Array(Outer.size + 8).fill(0xff);
    Outer.write(used, value, 4);
    assert.deepEqual(Outer.read(used, 4), expected, `write ${c}`);
    assert.deepEqual([...used.subarray(0, 4), ...used.subarray(4 + Outer.size)], new Array(8).fill(0xff));
  }
});

bothPaths("an array's set() and a nested struct zero what a row leaves out", (make) => {
  const { Inner, Outer } = layouts(make);
  const rows = Inner.array(new Uint8Array(Inner.size * 2).fill(0xee));
  rows.set(1, { x: 3 });
  assert.deepEqual(rows.toArray()[1], { x: 3, y: 0n });
  assert.equal(rows.at(0).x, 0xee, "the other row is left as it was");
  const bytes = new Uint8Array(Outer.size).fill(0xff);
  Outer.write(bytes, { in: {} });
  assert.deepEqual(Outer.read(bytes).in, { x: 0, y: 0n });
});

bothPaths("a key that is not a field is refused, at any depth, naming the fields", (make) => {
  const { Outer } = layouts(make);
  assert.throws(() => Outer.encode({ a: 1, bb: 2 } as never), {
    name: "TypeError",
    message:
      'Cannot write "outer": outer has no field "bb" (its fields: a, b, d, p, flag, name, nums, lo, hi, in, u)',
  });
  assert.throws(() => Outer.encode({ in: { z: 1 } } as never), {
    name: "TypeError",
    message: 'Cannot write "outer.in": inner has no field "z" (its fields: x, y)',
  });
  assert.throws(() => Outer.encode({ u: { word: 1 } } as never), {
    name: "TypeError",
    message: /Cannot write "outer\.u": union has no member "word"/,
  });
  // A value with every field is written as it is, whatever else it holds (a view, `{ ...row, extra }`).
  const full = Outer.read(Outer.encode({ a: 5 }));
  assert.equal(Outer.read(Outer.encode({ ...full, extra: 1 } as never)).a, 5);
  // A field given as undefined is left out.
  assert.equal(Outer.read(Outer.encode({ ...full, a: undefined } as never)).a, 0);
});

bothPaths("a union's write() zeroes its bytes, then writes the members present", (make) => {
  const U = make(() => union({ w: u32, bytes: array(u8, 8) }, { name: "U" }));
  const bytes = new Uint8Array(8).fill(0xff);
  U.write(bytes, { w: 0x01020304 });
  assert.deepEqual([...bytes], [4, 3, 2, 1, 0, 0, 0, 0]);
  U.write(bytes, {});
  assert.deepEqual([...bytes], new Array(8).fill(0));
});

bothPaths("a flexible array left out has no rows, and its count must say so", (make) => {
  const List = make(() => struct({ n: u32, rows: array(u32, FLEXIBLE, { count: "n" }) }, { name: "List" }));
  assert.deepEqual(List.read(List.encode({})), { n: 0, rows: [] });
  assert.throws(() => List.encode({ n: 2 }), {
    name: "RangeError",
    message: 'Cannot write "List.rows": it has 0 rows but "n" is 2',
  });
  assert.deepEqual(List.read(List.encode({ n: 1, rows: [9] })), { n: 1, rows: [9] });
});

bothPaths("a pointer left out is null", (make) => {
  withOpaquePointers(() => {
    const P = make(() => struct({ p: pointer, n: u32 }));
    const bytes = new Uint8Array(P.size).fill(0xff);
    P.write(bytes, { n: 1 });
    assert.deepEqual(P.read(bytes), { p: null, n: 1 });
  });
});

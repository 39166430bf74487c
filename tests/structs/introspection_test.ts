import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { runC } from "../harness.ts";
import {
  aligned,
  alignOf,
  array,
  bits,
  fieldsOf,
  offsetOf,
  sizeOf,
  struct,
  u16,
  u32,
  u64,
  u8,
} from "../../structs/mod.ts";

// struct s { uint8_t a; uint64_t b; uint16_t c[3]; unsigned f : 3; unsigned g : 9; uint8_t d __attribute__((aligned(16))); };
const S = struct({ a: u8, b: u64, c: array(u16, 3), f: bits(u32, 3), g: bits(u32, 9), d: aligned(u8, 16) }, {
  name: "s",
});

test("sizeOf(), alignOf() and offsetOf() give what cc gives", () => {
  const out = runC(`#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
struct s { uint8_t a; uint64_t b; uint16_t c[3]; unsigned f : 3; unsigned g : 9; uint8_t d __attribute__((aligned(16))); };
int main(void) {
  printf("%zu %zu %zu %zu %zu %zu %zu %zu", sizeof(struct s), _Alignof(struct s), offsetof(struct s, a),
    offsetof(struct s, b), offsetof(struct s, c), offsetof(struct s, d), sizeof(uint16_t[3]), _Alignof(uint64_t));
  return 0;
}`);
  assert.deepEqual(
    [
      sizeOf(S),
      alignOf(S),
      offsetOf(S, "a"),
      offsetOf(S, "b"),
      offsetOf(S, "c"),
      offsetOf(S, "d"),
      sizeOf(array(u16, 3)),
      alignOf(u64),
    ],
    out.split(" ").map(Number),
  );
});

test("offsetOf() refuses bitfields and unknown fields", () => {
  assert.throws(() => offsetOf(S, "f"), {
    name: "TypeError",
    message: 'Cannot take the offset of "s.f": it is a bitfield',
  });
  assert.throws(() => offsetOf(S, "zz" as never), {
    name: "TypeError",
    message: 'Cannot find field "zz" in "s"',
  });
});

test("fieldsOf() lists every field with offset, size, alignment, type and bit position", () => {
  const fields = fieldsOf(S);
  assert.deepEqual(fields.map((f) => [f.name, f.offset, f.size, f.align]), [
    ["a", 0, 1, 1],
    ["b", 8, 8, 8],
    ["c", 16, 6, 2],
    ["f", 22, 1, 4],
    ["g", 22, 2, 4],
    ["d", 32, 1, 16],
  ]);
  const g = fields[4]!;
  assert.equal(g.bitOffset, 22 * 8 + 3);
  assert.equal(g.bitWidth, 9);
  assert.equal(fields[1]!.type, u64);
  assert.throws(() => fieldsOf(u8 as never), TypeError);
});

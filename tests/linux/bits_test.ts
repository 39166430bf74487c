/** Bit casts against C's own reinterpretation (memcpy between a double and a uint64_t) and known constants. */
import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import { float32Bits, float32FromBits, float64Bits, float64FromBits } from "../../linux/mod.ts";

const SAMPLES = [
  0,
  -0,
  1,
  -1.5,
  Math.PI,
  1e-310,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Infinity,
  -Infinity,
  0.1,
];

test("float64Bits() and float32Bits() give the bits C's memcpy gives", () => {
  const doubles = SAMPLES.map((v) =>
    Object.is(v, -0)
      ? "-0.0"
      : v === Infinity
      ? "INFINITY"
      : v === -Infinity
      ? "-INFINITY"
      : v.toPrecision(17)
  );
  const out = runC(`
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
int main(void) {
  double d[] = { ${doubles.join(", ")} };
  for (unsigned i = 0; i < sizeof d / sizeof *d; i++) {
    uint64_t u; memcpy(&u, &d[i], 8);
    float f = (float)d[i]; uint32_t v; memcpy(&v, &f, 4);
    printf("%llu %u\\n", (unsigned long long)u, v);
  }
  return 0;
}
`).trim().split("\n");
  SAMPLES.forEach((v, i) => {
    const [u64, u32] = out[i]!.split(" ");
    assert.equal(float64Bits(v), BigInt(u64!), `float64Bits(${v})`);
    assert.equal(float32Bits(v), Number(u32), `float32Bits(${v})`);
  });
});

test("float64FromBits() and float32FromBits() invert them", () => {
  for (const v of SAMPLES) {
    assert.ok(Object.is(float64FromBits(float64Bits(v)), v), String(v));
    assert.ok(Object.is(float32FromBits(float32Bits(v)), Math.fround(v)), String(v));
  }
  assert.equal(float64Bits(1).toString(16), "3ff0000000000000");
  assert.equal(float64FromBits(0x4009_21fb_5444_2d18n), Math.PI);
  assert.equal(float32Bits(1), 0x3f800000);
  assert.equal(float32FromBits(0xc0490fdb), Math.fround(-Math.PI));
  assert.ok(Number.isNaN(float64FromBits(0x7ff8_0000_0000_0001n)));
  // A NaN with a payload, signalling or not, is a NaN; its payload is the engine's to keep or drop.
  assert.ok(Number.isNaN(float32FromBits(0x7f80_0001)));
  assert.ok(Number.isNaN(float32FromBits(0xffc1_2345)));
  assert.equal(float64FromBits(-1n), float64FromBits(0xffff_ffff_ffff_ffffn), "only the low 64 bits count");
  assert.throws(() => float32FromBits(1.5), RangeError);
});

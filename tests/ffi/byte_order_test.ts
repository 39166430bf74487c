import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  dlopen,
  f64,
  f64be,
  i32,
  i32be,
  i64be,
  u16,
  u16be,
  u16le,
  u32,
  u32be,
  u64,
  u64be,
  u8,
} from "../../mod.ts";

// Each function reports the bytes C holds, in memory order, so that the test checks the swap against C itself.
const path = compileC(`
#include <stdint.h>
#include <string.h>
/* The byte at the lowest address of each value, as C stores it. */
uint8_t bo_first_byte16(uint16_t v) { unsigned char b[2]; memcpy(b, &v, 2); return b[0]; }
uint8_t bo_first_byte32(uint32_t v) { unsigned char b[4]; memcpy(b, &v, 4); return b[0]; }
uint8_t bo_first_byte64(uint64_t v) { unsigned char b[8]; memcpy(b, &v, 8); return b[0]; }
uint8_t bo_first_byte_double(double v) { unsigned char b[8]; memcpy(b, &v, 8); return b[0]; }
/* Values whose bytes are 01 02 ... in memory. */
uint16_t bo_bytes16(void) { uint16_t v; memcpy(&v, "\\x01\\x02", 2); return v; }
uint64_t bo_bytes64(void) { uint64_t v; memcpy(&v, "\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08", 8); return v; }
double bo_identity(double v) { return v; }
int32_t bo_identity32(int32_t v) { return v; }
`);

test("dlopen() takes big-endian parameters and results: htons(x) declared u16be reads back x", () => {
  using libc = dlopen("libc.so.6", {
    htons: { args: [u16], returns: u16be }, // uint16_t htons(uint16_t hostshort)
    htonsRaw: { args: [u16], returns: u16, symbol: "htons" },
    ntohs: { args: [u16be], returns: u16 }, // uint16_t ntohs(uint16_t netshort)
    htonl: { args: [u32], returns: u32be }, // uint32_t htonl(uint32_t hostlong)
    ntohl: { args: [u32be], returns: u32 }, // uint32_t ntohl(uint32_t netlong)
    ntohlSigned: { args: [i32be], returns: i32, symbol: "ntohl" },
  });
  for (const x of [0, 1, 0x1234, 0xff00, 0xffff]) {
    assert.equal(libc.symbols.htons(x), x);
    assert.equal(libc.symbols.ntohs(x), x);
    // The plain u16 result is the swapped value: what a DataView reads big-endian from x's host bytes.
    const view = new DataView(new ArrayBuffer(2));
    view.setUint16(0, x, true);
    assert.equal(libc.symbols.htonsRaw(x), view.getUint16(0, false));
  }
  for (const x of [0, 1, 0x12345678, 0xdeadbeef, 0xffffffff]) {
    assert.equal(libc.symbols.htonl(x), x);
    assert.equal(libc.symbols.ntohl(x), x);
  }
  assert.equal(libc.symbols.ntohlSigned(-2), -2);
  // The range is the declared type's, checked before the swap.
  assert.throws(() => libc.symbols.ntohs(70000), RangeError);
  assert.throws(() => libc.symbols.ntohl(-1), RangeError);
});

test("dlopen() passes a byte-order argument with the bytes C sees in memory in that order", () => {
  using lib = dlopen(path, {
    bo_first_byte16: { args: [u16be], returns: u8 },
    bo_first_byte16le: { args: [u16le], returns: u8, symbol: "bo_first_byte16" },
    bo_first_byte32: { args: [i32be], returns: u8 },
    bo_first_byte64: { args: [u64be], returns: u8 },
    bo_first_byte_double: { args: [f64be], returns: u8 },
    bo_bytes16: { args: [], returns: u16be },
    bo_bytes64: { args: [], returns: u64be },
    bo_bytes64Host: { args: [], returns: u64, symbol: "bo_bytes64" },
    bo_identity: { args: [f64be], returns: f64be },
    bo_identityHalf: { args: [f64be], returns: f64, symbol: "bo_identity" },
    bo_identity32: { args: [i32be], returns: i32be },
    bo_identity64: { args: [i64be], returns: i64be, symbol: "bo_bytes64" },
  });
  const s = lib.symbols;
  assert.equal(s.bo_first_byte16(0x0102), 0x01);
  assert.equal(s.bo_first_byte16le(0x0102), 0x02);
  assert.equal(s.bo_first_byte32(0x01020304), 0x01);
  assert.equal(s.bo_first_byte64(0x0102030405060708n), 0x01);
  // A safe integer number is taken for a 64-bit type too (2^52 + 1 is 00 10 00 … 01 in big-endian order); an
  // unsafe one is refused, as a 64-bit field refuses it.
  assert.equal(s.bo_first_byte64(2 ** 52 + 1), 0x00);
  assert.throws(() => s.bo_first_byte64(0x0102030405060708), { name: "UnsafeIntegerError" });
  // 1.5 is 3F F8 00 … in big-endian order.
  assert.equal(s.bo_first_byte_double(1.5), 0x3f);
  assert.equal(s.bo_bytes16(), 0x0102);
  assert.equal(s.bo_bytes64(), 0x0102030405060708n);
  assert.equal(s.bo_bytes64Host(), 0x0807060504030201n);
  for (const x of [0, 1.5, -2.25, Math.PI, Infinity]) assert.equal(s.bo_identity(x), x);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, 1.5, false);
  assert.equal(s.bo_identityHalf(1.5), view.getFloat64(0, true));
  for (const x of [0, -1, 0x7fffffff, -0x80000000, 12345]) assert.equal(s.bo_identity32(x), x);
});

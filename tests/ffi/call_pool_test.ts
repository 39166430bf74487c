// The pool's shared cells (ffi/_call_pool.ts, ffi/_call_worker.js): every kind of argument and result crosses
// to a pool thread and back as C sees it, small buffers through the reused arena and large ones (and more than
// 16 arguments) through a message; checked against the same functions run by a C program.
import assert from "node:assert/strict";
import { compileC, runC, test } from "../harness.ts";
import {
  bool,
  buffer,
  cstring,
  dlopen,
  f32,
  f64,
  i32,
  i64,
  i8,
  pointer,
  readCString,
  u64,
  void_,
} from "../../mod.ts";

const SOURCE = `
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
double pool_mix(int8_t a, uint64_t b, double c, int64_t d, float e, bool f) {
  return a + (double)(b % 1000) + c + (double)d + e + (f ? 1000 : 0);
}
uint64_t pool_u64(uint64_t x) { return x ^ 0xF0F0F0F0F0F0F0F0ull; }
int64_t pool_i64(int64_t x) { return x * 3 - 1; }
bool pool_not(bool b) { return !b; }
void *pool_ptr(void *p) { return p; }
int pool_many(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10, int a11,
              int a12, int a13, int a14, int a15, int a16) {
  return a0 + 2 * a1 + 3 * a2 + 4 * a3 + 5 * a4 + 6 * a5 + 7 * a6 + 8 * a7 + 9 * a8 + 10 * a9 + 11 * a10 +
         12 * a11 + 13 * a12 + 14 * a13 + 15 * a14 + 16 * a15 + 17 * a16;
}
int pool_fill(uint8_t *p, int n, int start) {
  for (int i = 0; i < n; i++) p[i] = (uint8_t)(start + i * 7 + p[i]);
  errno = 40 + start % 50;
  return n;
}
#ifdef MAIN
static uint32_t checksum(const uint8_t *p, int n) {
  uint32_t sum = 0;
  for (int i = 0; i < n; i++) sum += (uint32_t)p[i] * (uint32_t)(i + 1);
  return sum;
}
int main(void) {
  printf("%.17g\\n", pool_mix(-7, 123456789012345ull, 2.5, -9000000000ll, 0.25f, true));
  printf("%llu\\n", (unsigned long long)pool_u64(0xFFFFFFFFFFFFFFFFull));
  printf("%lld\\n", (long long)pool_i64(-3000000000000ll));
  printf("%d\\n", pool_many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
  for (int size = 100; size <= 10000; size *= 100) {
    uint8_t *p = malloc(size);
    for (int i = 0; i < size; i++) p[i] = (uint8_t)(i * 13);
    pool_fill(p, size, 9);
    printf("%u\\n", checksum(p, size));
    free(p);
  }
  return 0;
}
#endif
`;

const path = compileC(SOURCE);
const expected = runC(SOURCE, ["-DMAIN"]).trim().split("\n");
// errno: true sends every call to the pool on both runtimes (Deno's own nonblocking cannot read it).
const lib = dlopen(path, {
  pool_mix: { args: [i8, u64, f64, i64, f32, bool], returns: f64, nonblocking: true, errno: true },
  pool_u64: { args: [u64], returns: u64, nonblocking: true, errno: true },
  pool_i64: { args: [i64], returns: i64, nonblocking: true, errno: true },
  pool_not: { args: [bool], returns: bool, nonblocking: true, errno: true },
  pool_ptr: { args: [pointer], returns: pointer, nonblocking: true, errno: true },
  pool_many: { args: Array.from({ length: 17 }, () => i32), returns: i32, nonblocking: true, errno: true },
  pool_fill: { args: [buffer, i32, i32], returns: i32, nonblocking: true, errno: true },
  pool_fill_blocking: { args: [buffer, i32, i32], returns: i32, symbol: "pool_fill" },
});
const s = lib.symbols;
// char *strdup(const char *); void free(void *)
const libc = dlopen("libc.so.6", {
  strdup: { args: [buffer], returns: pointer },
  free: { args: [pointer], returns: void_ },
});

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]! * (i + 1)) >>> 0;
  return sum;
}

test("a pool call carries integers, floats, 64-bit values and booleans as C sees them", async () => {
  const mix = await s.pool_mix(-7, 123456789012345n, 2.5, -9000000000n, 0.25, true);
  assert.equal(mix.value, Number(expected[0]));
  assert.equal(String((await s.pool_u64(0xFFFFFFFFFFFFFFFFn)).value), expected[1]);
  assert.equal(String((await s.pool_i64(-3000000000000n)).value), expected[2]);
  assert.equal((await s.pool_not(true)).value, false);
  assert.equal((await s.pool_not(false)).value, true);
});

test("a pool call with more than 16 arguments goes by message and gives C's answer", async () => {
  const args = Array.from({ length: 17 }, (_, i) => i + 1) as Parameters<typeof s.pool_many>;
  assert.equal(String((await s.pool_many(...args)).value), expected[3]);
});

test("a pointer crosses to a pool thread and back unchanged, and null stays null", async () => {
  assert.equal((await s.pool_ptr(null)).value, null);
  const copy = libc.symbols.strdup(cstring("through the pool")); // C's memory, read back through the returned pointer
  try {
    const { value: back } = await s.pool_ptr(copy);
    assert.notEqual(back, null);
    assert.equal(readCString(back!), "through the pool");
  } finally {
    libc.symbols.free(copy);
  }
});

test("small (arena) and large buffers are written back with C's bytes and errno", async () => {
  for (const [size, line] of [[100, expected[4]], [10000, expected[5]]] as const) {
    const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 13) & 0xff);
    const { value, errno } = await s.pool_fill(bytes, size, 9);
    assert.equal(value, size);
    assert.equal(errno, 49);
    assert.equal(String(checksum(bytes)), line);
  }
});

test("many small buffers in flight at once each get their own bytes back (arena chunks never shared)", async () => {
  const count = 300;
  const buffers = Array.from({ length: count }, (_, k) => new Uint8Array(48).fill(k & 0xff));
  const answers = await Promise.all(buffers.map((bytes, k) => s.pool_fill(bytes, 48, k)));
  for (let k = 0; k < count; k++) {
    const twin = new Uint8Array(48).fill(k & 0xff);
    s.pool_fill_blocking(twin, 48, k); // the same C on the JavaScript thread
    assert.equal(answers[k]!.errno, 40 + (k % 50));
    assert.deepEqual(buffers[k], twin, `buffer ${k}`);
  }
});

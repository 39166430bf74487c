/**
 * Structs passed and returned by value, against C functions that read and rewrite every field: one per way
 * the x86-64 and arm64 ABIs pass a struct (integer registers, float registers, both, memory), with arrays,
 * bitfields and a nested struct, on both runtimes (Bun through its C shims). The systematic table of sizes,
 * register mixes, unions and packed structs is by_value_table_test.ts.
 */
import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  aligned,
  ANY_SIZE,
  array,
  bits,
  callback,
  dlopen,
  f32,
  f64,
  ffiRuntime,
  functionPointer,
  i32,
  i64,
  i8,
  struct,
  u16,
  u32,
  u8,
  union,
} from "../../mod.ts";

const source = `
#include <stdint.h>
typedef struct { uint8_t tag; double value; } Tagged;
typedef struct { float x, y, z; } Vec3;
typedef struct { int64_t a, b, c; } Big;
typedef struct { uint16_t id[3]; uint8_t flag; } Ids;
typedef struct { uint32_t lo : 5, mid : 20, hi : 7; uint16_t tail; } Bits;
typedef struct { Vec3 v; int32_t n; } Nested;
typedef struct { int8_t c; } One;

Tagged tagged_next(Tagged t) { t.tag += 1; t.value *= 2; return t; }
double vec3_dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
Vec3 vec3_scale(Vec3 v, float k) { v.x *= k; v.y *= k; v.z *= k; return v; }
Big big_rotate(Big b) { Big r = { b.b, b.c, b.a }; return r; }
Ids ids_reverse(Ids s) { uint16_t t = s.id[0]; s.id[0] = s.id[2]; s.id[2] = t; s.flag = !s.flag; return s; }
Bits bits_bump(Bits b) { b.lo += 1; b.mid += 3; b.hi -= 1; b.tail ^= 0xffff; return b; }
int64_t nested_check(Nested n) { return (int64_t)(n.v.x + 10 * n.v.y + 100 * n.v.z) * 1000 + n.n; }
Nested nested_make(int32_t k) { Nested r = { { k, 2 * k, 3 * k }, -k }; return r; }
One one_negate(One o) { o.c = -o.c; return o; }
int32_t add_one(int32_t x) { return x + 1; }
double apply_tagged(double (*f)(Tagged, int32_t), int32_t k) { Tagged t = { 7, 0.5 }; return f(t, k); }
Vec3 apply_vec3(Vec3 (*f)(float), float k) { Vec3 v = f(k); v.z += 1; return v; }
int64_t apply_big(Big (*f)(Big), int64_t x) { Big b = { x, 2 * x, 3 * x }; Big r = f(b); return r.a - r.b + r.c; }
typedef union { double d; int64_t l; } DL;
typedef union { float f; float g[2]; } FG;
DL dl_twice(DL u, int32_t as_long) { if (as_long) u.l *= 2; else u.d *= 2; return u; }
float fg_sum(FG u, float x) { return u.g[0] + u.g[1] + x; }
double mixed(int32_t a, Tagged t, float f, Big b, int64_t z) {
  return a + t.tag + t.value + f + (double)(b.a + b.b + b.c) + (double)z;
}
`;

const Tagged = struct({ tag: u8, value: f64 }, { name: "Tagged" });
const Vec3 = struct({ x: f32, y: f32, z: f32 }, { name: "Vec3" });
const Big = struct({ a: i64, b: i64, c: i64 }, { name: "Big" });
const Ids = struct({ id: array(u16, 3), flag: u8 }, { name: "Ids" });
const Bits = struct({ lo: bits(u32, 5), mid: bits(u32, 20), hi: bits(u32, 7), tail: u16 }, { name: "Bits" });
const Nested = struct({ v: Vec3, n: i32 }, { name: "Nested" });
const One = struct({ c: i8 }, { name: "One" });

const table = {
  tagged_next: { args: [Tagged], returns: Tagged },
  vec3_dot: { args: [Vec3, Vec3], returns: f64 },
  vec3_scale: { args: [Vec3, f32], returns: Vec3 },
  big_rotate: { args: [Big], returns: Big },
  ids_reverse: { args: [Ids], returns: Ids },
  bits_bump: { args: [Bits], returns: Bits },
  nested_check: { args: [Nested], returns: i64 },
  nested_make: { args: [i32], returns: Nested },
  one_negate: { args: [One], returns: One },
  mixed: { args: [i32, Tagged, f32, Big, i64], returns: f64 },
} as const;

const path = compileC(source);

test("structs pass and return by value through every ABI class", () => {
  const c = dlopen(path, table).symbols;
  assert.deepEqual(c.tagged_next({ tag: 254, value: -1.25 }), { tag: 255, value: -2.5 });
  assert.equal(c.vec3_dot({ x: 1, y: 2, z: 3 }, { x: 4, y: -5, z: 0.5 }), 4 - 10 + 1.5);
  assert.deepEqual(c.vec3_scale({ x: 1.5, y: -2, z: 0.25 }, 4), { x: 6, y: -8, z: 1 });
  const big = { a: 2n ** 62n, b: -3n, c: 123456789012345n };
  assert.deepEqual(c.big_rotate(big), { a: big.b, b: big.c, c: big.a });
  assert.deepEqual(c.ids_reverse({ id: [1, 65535, 300], flag: 0 }), { id: [300, 65535, 1], flag: 1 });
  assert.deepEqual(c.bits_bump({ lo: 30, mid: 1000000, hi: 1, tail: 0x1234 }), {
    lo: 31,
    mid: 1000003,
    hi: 0,
    tail: 0xedcb,
  });
  assert.equal(c.nested_check({ v: { x: 1, y: 2, z: 3 }, n: 7 }), 321007n);
  assert.deepEqual(c.nested_make(5), { v: { x: 5, y: 10, z: 15 }, n: -5 });
  assert.deepEqual(c.one_negate({ c: 100 }), { c: -100 });
  assert.equal(c.mixed(1, { tag: 2, value: 0.5 }, 0.25, { a: 3n, b: 4n, c: 5n }, 1000n), 1015.75);
});

test("a struct argument may be its bytes; wrong bytes and wrong objects are refused", () => {
  const c = dlopen(path, table).symbols;
  // Types: the result is the struct's value type; a field left out is zero, as in C's `(Tagged){ .tag = 1 }`,
  // and a key that is not a field does not compile.
  const typed: { tag: number; value: number } = c.tagged_next({ tag: 1, value: 2 });
  assert.deepEqual(c.tagged_next({ tag: 1 }), { tag: 2, value: 0 });
  // @ts-expect-error: no field "valeu"
  if (typed.tag < 0) c.tagged_next({ tag: 1, valeu: 2 });
  // The bytes of a struct (encode, or a view's buffer) pass as they are.
  assert.deepEqual(c.tagged_next(Tagged.encode({ tag: 9, value: 8 })), { tag: 10, value: 16 });
  const bytes = new Uint8Array(Big.size);
  Big.view(bytes).b = 77n;
  assert.deepEqual(c.big_rotate(bytes), { a: 77n, b: 0n, c: 0n });
  assert.throws(() => c.big_rotate(new Uint8Array(Big.size - 1)), {
    name: "RangeError",
    message: 'Cannot pass argument 0 of "big_rotate": "Big" is 24 bytes, got 23',
  });
  assert.throws(() => c.tagged_next(null as never), {
    name: "TypeError",
    message: 'Cannot pass argument 0 of "tagged_next": expected an object or the bytes of "Tagged"',
  });
  assert.throws(() => c.tagged_next({ tag: 1, valeu: 2 } as never), {
    name: "TypeError",
    message: /Tagged has no field "valeu"/,
  });
  assert.throws(() => c.tagged_next({ tag: 256, value: 0 }), RangeError);
  // A detached buffer is 0 bytes: refused, not passed as garbage.
  const gone = new ArrayBuffer(Tagged.size);
  structuredClone(gone, { transfer: [gone] });
  assert.throws(() => c.tagged_next(gone), { name: "RangeError", message: /detached/ });
});

const systemV = ffiRuntime.arch === "x86_64" && ffiRuntime.os !== "windows";

test("layouts that cannot pass by value are refused when the table is read, naming why", () => {
  // Up to 16 bytes with an unaligned member: MEMORY at a size no runtime type has (a result is fine).
  const Packed = struct({ a: u8, b: u32 }, { name: "Packed", packed: true });
  assert.throws(() => dlopen(path, { one_negate: { args: [Packed], returns: i32 } }), {
    name: "TypeError",
    message: systemV
      ? /argument 0 of "one_negate" as "Packed" by value: it has a 4-byte member at byte 1 \(unaligned\), so it is passed in memory at 5 bytes/
      : /"Packed" has a member at byte 1 where C's natural alignment puts it at 4/,
  });
  assert.throws(() => callback({ args: [], returns: Packed }, () => ({ a: 0, b: 0 })), {
    name: "TypeError",
    message: systemV
      ? /the result of a callback as "Packed" by value: .* passed in memory at 5 bytes/
      : /Packed/,
  });
  const Flexible = struct({ n: u32, rows: array(u32, ANY_SIZE, { count: "n" }) }, { name: "Flexible" });
  assert.throws(
    () => dlopen(path, { one_negate: { args: [Flexible], returns: i32 } }),
    { name: "TypeError", message: /it ends in a flexible array \("rows"\)/ },
  );
  const Wide = struct({ a: aligned(i32, 16) }, { name: "Wide" });
  assert.throws(
    () => dlopen(path, { one_negate: { args: [i32], returns: Wide } }),
    {
      name: "TypeError",
      message: systemV ? /"Wide" is aligned to 16: alignment above 8 is not implemented/ : /Wide/,
    },
  );
  const Either = union({ i: i32, f: f32 }, { name: "Either" });
  if (!systemV) {
    assert.throws(
      () => dlopen(path, { one_negate: { args: [Either as never], returns: i32 } }),
      { name: "TypeError", message: /"Either" is a union.*implemented for x86-64 System V/ },
    );
  }
});

test(
  "unions pass by value as C classifies them: { double, long } in an integer register, { float, float[2] } in SSE",
  () => {
    const DL = union({ d: f64, l: i64 }, { name: "DL" });
    const FG = union({ f: f32, g: array(f32, 2) }, { name: "FG" });
    const c = dlopen(path, {
      dl_twice: { args: [DL, i32], returns: DL },
      fg_sum: { args: [FG, f32], returns: f32 },
    }).symbols;
    // Types: a union takes any subset of its members, and reads back as all of them.
    const twice: { d: number; l: bigint } = c.dl_twice({ l: 21n }, 1);
    assert.equal(twice.l, 42n);
    assert.equal(c.dl_twice({ d: 1.25 }, 0).d, 2.5);
    assert.equal(c.fg_sum({ g: [1.5, 2] }, 0.25), 3.75);
  },
  { ignore: !systemV && "unions by value are classified for x86-64 System V only" },
);

test("an optional symbol with a struct by value binds, with the others", () => {
  const c = dlopen(path, {
    one_negate: { args: [One], returns: One, optional: true },
    nested_check: { args: [Nested], returns: i64, optional: true },
    // A plain symbol in the same table still binds and calls.
    add_one: { args: [i32], returns: i32 },
  }).symbols;
  assert.deepEqual(c.one_negate!({ c: 5 }), { c: -5 });
  assert.equal(c.nested_check!({ v: { x: 0, y: 0, z: 1 }, n: 1 }), 100001n);
  assert.equal(c.add_one(41), 42);
});

test("callbacks receive and return structs by value", () => {
  const callbacks = {
    tagged: { args: [Tagged, i32], returns: f64 },
    vec3: { args: [f32], returns: Vec3 },
    big: { args: [Big], returns: Big },
  } as const;
  const c = dlopen(path, {
    apply_tagged: { args: [functionPointer, i32], returns: f64 },
    apply_vec3: { args: [functionPointer, f32], returns: Vec3 },
    apply_big: { args: [functionPointer, i64], returns: i64 },
  }).symbols;
  const seen: unknown[] = [];
  using tagged = callback(callbacks.tagged, (t, k) => {
    seen.push(t);
    return t.tag * k + t.value;
  });
  assert.equal(c.apply_tagged(tagged, 3), 21.5);
  assert.deepEqual(seen, [{ tag: 7, value: 0.5 }]);
  using vec3 = callback(callbacks.vec3, (k) => ({ x: k, y: -k, z: 2 * k }));
  assert.deepEqual(c.apply_vec3(vec3, 1.5), { x: 1.5, y: -1.5, z: 4 });
  // A 24-byte struct travels in memory both ways; the callback may return the struct's bytes too.
  using big = callback(callbacks.big, (b) => Big.encode({ a: b.c, b: b.b, c: b.a }));
  assert.equal(c.apply_big(big, 10n), 30n - 20n + 10n);
});

test("a callback returning a struct that throws gives C zeros, and the error is not lost", async () => {
  const c = dlopen(path, { apply_vec3: { args: [functionPointer, f32], returns: Vec3 } }).symbols;
  using failing = callback({ args: [f32], returns: Vec3 }, () => {
    throw new Error("boom");
  });
  if (ffiRuntime.runtime === "bun") {
    // Bun throws it from the foreign call, as for any result.
    assert.throws(() => c.apply_vec3(failing, 1), { message: "boom" });
    return;
  }
  // Deno 2.9 panics when such a callback throws; the toolkit gives C zeros and throws it once JavaScript has
  // control again, where the "error" event sees it.
  const seen: unknown[] = [];
  const listener = (event: ErrorEvent) => {
    seen.push(event.error);
    event.preventDefault();
  };
  addEventListener("error", listener);
  try {
    assert.deepEqual(c.apply_vec3(failing, 1), { x: 0, y: 0, z: 1 });
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    removeEventListener("error", listener);
  }
  assert.equal((seen[0] as Error | undefined)?.message, "boom");
});

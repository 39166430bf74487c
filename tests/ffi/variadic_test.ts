import assert from "node:assert/strict";
import { statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runC, test } from "../harness.ts";
import { callsFixturePath } from "./_calls_fixture.ts";
import {
  bool,
  buffer,
  cstring,
  dlopen,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  pointer,
  readCString,
  struct,
  u32,
  u8,
  usize,
} from "../../mod.ts";
import { backend } from "../../ffi/_backend.ts";

const fixture = {
  calls_al: { args: [i32], returns: i32, variadic: true },
  calls_va_doubles: { args: [i32], returns: f64, variadic: true },
  calls_va_longs: { args: [i32], returns: i64, variadic: true },
  calls_va_mix: { args: [buffer], returns: f64, variadic: true },
} as const;

const weighted = (values: number[]) => values.reduce((sum, v, i) => sum + v * (i + 1), 0);

test("a variadic call sets %al to the vector registers it uses (x86-64 System V)", () => {
  using lib = dlopen(callsFixturePath, fixture);
  for (let n = 0; n <= 10; n++) {
    const call = lib.symbols.calls_al.shape(...Array.from({ length: n }, () => f64));
    // Past the JIT's warm-up too: the fast path must set it as well.
    for (let round = 0; round < 2000; round++) {
      const al = call(0, ...Array.from({ length: n }, (_, i) => i + 0.5));
      if (al !== Math.min(n, 8)) assert.fail(`${n} doubles: %al was ${al}, round ${round}`);
    }
  }
}, {
  ignore: backend.arch !== "x86_64" || backend.os === "windows" ? "reads %al of x86-64 System V" : false,
});

test("a variadic function reads doubles first, and more than eight of them", () => {
  using lib = dlopen(callsFixturePath, fixture);
  for (const n of [1, 3, 8, 9, 12]) {
    const values = Array.from({ length: n }, (_, i) => i * 1.25 - 3.5);
    const types = values.map(() => f64);
    for (let round = 0; round < 1000; round++) {
      const sum = lib.symbols.calls_va_doubles(types, n, ...values);
      if (sum !== weighted(values)) assert.fail(`${n} doubles: got ${sum}, round ${round}`);
    }
  }
});

test("a variadic function reads integers past the sixth argument, from the stack", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const values = [1n, -2n, 3n, 2n ** 40n, -(2n ** 50n), 6n, 7n, 8n, -9n, 10n];
  const expected = values.reduce((sum, v, i) => sum + v * BigInt(i + 1), 0n);
  assert.equal(lib.symbols.calls_va_longs(values.map(() => i64), values.length, ...values), expected);
});

test("a variadic function reads a mix of integers, doubles, strings and pointers", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const spec = "dididldsdpdudidididd";
  const values: (number | bigint | Uint8Array | null)[] = [];
  const types = [];
  const expected: number[] = [];
  for (let i = 0; i < spec.length; i++) {
    switch (spec[i]) {
      case "d":
        types.push(f64), values.push(i + 0.25), expected.push(i + 0.25);
        break;
      case "i":
        types.push(i32), values.push(-i), expected.push(-i);
        break;
      case "u":
        types.push(u32), values.push(4000000000), expected.push(4000000000);
        break;
      case "l":
        types.push(i64), values.push(-(2n ** 40n)), expected.push(-(2 ** 40));
        break;
      case "s":
        types.push(buffer), values.push(cstring("hello")), expected.push(5);
        break;
      case "p":
        types.push(pointer), values.push(null), expected.push(0);
        break;
    }
  }
  const fn = lib.symbols.calls_va_mix.shape(...types);
  assert.equal(fn(cstring(spec), ...values as never[]), weighted(expected));
});

test("a variadic call applies C's default promotions: f32 to double, small integers and bool to int", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const mix = lib.symbols.calls_va_mix;
  assert.equal(mix([f32, f32], cstring("dd"), 1.5, -0.25), 1.5 - 0.5);
  assert.equal(mix([i8, u8, i16, bool], cstring("iiii"), -5, 200, -30000, true), -5 + 400 - 90000 + 4);
  // A value is checked against the type it was declared with, not the int it travels as.
  assert.throws(() => mix([u8], cstring("i"), 300), {
    name: "RangeError",
    message: "Cannot pass argument 1 of calls_va_mix(): expected an integer from 0 to 255 (u8), got 300",
  });
});

test("snprintf() through a variadic symbol writes what C's own snprintf writes", () => {
  using libc = dlopen("libc.so.6", {
    snprintf: { args: [buffer, usize, buffer], returns: i32, variadic: true },
  });
  const c = runC(`#include <stdio.h>
int main(void) {
  char out[128];
  snprintf(out, sizeof out, "%f %d %s|%.3e %ld %c %u", 3.14159, -42, "text", 6.02e23, 1234567890123L, 'x', 4000000000u);
  fputs(out, stdout);
  return 0;
}`);
  const out = new Uint8Array(128);
  const shape = [f64, i32, buffer, f64, i64, i32, u32] as const;
  const n = libc.symbols.snprintf(
    shape,
    out,
    out.length,
    cstring("%f %d %s|%.3e %ld %c %u"),
    3.14159,
    -42,
    cstring("text"),
    6.02e23,
    1234567890123n,
    "x".charCodeAt(0),
    4000000000,
  );
  assert.equal(readCString(out), c);
  assert.equal(n, c.length);
});

test("open() takes its mode as a variadic argument", () => {
  using libc = dlopen("libc.so.6", {
    open: { args: [buffer, i32], returns: i32, variadic: true, fails: -1 },
    close: { args: [i32], returns: i32 },
  });
  const path = join(tmpdir(), `ffikit-variadic-${Date.now()}-${Math.random()}`);
  const O_WRONLY = 1, O_CREAT = 0o100, O_EXCL = 0o200;
  const fd = libc.symbols.open([u32], cstring(path), O_WRONLY | O_CREAT | O_EXCL, 0o600);
  libc.symbols.close(fd);
  try {
    assert.equal(statSync(path).mode & 0o777, 0o600);
  } finally {
    unlinkSync(path);
  }
});

test("a variadic function binds each shape once, and the per-call form finds it", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const a = lib.symbols.calls_va_doubles.shape(f64, f64);
  assert.equal(lib.symbols.calls_va_doubles.shape(f64, f64), a);
  assert.equal(a(2, 1, 2), 5);
  const types = [f64, f64] as const;
  assert.equal(lib.symbols.calls_va_doubles(types, 2, 1, 2), 5);
  assert.equal(lib.symbols.calls_va_doubles([], 0), 0);
});

test("a variadic call with missing or wrong extra types is a named error", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const doubles = lib.symbols.calls_va_doubles as unknown as (...args: unknown[]) => unknown;
  assert.throws(() => doubles([f64], 2, 1.5, 2.5), {
    name: "TypeError",
    message:
      "Cannot call calls_va_doubles(): 1 fixed and 1 extra argument types declare 2 arguments, got 3; " +
      "give the type of each extra argument",
  });
  assert.throws(() => doubles(1, 1.5), {
    name: "TypeError",
    message: /takes the types of its extra arguments first, as an array \(\[\] for none\), got a number/,
  });
  assert.throws(() => doubles([struct({ a: i32 })], 1, { a: 1 }), {
    name: "TypeError",
    message: /extra argument 0 of calls_va_doubles\(\) cannot be declared as struct/,
  });
  assert.throws(() => doubles(["f64"], 1, 1.5), { name: "TypeError", message: /must be a type such as i32/ });
  assert.throws(() => doubles([f64], 1, "1.5"), {
    name: "TypeError",
    message: 'Cannot pass argument 1 of calls_va_doubles(): expected a number (f64), got "1.5"',
  });
  assert.throws(
    () => dlopen(callsFixturePath, { calls_va_doubles: { args: [i32], returns: f64, variadic: 1 } } as never),
    {
      name: "TypeError",
      message: /"variadic" must be a boolean/,
    },
  );
});

test("a variadic function taken out of a closed library binds no new shape", () => {
  const lib = dlopen(callsFixturePath, fixture);
  const doubles = lib.symbols.calls_va_doubles;
  const one = doubles.shape(f64);
  lib.close();
  assert.equal(one(1, 2.5), 2.5);
  assert.throws(() => doubles.shape(f64, f64), { name: "ClosedError" });
});

test("a variadic symbol's types follow its fixed part and the extra types", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const two = lib.symbols.calls_va_doubles.shape(f64, f64);
  const sum: number = two(2, 1, 2);
  assert.equal(sum, 5);
  // @ts-expect-error: a string is no f64
  assert.throws(() => two(2, 1, "2"), TypeError);
  // @ts-expect-error: the extra types declare two arguments more
  assert.throws(() => lib.symbols.calls_va_doubles([f64, f64], 2, 1), TypeError);
});

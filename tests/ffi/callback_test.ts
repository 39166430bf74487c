import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import {
  alloc,
  buffer,
  callback,
  dlopen,
  functionPointer,
  i32,
  pointer,
  pointerEquals,
  size_t,
  u64,
  unsafeOffsetPointer,
  unsafeRead,
  void_,
} from "../../mod.ts";

test("callback() sorts with qsort and a JavaScript comparator", () => {
  using libc = dlopen("libc.so.6", {
    qsort: { args: [buffer, size_t, size_t, functionPointer], returns: void_ },
  });
  const values = Int32Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000 - 500);
  let calls = 0;
  using compare = callback({ args: [pointer, pointer], returns: i32 }, (a, b) => {
    calls++;
    return unsafeRead(a!, i32) - unsafeRead(b!, i32);
  });
  libc.symbols.qsort(values, values.length, 4, compare);
  const expected = [...values].sort((a, b) => a - b);
  assert.deepEqual([...values], expected);
  assert.ok(calls > values.length, `${calls} comparisons`);
});

test("callback() passes integers, BigInts and pointers both ways", () => {
  using lib = openFixture();
  using double = callback({ args: [i32], returns: i32 }, (x) => x * 2);
  assert.equal(lib.symbols.apply_twice(double, 5), 20);
  using increment = callback({ args: [u64], returns: u64 }, (x) => x + 1n);
  assert.equal(lib.symbols.apply_u64(increment, 2n ** 40n), 2n ** 40n + 1n);
  using memory = alloc(8);
  using bump = callback({ args: [pointer], returns: pointer }, (p) => unsafeOffsetPointer(p!, 3));
  const bumped = lib.symbols.apply_ptr(bump, memory.pointer);
  assert.equal(pointerEquals(bumped, unsafeOffsetPointer(memory.pointer, 3)), true);
  using identity = callback({ args: [pointer], returns: pointer }, (p) => p);
  assert.equal(lib.symbols.apply_ptr(identity, null), null);
});

test("Callback.close() releases it, and its pointer is refused afterwards", () => {
  const square = callback({ args: [i32], returns: i32 }, (x) => x * x);
  using lib = openFixture();
  assert.equal(lib.symbols.apply_twice(square, 3), 81);
  square.close();
  assert.equal(square.closed, true);
  assert.throws(() => lib.symbols.apply_twice(square, 3), /Cannot take the pointer of a closed callback/);
  square.close();
});

test("callback() refuses a non-function and a buffer parameter", () => {
  assert.throws(() => callback({ args: [], returns: i32 }, 5 as never), /expected a function/);
  assert.throws(
    () => callback({ args: [buffer as never], returns: i32 }, () => 0),
    /Cannot declare argument 0/,
  );
});

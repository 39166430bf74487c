import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { collectUntil, needsCollection, openFixture } from "./_fixture.ts";
import { runChild, toolkitUrl } from "./_child.ts";
import {
  alloc,
  buffer,
  callback,
  ClosedError,
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
  assert.throws(() => lib.symbols.apply_twice(square, 3), {
    name: "ClosedError",
    message: "Cannot take the pointer of a callback: the callback is closed",
    action: "take the pointer of a callback",
    resource: "the callback",
  });
  square.close();
});

test("a callback's pointer taken before close() is refused afterwards, not called into a released trampoline", () => {
  const square = callback({ args: [i32], returns: i32 }, (x) => x * x);
  const stale = square.pointer;
  square.close();
  using lib = openFixture();
  // Deno crashed with SIGSEGV here.
  assert.throws(() => lib.symbols.apply_twice(stale, 3), {
    name: "ClosedError",
    message: "Cannot use argument 0 of apply_twice(): the pointer's callback is closed",
  });
  assert.throws(() => unsafeRead(stale, i32), ClosedError);
});

test("a pointer derived from a callback's pointer is refused once the callback is closed", () => {
  const square = callback({ args: [i32], returns: i32 }, (x) => x * x);
  const derived = unsafeOffsetPointer(square.pointer, 0);
  using lib = openFixture();
  assert.equal(lib.symbols.apply_twice(derived, 2), 16);
  square.close();
  assert.throws(() => lib.symbols.apply_twice(derived, 3), {
    name: "ClosedError",
    message: "Cannot use argument 0 of apply_twice(): the pointer's callback is closed",
  });
});

test("a callback that closes itself while C calls it is released once that call returns", () => {
  // In a child process: releasing the trampoline while C was in it crashed Deno.
  const script = `
    import { callback, dlopen, buffer, functionPointer, i32, pointer, usize, void_, unsafeRead } from "${toolkitUrl}";
    const libc = dlopen("libc.so.6", { qsort: { args: [buffer, usize, usize, functionPointer], returns: void_ } });
    let calls = 0;
    const compare = callback({ args: [pointer, pointer], returns: i32 }, (a, b) => {
      calls++;
      compare.close();
      return unsafeRead(a, i32) - unsafeRead(b, i32);
    });
    const values = new Int32Array([5, 4, 3, 2, 1, 9, 8]);
    libc.symbols.qsort(values, 7n, 4n, compare);
    let refused = "";
    try { libc.symbols.qsort(values, 7n, 4n, compare); } catch (error) { refused = error.name; }
    await Promise.resolve();
    console.log(JSON.stringify({ calls, values: [...values], closed: compare.closed, refused }));
  `;
  const output = runChild(script);
  const result = JSON.parse(output);
  assert.ok(result.calls > 1, "C kept calling it during the same qsort");
  assert.deepEqual(result.values, [1, 2, 3, 4, 5, 8, 9]);
  assert.equal(result.closed, true);
  assert.equal(result.refused, "ClosedError");
});

test("callback() refuses a non-function and a buffer parameter", () => {
  assert.throws(() => callback({ args: [], returns: i32 }, 5 as never), /expected a function/);
  assert.throws(
    () => callback({ args: [buffer as never], returns: i32 }, () => 0),
    /Cannot declare argument 0/,
  );
});

test(
  "callback() lives until close(): C calls a stored callback after JavaScript dropped it and GC ran",
  async () => {
    using lib = openFixture();
    let collected = false;
    const watch = new FinalizationRegistry(() => collected = true);
    (() => {
      // Registered with C, never closed, and no JavaScript reference kept: a signal handler's shape.
      const handler = callback({ args: [i32], returns: i32 }, (x) => x * 3 + 1);
      lib.symbols.store_callback(handler);
      watch.register(handler, "handler");
    })();
    assert.equal(await collectUntil(() => collected), true, "the Callback object was collected");
    assert.equal(lib.symbols.call_stored(5), 16);
    assert.equal(lib.symbols.call_stored(-1), -2);
    lib.symbols.store_callback(null);
  },
  { ignore: needsCollection },
);

test("callback() refuses a malformed definition with an error that names the mistake", () => {
  const fn = () => 0;
  for (const definition of [{ args: i32, returns: i32 }, { args: [i32] }, null]) {
    assert.throws(
      () => callback(definition as never, fn),
      {
        name: "TypeError",
        message: "Cannot create a callback: expected a definition { args: [...], returns: type }",
      },
    );
  }
  assert.throws(
    () =>
      callback({ args: [undefined], returns: i32 } as never, function compare() {
        return 0;
      }),
    {
      name: "TypeError",
      message: "Cannot declare argument 0 of callback compare(): expected a type such as i32, got undefined",
    },
  );
  assert.throws(
    () => callback({ args: [], returns: i32, threadsafe: true } as never, fn),
    /unknown key "threadsafe" in its definition; the keys are args, returns/,
  );
});

test("callback() checks what the function returns: C gets 0 and the call throws, naming the callback", () => {
  using lib = openFixture();
  const cases: [unknown, string][] = [
    [
      "abc",
      'TypeError: Cannot return "abc" from callback give(), declared to return i32: expected an integer',
    ],
    [2 ** 32 + 7, "RangeError: Cannot return 4294967303 from callback give()"],
    [1.5, "RangeError: Cannot return 1.5 from callback give()"],
    [undefined, "TypeError: Cannot return undefined from callback give()"],
  ];
  for (const [value, message] of cases) {
    using give = callback({ args: [i32], returns: i32 }, function give() {
      return value as number;
    });
    assert.throws(() => lib.symbols.apply_recorded(give, 1), (error: unknown) => {
      assert.ok(String(error).startsWith(message), String(error));
      return true;
    });
    assert.equal(lib.symbols.last_returned(), 0, `C got 0 for ${String(value)}`);
  }
  using wide = callback({ args: [u64], returns: u64 }, () => 1.5 as never);
  assert.throws(
    () => lib.symbols.apply_u64(wide, 1n),
    /RangeError: Cannot return 1.5 from a callback, declared to return u64: expected a BigInt or integer from 0/,
  );
  using notPointer = callback({ args: [pointer], returns: pointer }, () => 5 as never);
  assert.throws(
    () => lib.symbols.apply_ptr(notPointer, null),
    /TypeError: Cannot return 5 from a callback, declared to return pointer: expected a Pointer or null/,
  );
  using fine = callback({ args: [u64], returns: u64 }, () => 7);
  assert.equal(lib.symbols.apply_u64(fine, 1n), 7n, "a number is accepted for a 64-bit result");
});

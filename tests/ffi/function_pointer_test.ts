import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { callsFixturePath } from "./_calls_fixture.ts";
import {
  buffer,
  callback,
  ClosedError,
  cstring,
  dlopen,
  Errno,
  f64,
  i32,
  i64,
  pointer,
  readCString,
  struct,
  SyscallError,
  unsafeFunctionFromPointer,
  unsafeOffsetPointer,
  unsafePointerFromAddress,
  usize,
} from "../../mod.ts";

// void *dlsym(void *handle, const char *symbol), with RTLD_DEFAULT (NULL) as the handle.
function dlsymDefault(name: string) {
  using libc = dlopen("libc.so.6", { dlsym: { args: [pointer, buffer], returns: pointer } });
  const found = libc.symbols.dlsym(null, cstring(name));
  assert.ok(found !== null, `dlsym found no ${name}`);
  return found;
}

test("unsafeFunctionFromPointer() calls what dlsym() returns, as the symbol does", () => {
  const abs = unsafeFunctionFromPointer(dlsymDefault("abs"), { args: [i32], returns: i32 });
  using libc = dlopen("libc.so.6", { abs: { args: [i32], returns: i32 } });
  for (const x of [-5, 0, 7, -2147483647]) assert.equal(abs(x), libc.symbols.abs(x));
  assert.equal(abs(-5), 5);
});

test("unsafeFunctionFromPointer() checks arguments as a symbol does, and takes numbers for 64-bit integers", () => {
  const abs = unsafeFunctionFromPointer(dlsymDefault("abs"), { args: [i32], returns: i32 });
  assert.throws(() => abs(1.5), { name: "RangeError", message: /argument 0 of function pointer\(\)/ });
  assert.throws(() => (abs as (...a: unknown[]) => unknown)(1, 2), {
    name: "TypeError",
    message: "Cannot call function pointer(): expected 1 argument, got 2",
  });
  const labs = unsafeFunctionFromPointer(dlsymDefault("labs"), { args: [i64], returns: i64 });
  assert.equal(labs(-5), 5n);
  assert.equal(labs(-(2n ** 62n)), 2n ** 62n);
});

test("unsafeFunctionFromPointer() captures errno and checks fails", () => {
  const close = unsafeFunctionFromPointer(dlsymDefault("close"), { args: [i32], returns: i32, fails: -1 });
  assert.throws(() => close(-1), (error) => error instanceof SyscallError && error.errno === Errno.EBADF);
  const withErrno = unsafeFunctionFromPointer(dlsymDefault("close"), {
    args: [i32],
    returns: i32,
    errno: true,
  });
  assert.deepEqual(withErrno(-1), { value: -1, errno: Errno.EBADF });
});

test("unsafeFunctionFromPointer() calls a function no library exports", () => {
  using lib = dlopen(callsFixturePath, { calls_hidden_function: { args: [], returns: pointer } });
  const triple = unsafeFunctionFromPointer(lib.symbols.calls_hidden_function()!, {
    args: [i32],
    returns: i32,
  });
  assert.equal(triple(14), 42);
  assert.equal(triple(-3), -9);
});

test("unsafeFunctionFromPointer() calls a JavaScript callback through its pointer, until it is closed", () => {
  const cb = callback({ args: [i32, f64], returns: f64 }, (a, b) => a * b);
  const fn = unsafeFunctionFromPointer(cb.pointer, { args: [i32, f64], returns: f64 });
  assert.equal(fn(6, 7.5), 45);
  cb.close();
  assert.throws(() => fn(6, 7.5), ClosedError);
  assert.throws(() => unsafeFunctionFromPointer(cb.pointer, { args: [i32, f64], returns: f64 }), ClosedError);
});

test("a function made from a pointer derived from a callback's is refused once the callback is closed", () => {
  const cb = callback({ args: [i32, f64], returns: f64 }, (a, b) => a * b);
  const fn = unsafeFunctionFromPointer(unsafeOffsetPointer(cb.pointer, 0), {
    args: [i32, f64],
    returns: f64,
  });
  assert.equal(fn(6, 7.5), 45);
  cb.close();
  assert.throws(() => fn(6, 7.5), ClosedError);
});

test("unsafeFunctionFromPointer() refuses null and what is no pointer, naming it", () => {
  assert.throws(() => unsafeFunctionFromPointer(null!, { args: [], returns: i32 }), {
    name: "TypeError",
    message: "Cannot call a function pointer: it is null",
  });
  assert.throws(() => unsafeFunctionFromPointer(unsafePointerFromAddress(0n)!, { args: [], returns: i32 }), {
    name: "TypeError",
    message: "Cannot call a function pointer: it is null",
  });
  assert.throws(
    () =>
      unsafeFunctionFromPointer(12345 as unknown as ReturnType<typeof dlsymDefault>, {
        args: [],
        returns: i32,
      }),
    { name: "TypeError", message: "Cannot call a function pointer: expected a Pointer, got a number" },
  );
  const abs = dlsymDefault("abs");
  assert.throws(
    () => unsafeFunctionFromPointer(abs, { args: [i32], returns: i32, symbol: "abs" } as never),
    { name: "TypeError", message: /"symbol" belongs to a library's symbols/ },
  );
  assert.throws(() => unsafeFunctionFromPointer(abs, { args: [i32], returns: i32, fail: -1 } as never), {
    name: "TypeError",
    message: /unknown key "fail"/,
  });
});

test("unsafeFunctionFromPointer() calls a variadic function: snprintf through dlsym", () => {
  const snprintf = unsafeFunctionFromPointer(dlsymDefault("snprintf"), {
    args: [buffer, usize, buffer],
    returns: i32,
    variadic: true,
  });
  const out = new Uint8Array(64);
  const n = snprintf([i32, f64], out, out.length, cstring("%d|%.2f"), 42, 2.5);
  assert.equal(readCString(out), "42|2.50");
  assert.equal(n, 7);
});

test("a function pointer from a library's variable entry is refused after close()", () => {
  const lib = dlopen(callsFixturePath, { add: { variable: true, symbol: "calls_add" } });
  const add = unsafeFunctionFromPointer(lib.symbols.add, { args: [i32, i32], returns: i32 });
  assert.equal(add(40, 2), 42);
  lib.close();
  assert.throws(() => add(40, 2), ClosedError);
});

test("unsafeFunctionFromPointer() passes and returns structs by value (div)", () => {
  const div_t = struct({ quot: i32, rem: i32 });
  const div = unsafeFunctionFromPointer(dlsymDefault("div"), { args: [i32, i32], returns: div_t });
  assert.deepEqual(div(17, 5), { quot: 3, rem: 2 });
});

test("unsafeFunctionFromPointer() types its function from the definition", () => {
  const abs = unsafeFunctionFromPointer(dlsymDefault("abs"), { args: [i32], returns: i32 });
  const n: number = abs(-1);
  assert.equal(n, 1);
  // @ts-expect-error: a string is no i32
  assert.throws(() => abs("1"), TypeError);
  const close = unsafeFunctionFromPointer(dlsymDefault("close"), { args: [i32], returns: i32, errno: true });
  const result: { value: number; errno: number } = close(-1);
  assert.equal(result.errno, Errno.EBADF);
});

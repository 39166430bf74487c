/**
 * Bun's own FFI tests (oven-sh/bun test/js/bun/ffi/ffi.test.js, its fixture ffi-test.c, and cc.test.ts), each
 * case written again as a ffikit case over tests/fixtures/peer_cases.c, with one symbol table for Deno and Bun.
 * A case ffikit cannot express is kept, skipped and counted with its reason.
 *
 * @module
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { runtime } from "../../harness.ts";
import {
  alloc,
  bool,
  buffer,
  callback,
  char,
  cstring,
  dlopen,
  f32,
  f64,
  functionPointer,
  i16,
  i32,
  i64,
  i8,
  int,
  LibraryNotFoundError,
  pointer,
  pointerEquals,
  readCString,
  type Scalar,
  size_t,
  threadedCallback,
  u16,
  u32,
  u64,
  u8,
  unsafeFunctionFromPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
  unsafeRead,
  unsafeReadBytes,
  usize,
  void_,
} from "../../../mod.ts";
import { peerCasesPath, PeerTally } from "./_peer_cases.ts";

const symbols = {
  returns_true: { args: [], returns: bool },
  returns_false: { args: [], returns: bool },
  returns_42_char: { args: [], returns: char },
  returns_42_float: { args: [], returns: f32 },
  returns_42_double: { args: [], returns: f64 },
  returns_42_uint8_t: { args: [], returns: u8 },
  returns_neg_42_int8_t: { args: [], returns: i8 },
  returns_42_uint16_t: { args: [], returns: u16 },
  returns_neg_42_int16_t: { args: [], returns: i16 },
  returns_42_uint32_t: { args: [], returns: u32 },
  returns_neg_42_int32_t: { args: [], returns: i32 },
  returns_42_uint64_t: { args: [], returns: u64 },
  returns_neg_42_int64_t: { args: [], returns: i64 },
  identity_char: { args: [char], returns: char },
  identity_bool: { args: [bool], returns: bool },
  identity_float: { args: [f32], returns: f32 },
  identity_double: { args: [f64], returns: f64 },
  identity_int8_t: { args: [i8], returns: i8 },
  identity_int16_t: { args: [i16], returns: i16 },
  identity_int32_t: { args: [i32], returns: i32 },
  identity_int64_t: { args: [i64], returns: i64 },
  identity_uint8_t: { args: [u8], returns: u8 },
  identity_uint16_t: { args: [u16], returns: u16 },
  identity_uint32_t: { args: [u32], returns: u32 },
  identity_uint64_t: { args: [u64], returns: u64 },
  identity_ptr: { args: [pointer], returns: pointer },
  add_char: { args: [char, char], returns: char },
  add_float: { args: [f32, f32], returns: f32 },
  add_double: { args: [f64, f64], returns: f64 },
  add_int8_t: { args: [i8, i8], returns: i8 },
  add_int16_t: { args: [i16, i16], returns: i16 },
  add_int32_t: { args: [i32, i32], returns: i32 },
  add_int64_t: { args: [i64, i64], returns: i64 },
  add_uint8_t: { args: [u8, u8], returns: u8 },
  add_uint16_t: { args: [u16, u16], returns: u16 },
  add_uint32_t: { args: [u32, u32], returns: u32 },
  add_uint64_t: { args: [u64, u64], returns: u64 },
  is_null: { args: [pointer], returns: bool }, // bool is_null(void *)
  ptr_should_point_to_42_as_int32_t: { args: [], returns: pointer },
  does_pointer_equal_42_as_int32_t: { args: [pointer], returns: bool },
  return_a_function_ptr_to_function_that_returns_true: { args: [], returns: pointer },
  cb_identity_bool: { args: [functionPointer], returns: bool }, // bool cb_identity_bool(bool (*)(void))
  cb_identity_char: { args: [functionPointer], returns: char },
  cb_identity_float: { args: [functionPointer], returns: f32 },
  cb_identity_double: { args: [functionPointer], returns: f64 },
  cb_identity_uint8_t: { args: [functionPointer], returns: u8 },
  cb_identity_int8_t: { args: [functionPointer], returns: i8 },
  cb_identity_uint16_t: { args: [functionPointer], returns: u16 },
  cb_identity_int16_t: { args: [functionPointer], returns: i16 },
  cb_identity_uint32_t: { args: [functionPointer], returns: u32 },
  cb_identity_int32_t: { args: [functionPointer], returns: i32 },
  cb_identity_uint64_t: { args: [functionPointer], returns: u64 },
  cb_identity_int64_t: { args: [functionPointer], returns: i64 },
  get_deallocator_callback: { args: [], returns: pointer },
  get_deallocator_called_count: { args: [], returns: int },
  get_deallocator_buffer: { args: [], returns: pointer },
  // int call_on_thread_T(void (*)(T), T): joins its thread, so it must not block the JavaScript thread
  call_on_thread_int8_t: { args: [functionPointer, i8], returns: int, nonblocking: true },
  call_on_thread_int16_t: { args: [functionPointer, i16], returns: int, nonblocking: true },
  call_on_thread_int32_t: { args: [functionPointer, i32], returns: int, nonblocking: true },
  call_on_thread_int64_t: { args: [functionPointer, i64], returns: int, nonblocking: true },
  call_on_thread_uint8_t: { args: [functionPointer, u8], returns: int, nonblocking: true },
  call_on_thread_uint16_t: { args: [functionPointer, u16], returns: int, nonblocking: true },
  call_on_thread_uint32_t: { args: [functionPointer, u32], returns: int, nonblocking: true },
  call_on_thread_uint64_t: { args: [functionPointer, u64], returns: int, nonblocking: true },
  call_on_thread_float: { args: [functionPointer, f32], returns: int, nonblocking: true },
  call_on_thread_double: { args: [functionPointer, f64], returns: int, nonblocking: true },
  call_on_thread_ptr: { args: [functionPointer, pointer], returns: int, nonblocking: true },
} as const;

const lib = dlopen(peerCasesPath, symbols);
const s = lib.symbols;
const bun = new PeerTally("bun");

// ffi.test.js "ffi print": viewSource() prints the C bun:ffi generates for a signature.
bun.notExpressible(
  "ffi.test.js: ffi print (viewSource)",
  "ffikit generates no C source to show for a signature",
);

// ffi.test.js "primitives": returns_*(), one row each.
const returns: [string, () => unknown, unknown][] = [
  ["returns_true", s.returns_true, true],
  ["returns_false", s.returns_false, false],
  ["returns_42_char", s.returns_42_char, 42],
  ["returns_42_float", s.returns_42_float, Math.fround(42.42)],
  ["returns_42_double", s.returns_42_double, 42.42],
  ["returns_42_uint8_t", s.returns_42_uint8_t, 42],
  ["returns_neg_42_int8_t", s.returns_neg_42_int8_t, -42],
  ["returns_42_uint16_t", s.returns_42_uint16_t, 42],
  ["returns_neg_42_int16_t", s.returns_neg_42_int16_t, -42],
  ["returns_42_uint32_t", s.returns_42_uint32_t, 42],
  ["returns_neg_42_int32_t", s.returns_neg_42_int32_t, -42],
  ["returns_42_uint64_t", s.returns_42_uint64_t, 42n],
  ["returns_neg_42_int64_t", s.returns_neg_42_int64_t, -42n],
];
for (const [name, fn, expected] of returns) {
  bun.case(`ffi.test.js primitives: ${name}()`, () => assert.equal(fn(), expected));
}

// ffi.test.js "primitives": identity_*(x) and add_*(a, b).
const identities: [string, (x: never) => unknown, unknown[]][] = [
  ["identity_char", s.identity_char, [10, -128, 127]],
  ["identity_bool", s.identity_bool, [true, false]],
  ["identity_float", s.identity_float, [10.199999809265137, -0, Math.fround(3.4e38)]],
  ["identity_double", s.identity_double, [10.100000000000364, Number.MAX_VALUE, -Number.MIN_VALUE]],
  ["identity_int8_t", s.identity_int8_t, [10]],
  ["identity_int16_t", s.identity_int16_t, [10]],
  ["identity_int32_t", s.identity_int32_t, [10]],
  ["identity_int64_t", s.identity_int64_t, [10n, -1n, -2n]],
  ["identity_uint8_t", s.identity_uint8_t, [10]],
  ["identity_uint16_t", s.identity_uint16_t, [10]],
  ["identity_uint32_t", s.identity_uint32_t, [10]],
  ["identity_uint64_t", s.identity_uint64_t, [0n, 100n, 2n ** 64n - 1n, 2n ** 64n - 2n]],
];
for (const [name, fn, values] of identities) {
  bun.case(`ffi.test.js primitives: ${name}()`, () => {
    for (const value of values) assert.equal(fn(value as never), value, `${name}(${value})`);
  });
}
bun.case("ffi.test.js primitives: identity_uint64_t() takes a number and gives a bigint", () => {
  assert.equal(s.identity_uint64_t(100), 100n);
  assert.equal(s.identity_int64_t(10), 10n);
});

const adds: [string, (a: never, b: never) => unknown, unknown, unknown, unknown][] = [
  ["add_char", s.add_char, 1, 1, 2],
  ["add_float", s.add_float, 2.4, 2.8, Math.fround(Math.fround(2.4) + Math.fround(2.8))],
  ["add_double", s.add_double, 4.2, 0.1, 4.2 + 0.1],
  ["add_int8_t", s.add_int8_t, 1, 1, 2],
  ["add_int16_t", s.add_int16_t, 1, 1, 2],
  ["add_int32_t", s.add_int32_t, 1, 1, 2],
  ["add_int64_t", s.add_int64_t, 1n, 1n, 2n],
  ["add_uint8_t", s.add_uint8_t, 1, 1, 2],
  ["add_uint16_t", s.add_uint16_t, 1, 1, 2],
  ["add_uint32_t", s.add_uint32_t, 1, 1, 2],
  ["add_uint64_t (wraps)", s.add_uint64_t, 2n ** 64n - 1n, 1n, 0n],
  ["add_uint64_t (wraps to 10)", s.add_uint64_t, 2n ** 64n - 1n, 11n, 10n],
];
for (const [name, fn, a, b, expected] of adds) {
  bun.case(`ffi.test.js primitives: ${name}()`, () => assert.equal(fn(a as never, b as never), expected));
}
bun.case("ffi.test.js primitives: add_uint64_t(-x, x): a negative u64 argument is refused", () => {
  // Bun's test passes BigInt(-1) * max and expects the wrap-around; ffikit checks the range instead.
  assert.throws(() => s.add_uint64_t(-(2n ** 64n - 1n), 2n ** 64n - 1n), RangeError);
});

bun.case("ffi.test.js primitives: is_null(null)", () => {
  assert.equal(s.is_null(null), true);
  using memory = alloc(4);
  assert.equal(s.is_null(memory.pointer), false);
});
bun.case("ffi.test.js primitives: a pointer to 42, read, compared, passed back", () => {
  const cptr = s.ptr_should_point_to_42_as_int32_t()!;
  assert.notEqual(cptr, null);
  assert.equal(s.does_pointer_equal_42_as_int32_t(cptr), true);
  assert.equal(unsafeRead(cptr, i32), 42); // toBuffer(cptr, 0, 4).readInt32(0)
  assert.equal(new DataView(unsafeReadBytes(cptr, 4).buffer).getInt32(0, true), 42); // toArrayBuffer
  assert.equal(readCString(unsafeReadBytes(cptr, 1)), "*"); // new CString(cptr, 0, 1)
  assert.ok(pointerEquals(s.identity_ptr(cptr), cptr));
  using second = alloc(8);
  assert.ok(pointerEquals(s.identity_ptr(second.pointer), second.pointer));
});
bun.notExpressible(
  "ffi.test.js primitives: ptr(buffer) === cptr (the address of a JavaScript buffer as a value)",
  "ffikit never gives a JavaScript buffer's address as a value; a buffer is passed as a `buffer` argument",
);

// ffi.test.js "CFunction": a C function pointer made callable.
bun.case("ffi.test.js CFunction", () => {
  const fn = unsafeFunctionFromPointer(s.return_a_function_ptr_to_function_that_returns_true()!, {
    args: [],
    returns: bool,
  });
  assert.equal(fn(), true);
});

// ffi.test.js "JSCallback": a pointer while open, none after close().
bun.case("ffi.test.js JSCallback (close)", () => {
  const cb = callback({ args: [bool], returns: bool }, (x) => x);
  assert.notEqual(unsafePointerAddress(cb.pointer), 0n);
  cb.close();
  assert.equal(cb.closed, true);
  assert.throws(() => cb.pointer, { name: "ClosedError" });
});

// ffi.test.js "callbacks": fn(T) T and fn() T through a callback's own pointer (JSCallback → CFunction).
const typeMap: [string, Scalar, unknown][] = [
  ["int8_t", i8, -8],
  ["int16_t", i16, -16],
  ["int32_t", i32, -32],
  ["int64_t", i64, -64n],
  ["uint8_t", u8, 8],
  ["uint16_t", u16, 16],
  ["uint32_t", u32, 32],
  ["uint64_t", u64, 64n],
  ["float", f32, 32.5],
  ["double", f64, 64.5],
  ["ptr", pointer, 0xdeadbeefn],
  ["void*", pointer, null],
];
function asValue(type: Scalar, value: unknown): unknown {
  return type === pointer && typeof value === "bigint" ? unsafePointerFromAddress(value) : value;
}
function sameValue(type: Scalar, actual: unknown, expected: unknown): void {
  if (type === pointer) {
    assert.equal(actual === null ? null : unsafePointerAddress(actual as never), expected);
  } else assert.equal(actual, expected);
}
for (const [name, type, value] of typeMap) {
  bun.case(`ffi.test.js callbacks: fn(${name}) ${name}`, () => {
    using cb = callback({ args: [type], returns: type }, (x: unknown) => x as never);
    const fn = unsafeFunctionFromPointer(cb.pointer, { args: [type], returns: type });
    sameValue(type, fn(asValue(type, value) as never), value);
  });
  bun.case(`ffi.test.js callbacks: fn() ${name}`, () => {
    using cb = callback({ args: [], returns: type }, () => asValue(type, value) as never);
    const fn = unsafeFunctionFromPointer(cb.pointer, { args: [], returns: type });
    sameValue(type, fn(), value);
  });
}

// ffi.test.js "threadsafe callback": fn(T) from another thread (ffikit's threadedCallback(), called from a
// pthread of the fixture instead of from the JavaScript thread as Bun's test does).
const onThread: Record<string, (cb: never, v: never) => Promise<number>> = {
  int8_t: s.call_on_thread_int8_t,
  int16_t: s.call_on_thread_int16_t,
  int32_t: s.call_on_thread_int32_t,
  int64_t: s.call_on_thread_int64_t,
  uint8_t: s.call_on_thread_uint8_t,
  uint16_t: s.call_on_thread_uint16_t,
  uint32_t: s.call_on_thread_uint32_t,
  uint64_t: s.call_on_thread_uint64_t,
  float: s.call_on_thread_float,
  double: s.call_on_thread_double,
  ptr: s.call_on_thread_ptr,
  "void*": s.call_on_thread_ptr,
};
for (const [name, type, value] of typeMap) {
  const where = `ffi.test.js threadsafe callback: fn(${name}) ${name}`;
  if (runtime === "bun" && (type === i64 || type === u64)) {
    bun.notExpressible(
      where,
      "on Bun a thread-safe callback cannot take a 64-bit integer (Bun makes its BigInt on the calling thread)",
    );
    continue;
  }
  bun.case(where, async () => {
    const seen: unknown[] = [];
    using cb = threadedCallback({ args: [type], returns: void_ }, (x: unknown) => {
      seen.push(x);
    });
    assert.equal(await onThread[name]!(cb as never, asValue(type, value) as never), 0);
    for (let i = 0; i < 500 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    assert.equal(seen.length, 1);
    sameValue(type, seen[0], value);
  });
}

// ffi.test.js "integer identities work for all possible values": min, max, 0 and 32,768 steps between.
const sweeps: [string, (x: never) => unknown, bigint, bigint][] = [
  ["int8_t", s.identity_int8_t, -128n, 127n],
  ["int16_t", s.identity_int16_t, -32768n, 32767n],
  ["int32_t", s.identity_int32_t, -(2n ** 31n), 2n ** 31n - 1n],
  ["int64_t", s.identity_int64_t, -(2n ** 63n), 2n ** 63n - 1n],
  ["uint8_t", s.identity_uint8_t, 0n, 255n],
  ["uint16_t", s.identity_uint16_t, 0n, 65535n],
  ["uint32_t", s.identity_uint32_t, 0n, 2n ** 32n - 1n],
  ["uint64_t", s.identity_uint64_t, 0n, 2n ** 64n - 1n],
];
for (const [name, fn, min, max] of sweeps) {
  const wide = name.endsWith("64_t");
  bun.case(`ffi.test.js integer identities work for all possible values: ${name}`, () => {
    const step = (max - min) / 32768n || 1n;
    const check = (v: bigint) => assert.equal(fn((wide ? v : Number(v)) as never), wide ? v : Number(v));
    check(min);
    check(max);
    check(0n);
    for (let v = min; v <= max; v += step) check(v);
  });
}

// ffi.test.js "callbacks" via C: cb_identity_*(cb) calls a JavaScript callback from C (ffi-test.c).
const cbIdentities: [string, (cb: never) => unknown, Scalar, unknown][] = [
  ["cb_identity_true", s.cb_identity_bool, bool, true],
  ["cb_identity_false", s.cb_identity_bool, bool, false],
  ["cb_identity_42_char", s.cb_identity_char, char, 42],
  ["cb_identity_42_float", s.cb_identity_float, f32, Math.fround(42.42)],
  ["cb_identity_42_double", s.cb_identity_double, f64, 42.42],
  ["cb_identity_42_uint8_t", s.cb_identity_uint8_t, u8, 42],
  ["cb_identity_neg_42_int8_t", s.cb_identity_int8_t, i8, -42],
  ["cb_identity_42_uint16_t", s.cb_identity_uint16_t, u16, 42],
  ["cb_identity_neg_42_int16_t", s.cb_identity_int16_t, i16, -42],
  ["cb_identity_42_uint32_t", s.cb_identity_uint32_t, u32, 42],
  ["cb_identity_neg_42_int32_t", s.cb_identity_int32_t, i32, -42],
  ["cb_identity_42_uint64_t", s.cb_identity_uint64_t, u64, 42n],
  ["cb_identity_neg_42_int64_t", s.cb_identity_int64_t, i64, -42n],
];
for (const [name, fn, type, value] of cbIdentities) {
  bun.case(`ffi-test.c: ${name}`, () => {
    using cb = callback({ args: [], returns: type }, () => value as never);
    assert.equal(fn(cb as never), value);
  });
}

// ffi.test.js afterAll: toArrayBuffer(ptr, 0, len, deallocator) runs a native deallocator when collected.
bun.notExpressible(
  "ffi.test.js getDeallocatorCallback/getDeallocatorBuffer (toArrayBuffer with a native deallocator)",
  "ffikit makes no ArrayBuffer over foreign memory that runs a native deallocator when collected",
);
bun.case("ffi-test.c: the deallocator is a callable function pointer (called explicitly)", () => {
  const free = unsafeFunctionFromPointer(s.get_deallocator_callback()!, {
    args: [pointer, pointer],
    returns: void_,
  });
  const before = s.get_deallocator_called_count();
  const bytes = s.get_deallocator_buffer()!;
  assert.equal(readCString(unsafeReadBytes(bytes, 8)), "bun-ffi");
  free(bytes, null);
  assert.equal(s.get_deallocator_called_count(), before + 1);
});

// ffi.test.js "read": read.i8/i16/…/f64/ptr(addr, offset) against a DataView of the same bytes.
bun.case("ffi.test.js read", () => {
  using memory = alloc(128);
  const view = new DataView(memory.bytes.buffer, memory.bytes.byteOffset, 128);
  for (let i = 0; i < 16; i++) view.setBigInt64(i * 8, BigInt(i) * 0x0102030405060708n - 7n, true);
  for (let i = 0; i < 16; i++) {
    assert.equal(unsafeRead(memory.pointer, i64, i * 8), view.getBigInt64(i * 8, true));
    assert.equal(unsafeRead(memory.pointer, u64, i * 8), view.getBigUint64(i * 8, true));
    assert.equal(unsafeRead(memory.pointer, f64, i + 8), view.getFloat64(i + 8, true));
    const p = unsafeRead(memory.pointer, pointer, i * 8);
    assert.equal(p === null ? 0n : unsafePointerAddress(p), view.getBigUint64(i * 8, true));
  }
  for (let i = 0; i < 124; i++) {
    assert.equal(unsafeRead(memory.pointer, i8, i), view.getInt8(i));
    assert.equal(unsafeRead(memory.pointer, i16, i), view.getInt16(i, true));
    assert.equal(unsafeRead(memory.pointer, i32, i), view.getInt32(i, true));
    assert.equal(unsafeRead(memory.pointer, u8, i), view.getUint8(i));
    assert.equal(unsafeRead(memory.pointer, u16, i), view.getUint16(i, true));
    assert.equal(unsafeRead(memory.pointer, u32, i), view.getUint32(i, true));
    assert.ok(Object.is(unsafeRead(memory.pointer, f32, i), view.getFloat32(i, true)));
  }
});

// ffi.test.js "dlopen throws an error instead of returning it".
bun.case("ffi.test.js dlopen throws an error instead of returning it", () => {
  assert.throws(() => dlopen("nonexistent", { x: { args: [], returns: void_ } }), LibraryNotFoundError);
});

// ffi.test.js "can open more than 63 symbols via" URL, file: URL string, Bun.file, string.
const manyLibc = Object.fromEntries(
  Array.from({ length: 70 }, (_, i) => [`strlen_${i}`, { symbol: "strlen", args: [buffer], returns: usize }]),
);
const libcTable = {
  ...manyLibc,
  strcasecmp: { args: [buffer, buffer], returns: int },
  strlen: { args: [buffer], returns: size_t },
} as const;
for (const [how, path] of [["string", "libc.so.6"], ["URL", pathToFileURL(libcPath())]] as const) {
  bun.case(`ffi.test.js can open more than 63 symbols via ${how}`, () => {
    using libc = dlopen(path, libcTable);
    assert.equal(Object.keys(libc.symbols).length, 72);
    assert.equal(libc.symbols.strcasecmp(cstring("ciro"), cstring("CIRO")), 0);
    assert.equal(libc.symbols.strlen(cstring("bunbun")), 6n);
  });
}
bun.notExpressible(
  "ffi.test.js can open more than 63 symbols via file: URL string",
  "a path string is a path, as Deno reads it; pass a URL object",
);
bun.notExpressible(
  "ffi.test.js can open more than 63 symbols via Bun.file",
  "Bun.file is Bun's own; ffikit takes a path or URL on both runtimes",
);

function libcPath(): string {
  for (
    const p of ["/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6"]
  ) {
    try {
      dlopen(p, {}).close();
      return p;
    } catch { /* next */ }
  }
  return "/lib/x86_64-linux-gnu/libc.so.6";
}

// cc.test.ts: bun:ffi's cc() compiles C source with TinyCC and binds its symbols.
bun.notExpressible(
  "cc.test.ts: cc() compiles C source at run time",
  "ffikit binds compiled libraries; it exposes no C compiler",
);

bun.summary();

/**
 * Over 500 lines on purpose: one file per peer suite, so that each summary line counts one suite.
 *
 * Deno's own FFI tests (denoland/deno tests/ffi/: testdata/test.js over src/lib.rs, thread_safe_test.js,
 * nonblocking_buffer_gc_test.js, ffi_callback_errors.ts, event_loop_integration.ts, driven by
 * tests/integration_tests.rs), each case written again as a ffikit case over tests/fixtures/peer_cases.c, with
 * one symbol table for Deno and Bun. Where Deno's test prints and compares output, the fixture returns a value
 * that is checked instead. A case ffikit cannot express is kept, skipped and counted with its reason.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  alloc,
  array,
  bool,
  buffer,
  callback,
  dlopen,
  f32,
  f64,
  functionPointer,
  i16,
  i32,
  i64,
  i8,
  int,
  isize,
  LibraryNotFoundError,
  pointer,
  pointerEquals,
  readCString,
  struct,
  SymbolNotFoundError,
  threadedCallback,
  u16,
  u32,
  u64,
  u8,
  unsafeCopyFromPointer,
  unsafeFunctionFromPointer,
  unsafeOffsetPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
  unsafeRead,
  unsafeReadBytes,
  usize,
  void_,
} from "../../../mod.ts";
import { runtime } from "../../harness.ts";
import { peerCasesPath, PeerTally } from "./_peer_cases.ts";

// test.js: const Rect = ["f64", "f64", "f64", "f64"], RectNested, Mixed.
const Rect = struct({ x: f64, y: f64, w: f64, h: f64 });
const Point = struct({ x: f64, y: f64 });
const Size = struct({ w: f64, h: f64 });
const RectNested = struct({ p: Point, s: Size });
const Mixed = struct({ u8: u8, f32: f32, rect: Rect, usize: usize, arr: array(u32, 2) });
const Structure = struct({ data: u32 });

const symbols = {
  return_buffer: { args: [], returns: pointer }, // const uint8_t *return_buffer(void)
  is_null_ptr: { symbol: "is_null", args: [pointer], returns: bool },
  is_null_buf: { symbol: "is_null", args: [buffer], returns: bool },
  add_u32: { symbol: "add_uint32_t", args: [u32, u32], returns: u32 },
  add_i32: { symbol: "add_int32_t", args: [i32, i32], returns: i32 },
  add_u64: { symbol: "add_uint64_t", args: [u64, u64], returns: u64 },
  add_i64: { symbol: "add_int64_t", args: [i64, i64], returns: i64 },
  add_usize: { args: [usize, usize], returns: usize },
  add_isize: { args: [isize, isize], returns: isize },
  add_f32: { symbol: "add_float", args: [f32, f32], returns: f32 },
  add_f64: { symbol: "add_double", args: [f64, f64], returns: f64 },
  and: { symbol: "and_bool", args: [bool, bool], returns: bool },
  add_i32_nonblocking: { symbol: "add_int32_t", args: [i32, i32], returns: i32, nonblocking: true },
  add_u64_nonblocking: { symbol: "add_uint64_t", args: [u64, u64], returns: u64, nonblocking: true },
  add_i64_nonblocking: { symbol: "add_int64_t", args: [i64, i64], returns: i64, nonblocking: true },
  add_usize_nonblocking: { symbol: "add_usize", args: [usize, usize], returns: usize, nonblocking: true },
  add_isize_nonblocking: { symbol: "add_isize", args: [isize, isize], returns: isize, nonblocking: true },
  add_f32_nonblocking: { symbol: "add_float", args: [f32, f32], returns: f32, nonblocking: true },
  add_f64_nonblocking: { symbol: "add_double", args: [f64, f64], returns: f64, nonblocking: true },
  fill_buffer: { args: [u8, buffer, usize], returns: void_ },
  buffer_checksum: { args: [buffer, usize], returns: u32 },
  buffer_checksum_nonblocking: {
    symbol: "buffer_checksum",
    args: [buffer, usize],
    returns: u32,
    nonblocking: true,
  },
  sleep_blocking: { args: [u64], returns: void_ },
  sleep_nonblocking: { symbol: "sleep_blocking", args: [u64], returns: void_, nonblocking: true },
  get_add_u32_ptr: { args: [], returns: pointer },
  get_sleep_blocking_ptr: { args: [], returns: pointer },
  call_fn_ptr: { args: [functionPointer], returns: void_ },
  call_fn_ptr_many_parameters: { args: [functionPointer], returns: f64 },
  call_fn_ptr_return_u8: { args: [functionPointer], returns: u8 },
  call_fn_ptr_return_buffer: { args: [functionPointer], returns: pointer },
  store_function: { args: [functionPointer], returns: void_ },
  store_function_2: { args: [functionPointer], returns: void_ },
  call_stored_function: { args: [], returns: void_ },
  call_stored_function_2: { args: [u8], returns: u8 },
  call_nested: { args: [functionPointer, i32], returns: i32 },
  cast_u8_u32: { args: [u8], returns: u32 },
  cast_u32_u8: { args: [u32], returns: u8 },
  add_many_u16: { args: [u16, u16, u16, u16, u16, u16, u16, u16, u16, u16, u16, u16, u16], returns: u16 },
  static_u32: { variable: true, type: u32 },
  static_i64: { variable: true, type: i64 },
  static_ptr: { variable: true, type: Structure },
  static_char: { variable: true },
  read_static_ptr: { args: [], returns: u32 },
  make_rect: { args: [f64, f64, f64, f64], returns: Rect },
  print_rect: { symbol: "rect_area_sum", args: [Rect], returns: f64 },
  print_rect_nested: { symbol: "rect_nested_sum", args: [RectNested], returns: f64 },
  create_mixed: { args: [u8, f32, Rect, usize, buffer], returns: Mixed },
  print_mixed: { symbol: "sum_mixed", args: [Mixed], returns: f64 },
  call_rect_callback: { args: [functionPointer, Rect], returns: Rect },
  start_thread_calls: { args: [functionPointer, int], returns: int },
  join_thread: { args: [], returns: int, nonblocking: true },
  non_existent_symbol: { args: [], returns: void_, optional: true },
  non_existent_nonblocking_symbol: { args: [], returns: void_, nonblocking: true, optional: true },
  non_existent_static: { variable: true, type: u32, optional: true },
} as const;

const lib = dlopen(peerCasesPath, symbols);
const s = lib.symbols;
const deno = new PeerTally("deno");

// test.js: what dlopen refuses.
deno.case("test.js dlopen of a file that is no library throws (and does not panic)", () => {
  // With one symbol, as a real table has; Deno's own test passes an empty table (below).
  const notLibrary = new URL(import.meta.url).pathname;
  assert.throws(() => dlopen(notLibrary, { x: { args: [], returns: void_ } }), LibraryNotFoundError);
});
deno.case('test.js Deno.dlopen("cli/src/main.rs", {}) throws (an empty symbol table)', () => {
  const notLibrary = new URL(import.meta.url).pathname;
  assert.throws(() => dlopen(notLibrary, {}), LibraryNotFoundError);
});
deno.case("test.js dlopen with a missing symbol throws, naming it", () => {
  assert.throws(
    () => dlopen(peerCasesPath, { non_existent_symbol: { args: [], returns: void_ } }),
    (error: Error) => error instanceof SymbolNotFoundError && error.message.includes("non_existent_symbol"),
  );
});
deno.case("test.js a struct result of no fields is refused (TypeError)", () => {
  assert.throws(() => dlopen(peerCasesPath, { call_fn_ptr: { args: [], returns: struct({}) } }), TypeError);
});

// test.js: return_buffer() and UnsafePointerView.copyInto / getCString / getArrayBuffer.
deno.case("test.js return_buffer + copyInto(into, offset)", () => {
  const ptr0 = s.return_buffer()!;
  const into = new Uint8Array(6);
  unsafeCopyFromPointer(ptr0, into.length, { into });
  assert.deepEqual([...into], [1, 2, 3, 4, 5, 6]);
  const into2 = new Uint8Array(3);
  unsafeCopyFromPointer(ptr0, 3, { into: into2, byteOffset: 4 });
  assert.deepEqual([...into2], [5, 6, 7]);
  assert.deepEqual([...unsafeReadBytes(ptr0, 3, 2)], [3, 4, 5]); // copyInto(into3, 2)
  assert.deepEqual([...unsafeReadBytes(ptr0, 0)], []); // getArrayBuffer(ptr0, 0)
  assert.deepEqual([...unsafeReadBytes(ptr0, 1)], [1]);
});
deno.case("test.js UnsafePointerView.getCString(offset) of a JavaScript buffer", () => {
  const string = new TextEncoder().encode("Hello from pointer!\0");
  assert.equal(readCString(string), "Hello from pointer!");
  assert.equal(readCString(string, 11), "pointer!");
});
deno.case("test.js is_null_ptr(ptr0), is_null_ptr(null)", () => {
  assert.equal(s.is_null_ptr(s.return_buffer()), false);
  assert.equal(s.is_null_ptr(null), true);
});
deno.case("test.js is_null_buf(buffer), is_null_buf(emptyBuffer), is_null_buf(new Uint8Array())", () => {
  assert.equal(s.is_null_buf(new Uint8Array(6)), false);
  assert.equal(s.is_null_buf(new Uint8Array(0)), true);
  assert.equal(s.is_null_buf(new Uint8Array()), true);
});
deno.notExpressible(
  "test.js isNullBuffer(emptySlice) and isNullBuffer(externalZeroBuffer) are false",
  "behaves differently by design: ffikit passes every empty buffer as NULL (ffi/_buffer.ts), where Deno passes " +
    "the address one past the end of an empty subarray",
);
deno.notExpressible(
  "test.js is_null_ptr(Deno.UnsafePointer.of(new Uint8Array(0))) is true",
  "ffikit gives no JavaScript buffer's address as a value (UnsafePointer.of); a `buffer` argument is passed instead",
);
deno.case("test.js fill_buffer into a SharedArrayBuffer", () => {
  const sab = new Uint8Array(new SharedArrayBuffer(8));
  s.fill_buffer(3, sab, sab.length);
  assert.deepEqual([...sab], new Array(8).fill(3));
});
deno.case("test.js fill_buffer into a resizable ArrayBuffer", () => {
  const resizable = new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 }));
  s.fill_buffer(7, resizable, resizable.length);
  assert.deepEqual([...resizable], new Array(8).fill(7));
});

// test.js: UnsafeFnPointer.
deno.case("test.js UnsafeFnPointer(get_add_u32_ptr()).call(123, 456)", () => {
  const addU32 = unsafeFunctionFromPointer(s.get_add_u32_ptr()!, { args: [u32, u32], returns: u32 });
  assert.equal(addU32(123, 456), 579);
});
deno.notExpressible(
  "test.js UnsafeFnPointer(get_sleep_blocking_ptr(), { nonblocking: true })",
  "a function pointer cannot be non-blocking (the toolkit's thread pool reopens a function by its library)",
);

// test.js: the add_* calls, with their printed values as expectations.
const adds: [string, () => unknown, unknown][] = [
  ["add_u32(123, 456)", () => s.add_u32(123, 456), 579],
  ["add_i32(123, 456)", () => s.add_i32(123, 456), 579],
  ["add_u64(0xffffffffn, 0xffffffffn)", () => s.add_u64(0xffffffffn, 0xffffffffn), 8589934590n],
  ["add_i64(-0xffffffffn, -0xffffffffn)", () => s.add_i64(-0xffffffffn, -0xffffffffn), -8589934590n],
  ["add_usize(0xffffffffn, 0xffffffffn)", () => s.add_usize(0xffffffffn, 0xffffffffn), 8589934590n],
  ["add_isize(-0xffffffffn, -0xffffffffn)", () => s.add_isize(-0xffffffffn, -0xffffffffn), -8589934590n],
  ["add_u64(MAX_SAFE_INTEGER, 1)", () => s.add_u64(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n],
  ["add_i64(MAX_SAFE_INTEGER, 1)", () => s.add_i64(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n],
  ["add_i64(MIN_SAFE_INTEGER, -1)", () => s.add_i64(Number.MIN_SAFE_INTEGER, -1), -9007199254740992n],
  ["add_usize(MAX_SAFE_INTEGER, 1)", () => s.add_usize(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n],
  ["add_isize(MAX_SAFE_INTEGER, 1)", () => s.add_isize(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n],
  ["add_isize(MIN_SAFE_INTEGER, -1)", () => s.add_isize(Number.MIN_SAFE_INTEGER, -1), -9007199254740992n],
  [
    "add_f32(123.123, 456.789)",
    () => s.add_f32(123.123, 456.789),
    Math.fround(Math.fround(123.123) + Math.fround(456.789)),
  ],
  ["add_f64(123.123, 456.789)", () => s.add_f64(123.123, 456.789), 123.123 + 456.789],
  ["and(true, true)", () => s.and(true, true), true],
  ["and(true, false)", () => s.and(true, false), false],
  ["cast_u8_u32(255)", () => s.cast_u8_u32(255), 255],
  ["cast_u32_u8(0x1ff)", () => s.cast_u32_u8(0x1ff), 0xff],
  ["add_many_u16(0..12)", () => s.add_many_u16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), 78],
];
for (const [name, call, expected] of adds) deno.case(`test.js ${name}`, () => assert.equal(call(), expected));

// test.js: the *_nonblocking calls.
const nonblocking: [string, () => Promise<unknown>, unknown][] = [
  ["add_i32_nonblocking(123, 456)", () => s.add_i32_nonblocking(123, 456), 579],
  [
    "add_u64_nonblocking(0xffffffffn, 0xffffffffn)",
    () => s.add_u64_nonblocking(0xffffffffn, 0xffffffffn),
    8589934590n,
  ],
  [
    "add_i64_nonblocking(-0xffffffffn, -0xffffffffn)",
    () => s.add_i64_nonblocking(-0xffffffffn, -0xffffffffn),
    -8589934590n,
  ],
  [
    "add_usize_nonblocking(0xffffffffn, 0xffffffffn)",
    () => s.add_usize_nonblocking(0xffffffffn, 0xffffffffn),
    8589934590n,
  ],
  [
    "add_isize_nonblocking(-0xffffffffn, -0xffffffffn)",
    () => s.add_isize_nonblocking(-0xffffffffn, -0xffffffffn),
    -8589934590n,
  ],
  [
    "add_u64_nonblocking(MAX_SAFE_INTEGER, 1)",
    () => s.add_u64_nonblocking(Number.MAX_SAFE_INTEGER, 1),
    9007199254740992n,
  ],
  [
    "add_i64_nonblocking(MIN_SAFE_INTEGER, -1)",
    () => s.add_i64_nonblocking(Number.MIN_SAFE_INTEGER, -1),
    -9007199254740992n,
  ],
  [
    "add_f32_nonblocking(123.123, 456.789)",
    () => s.add_f32_nonblocking(123.123, 456.789),
    Math.fround(Math.fround(123.123) + Math.fround(456.789)),
  ],
  ["add_f64_nonblocking(123.123, 456.789)", () => s.add_f64_nonblocking(123.123, 456.789), 123.123 + 456.789],
];
for (const [name, call, expected] of nonblocking) {
  deno.case(`test.js ${name}`, async () => assert.equal(await call(), expected));
}
deno.case("test.js sleep_nonblocking(100): timers run meanwhile (Before … After)", async () => {
  const events: string[] = [];
  const timer = new Promise((resolve) => setTimeout(() => resolve(events.push("timer")), 10));
  const start = performance.now();
  const sleeping = s.sleep_nonblocking(100).then(() => events.push("After"));
  events.push("Before");
  await Promise.all([timer, sleeping]);
  assert.deepEqual(events, ["Before", "timer", "After"]);
  assert.ok(performance.now() - start >= 95);
});
deno.case(
  "nonblocking_buffer_gc_test.js a buffer lent to a non-blocking call survives collection",
  async () => {
    const calls = Array.from({ length: 8 }, (_, i) => {
      const bytes = Uint8Array.from({ length: 4096 }, (_, j) => (i * 31 + j) & 0xff);
      const expected = s.buffer_checksum(bytes, bytes.length);
      return s.buffer_checksum_nonblocking(bytes, bytes.length).then((sum) => assert.equal(sum, expected));
    });
    (globalThis as { gc?: () => void }).gc?.();
    await Promise.all(calls);
  },
);
deno.case("test.js a resizable ArrayBuffer lent to a non-blocking call is refused", async () => {
  const resizable = new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 }));
  await assert.rejects(async () => await s.buffer_checksum_nonblocking(resizable, 8));
});

// test.js: UnsafeCallback.
deno.case("test.js call_fn_ptr(logCallback)", () => {
  let called = 0;
  using log = callback({ args: [], returns: void_ }, () => {
    called++;
  });
  s.call_fn_ptr(log);
  assert.equal(called, 1);
});
deno.case("test.js call_fn_ptr_many_parameters(logManyParametersCallback)", () => {
  let seen: unknown[] = [];
  using many = callback({
    args: [u8, u16, u32, u64, f32, f64, i8, i16, i32, i64, usize, isize, f32, f64, pointer],
    returns: f64,
  }, (...args) => {
    seen = args;
    return 42.5;
  });
  assert.equal(s.call_fn_ptr_many_parameters(many), 42.5);
  const [p, ...rest] = [seen.at(-1), ...seen.slice(0, -1)];
  assert.deepEqual(rest, [
    255,
    65535,
    4294967295,
    18446744073709551615n,
    1.5,
    2.25,
    -128,
    -32768,
    -2147483648,
    -9223372036854775808n,
    12345n,
    -12345n,
    0.5,
    1e300,
  ]);
  assert.ok(pointerEquals(p as never, s.return_buffer()));
});
deno.case("test.js call_fn_ptr_return_u8(returnU8Callback)", () => {
  using cb = callback({ args: [], returns: u8 }, () => 8);
  assert.equal(s.call_fn_ptr_return_u8(cb), 8);
});
deno.case("test.js call_fn_ptr_return_buffer(returnBufferCallback)", () => {
  using memory = alloc(8);
  memory.bytes.set(new TextEncoder().encode("Hello!\0"));
  using cb = callback({ args: [], returns: pointer }, () => memory.pointer);
  assert.equal(readCString(s.call_fn_ptr_return_buffer(cb)!), "Hello!");
});
deno.case("test.js store_function(cb) then call_stored_function() later", () => {
  let calls = 0;
  using cb = callback({ args: [], returns: void_ }, () => {
    calls++;
  });
  s.store_function(cb);
  s.call_stored_function();
  s.call_stored_function();
  assert.equal(calls, 2);
  s.store_function(null as never);
});
deno.case("test.js store_function_2(add10Callback), call_stored_function_2(20)", () => {
  using add10 = callback({ args: [u8], returns: u8 }, (x) => x + 10);
  s.store_function_2(add10);
  assert.equal(s.call_stored_function_2(20), 30);
});
deno.case("test.js nestedCallback (a callback that calls C that calls another callback)", () => {
  using inner = callback({ args: [i32], returns: i32 }, (x) => x * 2);
  using outer = callback({ args: [i32], returns: i32 }, (x) => s.call_nested(inner, x) * 10);
  assert.equal(s.call_nested(outer, 4), (4 * 2 + 1) * 10 + 1);
});
deno.case("test.js addToFooCallback (a closure keeps its state across calls)", () => {
  let foo = 0;
  using addToFoo = callback({ args: [u8], returns: u8 }, (x) => (foo += x));
  s.store_function_2(addToFoo);
  s.call_stored_function_2(2);
  s.call_stored_function_2(3);
  assert.equal(foo, 5);
});
deno.case("ffi_callback_errors.ts a throwing callback: C gets 0, the error reaches JavaScript", () => {
  let returned: unknown;
  using throwing = callback({ args: [], returns: u8 }, () => {
    throw new Error("from callback");
  });
  assert.throws(() => {
    returned = s.call_fn_ptr_return_u8(throwing);
  }, /from callback/);
  assert.equal(returned, undefined);
});
deno.case("test.js callback.close(): its pointer is refused afterwards", () => {
  const cb = callback({ args: [], returns: void_ }, () => {});
  cb.close();
  assert.throws(() => s.call_fn_ptr(cb), { name: "ClosedError" });
});

// thread_safe_test.js: a callback called from a thread C started.
deno.case("thread_safe_test.js call_stored_function_thread_safe (calls from another thread)", async () => {
  const seen: [number, number][] = [];
  using cb = threadedCallback({ args: [i32, i32], returns: void_ }, (i, j) => {
    seen.push([i, j]);
  });
  assert.equal(s.start_thread_calls(cb, 10), 0);
  assert.equal(await s.join_thread(), 0);
  for (let i = 0; i < 500 && seen.length < 10; i++) await new Promise((r) => setTimeout(r, 2));
  assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => [i, i * 3]));
});
deno.case(
  "thread_safe_test.js callback.unref(): a pending thread-safe callback does not keep the program alive",
  () => {
    const cb = threadedCallback({ args: [i32, i32], returns: void_ }, () => {});
    cb.unref();
    cb.close();
    assert.equal(cb.closed, true);
  },
);
// event_loop_integration.ts: a thread-safe callback called by C on the JavaScript thread, during a call, runs
// at once ("Sync" before the call returns), then its microtask, then its timer.
const eventLoopCase = "event_loop_integration.ts SYNCHRONOUS: Sync, STORED_FUNCTION called, Async, Timeout";
if (runtime === "bun") {
  deno.notExpressible(
    eventLoopCase,
    "behaves differently on Bun: its thread-safe callback is queued even when called on the JavaScript thread, " +
      "so Sync comes after the call returns",
  );
} else {
  deno.case(eventLoopCase, async () => {
    const log: string[] = [];
    using cb = threadedCallback({ args: [], returns: void_ }, () => {
      log.push("Sync");
      queueMicrotask(() => log.push("Async"));
      setTimeout(() => log.push("Timeout"), 20);
    });
    s.store_function(cb);
    s.call_stored_function();
    log.push("STORED_FUNCTION called");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(log, ["Sync", "STORED_FUNCTION called", "Async", "Timeout"]);
    s.store_function(null as never);
  });
}

// test.js: statics.
deno.case("test.js static_u32, static_i64", () => {
  assert.equal(s.static_u32.value, 42);
  assert.equal(s.static_i64.value, -1242464576485n);
});
deno.case("test.js static_ptr (a struct variable, written in place)", () => {
  assert.equal(s.static_ptr.data, 42);
  s.static_ptr.data = 43;
  assert.equal(s.read_static_ptr(), 43);
  s.static_ptr.data = 42;
});
deno.case("test.js static_char (a char[14] variable, read at its address)", () => {
  assert.equal(readCString(s.static_char), "Hello, world!");
  assert.deepEqual([...unsafeReadBytes(s.static_char, 14)].at(-1), 0);
});
deno.case(
  "test.js non_existent_symbol / non_existent_nonblocking_symbol / non_existent_static (optional)",
  () => {
    assert.equal(s.non_existent_symbol, null);
    assert.equal(s.non_existent_nonblocking_symbol, null);
    assert.equal(s.non_existent_static, null);
  },
);

// test.js: structs by value.
deno.case("test.js make_rect(10, 20, 100, 200)", () => {
  assert.deepEqual(s.make_rect(10, 20, 100, 200), { x: 10, y: 20, w: 100, h: 200 });
});
deno.notExpressible(
  "test.js make_rect_async / print_rect_async / print_rect_nested_async (structs by value, non-blocking)",
  "a non-blocking call refuses a struct by value when the table is read",
);
deno.case("test.js print_rect(rect) (a struct argument)", () => {
  assert.equal(s.print_rect({ x: 10, y: 20, w: 100, h: 200 }), 10 + 20 + 100 * 200);
});
deno.case("test.js print_rect(bytes of a resizable ArrayBuffer)", () => {
  const bytes = new Uint8Array(new ArrayBuffer(32, { maxByteLength: 64 }));
  new Float64Array(bytes.buffer, 0, 4).set([1, 2, 3, 4]);
  assert.equal(s.print_rect(bytes), 1 + 2 + 3 * 4);
});
deno.case("test.js print_rect_nested (nested structs)", () => {
  assert.equal(s.print_rect_nested({ p: { x: 1, y: 2 }, s: { w: 3, h: 4 } }), 1 + 20 + 300 + 4000);
});
deno.case("test.js create_mixed / print_mixed (u8, f32, nested struct, usize, u32[2])", () => {
  const rect = { x: 10, y: 20, w: 100, h: 200 };
  const mixed = s.create_mixed(3, 12.515000343322754, rect, 12456789n, Uint32Array.of(8, 32));
  assert.deepEqual(mixed, { u8: 3, f32: 12.515000343322754, rect, usize: 12456789n, arr: [8, 32] });
  assert.equal(s.print_mixed(mixed), 3 + 12.515000343322754 + 10 + 200 + 12456789 + 8 + 32);
});
deno.case("test.js a callback returning a struct, called through its own pointer and from C", () => {
  using cb = callback({ args: [Rect], returns: Rect }, (r) => ({ x: r.x * 2, y: r.y, w: r.w, h: -r.h }));
  const call = unsafeFunctionFromPointer(cb.pointer, { args: [Rect], returns: Rect });
  assert.deepEqual(call({ x: 1, y: 2, w: 3, h: 4 }), { x: 2, y: 2, w: 3, h: -4 });
  assert.deepEqual(s.call_rect_callback(cb, { x: 5, y: 6, w: 7, h: 8 }), { x: 10, y: 6, w: 7, h: -8 });
});
deno.case("test.js a struct of no fields, or holding only one, is refused by dlopen (TypeError)", () => {
  const Empty = struct({});
  assert.throws(() => dlopen(peerCasesPath, { call_fn_ptr: { args: [Empty], returns: void_ } }), TypeError);
  const HoldsEmpty = struct({ e: Empty });
  assert.throws(
    () => dlopen(peerCasesPath, { call_fn_ptr: { args: [HoldsEmpty], returns: void_ } }),
    TypeError,
  );
});

// test.js: Deno.UnsafePointer / UnsafePointerView.
deno.case("test.js UnsafePointer.create / value / equals / offset", () => {
  const p = unsafePointerFromAddress(0x1234n)!;
  assert.equal(unsafePointerAddress(p), 0x1234n);
  assert.equal(unsafePointerFromAddress(0n), null);
  assert.ok(pointerEquals(unsafeOffsetPointer(p, 8), unsafePointerFromAddress(0x123cn)));
  assert.equal(unsafePointerAddress(unsafePointerFromAddress(2n ** 64n - 1n)), 2n ** 64n - 1n);
});
deno.case("test.js UnsafePointerView get* (every type, against a DataView)", () => {
  using memory = alloc(32);
  memory.bytes.set(Uint8Array.from({ length: 32 }, (_, i) => i * 37 + 11));
  const view = new DataView(memory.bytes.buffer, memory.bytes.byteOffset, 32);
  const p = memory.pointer;
  assert.equal(unsafeRead(p, bool, 1), view.getUint8(1) !== 0);
  assert.equal(unsafeRead(p, u8, 3), view.getUint8(3));
  assert.equal(unsafeRead(p, i8, 3), view.getInt8(3));
  assert.equal(unsafeRead(p, u16, 2), view.getUint16(2, true));
  assert.equal(unsafeRead(p, i16, 2), view.getInt16(2, true));
  assert.equal(unsafeRead(p, u32, 4), view.getUint32(4, true));
  assert.equal(unsafeRead(p, i32, 4), view.getInt32(4, true));
  assert.equal(unsafeRead(p, u64, 8), view.getBigUint64(8, true));
  assert.equal(unsafeRead(p, i64, 8), view.getBigInt64(8, true));
  assert.ok(Object.is(unsafeRead(p, f32, 16), view.getFloat32(16, true)));
  assert.ok(Object.is(unsafeRead(p, f64, 16), view.getFloat64(16, true)));
  assert.equal(unsafePointerAddress(unsafeRead(p, pointer, 24)), view.getBigUint64(24, true));
});
deno.notExpressible(
  "ffi_types.ts (type-level expectations of Deno's own dlopen typings)",
  "these are assertions about Deno.dlopen's TypeScript types; ffikit's own are checked by deno check of its tests",
);

deno.summary();

/**
 * The seed-003 lesson in JavaScript terms, and every misuse the toolkit refuses with a clear error.
 *
 * Seed 003: a pointer that travels as a plain integer is not tracked by the garbage collector, so the memory
 * behind it can move or be freed while native code still uses it. In JavaScript, the raw runtime APIs
 * (`Deno.UnsafePointer.of`, Bun's `ptr`) turn a buffer into exactly such a free-floating address.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { runtime, test } from "../harness.ts";
import { fixturePath, openFixture } from "./_fixture.ts";
import { alloc, callback, cstring, cstringArg, dlopen, pointer, readCString, void_ } from "../../mod.ts";
import { i32, i64, size_t } from "../../mod.ts";

interface RawApi {
  /** The raw runtime's address of a buffer: the integer-pointer of seed 003. */
  addressOf(bytes: Uint8Array): unknown;
  keep(address: unknown): void;
  peek(index: number): number;
}

async function rawApi(): Promise<RawApi> {
  if (runtime === "deno") {
    const lib = Deno.dlopen(fixturePath, {
      keep: { parameters: ["pointer"], result: "void" },
      peek: { parameters: ["usize"], result: "i32" },
    });
    return {
      addressOf: (bytes) => Deno.UnsafePointer.of(bytes),
      keep: (address) => lib.symbols.keep(address as Deno.PointerValue),
      peek: (index) => lib.symbols.peek(BigInt(index)),
    };
  }
  const specifier = "bun:ffi";
  const ffi = await import(specifier);
  const lib = ffi.dlopen(fixturePath, {
    keep: { args: ["ptr"], returns: "void" },
    peek: { args: ["usize"], returns: "i32" },
  });
  return {
    addressOf: (bytes) => ffi.ptr(bytes),
    keep: (address) => lib.symbols.keep(address),
    peek: (index) => lib.symbols.peek(index),
  };
}

test("raw runtime API: native code keeps a buffer's address and then reads another owner's bytes", async () => {
  const raw = await rawApi();
  const bytes = new Uint8Array(64).fill(0x11);
  raw.keep(raw.addressOf(bytes));
  assert.equal(raw.peek(0), 0x11);
  // JavaScript hands the memory to someone else; the original view is now empty...
  const moved = new Uint8Array(bytes.buffer.transfer());
  assert.equal(bytes.length, 0);
  moved.fill(0xee);
  if (runtime === "deno") {
    // V8 moves the backing store: the new owner's writes show through the address native code kept.
    assert.equal(raw.peek(0), 0xee, "C reads memory that now belongs to another buffer");
  } else {
    // JavaScriptCore copies a small buffer on transfer: C keeps reading the abandoned old bytes.
    assert.equal(raw.peek(0), 0x11, "C reads stale memory that no JavaScript buffer holds any more");
    assert.equal(moved[0], 0xee);
  }
  raw.keep(null);
});

const forceCollection: (() => void) | undefined = (globalThis as { gc?: () => void }).gc ??
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc.bind(null, true);

test("raw runtime API: a buffer is collected while native code still holds its address", async () => {
  const raw = await rawApi();
  const collect = forceCollection!;
  let collected = false;
  const registry = new FinalizationRegistry(() => collected = true);
  (() => {
    const bytes = new Uint8Array(1 << 16).fill(0x22);
    raw.keep(raw.addressOf(bytes));
    registry.register(bytes.buffer, "kept buffer");
  })();
  for (let i = 0; i < 50 && !collected; i++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Nothing stopped the collector: native code now holds the address of freed memory. (It is not read here;
  // reading it is undefined behaviour.)
  assert.equal(collected, true, "the buffer was collected although C kept its address");
  raw.keep(null);
}, {
  ignore: forceCollection ? false : "needs a way to force a collection: run Deno with --v8-flags=--expose-gc",
});

test("the toolkit refuses a buffer where a pointer that may outlive the call is declared", () => {
  using lib = openFixture();
  assert.throws(() => lib.symbols.keep(new Uint8Array(8) as never), TypeError);
  assert.throws(() => lib.symbols.keep(12345 as never), TypeError);
  // The toolkit's way to give native code a pointer it keeps: owned memory, alive until close().
  using memory = alloc(8);
  memory.bytes.fill(0x33);
  lib.symbols.keep(memory.pointer);
  assert.equal(lib.symbols.peek(7), 0x33);
  lib.symbols.keep(null);
});

test("the toolkit does not free owned memory whose view was transferred away", () => {
  using lib = openFixture();
  const memory = alloc(8);
  memory.bytes.fill(0x44);
  lib.symbols.keep(memory.pointer);
  const moved = new Uint8Array(memory.buffer.transfer());
  memory.close();
  assert.equal(memory.leaked, true);
  moved[0] = 0x55;
  assert.equal(lib.symbols.peek(0), 0x55, "the memory is still allocated: no use-after-free");
  lib.symbols.keep(null);
});

test("the toolkit refuses detached buffers and views a shrinking buffer left behind, never handing them to C", () => {
  using lib = openFixture();
  const detached = new Uint8Array(16);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  assert.throws(
    () => lib.symbols.sum_bytes(detached, 16),
    /Cannot pass argument 0 of sum_bytes\(\): its ArrayBuffer is detached/,
  );
  const bare = new ArrayBuffer(8);
  bare.transfer();
  assert.throws(() => lib.symbols.sum_bytes(bare, 8), /the ArrayBuffer is detached/);
  // A resizable buffer is lent as the bytes it has at the call; C reads them.
  const growing = new ArrayBuffer(4, { maxByteLength: 64 });
  const tracking = new Uint8Array(growing); // follows the buffer's length
  const fixed = new Uint8Array(growing, 0, 4);
  tracking.set([1, 2, 3, 4]);
  assert.equal(lib.symbols.sum_bytes(fixed, 4), 10n);
  growing.resize(8);
  tracking.set([5, 6, 7, 8], 4);
  assert.equal(lib.symbols.sum_bytes(tracking, BigInt(tracking.length)), 36n);
  assert.equal(lib.symbols.sum_bytes(growing, 8), 36n);
  // Shrunk under a fixed-length view, the view is out of bounds and reads as empty: refused, since the length
  // passed beside it may be the old one.
  growing.resize(2);
  assert.equal(fixed.byteLength, 0);
  assert.throws(
    () => lib.symbols.sum_bytes(fixed, 4),
    /Cannot pass argument 0 of sum_bytes\(\): it is an empty view of a resizable ArrayBuffer/,
  );
  assert.equal(lib.symbols.sum_bytes(tracking, 2), 3n);
  const shared = new SharedArrayBuffer(4, { maxByteLength: 16 });
  new Uint8Array(shared).set([9, 9, 9, 9]);
  assert.equal(lib.symbols.sum_bytes(new Uint8Array(shared), 4), 36n);
  // A fresh array each call, as TextEncoder.encode() makes them.
  for (let i = 1; i <= 3; i++) {
    assert.equal(lib.symbols.sum_bytes(new Uint8Array(i).fill(2), BigInt(i)), BigInt(2 * i));
  }
  // A buffer lent before is still refused once detached (the toolkit caches the last buffer it checked).
  const reused = new Uint8Array([1, 2, 3]);
  assert.equal(lib.symbols.sum_bytes(reused, 3), 6n);
  assert.equal(lib.symbols.sum_bytes(reused, 3), 6n);
  reused.buffer.transfer();
  assert.throws(() => lib.symbols.sum_bytes(reused, 3), /its ArrayBuffer is detached/);
  const freed = alloc(8);
  freed.close();
  assert.throws(() => lib.symbols.sum_bytes(freed, 8), /the native memory was freed/);
  assert.throws(
    () => lib.symbols.sum_bytes("bytes" as never, 5),
    /expected a typed array, DataView, ArrayBuffer, NativeMemory or null, got a string/,
  );
  assert.throws(() => lib.symbols.sum_bytes({} as never, 5), /got Object/);
  // What is accepted: typed arrays, DataViews, ArrayBuffers, NativeMemory, null.
  assert.equal(lib.symbols.sum_bytes(new DataView(new Uint8Array([1, 2]).buffer), 2), 3n);
  assert.equal(lib.symbols.sum_bytes(new Uint8Array([4, 5]).buffer, 2), 9n);
  assert.equal(lib.symbols.sum_bytes(new Uint16Array([0x0101]), 2), 2n);
  assert.equal(lib.symbols.sum_bytes(null, 0), -1n);
});

test("the toolkit refuses a pointer of a closed library's function and memory after close", () => {
  using libc = dlopen("libc.so.6", { free: { args: [pointer], returns: void_ } });
  const memory = alloc(4);
  memory.close();
  assert.throws(() => libc.symbols.free(memory.pointer), /freed/);
  void i32;
  void size_t;
});

test("a raw runtime table's type names are refused with the toolkit's constant to write instead", () => {
  // What Deno.dlopen and bun:ffi tables say, and what the toolkit writes for it.
  const cases: Array<[string, "argument" | "result", string]> = [
    ["i32", "argument", "write the toolkit's i32, imported from ffikit"],
    ["int32_t", "result", "write the toolkit's i32,"],
    ["usize", "argument", "write the toolkit's usize (or size_t)"],
    ["double", "result", "write the toolkit's f64"],
    ["pointer", "argument", "pointer for a Pointer (or null), or buffer for a typed array lent for the call"],
    ["ptr", "argument", "pointer for a Pointer (or null), or buffer"],
    ["ptr", "result", "write the toolkit's pointer,"],
    ["buffer", "argument", "write the toolkit's buffer,"],
    ["buffer", "result", "write the toolkit's pointer,"],
    ["function", "argument", "functionPointer, and pass a callback() or a Pointer"],
    ["cstring", "argument", "cstringArg, and pass cstring(text)"],
    ["cstring", "result", "pointer, and read the string with readCString() (null for a NULL result)"],
    ["u64_fast", "result", "u64 (a BigInt both ways"],
    ["void", "result", "write the toolkit's void_"],
  ];
  for (const [name, role, advice] of cases) {
    const table = role === "argument"
      ? { strlen: { args: [name], returns: i32 } }
      : { strlen: { args: [pointer], returns: name } };
    const what = role === "argument" ? 'argument 0 of "strlen"' : 'the result of "strlen"';
    assert.throws(() => dlopen("libc.so.6", table as never), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(
        error.message.startsWith(
          `Cannot declare ${what} as "${name}": that is a raw Deno.dlopen/bun:ffi type name; `,
        ),
        error.message,
      );
      assert.ok(error.message.includes(advice), `${error.message} should say ${advice}`);
      return true;
    });
  }
  // Not one of the runtimes' names: says what a type is, not "expected i32, got i32".
  assert.throws(() => dlopen("libc.so.6", { abs: { args: ["integer"], returns: i32 } } as never), {
    name: "TypeError",
    message:
      'Cannot declare argument 0 of "abs" as "integer": expected a type constant such as i32 or pointer, ' +
      "not a string",
  });
  // Callbacks say the same.
  assert.throws(() => callback({ args: ["i32"], returns: i32 } as never, () => 0), {
    name: "TypeError",
    message: 'Cannot declare argument 0 of a callback as "i32": that is a raw Deno.dlopen/bun:ffi type ' +
      "name; write the toolkit's i32, imported from ffikit",
  });
  // What the advice for Bun's cstring result says works, on both runtimes.
  using libc = dlopen("libc.so.6", {
    getenv: { args: [cstringArg], returns: pointer },
  });
  assert.equal(readCString(libc.symbols.getenv(cstring("PATH"))!), process.env.PATH);
  assert.equal(libc.symbols.getenv(cstring("FFIKIT_SURELY_UNSET_VARIABLE")), null);
});

test("a 64-bit argument given as a BigInt is refused just outside its range, and taken at its ends", () => {
  using libc = dlopen("libc.so.6", {
    memset: { args: [pointer, i32, size_t], returns: void_ },
    labs: { args: [i64], returns: i64 },
  });
  using memory = alloc(8);
  for (const length of [-1n, 2n ** 64n, -(2n ** 64n) + 8n, 2n ** 64n + 8n]) {
    assert.throws(() => libc.symbols.memset(memory.pointer, 1, length), {
      name: "RangeError",
      message:
        `Cannot pass argument 2 of memset(): expected a BigInt or integer from 0 to 18446744073709551615 ` +
        `(usize), got ${length}n`,
    });
  }
  libc.symbols.memset(memory.pointer, 1, 0n);
  libc.symbols.memset(memory.pointer, 1, 8n);
  assert.deepEqual([...memory.bytes], [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(libc.symbols.labs(-(2n ** 63n) + 1n), 2n ** 63n - 1n);
  for (const value of [2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n - 1n]) {
    assert.throws(() => libc.symbols.labs(value), { name: "RangeError", message: /argument 0 of labs\(\)/ });
  }
});

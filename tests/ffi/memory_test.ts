import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { collectUntil, forceCollection, needsCollection, openFixture } from "./_fixture.ts";
import {
  alloc,
  bool,
  buffer,
  ClosedError,
  dlopen,
  i32,
  int,
  pointer,
  pointerEquals,
  size_t,
  struct,
  u16,
  u32,
  unsafeCopyFromPointer,
  unsafeOffsetPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
  unsafePointerView,
  unsafeRead,
  unsafeReadBytes,
} from "../../mod.ts";

const libc = dlopen("libc.so.6", {
  memset: { args: [pointer, int, size_t], returns: pointer },
  strlen: { args: [pointer], returns: size_t },
  strlen_buffer: { args: [buffer], returns: size_t, symbol: "strlen" },
});

test("alloc() returns zeroed memory that native code writes and JavaScript reads in place", () => {
  using memory = alloc(64);
  assert.equal(memory.byteLength, 64);
  assert.ok(memory.bytes.every((b) => b === 0));
  libc.symbols.memset(memory.pointer, 0x41, 10);
  assert.equal(libc.symbols.strlen(memory.pointer), 10n);
  assert.equal(new TextDecoder().decode(memory.bytes.subarray(0, 10)), "A".repeat(10));
  memory.bytes[3] = 0;
  assert.equal(libc.symbols.strlen_buffer(memory), 3n, "NativeMemory is accepted as a buffer argument");
  new DataView(memory.buffer).setUint32(16, 0xdeadbeef, true);
  assert.equal(unsafeRead(memory.pointer, u32, 16), 0xdeadbeef);
});

test("NativeMemory.close() frees it, detaches every view, and refuses further use", () => {
  const memory = alloc(32);
  const bytes = memory.bytes;
  const words = new Uint32Array(memory.buffer);
  memory.close();
  assert.equal(memory.closed, true);
  assert.equal(bytes.length, 0, "a view taken before close() reads nothing");
  assert.equal(words.length, 0);
  assert.equal(bytes[0], undefined);
  assert.throws(
    () => memory.pointer,
    /Cannot take the pointer of native memory: the native memory was freed/,
  );
  assert.throws(() => memory.bytes, ReferenceError);
  memory.close();
});

test("NativeMemory.close() keeps memory whose view was transferred, rather than free it under a reader", () => {
  const memory = alloc(16);
  memory.bytes[0] = 7;
  const moved = memory.buffer.transfer();
  memory.close();
  assert.equal(memory.leaked, true);
  // The transferred view still reads the live block, not freed memory.
  assert.equal(new Uint8Array(moved)[0], 7);
});

test("alloc() refuses sizes that are not positive integers", () => {
  for (const size of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
    assert.throws(() => alloc(size), RangeError, String(size));
  }
});

test("unsafeCopyFromPointer() and unsafePointerView() copy and alias native memory", () => {
  using memory = alloc(8);
  memory.bytes.set([1, 2, 3, 4, 5, 6, 7, 8]);
  const copy = unsafeCopyFromPointer(memory.pointer, 4, { byteOffset: 2 });
  assert.deepEqual([...copy], [3, 4, 5, 6]);
  const view = unsafePointerView(memory.pointer, 8);
  view[0] = 99;
  assert.equal(memory.bytes[0], 99, "the view aliases");
  assert.equal(copy[0], 3, "the copy does not");
  const into = new Uint8Array(10);
  assert.equal(unsafeCopyFromPointer(memory.pointer, 8, { into }).byteLength, 8);
  assert.throws(() => unsafeCopyFromPointer(memory.pointer, 8, { into: new Uint8Array(4) }), RangeError);
  assert.throws(() => unsafePointerView(memory.pointer, 0), RangeError);
});

test("unsafeReadBytes() reads small blocks by copy and large ones by view, with the same bytes", () => {
  for (const size of [1, 64, 4096, 65536, 1 << 20]) {
    using memory = alloc(size);
    for (let i = 0; i < size; i += 997) memory.bytes[i] = (i * 13) & 0xff;
    const bytes = unsafeReadBytes(memory.pointer, size);
    assert.equal(bytes.byteLength, size);
    for (let i = 0; i < size; i += 997) assert.equal(bytes[i], (i * 13) & 0xff);
  }
});

test("pointerEquals() and pointer arithmetic compare addresses, never numbers", () => {
  using memory = alloc(16);
  const p = memory.pointer;
  const q = unsafeOffsetPointer(p, 4);
  assert.equal(pointerEquals(p, memory.pointer), true);
  assert.equal(pointerEquals(p, q), false);
  assert.equal(pointerEquals(unsafeOffsetPointer(q, -4), p), true);
  assert.equal(unsafePointerAddress(q) - unsafePointerAddress(p), 4n);
  assert.equal(pointerEquals(unsafePointerFromAddress(unsafePointerAddress(p)), p), true);
  assert.equal(unsafePointerFromAddress(0n), null);
  assert.equal(pointerEquals(null, null), true);
  assert.equal(typeof p, "object", "a pointer is an opaque object, not a number");
  memory.bytes.set([0x34, 0x12], 4);
  assert.equal(unsafeRead(q, u16), 0x1234);
});

test("a NativeMemory pointer may be kept by native code across calls", () => {
  using lib = openFixture();
  using memory = alloc(4);
  memory.bytes.set([10, 20, 30, 40]);
  lib.symbols.keep(memory.pointer);
  memory.bytes[2] = 33;
  assert.equal(lib.symbols.peek(2), 33);
  assert.equal(lib.symbols.peek(3), 40);
  lib.symbols.keep(null);
  void i32;
});

test("alloc() memory whose pointer C kept outlives every JavaScript reference until close()", async () => {
  using lib = openFixture();
  let collected = false;
  const watch = new FinalizationRegistry(() => collected = true);
  (() => {
    const memory = alloc(64);
    for (let i = 0; i < 64; i++) memory.bytes[i] = (i * 7 + 1) & 0xff;
    lib.symbols.keep(memory.pointer);
    watch.register(memory.buffer, "memory");
  })();
  assert.equal(await collectUntil(() => collected), true, "the memory's views were collected");
  // Blocks of the same size, filled with another byte: freed memory would be handed out again among them.
  const others = Array.from({ length: 200 }, () => {
    const other = alloc(64);
    other.bytes.fill(0xee);
    return other;
  });
  for (let i = 0; i < 64; i++) assert.equal(lib.symbols.peek(i), (i * 7 + 1) & 0xff, `byte ${i}`);
  lib.symbols.keep(null);
  for (const other of others) other.close();
}, { ignore: needsCollection });

test("alloc() memory whose pointer was never taken is still freed once unreachable", async () => {
  using lib = openFixture();
  const before = lib.symbols.mmapped_bytes();
  let collected = false;
  const watch = new FinalizationRegistry(() => collected = true);
  (() => {
    const memory = alloc(64 << 20); // above glibc's largest mmap threshold (32 MiB): a block of its own
    memory.bytes[0] = 1;
    watch.register(memory.buffer, "memory");
  })();
  assert.equal(await collectUntil(() => collected && lib.symbols.mmapped_bytes() === before), true);
}, { ignore: needsCollection });

test("alloc() of more than the runtime can view frees the block and says so", () => {
  using lib = openFixture();
  const before = lib.symbols.mmapped_bytes();
  try {
    alloc(2 ** 33).close(); // Deno views 8 GiB; Bun views at most 2^32 bytes
  } catch (error) {
    assert.ok(error instanceof RangeError, String(error));
    assert.match(error.message, /^Cannot allocate 8589934592 bytes with alloc\(\): this runtime cannot view/);
  }
  assert.equal(lib.symbols.mmapped_bytes(), before, "nothing stays allocated");
});

test("unsafePointerFromAddress() refuses an address outside 0 to 2^64 - 1, or one Bun cannot hold exactly", () => {
  assert.throws(
    () => unsafePointerFromAddress(-1n),
    {
      name: "RangeError",
      message: "Cannot make a pointer from address -1: expected a BigInt from 0 to 2^64 - 1",
    },
  );
  assert.throws(() => unsafePointerFromAddress(2n ** 64n), RangeError);
  assert.throws(() => unsafePointerFromAddress(5 as never), /expected a BigInt/);
  using memory = alloc(8);
  assert.throws(
    () => unsafeOffsetPointer(memory.pointer, -Number(unsafePointerAddress(memory.pointer)) - 8),
    RangeError,
  );
  // Above 2^53 too, on both runtimes: (void*)-1 (MAP_FAILED, SQLITE_TRANSIENT) is 2^64 - 1
  // (tests/ffi/high_pointers_test.ts checks them through C).
  const high = 2n ** 53n + 1n;
  assert.equal(unsafePointerAddress(unsafePointerFromAddress(high)), high);
  assert.equal(unsafePointerAddress(unsafePointerFromAddress(2n ** 64n - 1n)), 2n ** 64n - 1n);
});

test("unsafeRead() of a bool is true for any byte but 0, as in C", () => {
  using memory = alloc(4);
  memory.bytes.set([0, 1, 2, 0xff]);
  assert.deepEqual([0, 1, 2, 3].map((i) => unsafeRead(memory.pointer, bool, i)), [false, true, true, true]);
});

test("the pointer helpers refuse what is not a pointer with a TypeError naming it", () => {
  for (const fake of [Object.create(null), Object.groupBy([], () => 1), {}, 5]) {
    assert.throws(() => unsafePointerAddress(fake as never), /as a pointer: expected a Pointer/);
    assert.throws(() => pointerEquals(fake as never, fake as never), /as a pointer: expected a Pointer/);
    assert.throws(() => unsafeRead(fake as never, u32), /as a pointer: expected a Pointer/);
  }
  assert.throws(() => unsafePointerView(null as never, 4), /Cannot use null as a pointer/);
});

test("a pointer taken from NativeMemory is refused once the memory is freed, wherever it comes back", () => {
  const first = alloc(64);
  const stale = first.pointer;
  first.close();
  using second = alloc(64);
  // memset through the stale pointer overwrote all of the next block on Deno.
  assert.throws(() => libc.symbols.memset(stale, 0x41, 64n), {
    name: "ClosedError",
    message: "Cannot use argument 0 of memset(): the pointer's native memory was freed",
  });
  assert.ok(second.bytes.every((b) => b === 0));
  const refused = (call: () => unknown, where: string) =>
    assert.throws(call, (error: unknown) => error instanceof ClosedError && error.message.includes(where));
  refused(() => unsafeRead(stale, u32), "argument 0 of unsafeRead()");
  refused(() => unsafePointerView(stale, 8), "argument 0 of unsafePointerView()");
  refused(() => unsafeCopyFromPointer(stale, 8), "argument 0 of unsafeCopyFromPointer()");
  refused(() => unsafeReadBytes(stale, 8), "unsafeCopyFromPointer()");
  refused(() => unsafeOffsetPointer(stale, 8), "argument 0 of unsafeOffsetPointer()");
  refused(() => unsafePointerAddress(stale), "argument 0 of unsafePointerAddress()");
  refused(() => pointerEquals(stale, second.pointer), "argument 0 of pointerEquals()");
  refused(() => libc.symbols.strlen(stale), "argument 0 of strlen()");
  // Written into a struct field, it is refused as well.
  const Holder = struct({ p: pointer });
  assert.throws(() => Holder.encode({ p: stale }), ClosedError);
  // The live block's own pointer is not affected, and closing twice changes nothing.
  libc.symbols.memset(second.pointer, 0x42, 4n);
  assert.equal(second.bytes[3], 0x42);
  first.close();
});

test("a stale pointer stays refused after the garbage collector has run, and others collected", async () => {
  // The revoked-pointer look-up is skipped only while no revoked pointer is reachable: a kept one must count.
  for (let i = 0; i < 100; i++) {
    const memory = alloc(8);
    void memory.pointer;
    memory.close();
  }
  const kept = alloc(8);
  const stale = kept.pointer;
  kept.close();
  forceCollection!();
  await new Promise((resolve) => setTimeout(resolve, 10));
  forceCollection!();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.throws(() => libc.symbols.memset(stale, 0, 8n), ClosedError);
  assert.throws(() => unsafeRead(stale, u32), ClosedError);
}, { ignore: needsCollection });

test("unsafeOffsetPointer() of NativeMemory's pointer is refused once the memory is freed, however derived", () => {
  const first = alloc(64);
  const inside = unsafeOffsetPointer(first.pointer, 8);
  const further = unsafeOffsetPointer(inside, 8); // derived from a derived pointer
  const same = unsafeOffsetPointer(first.pointer, 0);
  libc.symbols.memset(further, 0x41, 4n);
  assert.equal(first.bytes[16], 0x41, "a derived pointer works while the memory is open");
  first.close();
  using second = alloc(64);
  // On the old code these wrote into whatever the allocator put at the freed address next.
  for (const stale of [inside, further, same]) {
    assert.throws(() => libc.symbols.memset(stale, 0x41, 8n), {
      name: "ClosedError",
      message: "Cannot use argument 0 of memset(): the pointer's native memory was freed",
    });
    assert.throws(() => unsafeRead(stale, u32), ClosedError);
    assert.throws(() => unsafeOffsetPointer(stale, 1), ClosedError);
  }
  assert.ok(second.bytes.every((b) => b === 0));
  // A pointer derived from a native one is no one's: nothing revokes it.
  const native = unsafePointerFromAddress(unsafePointerAddress(second.pointer))!;
  const derived = unsafeOffsetPointer(native, 4);
  libc.symbols.memset(derived, 0x42, 1n);
  assert.equal(second.bytes[4], 0x42);
});

test("unsafeOffsetPointer() keeps its record of derived pointers small when a loop derives many", () => {
  using memory = alloc(64);
  for (let i = 0; i < 100_000; i++) unsafeOffsetPointer(memory.pointer, i & 63);
  const kept = unsafeOffsetPointer(memory.pointer, 1);
  memory.close();
  assert.throws(() => unsafeRead(kept, u32), ClosedError);
});

test("unsafeCopyFromPointer() and unsafeReadBytes() refuse null rather than let memcpy crash the process", () => {
  // Both runtimes died with SIGSEGV here.
  assert.throws(() => unsafeCopyFromPointer(null as never, 8), {
    name: "TypeError",
    message: "Cannot use null as a pointer: expected a Pointer",
  });
  assert.throws(() => unsafeReadBytes(null as never, 8), /Cannot use null as a pointer/);
});

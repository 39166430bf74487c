/**
 * Each error class a caller catches: its name, message, the classes it extends and its properties, made by the
 * toolkit's own code paths where the condition can be brought about.
 *
 * @module
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import {
  alloc,
  AllocationError,
  ByValueUnsupportedError,
  callback,
  ClosedError,
  dlopen,
  ffiRuntime,
  i32,
  LibraryNotFoundError,
  openFd,
  struct,
  SymbolNotFoundError,
  UnsupportedPlatformError,
} from "../../mod.ts";

test("LibraryNotFoundError names the library, where the loader looked and its words, with the runtime's cause", () => {
  assert.throws(
    () => dlopen("/nonexistent/libffikit.so", { f: { args: [], returns: i32 } }),
    (error: unknown) => {
      assert.ok(error instanceof LibraryNotFoundError && error instanceof Error);
      assert.equal(error.name, "LibraryNotFoundError");
      assert.equal(error.library, "/nonexistent/libffikit.so");
      assert.deepEqual(error.searched, ["/nonexistent/libffikit.so"]);
      assert.equal(
        error.reason,
        "/nonexistent/libffikit.so: cannot open shared object file: No such file or directory",
      );
      assert.equal(
        error.message,
        `Cannot load library "/nonexistent/libffikit.so"; looked in: /nonexistent/libffikit.so: ${error.reason}`,
      );
      assert.ok(error.cause instanceof Error, "the runtime's own error");
      return true;
    },
  );
});

test("SymbolNotFoundError names the symbol and the library, with the runtime's cause", () => {
  assert.throws(
    () => dlopen("libc.so.6", { ffikit_no_such: { args: [], returns: i32 } }),
    (error: unknown) => {
      assert.ok(error instanceof SymbolNotFoundError && error instanceof Error);
      assert.equal(error.name, "SymbolNotFoundError");
      assert.deepEqual([error.library, error.symbol], ["libc.so.6", "ffikit_no_such"]);
      assert.equal(error.message, 'Cannot find symbol "ffikit_no_such" in library "libc.so.6"');
      assert.ok(error.cause instanceof Error);
      return true;
    },
  );
});

/** Checks a `ClosedError` in full. */
function closed(action: string, resource: string, message: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ClosedError, String(error));
    assert.ok(error instanceof ReferenceError, "still the ReferenceError it was");
    assert.equal(error.name, "ClosedError");
    assert.deepEqual([error.action, error.resource, error.message], [action, resource, message]);
    return true;
  };
}

test("ClosedError: a closed library's symbol, callback, native memory and file descriptor", () => {
  const libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
  libc.close();
  assert.throws(
    () => libc.symbols.getpid(),
    closed('use "getpid"', 'library "libc.so.6"', 'Cannot use "getpid": library "libc.so.6" is closed'),
  );
  const lazy = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } }, { lazy: true });
  lazy.close();
  assert.throws(
    () => lazy.symbols.getpid,
    closed(
      'use "getpid"',
      'library "libc.so.6"',
      'Cannot use "getpid": library "libc.so.6" is closed',
    ),
  );

  const square = callback({ args: [i32], returns: i32 }, (x) => x * x);
  square.close();
  using fixture = openFixture();
  assert.throws(
    () => fixture.symbols.apply_twice(square, 3),
    closed(
      "take the pointer of a callback",
      "the callback",
      "Cannot take the pointer of a callback: the callback is closed",
    ),
  );

  const memory = alloc(8);
  memory.close();
  assert.throws(
    () => memory.bytes,
    closed(
      "view native memory",
      "the native memory",
      "Cannot view native memory: the native memory was freed",
    ),
  );

  const fd = openFd("/proc/self/status");
  const number = fd.fd;
  fd.close();
  assert.throws(
    () => fd.fd,
    closed(
      `use file descriptor ${number}`,
      "the descriptor",
      `Cannot use file descriptor ${number}: the descriptor is closed`,
    ),
  );
});

test("AllocationError: calloc refusing a block names the size and the allocator", () => {
  const size = 2 ** 52; // 4 PiB: more than a 48-bit address space holds, so calloc returns NULL
  assert.throws(() => alloc(size), (error: unknown) => {
    assert.ok(error instanceof AllocationError && error instanceof Error);
    assert.equal(error.name, "AllocationError");
    assert.deepEqual([error.allocator, error.byteLength], ["calloc", size]);
    assert.equal(error.message, `Cannot allocate ${size} bytes: calloc returned NULL`);
    return true;
  });
});

test("ByValueUnsupportedError names the declaration, the struct and the runtime, and is a TypeError", () => {
  const Pair = struct({ a: i32, b: i32 }, { name: "Pair" });
  const check = (runtime: string) => (error: unknown) => {
    assert.ok(error instanceof ByValueUnsupportedError && error instanceof TypeError);
    assert.equal(error.name, "ByValueUnsupportedError");
    assert.deepEqual([error.declaration, error.struct, error.runtime], [
      'argument 0 of "f"',
      "Pair",
      runtime,
    ]);
    assert.match(
      error.message,
      /^Cannot declare argument 0 of "f" as "Pair" by value: .* has no struct-by-value/,
    );
    return true;
  };
  assert.throws(() => {
    throw new ByValueUnsupportedError('argument 0 of "f"', "Pair", "bun");
  }, check("bun"));
  // Bun passes structs by value through a C shim on x86-64 System V (ffi/_bun_by_value.ts), and only there.
  const bunShim = ffiRuntime.arch === "x86_64" && ffiRuntime.os !== "windows";
  if (ffiRuntime.runtime === "bun" && !bunShim) {
    assert.throws(() => dlopen("libc.so.6", { f: { args: [Pair], returns: i32 } }), check("bun"));
  } else {
    // The declaration is accepted, and only the missing symbol fails.
    assert.throws(() => dlopen("libc.so.6", { f: { args: [Pair], returns: i32 } }), SymbolNotFoundError);
  }
});

test("UnsupportedPlatformError names the call, the system it needs and the one it ran on", () => {
  const error = new UnsupportedPlatformError("ioctl", "posix", "windows");
  assert.ok(error instanceof Error);
  assert.equal(error.name, "UnsupportedPlatformError");
  assert.deepEqual([error.api, error.required, error.os], ["ioctl", "posix", "windows"]);
  assert.equal(
    error.message,
    'Cannot call ioctl(): it binds POSIX interfaces, and this operating system is "windows", not POSIX',
  );
});

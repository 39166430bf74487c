import assert from "node:assert/strict";
import { runC, runtime, test } from "../harness.ts";
import {
  borrowedCString,
  buffer,
  callback,
  ClosedError,
  cstringArg,
  dlopen,
  i32,
  int,
  isize,
  ownedCString,
  pointer,
  readCString,
  setNonblockingThreads,
  size_t,
  struct,
  SyscallError,
  ThreadSafetyError,
  u16,
  u16be,
  u32,
  usize,
  void_,
} from "../../mod.ts";
import { openThreadsFixture, threadsFixturePath, threadsSymbols } from "./_threads_fixture.ts";

// int pipe(int fds[2]); ssize_t read(int, void *, size_t); ssize_t write(int, const void *, size_t);
// int usleep(useconds_t); int poll(struct pollfd *, nfds_t, int); int close(int); char *strerror(int)
const libc = dlopen("libc.so.6", {
  pipe: { args: [buffer], returns: int, fails: -1 },
  write: { args: [int, buffer, size_t], returns: isize, fails: -1 },
  close: { args: [int], returns: int },
  read: { args: [int, buffer, size_t], returns: isize, nonblocking: true },
  readChecked: { args: [int, buffer, size_t], returns: isize, nonblocking: true, fails: -1, symbol: "read" },
  readErrno: { args: [int, buffer, size_t], returns: isize, nonblocking: true, errno: true, symbol: "read" },
  usleep: { args: [u32], returns: int, nonblocking: true },
  usleepErrno: { args: [u32], returns: int, nonblocking: true, errno: true, symbol: "usleep" },
  poll: { args: [buffer, size_t, int], returns: int, nonblocking: true, fails: -1 },
  strerror: { args: [int], returns: pointer, nonblocking: true, errno: true },
});

function openPipe(): [number, number] {
  const fds = new Int32Array(2);
  libc.symbols.pipe(fds);
  return [fds[0]!, fds[1]!];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const variant of ["read", "readErrno"] as const) {
  test(`a non-blocking ${variant}() on a pipe lets a timer run and write the bytes it waits for`, async () => {
    const [reader, writer] = openPipe();
    try {
      const bytes = new Uint8Array(16);
      let firedAt = 0;
      const timer = setTimeout(() => {
        firedAt = performance.now();
        libc.symbols.write(writer, new TextEncoder().encode("hello"), 5n);
      }, 50);
      const pending = libc.symbols[variant](reader, bytes, 16n);
      assert.ok(pending instanceof Promise);
      const result = await pending;
      clearTimeout(timer);
      const count = typeof result === "object" ? result.value : result;
      assert.equal(count, 5n);
      assert.ok(firedAt > 0, "the timer fired while read() blocked");
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "hello");
      if (typeof result === "object") assert.equal(result.errno, 0);
    } finally {
      libc.symbols.close(reader);
      libc.symbols.close(writer);
    }
  });
}

for (const variant of ["usleep", "usleepErrno"] as const) {
  test(`${variant}() ×8 in parallel takes about one sleep`, async () => {
    const previous = setNonblockingThreads(8);
    try {
      const parallel = 8;
      const sleepMs = 300;
      // Start the pool threads first: their start-up is not the question here.
      await Promise.all(Array.from({ length: parallel }, () => libc.symbols[variant](1000)));
      const started = performance.now();
      await Promise.all(Array.from({ length: parallel }, () => libc.symbols[variant](sleepMs * 1000)));
      const took = performance.now() - started;
      assert.ok(took >= sleepMs - 5, `took ${took} ms`);
      assert.ok(took < sleepMs * 2.5, `${parallel} sleeps of ${sleepMs} ms took ${took.toFixed(0)} ms`);
    } finally {
      setNonblockingThreads(previous);
    }
  });
}

test("setNonblockingThreads() bounds the calls that run at once", async () => {
  const previous = setNonblockingThreads(2);
  try {
    const started = performance.now();
    // Through the toolkit's pool on both runtimes (errno is captured): 4 sleeps of 150 ms, 2 at a time.
    await Promise.all(Array.from({ length: 4 }, () => libc.symbols.usleepErrno(150_000)));
    const took = performance.now() - started;
    assert.ok(took >= 295, `took ${took.toFixed(0)} ms`);
  } finally {
    setNonblockingThreads(previous);
  }
  assert.throws(() => setNonblockingThreads(0), RangeError);
  assert.throws(() => setNonblockingThreads(1.5), RangeError);
});

test("a non-blocking poll() waits for a pipe a timer writes to", async () => {
  const [reader, writer] = openPipe();
  try {
    // struct pollfd { int fd; short events; short revents; }: 8 bytes; POLLIN = 1.
    const fds = new DataView(new ArrayBuffer(8));
    fds.setInt32(0, reader, true);
    fds.setInt16(4, 1, true);
    let fired = false;
    setTimeout(() => {
      fired = true;
      libc.symbols.write(writer, new Uint8Array([7]), 1n);
    }, 50);
    const ready = await libc.symbols.poll(fds, 1n, 5000);
    assert.equal(fired, true);
    assert.equal(ready, 1);
    assert.equal(fds.getInt16(6, true) & 1, 1, "revents has POLLIN");
  } finally {
    libc.symbols.close(reader);
    libc.symbols.close(writer);
  }
});

test("a failing non-blocking call gives C's errno, from the thread that ran it", async () => {
  const ebadf = Number(runC(`#include <errno.h>\n#include <stdio.h>\nint main(void){printf("%d",EBADF);}`));
  const result = await libc.symbols.readErrno(-1, new Uint8Array(4), 4n);
  assert.deepEqual(result, { value: -1n, errno: ebadf });
  await assert.rejects(libc.symbols.readChecked(-1, new Uint8Array(4), 4n), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.errno, ebadf);
    assert.equal(error.code, "EBADF");
    return true;
  });
  // A success between failures reads 0, not the other calls' errno.
  const [reader, writer] = openPipe();
  libc.symbols.write(writer, new Uint8Array([1]), 1n);
  const calls = [
    libc.symbols.readErrno(-1, new Uint8Array(1), 1n),
    libc.symbols.readErrno(reader, new Uint8Array(1), 1n),
    libc.symbols.readErrno(-1, new Uint8Array(1), 1n),
  ];
  assert.deepEqual((await Promise.all(calls)).map((r) => r.errno), [ebadf, 0, ebadf]);
  libc.symbols.close(reader);
  libc.symbols.close(writer);
});

test("a pointer result of a non-blocking call on the pool is a Pointer", async () => {
  const { value } = await libc.symbols.strerror(9);
  assert.ok(value !== null);
  assert.match(readCString(value), /Bad file descriptor/);
});

test("a buffer lent to a call in flight is kept safe: written back, or refused once detached", async () => {
  const fixture = openThreadsFixture();
  try {
    const kept = new Uint8Array(8);
    await fixture.symbols.thr_fill_later(kept, 8, 1000);
    assert.deepEqual([...kept], [1, 2, 3, 4, 5, 6, 7, 8]);

    const lent = new Uint8Array(64 * 1024);
    const pending = fixture.symbols.thr_fill_later(lent, lent.length, 100_000);
    const moved = new Uint8Array(lent.buffer.transfer()); // detaches the view C was given
    assert.equal(lent.byteLength, 0);
    moved.fill(0xee);
    await assert.rejects(pending, ThreadSafetyError);
    assert.ok(moved.every((byte) => byte === 0xee), "C never wrote into the transferred memory");

    // A view of shared memory is lent as it is: C's bytes are there before the promise settles.
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    const call = fixture.symbols.thr_fill_later(shared, 4, 20_000);
    while (shared[3] !== 4) await sleep(5);
    await call;
  } finally {
    fixture.close();
  }
});

test("a resizable ArrayBuffer is refused at the call of a non-blocking function", () => {
  const fixture = openThreadsFixture();
  try {
    const resizable = new ArrayBuffer(8, { maxByteLength: 16 });
    assert.throws(
      () => fixture.symbols.thr_fill_later(new Uint8Array(resizable), 8, 0),
      (error: unknown) => error instanceof ThreadSafetyError && /resizable/.test(error.message),
    );
  } finally {
    fixture.close();
  }
});

test("a library closed while a non-blocking call is in flight lets the call finish", async () => {
  for (const symbol of ["usleep", "usleepErrno"] as const) {
    const library = dlopen("libc.so.6", {
      usleep: { args: [u32], returns: int, nonblocking: true },
      usleepErrno: { args: [u32], returns: int, nonblocking: true, errno: true, symbol: "usleep" },
    });
    const fn = library.symbols[symbol];
    const pending = fn(100_000);
    library.close();
    const result = await pending;
    assert.equal(typeof result === "object" ? result.value : result, 0);
    assert.throws(() => library.symbols[symbol], ClosedError);
    // A function taken out before close() keeps working, as a blocking one does.
    const again = await fn(1000);
    assert.equal(typeof again === "object" ? again.value : again, 0);
  }
});

test("a non-blocking declaration that cannot cross threads is refused when the table is read", () => {
  const pair = struct({ a: i32, b: i32 });
  assert.throws(
    () =>
      dlopen(threadsFixturePath, {
        pass: { args: [pair], returns: i32, nonblocking: true, symbol: "thr_join" },
      }),
    runtime === "deno" ? ThreadSafetyError : Error,
  );
  assert.throws(
    () => dlopen(threadsFixturePath, { thr_join: { args: [], returns: i32, nonblocking: "yes" as never } }),
    /"nonblocking" must be a boolean/,
  );
});

test("a non-blocking declaration whose values the wrapper would convert is refused when the table is read", () => {
  // u16be swapped, an owned string freed, a borrowed one read, extra types per call: none reach the pool's threads.
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ["htons", { args: [u16], returns: u16be }, /the result has a byte order/],
    ["htons", { args: [u16be], returns: u16 }, /argument 0 has a byte order/],
    [
      "strdup",
      { args: [cstringArg], returns: ownedCString("free") },
      /the result .*is read or freed after the call/,
    ],
    [
      "getenv",
      { args: [cstringArg], returns: borrowedCString },
      /the result .*is read or freed after the call/,
    ],
    ["snprintf", { args: [buffer, usize, buffer], returns: i32, variadic: true }, /variadic function cannot/],
  ];
  for (const [name, definition, message] of refused) {
    assert.throws(
      () => dlopen("libc.so.6", { [name]: { ...definition, nonblocking: true } as never }),
      message,
      name,
    );
  }
});

test("a callback() for the JavaScript thread is refused by a non-blocking call", () => {
  const fixture = openThreadsFixture();
  using plain = callback({ args: [i32], returns: i32 }, (x) => x);
  try {
    assert.throws(() => fixture.symbols.thr_call_on_thread(plain, 1), ThreadSafetyError);
    assert.throws(() => fixture.symbols.thr_call_on_thread(plain.pointer, 1), ThreadSafetyError);
  } finally {
    fixture.close();
  }
  void threadsSymbols;
  void void_;
});

test("a non-blocking symbol's type is a Promise of what the blocking one returns", () => {
  type Read = ReturnType<typeof libc.symbols.read>;
  type ReadErrno = ReturnType<typeof libc.symbols.readErrno>;
  type Blocking = ReturnType<typeof libc.symbols.close>;
  const read: Read extends Promise<bigint> ? (Promise<bigint> extends Read ? true : false) : false = true;
  const withErrno: ReadErrno extends Promise<{ value: bigint; errno: number }> ? true : false = true;
  const blocking: Blocking extends number ? true : false = true;
  assert.deepEqual([read, withErrno, blocking], [true, true, true]);
});

import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { fixturePath, openFixture } from "./_fixture.ts";
import {
  dlopen,
  Errno,
  errnoCapture,
  errnoMessage,
  errnoName,
  i32,
  int,
  lastErrno,
  size_t,
  SyscallError,
  u16,
  u32,
  u64,
} from "../../mod.ts";

test("errno: true returns the error code of that very call", () => {
  using lib = openFixture();
  assert.deepEqual(lib.symbols.fail_with(Errno.EBADF), { value: -1, errno: 9 });
  assert.deepEqual(lib.symbols.fail_with(Errno.ENOENT), { value: -1, errno: 2 });
  // errno is reset before each call, so a call that does not set it reports 0, not a stale code.
  assert.deepEqual(lib.symbols.succeed(), { value: 0, errno: 0 });
});

test("fails: -1 throws SyscallError naming the call, number, name and message", () => {
  using libc = dlopen("libc.so.6", { close: { args: [int], returns: int, fails: -1 } });
  assert.throws(() => libc.symbols.close(-1), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.name, "SyscallError");
    assert.equal(error.syscall, "close");
    assert.equal(error.errno, 9);
    assert.equal(error.code, "EBADF");
    assert.equal(error.description, "Bad file descriptor");
    assert.equal(error.message, "close failed: EBADF (9): Bad file descriptor");
    return true;
  });
});

test("errnoName() and errnoMessage() agree with the C library", () => {
  assert.equal(errnoCapture(), "errno-cell");
  assert.equal(errnoName(3), "ESRCH");
  assert.equal(errnoName(2), "ENOENT");
  // Beyond the built-in table, glibc's strerrorname_np answers.
  assert.equal(errnoName(121), "EREMOTEIO");
  assert.equal(errnoMessage(2), "No such file or directory");
  assert.match(errnoName(99999), /^E99999$/);
});

test("errno capture holds under garbage-collection pressure", async () => {
  using lib = openFixture();
  const gc = (globalThis as { gc?: () => void }).gc ??
    (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc.bind(null, true);
  let garbage: unknown[] = [];
  let mismatches = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 2000; i++) {
      const code = 1 + ((i * 7 + round) % 120);
      // Allocate between calls so that collections happen between (and around) them.
      garbage.push({ i, s: `row ${i}`, big: BigInt(i) * 3n });
      const result = lib.symbols.fail_with(code);
      if (result.errno !== code) mismatches++;
      if (lib.symbols.succeed().errno !== 0) mismatches++;
    }
    garbage = [];
    if (round % 8 === 0) gc?.();
    // Let timers, microtasks and the runtime's own work run between rounds.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(mismatches, 0);
  assert.equal(lastErrno(), 0);
});

test("errno capture is per thread: a worker's failing calls never leak into the main thread", async () => {
  const worker = new Worker(new URL("./_errno_worker.ts", import.meta.url), { type: "module" });
  const done = new Promise<{ calls: number; mismatches: number }>((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(String((event as ErrorEvent).message)));
  });
  using lib = openFixture();
  let mismatches = 0;
  let calls = 0;
  let finished = false;
  done.finally(() => finished = true);
  while (!finished) {
    for (let i = 0; i < 1000; i++) {
      if (lib.symbols.fail_with(Errno.EINVAL).errno !== Errno.EINVAL) mismatches++;
      calls++;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const fromWorker = await done;
  worker.terminate();
  assert.ok(calls > 1000 && fromWorker.calls > 1000, `${calls} and ${fromWorker.calls} calls`);
  assert.equal(mismatches, 0);
  assert.equal(fromWorker.mismatches, 0);
});

test("fails: -1 matches an unsigned result's all-ones value, as C's (size_t)-1 does", () => {
  using lib = dlopen(fixturePath, {
    fail_u32: { args: [i32], returns: u32, fails: -1 },
    fail_size: { args: [i32], returns: size_t, fails: -1 },
    fail_size_n: { args: [i32], returns: u64, fails: -1n, symbol: "fail_size" },
    fail_u16: { args: [i32], returns: u16, fails: -1, symbol: "fail_u32" },
    not_failing: { args: [i32], returns: u32, fails: 0, symbol: "fail_u32" },
  });
  assert.throws(() => lib.symbols.fail_u32(Errno.EACCES), {
    name: "SyscallError",
    syscall: "fail_u32",
    errno: 13,
  });
  assert.throws(() => lib.symbols.fail_size(Errno.ENOENT), { syscall: "fail_size", code: "ENOENT" });
  assert.throws(() => lib.symbols.fail_size_n(Errno.EIO), { syscall: "fail_size_n", code: "EIO" });
  // (uint16_t)-1 is 0xffff: the low half of the u32 C returned.
  assert.throws(() => lib.symbols.fail_u16(Errno.EINVAL), { code: "EINVAL" });
  assert.equal(lib.symbols.not_failing(Errno.EIO), 0xffffffff);
});

test("dlopen() refuses unknown keys in a symbol definition and its options, and a fails of the wrong type", () => {
  assert.throws(
    () => dlopen(fixturePath, { fail_u32: { args: [i32], returns: u32, fail: -1 } as never }),
    {
      name: "TypeError",
      message: 'Cannot read the definition of symbol "fail_u32": unknown key "fail"; the keys are args, ' +
        "returns, errno, fails, symbol, optional, nonblocking, variadic",
    },
  );
  assert.throws(
    () => dlopen(fixturePath, { fail_u32: { args: [i32], returns: u32 } }, { lazzy: true } as never),
    /Cannot load library ".*": unknown option "lazzy" \(expected lazy, systemOnly\)/,
  );
  assert.throws(
    () => dlopen(fixturePath, { fail_u32: { args: [i32], returns: u32, fails: "-1" as never } }),
    /Cannot declare symbol "fail_u32": "fails" must be a number, BigInt, boolean, null or predicate, got "-1"/,
  );
  assert.throws(
    () => dlopen(fixturePath, { fail_u32: { args: [i32], returns: u32, errno: 1 as never } }),
    /"errno" must be a boolean, got number/,
  );
  assert.throws(() => dlopen(fixturePath, null as never), /expected a symbol table object, got null/);
});

test("errnoName() and errnoMessage() refuse a code that is not an integer, and name 0 E0", () => {
  assert.throws(() => errnoName(1.5), {
    name: "RangeError",
    message: "Cannot find the name of error code 1.5: expected an integer",
  });
  assert.throws(() => errnoMessage(Number.NaN), /Cannot find the message of error code NaN/);
  assert.equal(errnoName(0), "E0");
  assert.equal(errnoName(2 ** 31), "E2147483648", "beyond C's int: no name, and no call");
  assert.equal(errnoMessage(2 ** 31), "Unknown error 2147483648");
});

import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import {
  dlopen,
  Errno,
  errnoCapture,
  errnoMessage,
  errnoName,
  int,
  lastErrno,
  SyscallError,
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

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../harness.ts";
import { buffer, dlopen, Errno, growRetry, pointer, readCString, size_t } from "../../mod.ts";

const libc = dlopen("libc.so.6", { getcwd: { args: [buffer, size_t], returns: pointer, errno: true } });

test("growRetry() reads a deep working directory through getcwd's ERANGE", () => {
  const deep = join(
    mkdtempSync(join(tmpdir(), "ffikit-")),
    ..."a-rather-long-directory-name".repeat(12).match(/.{1,20}/g)!,
  );
  mkdirSync(deep, { recursive: true });
  const previous = process.cwd();
  process.chdir(deep);
  try {
    const sizes: number[] = [];
    const cwd = growRetry((bytes) => {
      sizes.push(bytes.byteLength);
      const { value, errno } = libc.symbols.getcwd(bytes, bytes.byteLength);
      if (value !== null) return { done: true, value: readCString(bytes) };
      // getcwd does not say how much it needs: ERANGE means "larger", anything else is an error.
      if (errno !== Errno.ERANGE) throw new Error(`getcwd failed with errno ${errno}`);
      return { done: false };
    }, { initialSize: 16 });
    assert.equal(cwd, process.cwd());
    assert.deepEqual(sizes.slice(0, 3), [16, 256, 512], "it doubled from the floor of 256 bytes");
  } finally {
    process.chdir(previous);
  }
});

test("growRetry() grows straight to the size the callee asks for", () => {
  const sizes: number[] = [];
  const value = growRetry((bytes) => {
    sizes.push(bytes.byteLength);
    return bytes.byteLength >= 5000 ? { done: true, value: "ok" } : { done: false, size: 5000 };
  });
  assert.equal(value, "ok");
  assert.deepEqual(sizes, [0, 5000]);
});

test("growRetry() retries when the table grows between the size query and the read", () => {
  let needed = 100;
  const sizes: number[] = [];
  growRetry((bytes) => {
    sizes.push(bytes.byteLength);
    if (bytes.byteLength >= needed) return { done: true, value: null };
    const asked = needed;
    if (sizes.length === 1) needed += 24; // a row appeared between the size query and the read
    return { done: false, size: asked };
  });
  // The size asked for fell short once: the next buffer is half as large again as the size asked for.
  assert.deepEqual(sizes, [0, 100, 186]);
});

test("growRetry() adds headroom to the size asked for, so that a few new rows need no extra call", () => {
  let needed = 100;
  const sizes: number[] = [];
  growRetry((bytes) => {
    sizes.push(bytes.byteLength);
    if (bytes.byteLength >= needed) return { done: true, value: null };
    const asked = needed;
    needed += 24; // a row appears between every two calls
    return { done: false, size: asked };
  }, { headroom: 48 });
  assert.deepEqual(sizes, [0, 148]);
});

test("growRetry() catches up with a callee that grows faster than the calls come", () => {
  // Each call finds 40 % more rows than the call before asked for: exact sizes would trail it for ever.
  let needed = 1000;
  const sizes: number[] = [];
  const value = growRetry((bytes) => {
    sizes.push(bytes.byteLength);
    if (bytes.byteLength >= needed) return { done: true, value: bytes.byteLength };
    const asked = needed;
    needed = Math.ceil(needed * 1.4);
    return { done: false, size: asked };
  }, { maxAttempts: 8 });
  assert.ok(value >= 1000);
  assert.deepEqual(sizes, [0, 1000, 2100]);
});

test("growRetry()'s last error lists the sizes it tried and what the callee last asked for", () => {
  let asked = 100;
  assert.throws(
    () => growRetry(() => ({ done: false, size: asked += 100 }), { maxAttempts: 3 }),
    {
      name: "RangeError",
      message: "Cannot fill the buffer: still too small after 3 attempts (sizes tried: 0, 200, 450 bytes; " +
        "the last attempt asked for 400 bytes)",
    },
  );
  assert.throws(() => growRetry(() => ({ done: true, value: 1 }), { headroom: -1 }), /with headroom -1/);
});

test("growRetry() is bounded in size and in attempts", () => {
  assert.throws(
    () => growRetry(() => ({ done: false, size: 1 << 30 }), { maxSize: 1 << 20 }),
    /Cannot grow the buffer to 1073741824 bytes: the limit is 1048576/,
  );
  assert.throws(() => growRetry(() => ({ done: false }), { maxSize: 1024 }), /past its limit of 1024 bytes/);
  let calls = 0;
  assert.throws(
    () =>
      growRetry(() => {
        calls++;
        return { done: false };
      }, { maxAttempts: 3 }),
    /still too small after 3 attempts/,
  );
  assert.equal(calls, 3);
  assert.throws(() => growRetry(() => ({ done: true, value: 1 }), { initialSize: -1 }), RangeError);
});

test("growRetry() says what is wrong with an attempt's answer or an option", () => {
  assert.throws(
    () => growRetry(() => undefined as never),
    {
      name: "TypeError",
      message: "Cannot read what attempt 1 of growRetry() returned: expected { done: true, value } or " +
        "{ done: false, size? }, got undefined",
    },
  );
  assert.throws(
    () => growRetry(() => ({ done: false, size: 1.5 })),
    /Cannot grow the buffer: attempt 1 asked for 1.5 bytes, not a whole number/,
  );
  assert.throws(() => growRetry(() => ({ done: false, size: Number.NaN })), /asked for NaN bytes/);
  assert.throws(
    () => growRetry(() => ({ done: true, value: 1 }), { initialSize: "x" as never }),
    /Cannot call growRetry\(\) with initialSize "x": expected an integer from 0 to 67108864/,
  );
  assert.throws(() => growRetry(() => ({ done: false }), { maxSize: Number.NaN }), /with maxSize NaN/);
  assert.throws(() => growRetry(() => ({ done: true, value: 1 }), { maxAttempts: 0 }), /with maxAttempts 0/);
});

test("growRetry() names a size under maxSize that the engine cannot allocate, with the engine's error as cause", () => {
  const huge = 2 ** 44;
  let calls = 0;
  assert.throws(
    () =>
      growRetry((buffer) => {
        calls++;
        return buffer.byteLength >= huge ? { done: true, value: 1 } : { done: false, size: huge };
      }, { maxSize: 2 ** 50 }),
    (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.equal(
        error.message,
        `Cannot grow the buffer to ${huge} bytes for attempt 2: the JavaScript engine cannot allocate it`,
      );
      assert.ok(error.cause instanceof RangeError, "the engine's own error is the cause");
      return true;
    },
  );
  assert.equal(calls, 1);
});

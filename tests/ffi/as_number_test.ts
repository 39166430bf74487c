import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  asNumber,
  callback,
  dlopen,
  functionPointer,
  i64,
  size_t,
  ssize_t,
  u64,
  UnsafeIntegerError,
  unsafeRead,
} from "../../mod.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

// C's own arithmetic is the reference: 2^53 + 1 has no number, 2^40 and -2^40 have.
const path = compileC(`
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
size_t an_big(void) { return ((size_t)1 << 53) + 1; }
size_t an_safe(void) { return (size_t)1 << 40; }
ssize_t an_negative(void) { return -((ssize_t)1 << 40); }
size_t an_max_safe(void) { return ((size_t)1 << 53) - 1; }
size_t an_twice(size_t n) { return 2 * n; }
/* Calls back with 2^40 + 3, then with 2^53 + 1, and sums what it returned. */
int64_t an_call_back(int64_t (*f)(uint64_t)) { return f(((uint64_t)1 << 40) + 3) + f(((uint64_t)1 << 53) + 1); }
size_t an_value = ((size_t)1 << 40) + 7;
size_t an_big_value = ((size_t)1 << 53) + 1;
`);

const symbols = {
  an_big: { args: [], returns: asNumber(size_t) },
  an_safe: { args: [], returns: asNumber(size_t) },
  an_negative: { args: [], returns: asNumber(ssize_t) },
  an_max_safe: { args: [], returns: asNumber(size_t) },
  an_twice: { args: [size_t], returns: asNumber(size_t) },
  an_plain: { args: [], returns: size_t, symbol: "an_safe" },
  an_twice_plain: { args: [size_t], returns: size_t, symbol: "an_twice" },
  an_call_back: { args: [functionPointer], returns: i64 },
  an_value: { variable: true, type: asNumber(size_t) },
  an_big_value: { variable: true, type: asNumber(size_t) },
  an_address: { variable: true, symbol: "an_value" },
} as const;

test("asNumber() results give a number, and throw UnsafeIntegerError with the exact value past 2^53 - 1", () => {
  using lib = dlopen(path, symbols);
  const safe = lib.symbols.an_safe();
  assert.equal(safe, 2 ** 40);
  assert.equal(typeof safe, "number");
  assert.equal(lib.symbols.an_negative(), -(2 ** 40));
  assert.equal(lib.symbols.an_max_safe(), Number.MAX_SAFE_INTEGER);
  assert.equal(lib.symbols.an_twice(21), 42);
  assert.equal(lib.symbols.an_plain(), 2n ** 40n); // the type it wraps reads a bigint, as before
  assert.throws(() => lib.symbols.an_big(), (error: unknown) => {
    assert.ok(error instanceof UnsafeIntegerError);
    assert.ok(error instanceof RangeError);
    assert.equal(error.value, 2n ** 53n + 1n);
    assert.equal(error.type, "size_t");
    assert.equal(
      error.message,
      "Cannot read the result of an_big() as a number: 9007199254740993 is not a safe integer (declare it size_t " +
        "to read a bigint)",
    );
    return true;
  });
  // Types follow the declaration.
  const typed: [Equal<typeof safe, number>, Equal<ReturnType<typeof lib.symbols.an_plain>, bigint>] = [
    true,
    true,
  ];
  assert.ok(typed);
});

test("asNumber() callback arguments arrive as numbers; past 2^53 - 1 the callback's call throws", () => {
  using lib = dlopen(path, symbols);
  const seen: number[] = [];
  using safeOnly = callback({ args: [asNumber(u64)], returns: i64 }, (n) => {
    const typed: Equal<typeof n, number> = true;
    assert.ok(typed);
    seen.push(n);
    return 1;
  });
  // C's second call back brings 2^53 + 1: the conversion throws before the function runs, as a callback's error
  // does (C gets 0), and the runtime throws it from the call.
  assert.throws(() => lib.symbols.an_call_back(safeOnly), (error: unknown) => {
    assert.ok(error instanceof UnsafeIntegerError);
    assert.equal(error.value, 2n ** 53n + 1n);
    assert.match(error.message, /^Cannot read argument 0 of a callback as a number: 9007199254740993/);
    return true;
  });
  assert.deepEqual(seen, [2 ** 40 + 3]);
  using plain = callback({ args: [u64], returns: i64 }, (n) => {
    const typed: Equal<typeof n, bigint> = true;
    assert.ok(typed);
    return n === 2n ** 53n + 1n ? 5n : 2n;
  });
  assert.equal(lib.symbols.an_call_back(plain), 7n);
});

test("unsafeRead() of asNumber() and a variable view of asNumber() give numbers", () => {
  using lib = dlopen(path, symbols);
  const address = lib.symbols.an_address;
  const read = unsafeRead(address, asNumber(size_t));
  const plainRead = unsafeRead(address, size_t);
  const typed: [Equal<typeof read, number>, Equal<typeof plainRead, bigint>] = [true, true];
  assert.ok(typed);
  assert.equal(read, 2 ** 40 + 7);
  assert.equal(plainRead, 2n ** 40n + 7n);
  const view = lib.symbols.an_value;
  const value: Equal<typeof view.value, number> = true;
  assert.ok(value);
  assert.equal(view.value, 2 ** 40 + 7);
  view.value = 12;
  assert.equal(unsafeRead(address, size_t), 12n);
  assert.throws(() => lib.symbols.an_big_value.value, { name: "UnsafeIntegerError" });
  // An unsafe number is refused when written, as by struct fields.
  assert.throws(() => (view.value = 2 ** 53 + 2), { name: "UnsafeIntegerError" });
  view.value = 2 ** 40 + 7;
});

test("a number argument past 2^53 - 1 for a 64-bit parameter is refused with UnsafeIntegerError", () => {
  using lib = dlopen(path, symbols);
  assert.equal(lib.symbols.an_twice(2 ** 51), 2 ** 52);
  assert.equal(lib.symbols.an_twice_plain(Number.MAX_SAFE_INTEGER), 2n * BigInt(Number.MAX_SAFE_INTEGER));
  assert.throws(() => lib.symbols.an_twice(-1), {
    name: "RangeError",
    message: /expected a BigInt or integer from 0/,
  });
  for (const value of [2 ** 53, 2 ** 60, 2 ** 64 - 2048]) {
    assert.throws(() => lib.symbols.an_twice(value), (error: unknown) => {
      assert.ok(error instanceof UnsafeIntegerError);
      assert.equal(error.value, value);
      assert.equal(error.type, "usize");
      assert.equal(
        error.message,
        `Cannot pass argument 0 of an_twice(): ${value} is not a safe integer, so it may not be the one meant ` +
          "for usize; pass a bigint",
      );
      return true;
    });
  }
  using libc = dlopen("libc.so.6", { labs: { args: [i64], returns: i64 } });
  assert.throws(() => libc.symbols.labs(-(2 ** 53)), {
    name: "UnsafeIntegerError",
    message: /argument 0 of labs/,
  });
  assert.equal(libc.symbols.labs(-(2 ** 53 - 1)), 2n ** 53n - 1n);
  // A bigint still takes the full range.
  assert.equal(libc.symbols.labs(-(2n ** 63n) + 1n), 2n ** 63n - 1n);
  assert.equal(lib.symbols.an_twice_plain(2n ** 62n + 1n), 2n ** 63n + 2n);
});

test("asNumber() results of non-blocking calls settle as numbers, or reject with UnsafeIntegerError", async () => {
  using lib = dlopen(path, {
    an_safe: { args: [], returns: asNumber(size_t), nonblocking: true },
    an_big: { args: [], returns: asNumber(size_t), nonblocking: true },
    an_negative: { args: [], returns: asNumber(ssize_t), nonblocking: true, errno: true },
  });
  const safe = await lib.symbols.an_safe();
  const typed: Equal<typeof safe, number> = true;
  assert.ok(typed);
  assert.equal(safe, 2 ** 40);
  assert.equal((await lib.symbols.an_negative()).value, -(2 ** 40));
  await assert.rejects(lib.symbols.an_big(), {
    name: "UnsafeIntegerError",
    message: /the result of an_big\(\)/,
  });
});

import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  alloc,
  buffer,
  callback,
  cstring,
  cstringArg,
  dlopen,
  functionPointer,
  i32,
  type Pointer,
  pointer,
  readCString,
  u64,
  unsafePointerAddress,
  unsafePointerFromAddress,
  unsafeRead,
} from "../../mod.ts";

// C tells the toolkit's pointers from their bits, and makes pointers from bits, so that each check is C's.
const path = compileC(`
#include <stdint.h>
void *hp_identity(void *p) { return p; }
uint64_t hp_bits(void *p) { return (uint64_t)(uintptr_t)p; }
void *hp_from_bits(uint64_t v) { return (void *)(uintptr_t)v; }
uint64_t hp_call(uint64_t (*f)(void *), void *p) { return f(p); }
uint64_t hp_call2(uint64_t (*f)(void *, void *), void *a, void *b) { return f(a, b); }
`);

const symbols = {
  hp_identity: { args: [pointer], returns: pointer },
  hp_bits: { args: [pointer], returns: u64 },
  hp_from_bits: { args: [u64], returns: pointer },
  hp_call: { args: [functionPointer, pointer], returns: u64 },
  hp_call2: { args: [functionPointer, pointer, pointer], returns: u64 },
} as const;

// (void*)-1 (SQLITE_TRANSIENT, MAP_FAILED), other values above 2^53 and around it, and kernel-half addresses.
const HIGH = [
  2n ** 64n - 1n,
  2n ** 64n - 2n,
  2n ** 64n - 2048n,
  2n ** 63n,
  2n ** 63n + 1n,
  0x123456789abcdef1n,
  2n ** 53n + 1n,
  2n ** 53n,
  2n ** 53n - 1n,
  2n ** 47n,
  1n,
];

test("unsafePointerFromAddress() keeps every address up to 2^64 - 1 exact, through C both ways", () => {
  using lib = dlopen(path, symbols);
  const s = lib.symbols;
  for (const address of HIGH) {
    const made = unsafePointerFromAddress(address)!;
    assert.equal(unsafePointerAddress(made), address);
    assert.equal(s.hp_bits(made), address, `C reads ${address.toString(16)}`);
    const back = s.hp_identity(made)!;
    assert.equal(unsafePointerAddress(back), address, `identity of ${address.toString(16)}`);
    const fromC = s.hp_from_bits(address)!;
    assert.equal(unsafePointerAddress(fromC), address, `C's ${address.toString(16)}`);
    assert.equal(s.hp_bits(fromC), address);
  }
});

test("a callback receives a pointer above 2^53 exactly", () => {
  using lib = dlopen(path, symbols);
  const seen: bigint[] = [];
  using bits = callback({ args: [pointer], returns: u64 }, (p: Pointer | null) => {
    const address = unsafePointerAddress(p!);
    seen.push(address);
    return address;
  });
  for (const address of [2n ** 64n - 1n, 2n ** 63n + 1n, 2n ** 53n + 1n]) {
    assert.equal(lib.symbols.hp_call(bits, unsafePointerFromAddress(address)), address);
  }
  assert.deepEqual(seen, [2n ** 64n - 1n, 2n ** 63n + 1n, 2n ** 53n + 1n]);
});

test("a callback taking two pointers gets null for NULL in either place, and each pointer exactly", () => {
  // Where the runtime passes addresses (Bun), a callback boxes them on one path when none is NULL and on
  // another when one is: both must give the same values.
  using lib = dlopen(path, symbols);
  using pair = callback(
    { args: [pointer, pointer], returns: u64 },
    (a: Pointer | null, b: Pointer | null) => {
      const x = a === null ? 0n : unsafePointerAddress(a);
      const y = b === null ? 0n : unsafePointerAddress(b);
      return (x === 0n ? 0n : x % 1000n) * 10000n + (y === 0n ? 0n : y % 1000n) +
        (a === null ? 1n << 40n : 0n) +
        (b === null ? 1n << 41n : 0n);
    },
  );
  const p = (n: bigint) => unsafePointerFromAddress(n);
  const call = (a: bigint, b: bigint) => lib.symbols.hp_call2(pair, p(a), p(b));
  assert.equal(call(4096n + 7n, 8192n + 9n), 103n * 10000n + 201n);
  assert.equal(call(0n, 8192n + 9n), 201n + (1n << 40n));
  assert.equal(call(4096n + 7n, 0n), 103n * 10000n + (1n << 41n));
  assert.equal(call(0n, 0n), (1n << 40n) + (1n << 41n));
  assert.equal(call(2n ** 64n - 1n, 5n), (((2n ** 64n - 1n) % 1000n) * 10000n) + 5n);
});

test("SQLITE_TRANSIENT, (void*)-1, passes to sqlite3_bind_text on both runtimes", () => {
  using sqlite = dlopen("libsqlite3.so.0", {
    sqlite3_open: { args: [cstringArg, buffer], returns: i32 }, // int sqlite3_open(const char *, sqlite3 **)
    sqlite3_close: { args: [pointer], returns: i32 }, // int sqlite3_close(sqlite3 *)
    // int sqlite3_prepare_v2(sqlite3 *, const char *zSql, int nByte, sqlite3_stmt **, const char **pzTail)
    sqlite3_prepare_v2: { args: [pointer, cstringArg, i32, buffer, pointer], returns: i32 },
    // int sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, void (*)(void *))
    sqlite3_bind_text: { args: [pointer, i32, buffer, i32, pointer], returns: i32 },
    sqlite3_step: { args: [pointer], returns: i32 }, // int sqlite3_step(sqlite3_stmt *)
    sqlite3_column_text: { args: [pointer, i32], returns: pointer }, // const unsigned char *(sqlite3_stmt *, int)
    sqlite3_finalize: { args: [pointer], returns: i32 }, // int sqlite3_finalize(sqlite3_stmt *)
  });
  const s = sqlite.symbols;
  const SQLITE_TRANSIENT = unsafePointerFromAddress(2n ** 64n - 1n);
  const out = new BigUint64Array(1);
  assert.equal(s.sqlite3_open(cstring(":memory:"), out), 0);
  const db = unsafePointerFromAddress(out[0]!);
  assert.equal(s.sqlite3_prepare_v2(db, cstring("SELECT ?1 || ?1"), -1, out, null), 0);
  const statement = unsafePointerFromAddress(out[0]!);
  // SQLITE_TRANSIENT makes sqlite copy the text at once: the buffer is overwritten before the step.
  const text = cstring("abc");
  assert.equal(s.sqlite3_bind_text(statement, 1, text, -1, SQLITE_TRANSIENT), 0);
  text.fill(0x7a, 0, 3);
  assert.equal(s.sqlite3_step(statement), 100); // SQLITE_ROW
  assert.equal(readCString(s.sqlite3_column_text(statement, 0)!), "abcabc");
  assert.equal(s.sqlite3_finalize(statement), 0);
  assert.equal(s.sqlite3_close(db), 0);
});

test("unsafeRead(p, pointer) reads an address above 2^53 from memory exactly", () => {
  const words = new BigUint64Array([2n ** 64n - 7n, 2n ** 53n + 1n, 2n ** 53n - 1n, 0x7fff_dead_beefn]);
  using memory = alloc(words.byteLength);
  memory.bytes.set(new Uint8Array(words.buffer));
  words.forEach((word, i) => {
    assert.equal(unsafePointerAddress(unsafeRead(memory.pointer, pointer, i * 8)), word, `word ${i}`);
  });
});

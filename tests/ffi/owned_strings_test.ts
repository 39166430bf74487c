import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import process from "node:process";
import { compileC, test } from "../harness.ts";
import {
  cstring,
  cstringArg,
  dlopen,
  i32,
  i64,
  ownedCString,
  ownedWString,
  type Pointer,
  pointer,
  size_t,
  void_,
} from "../../mod.ts";

// A counting deallocator, and libc's own count of memory mapped for large blocks, so that each free is seen by C.
const path = compileC(`
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
static int frees;
char *os_copy(const char *s) { return strdup(s); }
char *os_null(void) { return NULL; }
void os_free(void *p) { if (p) frees++; free(p); }
int os_frees(void) { return frees; }
/* u"h\\u00e9llo\\U0001F600" in a block the caller frees. */
uint16_t *os_wide(void) {
  static const uint16_t text[] = { 'h', 0xe9, 'l', 'l', 'o', 0xd83d, 0xde00, 0 };
  uint16_t *out = malloc(sizeof text);
  memcpy(out, text, sizeof text);
  return out;
}
/* Bytes malloc has handed out and not had back (in its main arena and in blocks it mapped). */
size_t os_in_use(void) { struct mallinfo2 m = mallinfo2(); return m.uordblks + m.hblkhd; }
`);

const fixture = {
  os_copy: { args: [cstringArg], returns: ownedCString("os_free") },
  os_copyRaw: { args: [cstringArg], returns: pointer, symbol: "os_copy" },
  os_null: { args: [], returns: ownedCString("os_free") },
  os_free: { args: [pointer], returns: void_ },
  os_frees: { args: [], returns: i32 },
  os_wide: { args: [], returns: ownedWString("os_free") },
  os_in_use: { args: [], returns: size_t },
} as const;

test("ownedCString() reads the string, then calls the deallocator the table names, once per call", () => {
  using lib = dlopen(path, fixture);
  const s = lib.symbols;
  const before = s.os_frees();
  assert.equal(s.os_copy(cstring("héllo 😀")), "héllo 😀");
  assert.equal(s.os_copy(cstring("")), "");
  assert.equal(s.os_frees(), before + 2);
  // NULL is null, and nothing is freed.
  assert.equal(s.os_null(), null);
  assert.equal(s.os_frees(), before + 2);
  // The control: the same function declared as returning a pointer frees nothing.
  const raw = s.os_copyRaw(cstring("kept"));
  assert.equal(s.os_frees(), before + 2);
  s.os_free(raw);
  assert.equal(s.os_frees(), before + 3);
  assert.equal(s.os_wide(), "héllo😀");
  assert.equal(s.os_frees(), before + 4);
});

test("ownedCString() with libc's free: strdup, realpath(path, NULL) and getcwd(NULL, 0); the copy is freed", () => {
  using lib = dlopen(path, fixture);
  using libc = dlopen("libc.so.6", {
    strdup: { args: [cstringArg], returns: ownedCString("free") }, // char *strdup(const char *s)
    strdupRaw: { args: [cstringArg], returns: pointer, symbol: "strdup" },
    free: { args: [pointer], returns: void_ }, // void free(void *ptr)
    realpath: { args: [cstringArg, pointer], returns: ownedCString("free") }, // char *realpath(const char *, char *)
    getcwd: { args: [pointer, size_t], returns: ownedCString("free"), fails: null }, // char *getcwd(char *, size_t)
  });
  // A 2 MiB string: libc's own count of the bytes in use shows whether its copy was freed. Other threads of the
  // runtime allocate too, so the check allows a margin far below the string's size.
  const big = "x".repeat(2 << 20);
  const margin = BigInt(big.length / 4);
  // Encoded first: V8 takes an ArrayBuffer's memory from malloc too.
  const text = cstring(big);
  const inUse = lib.symbols.os_in_use();
  assert.equal(libc.symbols.strdup(text), big);
  assert.ok(lib.symbols.os_in_use() < inUse + margin, "strdup's copy was freed");
  const beforeControl = lib.symbols.os_in_use();
  const kept = libc.symbols.strdupRaw(text);
  const withControl = lib.symbols.os_in_use();
  assert.ok(withControl > beforeControl + BigInt(big.length) - margin, "the control keeps its copy");
  libc.symbols.free(kept);
  assert.ok(lib.symbols.os_in_use() < withControl - BigInt(big.length) + margin);
  assert.equal(libc.symbols.realpath(cstring("."), null), realpathSync(process.cwd()));
  assert.equal(libc.symbols.getcwd(null, 0), process.cwd());
});

test("ownedCString() takes a function as deallocator, and refuses a bad one or use as a parameter", () => {
  using lib = dlopen(path, fixture);
  const freed: Pointer[] = [];
  const free = (p: Pointer) => {
    freed.push(p);
    lib.symbols.os_free(p);
  };
  const before = lib.symbols.os_frees();
  using again = dlopen(path, { os_copy: { args: [cstringArg], returns: ownedCString(free) } });
  assert.equal(again.symbols.os_copy(cstring("abc")), "abc");
  assert.equal(freed.length, 1);
  assert.equal(lib.symbols.os_frees(), before + 1);
  assert.throws(() => ownedCString("" as never), /expected a deallocator/);
  assert.throws(() => ownedCString(5 as never), /expected a deallocator/);
  assert.throws(
    () => dlopen(path, { os_free: { args: [ownedCString("free") as never], returns: void_ } }),
    /Cannot declare argument 0 of "os_free" as "char \* freed by free": it is a result type/,
  );
  assert.throws(
    () => dlopen(path, { os_copy: { args: [cstringArg], returns: ownedCString("no_such_free") } }),
    {
      name: "SymbolNotFoundError",
    },
  );
});

test("ownedCString() with sqlite3: sqlite3_mprintf's string freed by sqlite3_free", () => {
  using sqlite = dlopen("libsqlite3.so.0", {
    // char *sqlite3_mprintf(const char *zFormat, ...): called with no variadic arguments.
    sqlite3_mprintf: { args: [cstringArg], returns: ownedCString("sqlite3_free") },
    sqlite3_mprintfRaw: { args: [cstringArg], returns: pointer, symbol: "sqlite3_mprintf" },
    sqlite3_free: { args: [pointer], returns: void_ }, // void sqlite3_free(void *)
    sqlite3_memory_used: { args: [], returns: i64 }, // sqlite3_int64 sqlite3_memory_used(void)
  });
  const s = sqlite.symbols;
  const used = s.sqlite3_memory_used();
  assert.equal(s.sqlite3_mprintf(cstring("100%% sure")), "100% sure");
  assert.equal(s.sqlite3_memory_used(), used, "sqlite3_free ran");
  const kept = s.sqlite3_mprintfRaw(cstring("kept"));
  assert.ok(s.sqlite3_memory_used() > used, "the control keeps its string");
  s.sqlite3_free(kept);
  assert.equal(s.sqlite3_memory_used(), used);
});

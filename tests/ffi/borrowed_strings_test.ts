/**
 * `borrowedCString` results: a `const char *` the library keeps, read as a string in the call, checked against
 * what C itself holds there (a fixture that hands out its own strings and counts what it was asked).
 */
import assert from "node:assert/strict";
import { compileC, runC, test } from "../harness.ts";
import {
  borrowedCString,
  callback,
  cstring,
  cstringArg,
  dlopen,
  int,
  pointer,
  readCString,
  SyscallError,
  ThreadSafetyError,
} from "../../mod.ts";

const path = compileC(
  `
#include <stddef.h>
static const char *const texts[] = { "plain", "h\\xc3\\xa9llo \\xf0\\x9f\\x98\\x80", "", "caf\\xe9 (Latin-1, not UTF-8)" };
static char changing[8] = "before";
const char *bs_text(int i) { return i >= 0 && i < 4 ? texts[i] : NULL; }
const char *bs_changing(void) { return changing; }
void bs_change(void) { changing[0] = 'B'; }
`,
  { shared: true },
);

const fixture = () =>
  dlopen(path, {
    bs_text: { args: [int], returns: borrowedCString },
    bs_text_pointer: { symbol: "bs_text", args: [int], returns: pointer },
    bs_text_or_fail: { symbol: "bs_text", args: [int], returns: borrowedCString, fails: null },
    bs_changing: { args: [], returns: borrowedCString },
    bs_change: { args: [], returns: int },
  });

test("a borrowed string result is the C string, read as readCString reads the pointer, and NULL is null", () => {
  using lib = fixture();
  const s = lib.symbols;
  assert.equal(s.bs_text(0), "plain");
  assert.equal(s.bs_text(1), "h\u00e9llo \u{1F600}");
  assert.equal(s.bs_text(2), "");
  for (let i = 0; i < 4; i++) assert.equal(s.bs_text(i), readCString(s.bs_text_pointer(i)!), `text ${i}`);
  assert.equal(s.bs_text(4), null);
  assert.equal(s.bs_text_pointer(4), null);
});

test("a borrowed string is copied in the call: the library changing its memory later does not change it", () => {
  using lib = fixture();
  const before = lib.symbols.bs_changing();
  lib.symbols.bs_change();
  assert.equal(before, "before");
  assert.equal(lib.symbols.bs_changing(), "Before");
});

test("strerror's text through borrowedCString is what C's strerror prints", () => {
  using libc = dlopen("libc.so.6", { strerror: { args: [int], returns: borrowedCString } });
  const codes = [0, 1, 2, 13, 22, 110];
  const c = runC(`#include <stdio.h>
#include <string.h>
int main(void) { int codes[] = { ${
    codes.join(", ")
  } }; for (int i = 0; i < ${codes.length}; i++) printf("%s\\n", strerror(codes[i])); return 0; }
`).trimEnd().split("\n");
  assert.deepEqual(codes.map((code) => libc.symbols.strerror(code)), c);
});

test("fails: null on a borrowed string is a SyscallError for NULL", () => {
  using lib = fixture();
  assert.equal(lib.symbols.bs_text_or_fail(0), "plain");
  assert.throws(() => lib.symbols.bs_text_or_fail(9), SyscallError);
});

test("borrowedCString is a result type only: refused as an argument, a callback's result, and non-blocking", () => {
  assert.throws(
    () => dlopen("libc.so.6", { strlen: { args: [borrowedCString as never], returns: int } }),
    (error: unknown) =>
      error instanceof TypeError &&
      /argument 0 of "strlen" as "const char \*": it is a result type/.test(error.message),
  );
  assert.throws(() => callback({ args: [], returns: borrowedCString as never }, () => "x"), TypeError);
  assert.throws(
    () =>
      dlopen("libc.so.6", { getenv: { args: [cstringArg], returns: borrowedCString, nonblocking: true } }),
    ThreadSafetyError,
  );
  assert.equal(Object.isFrozen(borrowedCString), true);
  // The string is read with the call: nothing of it can be passed on as a pointer.
  using libc = dlopen("libc.so.6", { getenv: { args: [cstringArg], returns: borrowedCString } });
  assert.equal(typeof libc.symbols.getenv(cstring("PATH")), "string");
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import process from "node:process";
import { runC, test } from "../harness.ts";
import { callsFixturePath } from "./_calls_fixture.ts";
import {
  array,
  buffer,
  char,
  ClosedError,
  cstring,
  dlopen,
  f64,
  i32,
  int,
  long,
  pointer,
  readCString,
  struct,
  SymbolNotFoundError,
  unsafeOffsetPointer,
  unsafeRead,
  void_,
} from "../../mod.ts";
import type { Pointer } from "../../mod.ts";

test("a variable entry gives environ, which holds the process environment", () => {
  using libc = dlopen("libc.so.6", { environ: { variable: true } });
  const strings = unsafeRead(libc.symbols.environ, pointer)!;
  const seen = new Map<string, string>();
  for (let i = 0;; i++) {
    const entry = unsafeRead(unsafeOffsetPointer(strings, i * 8), pointer);
    if (entry === null) break;
    const text = readCString(entry);
    const equals = text.indexOf("=");
    seen.set(text.slice(0, equals), text.slice(equals + 1));
  }
  // Each entry is what the runtime's environment says (Bun's test runner adds NODE_ENV there alone), and the
  // environment the process started with (/proc) has every key.
  assert.ok(seen.size > 0);
  for (const [key, value] of seen) assert.equal(process.env[key], value, key);
  const initial = readFileSync("/proc/self/environ", "utf8").split("\0").filter((entry) => entry !== "");
  for (const entry of initial) assert.ok(seen.has(entry.slice(0, entry.indexOf("="))), entry);
});

test("a typed variable entry gives stdout and stderr as FILE pointers: fileno() is 1 and 2", () => {
  using libc = dlopen("libc.so.6", {
    stdout: { variable: true, type: pointer },
    stderr: { variable: true, type: pointer },
    fileno: { args: [pointer], returns: i32 },
  });
  assert.equal(libc.symbols.fileno(libc.symbols.stdout.value), 1);
  assert.equal(libc.symbols.fileno(libc.symbols.stderr.value), 2);
});

test("timezone and daylight read what C reads after tzset()", () => {
  using libc = dlopen("libc.so.6", {
    timezone: { variable: true, type: long },
    daylight: { variable: true, type: int },
    tzset: { args: [], returns: void_ },
    setenv: { args: [buffer, buffer, i32], returns: i32 },
    unsetenv: { args: [buffer], returns: i32 },
  });
  const c = runC(`#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
  setenv("TZ", "NZST-12NZDT", 1);
  tzset();
  printf("%ld %d", timezone, daylight);
  return 0;
}`);
  const before = process.env.TZ;
  libc.symbols.setenv(cstring("TZ"), cstring("NZST-12NZDT"), 1);
  try {
    libc.symbols.tzset();
    assert.equal(`${libc.symbols.timezone.value} ${libc.symbols.daylight.value}`, c);
    assert.equal(c, "-43200 1");
  } finally {
    if (before === undefined) libc.symbols.unsetenv(cstring("TZ"));
    else libc.symbols.setenv(cstring("TZ"), cstring(before), 1);
    libc.symbols.tzset();
  }
});

// struct calls_config { int32_t flags; double scale; char name[16]; };
const calls_config = struct({ flags: i32, scale: f64, name: array(char, 16) });

const fixture = {
  calls_config: { variable: true, type: calls_config },
  calls_counter: { variable: true, type: i32 },
  config_address: { variable: true, symbol: "calls_config" },
  calls_config_flags: { args: [], returns: i32 },
  calls_config_scale: { args: [], returns: f64 },
  calls_next: { args: [], returns: i32 },
} as const;

test("a library's global struct: written from JavaScript, read from C, and back", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const config = lib.symbols.calls_config;
  assert.equal(config.flags, 7);
  assert.equal(config.scale, 2.5);
  assert.equal(readCString(lib.symbols.config_address, 16), "fixture");
  config.flags = 1234;
  config.scale = -0.125;
  assert.equal(lib.symbols.calls_config_flags(), 1234);
  assert.equal(lib.symbols.calls_config_scale(), -0.125);
  const counter = lib.symbols.calls_counter;
  counter.value = 99;
  assert.equal(lib.symbols.calls_next(), 100);
  assert.equal(counter.value, 100);
  assert.equal(unsafeRead(lib.symbols.config_address, i32), 1234);
});

test("a variable is refused after the library's close(): its pointer, its view and its entry", () => {
  const lib = dlopen(callsFixturePath, fixture);
  const address = lib.symbols.config_address;
  const config = lib.symbols.calls_config;
  assert.equal(config.flags > 0 || config.flags <= 0, true);
  lib.close();
  assert.throws(() => lib.symbols.calls_config, ClosedError);
  assert.throws(() => unsafeRead(address, i32), ClosedError);
  assert.throws(() => config.flags, TypeError);
});

test("a lazy library binds a variable at its first use", () => {
  using lib = dlopen(callsFixturePath, { calls_counter: { variable: true, type: i32 } }, { lazy: true });
  assert.equal(typeof lib.symbols.calls_counter.value, "number");
});

test("a missing variable is a SymbolNotFoundError, or null when optional", () => {
  assert.throws(() => dlopen(callsFixturePath, { no_such_global: { variable: true } }), SymbolNotFoundError);
  using lib = dlopen(callsFixturePath, { no_such_global: { variable: true, optional: true } });
  assert.equal(lib.symbols.no_such_global, null);
});

test("a malformed variable entry is a TypeError naming it", () => {
  assert.throws(() => dlopen(callsFixturePath, { calls_counter: { variable: false } } as never), {
    name: "TypeError",
    message: 'Cannot declare variable "calls_counter": "variable" must be true, got false',
  });
  assert.throws(() => dlopen(callsFixturePath, { calls_counter: { variable: true, typ: i32 } } as never), {
    name: "TypeError",
    message: /unknown key "typ"/,
  });
  assert.throws(
    () => dlopen(callsFixturePath, { calls_counter: { variable: true, type: buffer } } as never),
    {
      name: "TypeError",
      message: /"type" must be a struct, union or scalar/,
    },
  );
});

test("a variable entry's type follows its declaration", () => {
  using lib = dlopen(callsFixturePath, fixture);
  const address: Pointer = lib.symbols.config_address;
  const counter: number = lib.symbols.calls_counter.value;
  const scale: number = lib.symbols.calls_config.scale;
  assert.ok(address !== null && typeof counter === "number" && typeof scale === "number");
  // @ts-expect-error: an i32 variable holds a number
  assert.throws(() => (lib.symbols.calls_counter.value = "1"), TypeError);
});

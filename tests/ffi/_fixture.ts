/** The ffi tests' C library (tests/fixtures/ffi_fixture.c), compiled with cc on first use. */
import { readFileSync } from "node:fs";
import { compileC } from "../harness.ts";
import {
  bool,
  buffer,
  dlopen,
  f32,
  f64,
  functionPointer,
  i32,
  i64,
  i8,
  type Library,
  pointer,
  size_t,
  u16,
  u32,
  u64,
  void_,
} from "../../mod.ts";

/** Path of the compiled fixture library. */
export const fixturePath: string = compileC(
  readFileSync(new URL("../fixtures/ffi_fixture.c", import.meta.url), "utf8"),
);

/** The fixture's symbol table. */
export const fixtureSymbols = {
  add_i32: { args: [i32, i32], returns: i32 },
  add_i64: { args: [i64, i64], returns: i64 },
  max_u64: { args: [], returns: u64 },
  scale: { args: [f64, f32], returns: f64 },
  is_odd: { args: [i32], returns: bool },
  neg_i8: { args: [i8], returns: i8 },
  swap16: { args: [u16], returns: u16 },
  sum7: { args: [i32, i32, i32, i32, i32, i32, i32], returns: i32 },
  sum_bytes: { args: [buffer, size_t], returns: i64 },
  fail_with: { args: [i32], returns: i32, errno: true },
  fail_checked: { args: [i32], returns: i32, fails: -1, symbol: "fail_with" },
  succeed: { args: [], returns: i32, errno: true },
  null_pointer: { args: [], returns: pointer },
  utf16_units: { args: [buffer], returns: size_t },
  utf16_checksum: { args: [buffer], returns: u32 },
  utf16_hello: { args: [], returns: pointer },
  utf8_hello: { args: [], returns: pointer },
  keep: { args: [pointer], returns: void_ },
  keep_buffer: { args: [buffer], returns: void_, symbol: "keep" },
  peek: { args: [size_t], returns: i32 },
  apply_twice: { args: [functionPointer, i32], returns: i32 },
  apply_u64: { args: [functionPointer, u64], returns: i64 },
  apply_ptr: { args: [functionPointer, pointer], returns: pointer },
  store_callback: { args: [functionPointer], returns: void_ },
  call_stored: { args: [i32], returns: i32 },
  mmapped_bytes: { args: [], returns: size_t },
  apply_recorded: { args: [functionPointer, i32], returns: i32 },
  last_returned: { args: [], returns: i32 },
} as const;

/** Opens the fixture library. */
export function openFixture(): Library<typeof fixtureSymbols> {
  return dlopen(fixturePath, fixtureSymbols);
}

/**
 * Forces a full collection: Deno's `gc()` (run Deno with `--v8-flags=--expose-gc`, as tests/run.ts does) or
 * `Bun.gc(true)`; `undefined` when neither is available.
 */
export const forceCollection: (() => void) | undefined = (globalThis as { gc?: () => void }).gc ??
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc.bind(null, true);

/** Why a test that needs `forceCollection` is skipped, or `false`. */
export const needsCollection: string | false = forceCollection
  ? false
  : "needs a way to force a collection: run Deno with --v8-flags=--expose-gc";

/**
 * Collects garbage and lets finalizers run until `done()` says so, for at most 50 rounds.
 *
 * @returns Whether `done()` became true.
 */
export async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 50 && !done(); i++) {
    forceCollection!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return done();
}

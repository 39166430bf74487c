/** The thread tests' C library (tests/fixtures/threads_fixture.c), compiled with cc -pthread on first use. */
import { readFileSync } from "node:fs";
import { compileC } from "../harness.ts";
import { buffer, dlopen, functionPointer, i32, type Library } from "../../mod.ts";

/** Path of the compiled library. */
export const threadsFixturePath: string = compileC(
  readFileSync(new URL("../fixtures/threads_fixture.c", import.meta.url), "utf8"),
  { flags: ["-pthread"] },
);

/** Its symbol table. */
export const threadsSymbols = {
  thr_start: { args: [functionPointer, i32, i32], returns: i32 },
  thr_join: { args: [], returns: i32, nonblocking: true },
  thr_call_on_thread: { args: [functionPointer, i32], returns: i32, nonblocking: true },
  thr_gettid: { args: [], returns: i32 },
  thr_fill_later: { args: [buffer, i32, i32], returns: i32, nonblocking: true },
} as const;

/** Opens the library. */
export function openThreadsFixture(): Library<typeof threadsSymbols> {
  return dlopen(threadsFixturePath, threadsSymbols);
}

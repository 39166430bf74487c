/** The C library of the function-pointer, variadic and global-variable tests (tests/fixtures/calls_fixture.c). */
import { readFileSync } from "node:fs";
import { compileC } from "../harness.ts";

/** Path of the compiled library. */
export const callsFixturePath: string = compileC(
  readFileSync(new URL("../fixtures/calls_fixture.c", import.meta.url), "utf8"),
);

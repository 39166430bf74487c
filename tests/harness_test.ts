import assert from "node:assert/strict";
import { compileC, runC, runtime, test } from "./harness.ts";

test("harness runs on the runtime it names", () => {
  assert.equal(runtime, "Bun" in globalThis ? "bun" : "deno");
});

test("runC() compiles and runs a C program", () => {
  assert.equal(runC(`#include <stdio.h>\nint main(void){printf("%zu", sizeof(long));return 0;}`), "8");
  assert.match(compileC("int f(void){return 1;}"), /\.so$/);
});

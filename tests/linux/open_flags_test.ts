import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import { O } from "../../mod.ts";

test("O agrees with fcntl.h", () => {
  const names = Object.keys(O);
  const c = runC(`#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
int main(void) {
  printf("${names.map(() => "%d").join(" ")}", ${names.map((name) => `O_${name}`).join(", ")});
  return 0;
}`);
  assert.equal(Object.values(O).join(" "), c);
});

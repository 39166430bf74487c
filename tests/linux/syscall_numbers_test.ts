import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import { nameSyscalls, SYS, SYS_AARCH64, SYS_X86_64, syscall, SyscallError } from "../../mod.ts";

const arch = (globalThis as unknown as { process: { arch: string } }).process.arch;

test("SYS agrees with this machine's sys/syscall.h, and names the same calls on both machines", () => {
  const names = Object.keys(SYS);
  const c = runC(`#include <stdio.h>
#include <sys/syscall.h>
int main(void) {
  printf("${names.map(() => "%ld").join(" ")}", ${names.map((name) => `(long)SYS_${name}`).join(", ")});
  return 0;
}`);
  assert.equal(Object.values(SYS).join(" "), c);
  assert.equal(SYS, arch === "arm64" ? SYS_AARCH64 : SYS_X86_64);
  assert.deepEqual(Object.keys(SYS_AARCH64), Object.keys(SYS_X86_64));
});

test("syscall() names a failed call by the name SYS gives its number", () => {
  assert.throws(() => syscall(SYS.close, -1), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.syscall, `syscall close (${SYS.close})`);
    assert.equal(error.code, "EBADF");
    return true;
  });
});

test("nameSyscalls() names other numbers and refuses what is not a table of numbers", () => {
  nameSyscalls({ unassigned_1001: 1001 });
  assert.throws(() => syscall(1001), { syscall: "syscall unassigned_1001 (1001)", code: "ENOSYS" });
  assert.throws(() => syscall(1002), { syscall: "syscall 1002", code: "ENOSYS" });
  assert.throws(() => nameSyscalls({ bad: -1 }), {
    name: "TypeError",
    message: 'Cannot name system call "bad": expected a non-negative integer, got -1',
  });
  assert.throws(() => nameSyscalls(null as never), TypeError);
  assert.throws(() => syscall(1003), { syscall: "syscall 1003" }, "a refused table names nothing");
});

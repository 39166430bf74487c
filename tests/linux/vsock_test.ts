/** getLocalCid() against the same ioctl made by a C program, and its errors for a missing or wrong device. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { runC, test } from "../harness.ts";
import { SyscallError } from "../../mod.ts";
import { getLocalCid, IOCTL_VM_SOCKETS_GET_LOCAL_CID } from "../../linux/mod.ts";

const noDevice = existsSync("/dev/vsock")
  ? false
  : "this machine has no /dev/vsock (the vsock transport is not loaded)";

const C_PROGRAM = `
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vm_sockets.h>
int main(void) {
  int fd = open("/dev/vsock", O_RDONLY);
  if (fd < 0) { perror("open"); return 1; }
  unsigned int cid = 0;
  if (ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid) < 0) { perror("ioctl"); return 1; }
  printf("%u %lu\\n", cid, (unsigned long)IOCTL_VM_SOCKETS_GET_LOCAL_CID);
  close(fd);
  return 0;
}
`;

test("getLocalCid() returns the CID the same ioctl gives a C program", () => {
  const [cid, request] = runC(C_PROGRAM).trim().split(" ").map(Number);
  assert.equal(IOCTL_VM_SOCKETS_GET_LOCAL_CID, request, "the request number <linux/vm_sockets.h> defines");
  assert.equal(getLocalCid(), cid);
}, { ignore: noDevice });

// Only a missing /dev/vsock means the transport is not loaded; that path cannot be tested on a machine that has
// one, so this checks that a path of the caller's own is not blamed on the transport.
test("getLocalCid() of a missing device of the caller's own fails with ENOENT naming it, not the transport", () => {
  assert.throws(() => getLocalCid({ device: "/dev/no-such-vsock" }), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.code, "ENOENT");
    assert.equal(error.errno, 2);
    assert.equal(error.syscall, "open /dev/no-such-vsock");
    assert.match(error.message, /: \/dev\/no-such-vsock does not exist$/);
    assert.doesNotMatch(error.message, /transport/);
    return true;
  });
});

test("getLocalCid() of a device that is not vsock fails with SyscallError ENOTTY from ioctl", () => {
  assert.throws(() => getLocalCid({ device: "/dev/null" }), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.code, "ENOTTY");
    assert.equal(error.syscall, "ioctl /dev/null");
    assert.match(error.message, /not a vsock device/);
    return true;
  });
});

import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import { _IO, _IOR, _IOW, _IOWR, FIONREAD, IOCTL_VM_SOCKETS_GET_LOCAL_CID } from "../../mod.ts";

test("_IO, _IOR, _IOW and _IOWR agree with the C macros, and FIONREAD and IOCTL_VM_SOCKETS_GET_LOCAL_CID with their headers", () => {
  const c = runC(`#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/ioctl.h>
#include <linux/vm_sockets.h>
int main(void) {
  printf("%u %u %u %u %u %u", (unsigned)_IO('x', 1), (unsigned)_IOR('x', 2, int), (unsigned)_IOW(0xAB, 3, long),
    (unsigned)_IOWR('T', 255, char[100]), (unsigned)IOCTL_VM_SOCKETS_GET_LOCAL_CID, (unsigned)FIONREAD);
  return 0;
}`);
  const ours = [_IO("x", 1), _IOR("x", 2, 4), _IOW(0xab, 3, 8), _IOWR("T", 255, 100), _IO(7, 0xb9), FIONREAD];
  assert.equal(ours.join(" "), c);
  // Written out in linux/vsock.ts (nothing encoded at import): the same number as C's and as `_IO(7, 0xb9)`.
  assert.equal(IOCTL_VM_SOCKETS_GET_LOCAL_CID, Number(c.split(" ")[4]));
});

test("_IO, _IOR, _IOW and _IOWR refuse a field out of its range", () => {
  assert.throws(() => _IOR("x", 256, 4), {
    name: "RangeError",
    message: "Cannot encode ioctl request: type x, number 256, size 4 out of range",
  });
  assert.throws(() => _IOR("x", 1, 1 << 14), RangeError);
  assert.throws(() => _IOW(256, 1, 4), RangeError);
  assert.throws(() => _IO(1, 1.5), RangeError);
  assert.throws(() => _IO("xy", 1), RangeError);
  assert.equal(_IOWR(255, 255, (1 << 14) - 1), 0xffffffff, "every field at its largest");
});

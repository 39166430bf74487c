import assert from "node:assert/strict";
import { readlinkSync } from "node:fs";
import { test } from "../harness.ts";
import { openFixture } from "./_fixture.ts";
import {
  _IO,
  _IOR,
  _IOW,
  _IOWR,
  alloc,
  buffer,
  closeDescriptor,
  dlopen,
  Fd,
  FIONREAD,
  i32,
  int,
  ioctl,
  nameIoctls,
  O,
  openFd,
  pipe,
  size_t,
  SYS,
  syscall,
  SyscallError,
  unsafeIoctl,
  unsafeSyscall,
} from "../../mod.ts";

const pid = (globalThis as unknown as { process: { pid: number } }).process.pid;
const libc = dlopen("libc.so.6", { write: { args: [int, buffer, size_t], returns: i32, fails: -1 } });

test("syscall(SYS.getpid) agrees with the runtime's pid", () => {
  assert.equal(syscall(SYS.getpid), BigInt(pid));
  assert.equal(syscall(SYS.getppid) > 0n, true);
});

test("syscall() throws SyscallError naming the call and errno", () => {
  assert.throws(() => syscall(SYS.close, -1), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.code, "EBADF");
    assert.equal(error.errno, 9);
    assert.match(error.syscall, /^syscall close \(\d+\)$/);
    return true;
  });
  assert.throws(() => syscall(SYS.kill, 0x7ffffff0, 0), { code: "ESRCH" });
  assert.throws(() => syscall(-1), RangeError);
  assert.throws(() => syscall(SYS.getpid, 1, 2, 3, 4, 5, 6, 7), /at most 6/);
});

test("syscall() lends a buffer for the call: write(2) to a pipe", () => {
  const [reader, writer] = pipe();
  try {
    const written = syscall(SYS.write, writer.fd, new TextEncoder().encode("hello"), 5);
    assert.equal(written, 5n);
    const into = new Uint8Array(16);
    assert.equal(syscall(SYS.read, reader.fd, into, 16), 5n);
    assert.equal(new TextDecoder().decode(into.subarray(0, 5)), "hello");
  } finally {
    reader.close();
    writer.close();
  }
});

test("syscall() keeps one wrapper per kind of arguments, not per count", () => {
  const [reader, writer] = pipe();
  try {
    // Three arguments each time: all numbers; a buffer between numbers; a null pointer between numbers.
    assert.throws(() => syscall(SYS.lseek, reader.fd, 0, 1), { code: "ESPIPE" });
    assert.equal(syscall(SYS.write, writer.fd, new Uint8Array([1, 2, 3]), 3), 3n);
    assert.throws(() => syscall(SYS.write, writer.fd, null, 3), { code: "EFAULT" });
    assert.throws(() => syscall(SYS.lseek, writer.fd, 0, 1), { code: "ESPIPE" });
    const into = new Uint8Array(8);
    assert.equal(syscall(SYS.read, reader.fd, into, 8), 3n);
    assert.deepEqual([...into.subarray(0, 3)], [1, 2, 3]);
  } finally {
    reader.close();
    writer.close();
  }
});

test("ioctl(FIONREAD) counts the bytes pending in a pipe", () => {
  const [reader, writer] = pipe();
  try {
    const count = new Int32Array(1);
    ioctl(reader, FIONREAD, count);
    assert.equal(count[0], 0);
    libc.symbols.write(writer.fd, new Uint8Array(1234), 1234);
    ioctl(reader.fd, FIONREAD, count);
    assert.equal(count[0], 1234);
  } finally {
    reader.close();
    writer.close();
  }
});

test("ioctl() on a closed descriptor fails with EBADF; a wrong request with ENOTTY", () => {
  const [reader, writer] = pipe();
  const fd = reader.fd;
  reader.close();
  writer.close();
  assert.throws(() => ioctl(fd, FIONREAD, new Int32Array(1)), {
    name: "SyscallError",
    code: "EBADF",
    syscall: "ioctl",
  });
  assert.throws(() => ioctl(reader, FIONREAD), {
    name: "ClosedError",
    message: `Cannot use file descriptor ${fd}: the descriptor is closed`,
    action: `use file descriptor ${fd}`,
    resource: "the descriptor",
  });
  using devnull = openFd("/dev/null", O.RDONLY);
  assert.throws(() => unsafeIoctl(devnull, 0x5401, /* TCGETS */ new Uint8Array(64)), { code: "ENOTTY" });
  assert.throws(() => ioctl(devnull, -1), RangeError);
});

test("openFd() opens a raw descriptor that /proc sees, and close() closes it", () => {
  const fd = openFd("/proc/self/status", O.RDONLY);
  assert.equal(readlinkSync(`/proc/self/fd/${fd.fd}`), "/proc/" + pid + "/status");
  const number = fd.fd;
  fd.close();
  assert.equal(fd.closed, true);
  assert.throws(() => readlinkSync(`/proc/self/fd/${number}`), /ENOENT/);
  fd.close();
});

test("openFd() and closeDescriptor() fail with the errno of the call", () => {
  assert.throws(() => openFd("/no/such/file"), { name: "SyscallError", syscall: "open", code: "ENOENT" });
  assert.throws(() => closeDescriptor(-1), { syscall: "close", code: "EBADF" });
  assert.throws(() => new Fd(-3), RangeError);
});

test("ioctl(), closeDescriptor() and Fd refuse -0, which Deno refused in its words and Bun passed as 0", () => {
  // Bun closed standard input for closeDescriptor(-0); its descriptor is checked to be still open.
  const stdin = () => readlinkSync("/proc/self/fd/0");
  const before = stdin();
  assert.throws(() => ioctl(-0, FIONREAD, new Int32Array(1)), {
    name: "RangeError",
    message: "Cannot call ioctl(): file descriptor is -0: pass 0",
  });
  assert.throws(() => closeDescriptor(-0), {
    name: "RangeError",
    message: "Cannot call close(): file descriptor is -0: pass 0",
  });
  assert.throws(() => new Fd(-0), { name: "RangeError", message: "Cannot own file descriptor -0" });
  assert.equal(stdin(), before);
});

test("an empty buffer reaches C as NULL on both runtimes, whatever view it is", () => {
  using lib = openFixture();
  // sum_bytes() answers -1 for NULL.
  const empties = [
    new Uint8Array(0),
    new Int32Array(0),
    new Uint8Array(16).subarray(16), // Deno passed the address one past the end
    new DataView(new ArrayBuffer(8), 8),
    new ArrayBuffer(0),
  ];
  for (const empty of empties) assert.equal(lib.symbols.sum_bytes(empty, 0), -1n, empty.constructor.name);
});

test("ioctl(FIONREAD) into an empty array fails with EFAULT instead of writing past it", () => {
  const [reader, writer] = pipe();
  try {
    libc.symbols.write(writer.fd, new Uint8Array(65), 65);
    assert.throws(() => unsafeIoctl(reader, FIONREAD, new Int32Array(0)), {
      name: "SyscallError",
      code: "EFAULT",
    });
    const neighbour = new Int32Array(4).fill(-1);
    assert.throws(() => unsafeIoctl(reader, FIONREAD, neighbour.subarray(4)), { code: "EFAULT" });
    assert.throws(() => ioctl(reader, FIONREAD, neighbour.subarray(4)), /FIONREAD \(0x541b, 4 bytes\)/);
    assert.deepEqual([...neighbour], [-1, -1, -1, -1]);
  } finally {
    reader.close();
    writer.close();
  }
});

test("ioctl() refuses a buffer smaller than the size an _IOR or _IOW request encodes, before the call", () => {
  // Descriptor -1: a call that reached the kernel would fail with EBADF.
  assert.throws(
    () => ioctl(-1, _IOR("x", 1, 8), new Uint8Array(4)),
    {
      name: "RangeError",
      message: "Cannot send ioctl request 0x80087801 (_IOR, 8 bytes): argument 2 has 4 bytes",
    },
  );
  assert.throws(
    () => ioctl(-1, _IOW("x", 2, 16), new Uint32Array(3)),
    /\(_IOW, 16 bytes\): argument 2 has 12/,
  );
  assert.throws(() => ioctl(-1, _IOWR("x", 3, 4), new Int32Array(0)), /\(_IOWR, 4 bytes\): argument 2 has 0/);
  assert.throws(() => ioctl(-1, _IOR("x", 1, 8), new Uint8Array(8)), { code: "EBADF" });
  assert.throws(
    () => unsafeIoctl(-1, _IO("x", 1), new Uint8Array(0)),
    { code: "EBADF" },
    "_IO encodes no size",
  );
});

test("ioctl() lends memory only for a request of known size, so the kernel never writes past the view", () => {
  const [reader, writer] = pipe();
  try {
    libc.symbols.write(writer.fd, new Uint8Array(65), 65);
    // The kernel wrote FIONREAD's 4 bytes into a 1-byte view: 3 bytes past it changed.
    const big = new Uint8Array(16).fill(0xee);
    assert.throws(() => ioctl(reader, FIONREAD, big.subarray(0, 1)), {
      name: "RangeError",
      message: "Cannot send ioctl request FIONREAD (0x541b, 4 bytes): argument 2 has 1 bytes",
    });
    assert.deepEqual([...big], new Array(16).fill(0xee));
    // A request of unknown size takes no memory through the safe name, and no Pointer either.
    assert.throws(() => ioctl(reader, 0x5401, new Uint8Array(64)), {
      name: "TypeError",
      message: /^Cannot send ioctl request 0x5401 with a buffer: its size is unknown.*unsafeIoctl\(\)$/,
    });
    assert.throws(() => ioctl(reader, _IO("x", 1), new Uint8Array(64)), /its size is unknown/);
    using memory = alloc(8);
    assert.throws(() => ioctl(reader, FIONREAD, memory.pointer), /with a Pointer.*unsafeIoctl\(\)/);
    // nameIoctls() describes one, then the size it gives is checked.
    nameIoctls({ FFIKIT_TEST_REQUEST: { request: 0x54ff, size: 12 } });
    assert.throws(() => ioctl(reader, 0x54ff, new Uint8Array(8)), /FFIKIT_TEST_REQUEST \(0x54ff, 12 bytes\)/);
    assert.throws(() => nameIoctls({ bad: { request: 1, size: 0 } }), TypeError);
    assert.throws(() => nameIoctls({ bad: { request: 1, size: 4, direction: 1 } as never }), TypeError);
    // The right size passes, and the unsafe name takes what the safe one refuses.
    assert.equal(ioctl(reader, FIONREAD, big.subarray(0, 4)), 0);
    assert.equal(new Int32Array(big.buffer, 0, 1)[0], 65);
    assert.equal(unsafeIoctl(reader, FIONREAD, memory.pointer), 0);
    assert.equal(memory.bytes[0], 65);
  } finally {
    reader.close();
    writer.close();
  }
});

test("syscall() lends memory only where its signature says, as far as its length, so the kernel stays inside", () => {
  const [reader, writer] = pipe();
  try {
    syscall(SYS.write, writer.fd, new Uint8Array(100).fill(7), 100);
    // read(2) of 64 bytes into a 4-byte view wrote 60 bytes past it.
    const big = new Uint8Array(128).fill(0xee);
    assert.throws(() => syscall(SYS.read, reader.fd, big.subarray(0, 4), 64), {
      name: "RangeError",
      message: `Cannot pass argument 2 of syscall read (${SYS.read}): the kernel reaches as many bytes as ` +
        "argument 3 says (64), and it has 4 bytes",
    });
    assert.throws(
      () => syscall(SYS.read, reader.fd, big.subarray(0, 4), -1),
      /says \(18446744073709551615\)/,
    );
    assert.deepEqual([...big], new Array(128).fill(0xee));
    // Memory for a call with no signature, or in a place the signature has none, or a Pointer: refused.
    assert.throws(() => syscall(SYS.ioctl, reader.fd, 0x541b, big), /knows no signature.*unsafeSyscall\(\)/);
    assert.throws(() => syscall(1000, big), /argument 1 of syscall 1000: the toolkit knows no signature/);
    assert.throws(() => syscall(SYS.read, big, big, 4), /argument 1 of syscall read .*takes no memory there/);
    using memory = alloc(64);
    assert.throws(() => syscall(SYS.read, reader.fd, memory.pointer, 64), /a Pointer.*unsafeSyscall\(\)/);
    // A path must hold its NUL; an in-out length is read from its buffer.
    assert.throws(
      () => syscall(SYS.openat, -100, new TextEncoder().encode("/"), 0),
      /up to its NUL, and it has none/,
    );
    const length = new Uint32Array([64]);
    assert.throws(
      () => syscall(SYS.getsockname, reader.fd, new Uint8Array(16), length),
      /the length in argument 3 says \(64\), and it has 16 bytes/,
    );
    // What fits passes; numbers only take any call; the unsafe name keeps the raw form.
    assert.equal(syscall(SYS.read, reader.fd, big.subarray(0, 64), 64), 64n);
    assert.equal(syscall(SYS.getppid) > 0n, true);
    assert.equal(unsafeSyscall(SYS.read, reader.fd, memory.pointer, 36), 36n);
    assert.equal(memory.bytes[35], 7);
    assert.throws(() => unsafeSyscall(SYS.ioctl, -1, 0x541b, new Uint8Array(4)), { code: "EBADF" });
  } finally {
    reader.close();
    writer.close();
  }
});

test("syscall(), ioctl() and the descriptor helpers refuse integers they cannot pass exactly", () => {
  const [reader, writer] = pipe();
  const open = () => readlinkSync(`/proc/self/fd/${reader.fd}`);
  try {
    // Bun truncated both to the descriptor and closed it.
    assert.throws(
      () => syscall(SYS.close, reader.fd + 0.5),
      {
        name: "RangeError",
        message: `Cannot pass argument 1 of syscall close (${SYS.close}): ${reader.fd + 0.5} is not an ` +
          "integer a number holds exactly (pass a BigInt beyond 2^53)",
      },
    );
    assert.throws(
      () => closeDescriptor(reader.fd + 0.9),
      {
        name: "RangeError",
        message: `Cannot call close(): file descriptor ${reader.fd + 0.9} is not an integer ` +
          "from -2147483648 to 2147483647",
      },
    );
    assert.match(open(), /^pipe:/, "the descriptor is still open");
    assert.throws(
      () => syscall(SYS.close, undefined as never, 5),
      /Cannot pass argument 1 of syscall close .*got undefined/,
    );
    assert.throws(() => syscall(SYS.getpid, Number.NaN), RangeError);
    assert.throws(
      () => syscall(SYS.getpid, 2n ** 64n),
      /18446744073709551616 does not fit in 64 bits/,
    );
    // Any 64-bit integer, unsigned too, reaches the kernel: close() takes 2^64 - 1 as descriptor 0xffffffff.
    assert.throws(() => syscall(SYS.close, 2n ** 64n - 1n), { name: "SyscallError", code: "EBADF" });
    assert.throws(
      () => ioctl(reader, FIONREAD, 1.5),
      /Cannot pass argument 2 of ioctl\(\): 1.5 is not an integer/,
    );
    assert.throws(
      () => ioctl(reader.fd + 0.5, FIONREAD, new Int32Array(1)),
      /Cannot call ioctl\(\): file descriptor/,
    );
    assert.throws(() => ioctl("3" as never, FIONREAD), { name: "TypeError" });
    assert.throws(() => closeDescriptor(2 ** 31), RangeError);
    assert.throws(() => openFd("/dev/null", 0.5), /Cannot call open\(\): flags 0.5 is not an integer/);
    assert.throws(() => openFd("/dev/null", O.RDONLY, -1), /mode -1 is not an integer from 0/);
    assert.throws(() => _IO(1, 1.5), RangeError);
    assert.throws(() => _IO("xy", 1), RangeError);
    assert.match(open(), /^pipe:/);
    assert.equal(syscall(SYS.close, BigInt(reader.fd)), 0n, "a BigInt descriptor is fine");
    assert.throws(open, /ENOENT/);
  } finally {
    writer.close();
  }
});

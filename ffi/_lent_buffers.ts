/**
 * What the kernel may do with memory lent to a system call, so that the safe `syscall` and `ioctl` lend a
 * buffer only where they know how far the kernel reaches: `syscall(SYS.read, fd, big.subarray(0, 4), 64)` let
 * the kernel write 60 bytes past the view, and `ioctl(fd, FIONREAD, big.subarray(0, 1))` 3.
 *
 * System calls are known by the name `nameSyscalls()` gave their number (linux/ does for `SYS`): `ffi/` knows
 * no operating system's numbers. `ioctl` requests carry their size in `_IOR`/`_IOW`/`_IOWR`, or are described
 * with `nameIoctls()`.
 *
 * @module
 */
import type { BufferSource } from "./types.ts";

/** Where a system call takes memory, and how far the kernel reaches into it. */
type Rule =
  /** The kernel reads or writes as many bytes as an integer argument says. */
  | { readonly buffer: number; readonly length: number }
  /** As many as the `socklen_t` held in another buffer argument says (an in-out length). */
  | { readonly buffer: number; readonly lengthIn: number }
  /** A fixed number of bytes. */
  | { readonly buffer: number; readonly size: number }
  /** A NUL-terminated string the kernel reads up to its NUL. */
  | { readonly buffer: number; readonly string: true };

const text = (buffer: number): Rule => ({ buffer, string: true });
const counted = (buffer: number, length: number): Rule => ({ buffer, length });
const sized = (buffer: number, size: number): Rule => ({ buffer, size });
// An address and its in-out socklen_t, whose 4 bytes the kernel reads and writes.
const address = (buffer: number, lengthIn: number): Rule[] => [{ buffer, lengthIn }, sized(lengthIn, 4)];

/**
 * The system calls that take memory, by name, with each argument (counted after the number) that is memory. Any
 * other argument of these, and any memory for a call not listed, is refused by the safe `syscall`.
 */
const SIGNATURES: Readonly<Record<string, readonly Rule[]>> = {
  read: [counted(1, 2)], // ssize_t read(int fd, void *buf, size_t count)
  write: [counted(1, 2)], // ssize_t write(int fd, const void *buf, size_t count)
  pread64: [counted(1, 2)], // ssize_t pread64(int fd, void *buf, size_t count, off_t offset)
  pwrite64: [counted(1, 2)], // ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
  getrandom: [counted(0, 1)], // ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)
  getcwd: [counted(0, 1)], // int getcwd(char *buf, unsigned long size)
  getdents64: [counted(1, 2)], // ssize_t getdents64(int fd, void *dirp, size_t count)
  // ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *addrlen)
  recvfrom: [counted(1, 2), ...address(4, 5)],
  // ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *dest, socklen_t addrlen)
  sendto: [counted(1, 2), counted(4, 5)],
  bind: [counted(1, 2)], // int bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
  connect: [counted(1, 2)], // int connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
  accept: address(1, 2), // int accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
  accept4: address(1, 2), // int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
  getsockname: address(1, 2), // int getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
  getpeername: address(1, 2), // int getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
  // int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
  getsockopt: address(3, 4),
  // int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
  setsockopt: [counted(3, 4)],
  pipe: [sized(0, 8)], // int pipe(int fds[2])
  pipe2: [sized(0, 8)], // int pipe2(int fds[2], int flags)
  uname: [sized(0, 390)], // int uname(struct utsname *buf): six fields of 65 chars
  clock_gettime: [sized(1, 16)], // int clock_gettime(clockid_t id, struct timespec *tp)
  nanosleep: [sized(0, 16), sized(1, 16)], // int nanosleep(const struct timespec *req, struct timespec *rem)
  sched_getaffinity: [counted(2, 1)], // int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask)
  sched_setaffinity: [counted(2, 1)], // int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)
  open: [text(0)], // int open(const char *path, int flags, mode_t mode)
  openat: [text(1)], // int openat(int dirfd, const char *path, int flags, mode_t mode)
  unlink: [text(0)], // int unlink(const char *path)
  unlinkat: [text(1)], // int unlinkat(int dirfd, const char *path, int flags)
  mkdir: [text(0)], // int mkdir(const char *path, mode_t mode)
  mkdirat: [text(1)], // int mkdirat(int dirfd, const char *path, mode_t mode)
  chdir: [text(0)], // int chdir(const char *path)
  memfd_create: [text(0)], // int memfd_create(const char *name, unsigned int flags)
  readlink: [text(0), counted(1, 2)], // ssize_t readlink(const char *path, char *buf, size_t bufsiz)
  // ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)
  readlinkat: [text(1), counted(2, 3)],
  // int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
  statx: [text(1), sized(4, 256)],
};

/** The bytes a buffer argument covers, or `null` for anything that is not memory. */
export function bytesOf(value: unknown): Uint8Array | null {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === "object" && value !== null && "bytes" in value) return bytesOf(value.bytes);
  return null;
}

function integer(value: unknown): bigint | null {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return null;
}

/**
 * Refuses memory a system call would reach past, before the call: memory for a call with no signature, memory
 * or a `Pointer` where the signature takes none, a buffer shorter than its length argument, a string with no
 * NUL. Only called when some argument is memory or a non-null `Pointer`.
 *
 * @param name The call's name (`nameSyscalls()`), or `undefined` for a number nobody named.
 * @param label How errors name the call: `syscall read (0)`.
 * @param args The arguments after the number.
 * @param isPointer Tells a `Pointer`.
 * @throws {TypeError} When memory or a `Pointer` is passed where no rule allows it (`unsafeSyscall` takes it).
 * @throws {RangeError} When a buffer is shorter than the kernel may reach, or a string has no NUL.
 */
export function checkLentMemory(
  name: string | undefined,
  label: string,
  args: ArrayLike<unknown>,
  isPointer: (value: unknown) => boolean,
): void {
  const rules = name === undefined
    ? undefined
    : Object.hasOwn(SIGNATURES, name)
    ? SIGNATURES[name]
    : undefined;
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    if (value === null || typeof value !== "object") continue;
    const where = `argument ${i + 1} of ${label}`;
    if (isPointer(value)) {
      throw new TypeError(
        `Cannot pass a Pointer as ${where}: the toolkit cannot tell how far the kernel reaches into it; ` +
          "call unsafeSyscall()",
      );
    }
    const rule = rules?.find((r) => r.buffer === i);
    if (rule === undefined) {
      throw new TypeError(
        `Cannot pass memory as ${where}: ` +
          (rules === undefined
            ? "the toolkit knows no signature for this system call, so not how far the kernel reaches into it"
            : "this system call takes no memory there") +
          "; call unsafeSyscall()",
      );
    }
    const bytes = bytesOf(value as BufferSource)!;
    if ("string" in rule) {
      if (bytes.indexOf(0) < 0) {
        throw new RangeError(
          `Cannot pass ${where}: the kernel reads a string up to its NUL, and it has none`,
        );
      }
      continue;
    }
    let reach: bigint | null;
    let said: string;
    if ("size" in rule) {
      reach = BigInt(rule.size);
      said = `takes ${rule.size} bytes`;
    } else if ("length" in rule) {
      const length = integer(args[rule.length]);
      if (length === null) {
        throw new TypeError(`Cannot pass ${where}: argument ${rule.length + 1} is no length`);
      }
      // The kernel reads the length as unsigned: -1 is 2^64 - 1.
      reach = BigInt.asUintN(64, length);
      said = `reaches as many bytes as argument ${rule.length + 1} says (${reach})`;
    } else {
      const lengthBytes = bytesOf(args[rule.lengthIn]);
      if (lengthBytes === null || lengthBytes.byteLength < 4) continue; // refused by its own rule
      reach = BigInt(
        new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0, isLittleEndian),
      );
      said = `reaches as many bytes as the length in argument ${rule.lengthIn + 1} says (${reach})`;
    }
    if (reach > BigInt(bytes.byteLength)) {
      throw new RangeError(`Cannot pass ${where}: the kernel ${said}, and it has ${bytes.byteLength} bytes`);
    }
  }
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

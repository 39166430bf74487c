/**
 * `ioctl`, and raw file descriptors, through the C library: the Go `syscall` package's shape. `ioctl` lends
 * memory only for a request of known size; `unsafeIoctl` for any.
 *
 * @module
 */
import type { RawFunction, ScalarKind } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { bytesOf } from "./_lent_buffers.ts";
import { bind, kindOf, requireLinuxLike, type SyscallArgument } from "./_variadic.ts";
import { C_LIBRARY } from "./_system.ts";
import { ClosedError } from "./errors.ts";
import { cstring } from "./strings.ts";
import { dlopen, type Library } from "./dlopen.ts";
import { buffer } from "./types.ts";
import { int, uint } from "../structs/scalars.ts";
import type { BufferSource } from "./types.ts";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Checks an `int` (or, with bounds, another integer) argument of one of the toolkit's own libc wrappers. */
function intArgument(value: unknown, call: string, what: string, min = INT_MIN, max = INT_MAX): number {
  if (typeof value !== "number") {
    throw new TypeError(`Cannot call ${call}(): ${what} must be a number, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Cannot call ${call}(): ${what} ${value} is not an integer from ${min} to ${max}`);
  }
  // Deno refuses -0 as an i32 and Bun passes it as 0: closeDescriptor(-0) closed standard input there.
  if (Object.is(value, -0)) throw new RangeError(`Cannot call ${call}(): ${what} is -0: pass 0`);
  return value;
}

// The fixed-signature functions, through the toolkit's own dlopen, opened on first use (as memory.ts's).
const LIBC = {
  close: { args: [int], returns: int, fails: -1 }, // int close(int fd)
  open: { args: [buffer, int, uint], returns: int, fails: -1 }, // int open(const char *path, int flags, mode_t mode)
  pipe2: { args: [buffer, int], returns: int, fails: -1 }, // int pipe2(int pipefd[2], int flags)
} as const;

let libcLibrary: Library<typeof LIBC> | undefined;

function libc(): Library<typeof LIBC>["symbols"] {
  return (libcLibrary ??= dlopen(C_LIBRARY, LIBC, { lazy: true })).symbols;
}

/**
 * Sends a request to a device driver: `ioctl(fd, request, arg)`.
 *
 * Memory is lent only for a request whose size the toolkit knows, so that the driver cannot write past it: one
 * encoded with `_IOR`, `_IOW` or `_IOWR`, or one described with `nameIoctls()` (linux/ does for `FIONREAD` and
 * `IOCTL_VM_SOCKETS_GET_LOCAL_CID`). A buffer must have at least that many bytes. A request of unknown size
 * (an `_IO` one or a bare number) takes an integer only, and a `Pointer` is never taken: use `unsafeIoctl`.
 *
 * @param fd An open file descriptor (a number or an `Fd`).
 * @param request The request number, e.g. from `_IOR`.
 * @param arg An integer, or memory the driver reads or fills (lent for the call only).
 * @returns The driver's non-negative result.
 * @throws {SyscallError} When the driver reports an error.
 * @throws {RangeError} When an argument is not an integer in range, or a buffer is smaller than the request's
 * size.
 * @throws {TypeError} When memory is passed with a request of unknown size, or a `Pointer` is passed.
 *
 * @example Bytes waiting in a pipe
 * ```ts
 * import { FIONREAD, ioctl, pipe } from "../mod.ts";
 * const [reader, writer] = pipe();
 * const count = new Int32Array(1);
 * ioctl(reader, FIONREAD, count);
 * reader.close();
 * writer.close();
 * ```
 */
export function ioctl(fd: number | Fd, request: number, arg: SyscallArgument = 0): number {
  return callIoctl(fd, request, arg, true);
}

/**
 * `ioctl` without its check that the request's size is known: memory for any request (still refused when
 * smaller than an `_IOR`/`_IOW`/`_IOWR` size), and a `Pointer`. Unsafe: the caller vouches that the driver
 * reaches no further than the memory lent.
 *
 * @param fd An open file descriptor (a number or an `Fd`).
 * @param request The request number.
 * @param arg An integer, memory the driver reads or fills, or a pointer.
 * @returns The driver's non-negative result.
 * @throws {SyscallError} When the driver reports an error.
 * @throws {RangeError} When an argument is not an integer in range, or a buffer is smaller than an encoded size.
 *
 * @example A request the toolkit has no size for
 * ```ts
 * import { openFd, O, unsafeIoctl } from "../mod.ts";
 * using devnull = openFd("/dev/null", O.RDONLY);
 * try {
 *   unsafeIoctl(devnull, 0x5401, new Uint8Array(64)); // TCGETS: a struct termios
 * } catch (error) {
 *   console.log((error as { code?: string }).code); // ENOTTY
 * }
 * ```
 */
export function unsafeIoctl(fd: number | Fd, request: number, arg: SyscallArgument = 0): number {
  return callIoctl(fd, request, arg, false);
}

function callIoctl(fd: number | Fd, request: number, arg: SyscallArgument, checked: boolean): number {
  requireLinuxLike("ioctl");
  const descriptor = fdNumber(fd, "ioctl");
  if (!Number.isSafeInteger(request) || request < 0 || request > 0xffffffff) {
    throw new RangeError(`Cannot send ioctl request ${request}: expected an unsigned 32-bit number`);
  }
  const kind = kindOf(arg, "ioctl", 2);
  if (kind === "buffer") checkIoctlBuffer(request, arg as BufferSource, checked);
  else if (checked && kind === "pointer" && arg !== null) {
    throw new TypeError(
      `Cannot send ${
        ioctlLabel(request)
      } with a Pointer: the toolkit cannot tell how far the driver reaches ` +
        "into it; call unsafeIoctl()",
    );
  }
  const call = ioctlByKind[kind] ??= bind("ioctl", ["i32", "u64"], [arg], "i32");
  return call(descriptor, request, arg) as number;
}

// The requests nameIoctls() described: name and size, by number.
const IOCTLS = new Map<number, { readonly name: string; readonly size: number }>();

/**
 * Describes `ioctl` requests that do not encode their size (`FIONREAD`, the `_IO` ones that take a pointer all
 * the same), so that `ioctl` lends them a buffer of at least that many bytes and names them in errors.
 * linux/ describes the requests it defines; a request described twice keeps the later description.
 *
 * @param table Names to `{ request, size }`: the request number and how many bytes the driver reads or writes.
 * @throws {TypeError} When an entry is not a request number below 2^32 and a size from 1 to 2^16.
 *
 * @example A driver's old request
 * ```ts
 * import { nameIoctls } from "../mod.ts";
 * nameIoctls({ TIOCGWINSZ: { request: 0x5413, size: 8 } }); // struct winsize
 * ```
 */
export function nameIoctls(
  table: Readonly<Record<string, { readonly request: number; readonly size: number }>>,
): void {
  if (typeof table !== "object" || table === null) {
    throw new TypeError(`Cannot describe ioctl requests: expected an object, got ${describe(table)}`);
  }
  const entries = Object.entries(table);
  for (const [name, entry] of entries) {
    const { request, size } = (entry ?? {}) as { request?: unknown; size?: unknown };
    const keys = typeof entry === "object" && entry !== null ? Object.keys(entry) : [];
    if (
      !Number.isSafeInteger(request) || (request as number) < 0 || (request as number) > 0xffffffff ||
      !Number.isSafeInteger(size) || (size as number) < 1 || (size as number) > 0x10000 ||
      keys.some((key) => key !== "request" && key !== "size")
    ) {
      throw new TypeError(
        `Cannot describe ioctl request "${name}": expected { request: a number below 2^32, size: 1 to 65536 }`,
      );
    }
  }
  for (const [name, { request, size }] of entries) IOCTLS.set(request, { name, size });
}

function ioctlLabel(request: number): string {
  const named = IOCTLS.get(request);
  const hex = `0x${request.toString(16)}`;
  return named === undefined ? `ioctl request ${hex}` : `ioctl request ${named.name} (${hex})`;
}

// The request says how many bytes the driver reads or writes through the argument: a smaller buffer would let
// it touch memory past the end of what was lent. Read from Linux's _IOC_DIR (top 2 bits) and _IOC_SIZE (the 14
// below) fields, which linux/ioctl_numbers.ts encodes (include/uapi/asm-generic/ioctl.h), or from nameIoctls().
function checkIoctlBuffer(request: number, arg: BufferSource, checked: boolean): void {
  const direction = request >>> 30;
  const encoded = direction === 0 ? 0 : (request >>> 16) & 0x3fff;
  const described = checked ? IOCTLS.get(request)?.size : undefined;
  const size = described ?? encoded;
  const bytes = bytesOf(arg);
  if (bytes === null) return; // anything else is refused with the buffer check
  if (size === 0) {
    if (!checked) return;
    const label = ioctlLabel(request);
    throw new TypeError(
      `Cannot send ${label} with a buffer: its size is unknown (neither _IOR, _IOW nor _IOWR, nor described ` +
        "with nameIoctls()), so the driver could write past it; call unsafeIoctl()",
    );
  }
  if (bytes.byteLength >= size) return;
  const hex = `0x${request.toString(16)}`;
  const label = described !== undefined
    ? `${IOCTLS.get(request)!.name} (${hex}, ${size} bytes)`
    : `${hex} (${direction === 2 ? "_IOR" : direction === 1 ? "_IOW" : "_IOWR"}, ${size} bytes)`;
  throw new RangeError(`Cannot send ioctl request ${label}: argument 2 has ${bytes.byteLength} bytes`);
}

// ioctl's three signatures, by the kind of its third argument: no key to build on each call.
const ioctlByKind: Partial<Record<ScalarKind, RawFunction>> = {};

// Linux's close-on-exec flag (O.CLOEXEC of linux/open_flags.ts), which every descriptor opened here gets.
const O_CLOEXEC = 0o2000000;

/**
 * A raw file descriptor owned by JavaScript. Deno's `FsFile` exposes no descriptor number, so descriptors for
 * `ioctl` and system calls are opened and closed through the C library.
 */
export class Fd implements Disposable {
  #fd: number;
  // The number it had, for the error once closed.
  readonly #number: number;

  /**
   * Takes ownership of a descriptor number: `close()` will close it.
   *
   * @param fd An open descriptor.
   */
  constructor(fd: number) {
    if (!Number.isInteger(fd) || fd < 0 || fd > INT_MAX || Object.is(fd, -0)) {
      throw new RangeError(`Cannot own file descriptor ${Object.is(fd, -0) ? "-0" : fd}`);
    }
    this.#fd = fd;
    this.#number = fd;
  }

  /**
   * The descriptor number.
   *
   * @throws {ClosedError} Once closed.
   */
  get fd(): number {
    if (this.#fd < 0) throw new ClosedError(`use file descriptor ${this.#number}`, "the descriptor");
    return this.#fd;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Closes the descriptor. Safe to call twice.
   *
   * @throws {SyscallError} When `close(2)` fails.
   */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    closeDescriptor(fd);
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function fdNumber(fd: number | Fd, what: string): number {
  return fd instanceof Fd ? fd.fd : intArgument(fd, what, "file descriptor");
}

/**
 * Closes a descriptor number through `close(2)`.
 *
 * @param fd The descriptor.
 * @throws {SyscallError} E.g. `EBADF` for a descriptor that is not open.
 * @throws {RangeError} When `fd` is not an `int` (Bun would truncate 5.9 to 5 and close descriptor 5).
 */
export function closeDescriptor(fd: number): void {
  requireLinuxLike("close");
  libc().close(intArgument(fd, "close", "file descriptor"));
}

/**
 * Opens a file or device and returns its raw descriptor, owned: `openFd("/dev/vsock", O.RDONLY)`.
 *
 * @param path The path.
 * @param flags `O.*` flags; `O.CLOEXEC` is always added.
 * @param mode Permissions when creating.
 * @returns The owned descriptor.
 * @throws {SyscallError} E.g. `ENOENT`, `EACCES`, naming `open`.
 * @throws {RangeError} When `flags` or `mode` is not an integer in range.
 */
export function openFd(path: string, flags = 0, mode = 0o644): Fd {
  requireLinuxLike("open");
  if (typeof path !== "string") {
    throw new TypeError(`Cannot call open(): path must be a string, got ${describe(path)}`);
  }
  intArgument(flags, "open", "flags");
  intArgument(mode, "open", "mode", 0, 2 ** 32 - 1);
  return new Fd(libc().open(cstring(path), flags | O_CLOEXEC, mode));
}

/**
 * Creates a pipe: `[reader, writer]`, both close-on-exec.
 *
 * @returns The two owned descriptors.
 */
export function pipe(): [Fd, Fd] {
  requireLinuxLike("pipe2");
  const fds = new Int32Array(2);
  libc().pipe2(fds, O_CLOEXEC);
  return [new Fd(fds[0]!), new Fd(fds[1]!)];
}

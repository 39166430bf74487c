/**
 * System calls, `ioctl`, and raw file descriptors, through the C library: the Go `syscall` package's shape.
 *
 * `syscall` and `ioctl` are variadic in C. The toolkit binds one fixed signature per pattern of arguments
 * (integer, buffer or pointer in each place), on first use, which is what the x86-64 and arm64 Linux calling
 * conventions make safe for integer and pointer arguments.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend, type RawFunction, type ScalarKind } from "./_backend.ts";
import { bufferArgument, describe } from "./_buffer.ts";
import { bytesOf, checkLentMemory } from "./_lent_buffers.ts";
import { compileCall } from "./_call.ts";
import { C_LIBRARY } from "./_system.ts";
import { ClosedError, SyscallError, UnsupportedPlatformError } from "./errors.ts";
import { cstring } from "./strings.ts";
import { dlopen } from "./dlopen.ts";
import { buffer } from "./types.ts";
import { int, uint } from "../structs/scalars.ts";
import type { BufferSource } from "./types.ts";

/** An argument of `syscall` or `ioctl`: an integer, memory lent for the call, or a pointer. */
export type SyscallArgument = number | bigint | BufferSource | Pointer | null;

function requireLinuxLike(what: string): void {
  if (backend.os === "windows") throw new UnsupportedPlatformError(what, "posix", backend.os);
}

/** The kind of parameter a `syscall` or `ioctl` argument travels as. */
type SyscallKind = "i64" | "pointer" | "buffer";

const MIN_I64 = -(2n ** 63n);
const MAX_U64 = 2n ** 64n - 1n;

/**
 * The kind an argument travels as, after checking that an integer fits a register exactly. Every argument is
 * checked, on both runtimes: Bun converts what it is given without a word (1.5 to 1, NaN and `undefined` to 0),
 * so `syscall(SYS.close, fd + 0.5)` closed descriptor `fd` there.
 *
 * @param call How errors name the call: `"ioctl"`, or a system call number.
 */
function kindOf(value: SyscallArgument, call: string | number, index: number): SyscallKind {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return "i64";
    const where = `argument ${index} of ${callName(call)}`;
    throw new RangeError(
      `Cannot pass ${where}: ${value} is not an integer a number holds exactly (pass a BigInt beyond 2^53)`,
    );
  }
  if (typeof value === "bigint") {
    if (value >= MIN_I64 && value <= MAX_U64) return "i64";
    throw new RangeError(
      `Cannot pass argument ${index} of ${callName(call)}: ${value} does not fit in 64 bits`,
    );
  }
  if (value === null || backend.isPointer(value)) return "pointer";
  if (typeof value === "object") return "buffer";
  throw new TypeError(
    `Cannot pass argument ${index} of ${callName(call)}: expected an integer, a buffer, a pointer or null, ` +
      `got ${describe(value)}`,
  );
}

function callName(call: string | number): string {
  return typeof call === "string" ? `${call}()` : syscallLabel(call);
}

/** `syscall close (3)`, or `syscall 1000` for a number nobody named. */
function syscallLabel(number: number): string {
  const name = SYSCALL_NAMES.get(number);
  return name === undefined ? `syscall ${number}` : `syscall ${name} (${number})`;
}

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
  return value;
}

// The fixed-signature functions, bound on first use through the toolkit's own dlopen.
const libc = dlopen(C_LIBRARY, {
  close: { args: [int], returns: int, fails: -1 }, // int close(int fd)
  open: { args: [buffer, int, uint], returns: int, fails: -1 }, // int open(const char *path, int flags, mode_t mode)
  pipe2: { args: [buffer, int], returns: int, fails: -1 }, // int pipe2(int pipefd[2], int flags)
}, { lazy: true }).symbols;

const bound = new Map<string, RawFunction>();

function bind(
  name: string,
  prefix: ScalarKind[],
  args: readonly SyscallArgument[],
  returns: "i64" | "i32",
): RawFunction {
  const kinds = [...prefix, ...args.map((value, i) => kindOf(value, name, prefix.length + i))];
  const key = `${name}(${kinds.join(",")})`;
  let fn = bound.get(key);
  if (fn === undefined) {
    const library = backend.open(C_LIBRARY, { [name]: { args: kinds, returns } });
    const checks = kinds.map((kind, i) => kind === "buffer" ? bufferArgument(name, i) : null);
    fn = compileCall(library.symbols[name]!, {
      name,
      args: kinds,
      returns,
      checks,
      errno: true,
      fails: (result) => result === -1 || result === -1n,
    });
    bound.set(key, fn);
  }
  return fn;
}

/**
 * Makes a Linux system call through libc's `syscall(2)`. Integers may be numbers or BigInts; memory is lent as
 * a typed array for the call only.
 *
 * Memory is lent only where the toolkit knows how far the kernel reaches into it: to a system call it has a
 * signature for (`read`, `write`, `pread64`, `pwrite64`, `getrandom`, `getcwd`, `getdents64`, `recvfrom`,
 * `sendto`, `bind`, `connect`, `accept`, `accept4`, `getsockname`, `getpeername`, `getsockopt`, `setsockopt`,
 * `pipe`, `pipe2`, `uname`, `clock_gettime`, `nanosleep`, `sched_getaffinity`, `sched_setaffinity`, and the
 * path calls `open`, `openat`, `unlink`, `unlinkat`, `mkdir`, `mkdirat`, `chdir`, `memfd_create`, `readlink`,
 * `readlinkat`, `statx`), known by the name `nameSyscalls()` gave its number (importing `SYS` does). A buffer
 * must hold as many bytes as its length argument says, and a path its NUL. Calls of integers and nulls only
 * (`syscall(SYS.getpid)`) take any number. Anything else, a `Pointer` included, goes through `unsafeSyscall`.
 *
 * @param number The system call number, from `SYS`.
 * @param args Up to six arguments.
 * @returns The kernel's result, as a BigInt (a `long`).
 * @throws {SyscallError} When the kernel reports an error; it names the call by number and carries `errno`.
 * @throws {RangeError} When an integer is not one a register holds exactly (1.5, NaN, beyond 64 bits), or a
 * buffer is shorter than the kernel may reach (a path: has no NUL).
 * @throws {TypeError} When an argument is neither an integer, memory, a pointer nor null (`undefined` too), or
 * memory or a `Pointer` is passed where the toolkit does not know how far the kernel reaches.
 *
 * @example getpid
 * ```ts
 * import { SYS, syscall } from "../mod.ts";
 * console.log(syscall(SYS.getpid) > 0n); // true
 * ```
 *
 * @example Reading into a buffer, checked against the length
 * ```ts
 * import { pipe, SYS, syscall } from "../mod.ts";
 * const [reader, writer] = pipe();
 * syscall(SYS.write, writer.fd, new Uint8Array([1, 2, 3]), 3);
 * const into = new Uint8Array(4);
 * console.log(syscall(SYS.read, reader.fd, into, 4)); // 3n
 * try {
 *   syscall(SYS.read, reader.fd, into.subarray(0, 2), 4);
 * } catch (error) {
 *   console.log((error as Error).name); // RangeError
 * }
 * reader.close();
 * writer.close();
 * ```
 */
export function syscall(number: number, ...args: SyscallArgument[]): bigint;
// Six named parameters rather than a rest array: a rest parameter costs Bun about 17 ns a call.
export function syscall(
  number: number,
  a?: SyscallArgument,
  b?: SyscallArgument,
  c?: SyscallArgument,
  d?: SyscallArgument,
  e?: SyscallArgument,
  f?: SyscallArgument,
): bigint {
  // The argument-less calls (getpid, gettid, …) build no argument list.
  if (arguments.length === 1) return callSyscall(number, 0, true, NO_ARGUMENTS);
  return callSyscall(number, arguments.length - 1, true, [a, b, c, d, e, f]);
}

/**
 * `syscall` without its check of lent memory: any buffer or `Pointer` in any place, for a system call the
 * toolkit has no signature for (`ioctl`, `recvmsg`, `mmap`'s result passed back, …). Unsafe: the caller vouches
 * that the kernel reaches no further than the memory lent. Integers are checked as `syscall` checks them.
 *
 * @param number The system call number, from `SYS`.
 * @param args Up to six arguments.
 * @returns The kernel's result, as a BigInt (a `long`).
 * @throws {SyscallError} When the kernel reports an error.
 * @throws {RangeError} When an integer is not one a register holds exactly.
 * @throws {TypeError} When an argument is neither an integer, memory, a pointer nor null.
 *
 * @example A call the toolkit has no signature for
 * ```ts
 * import { SYS, unsafeSyscall } from "../mod.ts";
 * console.log(unsafeSyscall(SYS.getppid) > 0n); // true
 * ```
 */
export function unsafeSyscall(number: number, ...args: SyscallArgument[]): bigint {
  return callSyscall(number, args.length, false, args);
}

const NO_ARGUMENTS: readonly SyscallArgument[] = [];

/** `syscall` and `unsafeSyscall`: `values` holds at least `count` arguments (`undefined` ones included). */
function callSyscall(
  number: number,
  count: number,
  checked: boolean,
  values: readonly (SyscallArgument | undefined)[],
): bigint {
  if ((number >>> 0) !== number) throw new RangeError(`Cannot make system call ${number}`);
  // Every argument given counts, `undefined` too (refused below): `syscall(SYS.close, undefined, 5)` once
  // made close() with no argument at all.
  if (count > 6) throw new RangeError(`Cannot pass ${count} arguments to a system call: at most 6`);
  try {
    // Fast path for the argument-less calls (getpid, gettid, …): no shape to work out.
    if (count === 0) return (noArgumentSyscall ??= bindSyscall([]))(number) as bigint;
    // The wrapper for these kinds of arguments, found by a number worked out from them: building a string key
    // on every call cost 290 ns on Deno and 200 on Bun over the raw call (/tmp probe, getppid with two
    // arguments).
    let shape = count;
    let lends = false;
    for (let i = 0; i < count; i++) {
      const kind = kindOf(values[i] as SyscallArgument, number, i + 1);
      if (kind !== "i64" && values[i] !== null) lends = true;
      shape = shape * 4 + KIND_CODES[kind];
    }
    const given = () => values.slice(0, count) as SyscallArgument[];
    if (checked && lends) {
      checkLentMemory(SYSCALL_NAMES.get(number), syscallLabel(number), given(), backend.isPointer);
    }
    let call = syscallsByShape.get(shape);
    if (call === undefined) {
      call = bindSyscall(given());
      syscallsByShape.set(shape, call);
    }
    const [a, b, c, d, e, f] = values;
    switch (count) {
      case 1:
        return call(number, a) as bigint;
      case 2:
        return call(number, a, b) as bigint;
      case 3:
        return call(number, a, b, c) as bigint;
      case 4:
        return call(number, a, b, c, d) as bigint;
      case 5:
        return call(number, a, b, c, d, e) as bigint;
      default:
        return call(number, a, b, c, d, e, f) as bigint;
    }
  } catch (error) {
    throw syscallFailure(number, error);
  }
}

const KIND_CODES: Record<SyscallKind, number> = {
  i64: 1,
  pointer: 2,
  buffer: 3,
};
const syscallsByShape = new Map<number, RawFunction>();

function bindSyscall(args: readonly SyscallArgument[]): RawFunction {
  requireLinuxLike("syscall");
  return bind("syscall", ["i64"], args, "i64");
}

function syscallFailure(number: number, error: unknown): unknown {
  if (!(error instanceof SyscallError)) return error;
  return new SyscallError(syscallLabel(number), error.errno, error.code, error.description, {
    cause: error,
  });
}

// The names `nameSyscalls()` was given, by number.
const SYSCALL_NAMES = new Map<number, string>();

/**
 * Teaches `syscall()`'s errors the names of system call numbers: `syscall close (3)` rather than `syscall 3`.
 * Importing `SYS` (linux/) does this for its table; `ffi/` itself knows no operating system's numbers.
 *
 * @param table Names to numbers, e.g. `SYS`; a number named twice keeps the later name.
 * @throws {TypeError} When `table` is not an object of names to non-negative integers.
 *
 * @example Naming a number no kernel assigns
 * ```ts
 * import { nameSyscalls, syscall } from "../mod.ts";
 * nameSyscalls({ unassigned: 1000 });
 * try {
 *   syscall(1000);
 * } catch (error) {
 *   console.log((error as Error).message); // syscall unassigned (1000) failed: ENOSYS (38): Function not implemented
 * }
 * ```
 */
export function nameSyscalls(table: Readonly<Record<string, number>>): void {
  if (typeof table !== "object" || table === null) {
    throw new TypeError(
      `Cannot name system calls: expected an object of names to numbers, got ${describe(table)}`,
    );
  }
  for (const [name, number] of Object.entries(table)) {
    if (!Number.isSafeInteger(number) || number < 0) {
      const shown = typeof number === "number" ? String(number) : describe(number);
      throw new TypeError(`Cannot name system call "${name}": expected a non-negative integer, got ${shown}`);
    }
  }
  for (const [name, number] of Object.entries(table)) SYSCALL_NAMES.set(number, name);
}

let noArgumentSyscall: RawFunction | undefined;

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
    if (!Number.isInteger(fd) || fd < 0 || fd > INT_MAX) {
      throw new RangeError(`Cannot own file descriptor ${fd}`);
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
  libc.close(intArgument(fd, "close", "file descriptor"));
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
  return new Fd(libc.open(cstring(path), flags | O_CLOEXEC, mode));
}

/**
 * Creates a pipe: `[reader, writer]`, both close-on-exec.
 *
 * @returns The two owned descriptors.
 */
export function pipe(): [Fd, Fd] {
  requireLinuxLike("pipe2");
  const fds = new Int32Array(2);
  libc.pipe2(fds, O_CLOEXEC);
  return [new Fd(fds[0]!), new Fd(fds[1]!)];
}

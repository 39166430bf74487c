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
  // Deno refuses -0 as an i32 and Bun passes it as 0: closeDescriptor(-0) closed standard input there.
  if (Object.is(value, -0)) throw new RangeError(`Cannot call ${call}(): ${what} is -0: pass 0`);
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
 * @param number The system call number, from `SYS`.
 * @param args Up to six arguments.
 * @returns The kernel's result, as a BigInt (a `long`).
 * @throws {SyscallError} When the kernel reports an error; it names the call by number and carries `errno`.
 * @throws {RangeError} When an integer is not one a register holds exactly (1.5, NaN, beyond 64 bits).
 * @throws {TypeError} When an argument is neither an integer, memory, a pointer nor null (`undefined` too).
 *
 * @example getpid
 * ```ts
 * import { SYS, syscall } from "../mod.ts";
 * console.log(syscall(SYS.getpid) > 0n); // true
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
  if ((number >>> 0) !== number) throw new RangeError(`Cannot make system call ${number}`);
  // Every argument given counts, `undefined` too (refused below): `syscall(SYS.close, undefined, 5)` once
  // made close() with no argument at all.
  const count = arguments.length - 1;
  if (count > 6) throw new RangeError(`Cannot pass ${count} arguments to a system call: at most 6`);
  try {
    // Fast path for the argument-less calls (getpid, gettid, …): no shape to work out.
    if (count === 0) return (noArgumentSyscall ??= bindSyscall([]))(number) as bigint;
    // The wrapper for these kinds of arguments, found by a number worked out from them: building the argument
    // array and a string key on every call cost 290 ns on Deno and 200 on Bun over the raw call (/tmp probe,
    // getppid with two arguments).
    let shape = count;
    for (let i = 1; i <= count; i++) shape = shape * 4 + KIND_CODES[kindOf(arguments[i], number, i)];
    let call = syscallsByShape.get(shape);
    if (call === undefined) {
      call = bindSyscall(Array.prototype.slice.call(arguments, 1, count + 1));
      syscallsByShape.set(shape, call);
    }
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
 * @param fd An open file descriptor (a number or an `Fd`).
 * @param request The request number, e.g. from `_IOR`.
 * @param arg An integer, or memory the driver reads or fills (lent for the call only). An empty buffer is
 * passed as NULL. When the request encodes a size and a direction (`_IOR`, `_IOW`, `_IOWR`), a buffer must have
 * at least that many bytes.
 * @returns The driver's non-negative result.
 * @throws {SyscallError} When the driver reports an error.
 * @throws {RangeError} When an argument is not an integer in range, or a buffer is smaller than the request
 * says the driver reads or writes.
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
  requireLinuxLike("ioctl");
  const descriptor = fdNumber(fd, "ioctl");
  if (!Number.isSafeInteger(request) || request < 0 || request > 0xffffffff) {
    throw new RangeError(`Cannot send ioctl request ${request}: expected an unsigned 32-bit number`);
  }
  const kind = kindOf(arg, "ioctl", 2);
  if (kind === "buffer") checkIoctlBuffer(request, arg as BufferSource);
  const call = ioctlByKind[kind] ??= bind("ioctl", ["i32", "u64"], [arg], "i32");
  return call(descriptor, request, arg) as number;
}

// The request says how many bytes the driver reads or writes through the argument: a smaller buffer would let
// it touch memory past the end of what was lent. Read from Linux's _IOC_DIR (top 2 bits) and _IOC_SIZE (the 14
// below) fields, which linux/ioctl_numbers.ts encodes (include/uapi/asm-generic/ioctl.h).
function checkIoctlBuffer(request: number, arg: BufferSource): void {
  const direction = request >>> 30;
  const size = (request >>> 16) & 0x3fff;
  if (direction === 0 || size === 0) return;
  const length = ArrayBuffer.isView(arg) || arg instanceof ArrayBuffer
    ? arg.byteLength
    : "bytes" in arg && ArrayBuffer.isView(arg.bytes)
    ? arg.bytes.byteLength
    : null;
  if (length === null || length >= size) return; // anything else is refused with the buffer check
  const macro = direction === 2 ? "_IOR" : direction === 1 ? "_IOW" : "_IOWR";
  throw new RangeError(
    `Cannot send ioctl request 0x${request.toString(16)} (${macro}, ${size} bytes): argument 2 has ` +
      `${length} bytes`,
  );
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

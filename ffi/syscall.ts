/**
 * `syscall`: a Linux system call through libc's `syscall(2)`, with the memory it lends checked against the
 * signatures of the calls that take memory; `unsafeSyscall` without that check; `nameSyscalls` to name numbers.
 *
 * @module
 */
import { backend, type RawFunction } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { checkLentMemory } from "./_lent_buffers.ts";
import {
  bind,
  kindOf,
  requireLinuxLike,
  SYSCALL_NAMES,
  type SyscallArgument,
  type SyscallKind,
  syscallLabel,
} from "./_variadic.ts";
import { SyscallError } from "./errors.ts";

export type { SyscallArgument } from "./_variadic.ts";

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
    // The wrapper for these kinds of arguments, found by a number worked out from them, not a string key
    // built on every call: bench/probes/syscall_shape_key.ts.
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

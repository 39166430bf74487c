/**
 * What `syscall` and `ioctl` share: both are variadic in C, and the toolkit binds one fixed signature per
 * pattern of arguments (integer, buffer or pointer in each place), on first use, which is what the x86-64 and
 * arm64 Linux calling conventions make safe for integer and pointer arguments.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend, type RawFunction, type ScalarKind } from "./_backend.ts";
import { bufferArgument, describe } from "./_buffer.ts";
import { compileCall } from "./_call.ts";
import { C_LIBRARY } from "./_system.ts";
import { UnsupportedPlatformError } from "./errors.ts";
import type { BufferSource } from "./types.ts";

/** An argument of `syscall` or `ioctl`: an integer, memory lent for the call, or a pointer. */
export type SyscallArgument = number | bigint | BufferSource | Pointer | null;

export function requireLinuxLike(what: string): void {
  if (backend.os === "windows") throw new UnsupportedPlatformError(what, "posix", backend.os);
}

/** The kind of parameter a `syscall` or `ioctl` argument travels as. */
export type SyscallKind = "i64" | "pointer" | "buffer";

const MIN_I64 = -(2n ** 63n);
const MAX_U64 = 2n ** 64n - 1n;

/**
 * The kind an argument travels as, after checking that an integer fits a register exactly. Every argument is
 * checked, on both runtimes: Bun converts what it is given without a word (1.5 to 1, NaN and `undefined` to 0),
 * so `syscall(SYS.close, fd + 0.5)` closed descriptor `fd` there.
 *
 * @param call How errors name the call: `"ioctl"`, or a system call number.
 */
export function kindOf(value: SyscallArgument, call: string | number, index: number): SyscallKind {
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
export function syscallLabel(number: number): string {
  const name = SYSCALL_NAMES.get(number);
  return name === undefined ? `syscall ${number}` : `syscall ${name} (${number})`;
}

// The names `nameSyscalls()` was given, by number.
export const SYSCALL_NAMES: Map<number, string> = new Map();

const bound = new Map<string, RawFunction>();

export function bind(
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
      // Every argument is checked by kindOf() (and ioctl's first two by ioctl()), on every call.
      checked: true,
      errno: true,
      fails: (result) => result === -1 || result === -1n,
    });
    bound.set(key, fn);
  }
  return fn;
}

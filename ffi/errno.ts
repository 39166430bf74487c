/**
 * The thread's error code — `errno` on Linux and macOS, `GetLastError()` on Windows — read as part of a call.
 *
 * ## How it is captured, and what the runtimes guarantee
 * Neither Deno nor Bun promises that `errno` survives from the end of one foreign call to the start of the
 * next: between the two, the runtime may run its own code on the same thread (a garbage collection that maps
 * or unmaps memory, a slow-path call that touches thread-local storage), and any libc call it makes may change
 * `errno`. Reading `errno` with a second foreign call (`__errno_location()` then a load) is therefore exposed
 * to that window.
 *
 * The toolkit closes the window instead. The address of the thread's error cell is stable for the life of the
 * thread (`__errno_location()` on glibc, `__error()` on macOS, `TEB.LastErrorValue` on Windows), so it is
 * bound once to an `Int32Array` over that native memory. A call declared with `errno: true` then writes 0 into
 * the cell, makes the call, and reads the cell in the very next JavaScript statement: a typed-array load, with
 * no allocation and no runtime call in between. Sync foreign calls run on the JavaScript thread on both
 * runtimes, so the cell is the one the callee wrote. `tests/ffi/errno_test.ts` checks this under garbage
 * collection pressure, alternating calls that fail with different codes.
 *
 * On Windows the cell is the thread block's `LastErrorValue` (at 0x68 in the TEB, whose address comes from
 * `NtQueryInformationThread`); it is used only after checking that `SetLastError` writes it and `GetLastError`
 * reads it. Where that check fails, the toolkit falls back to calling `GetLastError` right after the call,
 * and says so in `errnoCapture()`.
 *
 * @module
 */
import { backend } from "./_backend.ts";
import type { Pointer } from "../structs/scalars.ts";
import { bindSystem, C_LIBRARY, requireSystem } from "./_system.ts";
import { SyscallError } from "./errors.ts";
import { LINUX_ERRNO, WINDOWS_ERRORS } from "./error_codes.ts";

/** How this process captures the error code of a call. */
export type ErrnoCapture = "errno-cell" | "teb-cell" | "GetLastError-call";

interface ErrorCell {
  capture: ErrnoCapture;
  get(): number;
  set(value: number): void;
  /** The cell itself, read in generated wrappers: signed for errno, unsigned for Windows error codes. */
  cell: Int32Array | Uint32Array | null;
}

// TEB.LastErrorValue on 64-bit Windows (x86-64 and arm64).
const TEB_LAST_ERROR_OFFSET = 0x68;

function findCell(): ErrorCell {
  if (backend.os === "windows") return findWindowsCell();
  const locator = backend.os === "darwin" ? "__error" : "__errno_location";
  const fn = requireSystem(C_LIBRARY, locator, { args: [], returns: "pointer" });
  const address = fn() as Pointer | null;
  if (address === null) throw new Error(`Cannot locate errno: ${locator}() returned NULL`);
  const cell = new Int32Array(backend.view(address, 0, 4));
  return { capture: "errno-cell", cell, get: () => cell[0]!, set: (v) => void (cell[0] = v) };
}

// THREAD_BASIC_INFORMATION (48 bytes on 64-bit Windows): TebBaseAddress is at offset 8.
const THREAD_BASIC_INFORMATION_SIZE = 48;
const TEB_BASE_OFFSET = 8;

/** The current thread's TEB, from NtQueryInformationThread(ThreadBasicInformation); 64-bit ntdll does not
 * export NtCurrentTeb. */
function currentTeb(): Pointer | null {
  const query = bindSystem("ntdll.dll", "NtQueryInformationThread", {
    args: ["pointer", "u32", "buffer", "u32", "pointer"],
    returns: "i32",
  });
  const currentThread = bindSystem("kernel32.dll", "GetCurrentThread", { args: [], returns: "pointer" });
  if (query === null || currentThread === null) return null;
  const info = new Uint8Array(THREAD_BASIC_INFORMATION_SIZE);
  const status = query(currentThread(), 0, info, info.byteLength, null) as number;
  if (status !== 0) return null;
  return backend.fromAddress(new DataView(info.buffer).getBigUint64(TEB_BASE_OFFSET, true));
}

function findWindowsCell(): ErrorCell {
  const getLastError = requireSystem("kernel32.dll", "GetLastError", { args: [], returns: "u32" });
  const setLastError = requireSystem("kernel32.dll", "SetLastError", { args: ["u32"], returns: "void" });
  const teb = currentTeb();
  if (teb !== null) {
    const cell = new Uint32Array(backend.view(teb, TEB_LAST_ERROR_OFFSET, 4));
    // Trust the cell only if it is where SetLastError writes and GetLastError reads.
    setLastError(0x5a5a);
    const seen = cell[0];
    cell[0] = 0x1234;
    const read = getLastError();
    setLastError(0);
    if (seen === 0x5a5a && read === 0x1234 && cell[0] === 0) {
      return { capture: "teb-cell", cell, get: () => cell[0]!, set: (v) => void (cell[0] = v) };
    }
  }
  return {
    capture: "GetLastError-call",
    cell: null,
    get: () => getLastError() as number,
    set: (v) => void setLastError(v),
  };
}

let errorCell: ErrorCell | undefined;

/** @internal The thread's error cell, found on first use. */
export function errorCellOf(): ErrorCell {
  return errorCell ??= findCell();
}

/**
 * How this process captures the error code of a call: `"errno-cell"` (a typed array over the thread's
 * `errno`), `"teb-cell"` (over the Windows thread block's last-error value), or `"GetLastError-call"`.
 *
 * @returns The capture mechanism in use.
 */
export function errnoCapture(): ErrnoCapture {
  return errorCellOf().capture;
}

/**
 * Reads the thread's error code now. Prefer declaring a symbol with `errno: true`, which reads it as part of
 * the call; a later read may see a value the runtime left there.
 *
 * @returns `errno`, or `GetLastError()` on Windows.
 */
export function lastErrno(): number {
  return errorCellOf().get();
}

// Names by code, made on the first name asked for rather than at import.
let linuxNames: Map<number, string> | undefined;
let windowsNames: Map<number, string> | undefined;

function namesOf(table: Readonly<Record<string, number>>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, code]) => [code, name]));
}

function readCStringOrNull(fn: ((n: number) => unknown) | null, code: number): string | null {
  const pointer = fn?.(code) as never;
  return pointer ? backend.readCString(pointer, 0) : null;
}

function checkCode(what: string, code: number): void {
  if (!Number.isSafeInteger(code)) {
    throw new RangeError(`Cannot ${what} of error code ${String(code)}: expected an integer`);
  }
}

/** Whether C's `int` parameter of `strerror` and `strerrorname_np` can take the code. */
function isInt(code: number): boolean {
  return code >= -(2 ** 31) && code < 2 ** 31;
}

/**
 * The symbolic name of an error code on this platform: `"EBADF"` for 9 on Linux, `"ERROR_ALREADY_EXISTS"` for
 * 183 on Windows.
 *
 * 0 is no error, and C has no `errno` name for it: it is `"E0"` on Linux and macOS, as any code the platform
 * does not name (glibc's `strerrorname_np(0)` says `"0"`), and `"ERROR_SUCCESS"` on Windows.
 *
 * Windows has no function that names its codes: the toolkit carries the winerror.h names of the common system
 * error codes (`WindowsError`). For any other code it says `"Windows error <code>"` rather than make up a
 * name; `errnoMessage` still gives the system's text for it.
 *
 * @param code The error number.
 * @returns Its name, or `"E<code>"` (Linux, macOS) / `"Windows error <code>"` when the platform has none.
 * @throws {RangeError} When `code` is not an integer.
 */
export function errnoName(code: number): string {
  checkCode("find the name", code);
  if (backend.os === "windows") {
    return (windowsNames ??= namesOf(WINDOWS_ERRORS)).get(code) ?? `Windows error ${code}`;
  }
  if (backend.os === "linux") {
    const known = (linuxNames ??= namesOf(LINUX_ERRNO)).get(code);
    if (known !== undefined) return known;
  }
  if (code === 0 || !isInt(code)) return `E${code}`;
  const strerrorname = bindSystem(C_LIBRARY, "strerrorname_np", { args: ["i32"], returns: "pointer" });
  return readCStringOrNull(strerrorname, code) ?? `E${code}`;
}

/**
 * The system's description of an error code (`strerror`, or `FormatMessageW` on Windows).
 *
 * @param code The error number.
 * @returns E.g. `"Bad file descriptor"`; on Windows, `"the system has no text for this code"` when
 *   `FormatMessageW` has none.
 * @throws {RangeError} When `code` is not an integer.
 */
export function errnoMessage(code: number): string {
  checkCode("find the message", code);
  if (backend.os === "windows") return windowsMessage(code);
  if (!isInt(code)) return `Unknown error ${code}`;
  const strerror = bindSystem(C_LIBRARY, "strerror", { args: ["i32"], returns: "pointer" });
  return readCStringOrNull(strerror, code) ?? `Unknown error ${code}`;
}

/**
 * Builds the `SyscallError` for a call that failed with `code`, with the platform's name and message for it:
 * Go's `os.NewSyscallError`. For bindings that get an error code some other way than `errno: true` (a Windows
 * function that returns its error, a netlink `NLMSG_ERROR`).
 *
 * @param call The function or system call that failed.
 * @param code The error number (`errno`, or a Windows system error code).
 * @returns The error, ready to throw.
 *
 * @example A Windows-style returned error code
 * ```ts
 * import { newSyscallError } from "./errno.ts";
 * const error = newSyscallError("close", 9);
 * console.log(error.code); // "EBADF" on Linux
 * ```
 */
export function newSyscallError(call: string, code: number): SyscallError {
  return new SyscallError(call, code, errnoName(code), errnoMessage(code));
}

const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;

const NO_TEXT = "the system has no text for this code";

function windowsMessage(code: number): string {
  const format = bindSystem("kernel32.dll", "FormatMessageW", {
    args: ["u32", "pointer", "u32", "u32", "buffer", "u32", "pointer"],
    returns: "u32",
  });
  if (format === null || code < 0 || code > 0xffffffff) return NO_TEXT;
  const text = new Uint16Array(512);
  const length = format(
    FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
    null,
    code,
    0,
    text,
    text.length,
    null,
  ) as number;
  if (length === 0) return NO_TEXT;
  return String.fromCharCode(...text.subarray(0, length)).trim();
}

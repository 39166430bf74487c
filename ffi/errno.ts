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

/**
 * Linux's `errno` numbers by name, as literal types: the table `Errno` copies (asm-generic, shared by x86-64
 * and arm64). Names beyond it come from glibc's `strerrorname_np` where it exists.
 */
export const LINUX_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  EDOM: 33,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENODATA: 61,
  EOVERFLOW: 75,
  EBADMSG: 74,
  ENOTSOCK: 88,
  EDESTADDRREQ: 89,
  EMSGSIZE: 90,
  EPROTOTYPE: 91,
  ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ENOBUFS: 105,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
} as const;

/** Linux `errno` values by name, e.g. `Errno.EBADF === 9`. */
export const Errno: { readonly [K in keyof typeof LINUX_ERRNO]: number } = Object.freeze({ ...LINUX_ERRNO });

// Written from Microsoft's "System Error Codes" pages (checked against mingw-w64's winerror.h). Other codes (RPC,
// setup, HRESULTs, application-defined codes with bit 29 set) are not named: errnoName says "Windows error N"
// for them rather than invent a name.
/**
 * Windows system error codes by name, as literal types: the table `WindowsError` copies. These are the codes of
 * 0-1999 that system functions commonly report, named as winerror.h names them.
 */
export const WINDOWS_ERRORS = {
  ERROR_SUCCESS: 0,
  ERROR_INVALID_FUNCTION: 1,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_TOO_MANY_OPEN_FILES: 4,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_ARENA_TRASHED: 7,
  ERROR_NOT_ENOUGH_MEMORY: 8,
  ERROR_INVALID_BLOCK: 9,
  ERROR_BAD_ENVIRONMENT: 10,
  ERROR_BAD_FORMAT: 11,
  ERROR_INVALID_ACCESS: 12,
  ERROR_INVALID_DATA: 13,
  ERROR_OUTOFMEMORY: 14,
  ERROR_INVALID_DRIVE: 15,
  ERROR_CURRENT_DIRECTORY: 16,
  ERROR_NOT_SAME_DEVICE: 17,
  ERROR_NO_MORE_FILES: 18,
  ERROR_WRITE_PROTECT: 19,
  ERROR_BAD_UNIT: 20,
  ERROR_NOT_READY: 21,
  ERROR_BAD_COMMAND: 22,
  ERROR_CRC: 23,
  ERROR_BAD_LENGTH: 24,
  ERROR_SEEK: 25,
  ERROR_NOT_DOS_DISK: 26,
  ERROR_SECTOR_NOT_FOUND: 27,
  ERROR_OUT_OF_PAPER: 28,
  ERROR_WRITE_FAULT: 29,
  ERROR_READ_FAULT: 30,
  ERROR_GEN_FAILURE: 31,
  ERROR_SHARING_VIOLATION: 32,
  ERROR_LOCK_VIOLATION: 33,
  ERROR_WRONG_DISK: 34,
  ERROR_SHARING_BUFFER_EXCEEDED: 36,
  ERROR_HANDLE_EOF: 38,
  ERROR_HANDLE_DISK_FULL: 39,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_REM_NOT_LIST: 51,
  ERROR_DUP_NAME: 52,
  ERROR_BAD_NETPATH: 53,
  ERROR_NETWORK_BUSY: 54,
  ERROR_DEV_NOT_EXIST: 55,
  ERROR_UNEXP_NET_ERR: 59,
  ERROR_NETNAME_DELETED: 64,
  ERROR_NETWORK_ACCESS_DENIED: 65,
  ERROR_BAD_NET_NAME: 67,
  ERROR_FILE_EXISTS: 80,
  ERROR_CANNOT_MAKE: 82,
  ERROR_INVALID_PASSWORD: 86,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_NET_WRITE_FAULT: 88,
  ERROR_NO_PROC_SLOTS: 89,
  ERROR_TOO_MANY_SEMAPHORES: 100,
  ERROR_EXCL_SEM_ALREADY_OWNED: 101,
  ERROR_SEM_IS_SET: 102,
  ERROR_TOO_MANY_SEM_REQUESTS: 103,
  ERROR_INVALID_AT_INTERRUPT_TIME: 104,
  ERROR_SEM_OWNER_DIED: 105,
  ERROR_DRIVE_LOCKED: 108,
  ERROR_BROKEN_PIPE: 109,
  ERROR_OPEN_FAILED: 110,
  ERROR_BUFFER_OVERFLOW: 111,
  ERROR_DISK_FULL: 112,
  ERROR_NO_MORE_SEARCH_HANDLES: 113,
  ERROR_INVALID_TARGET_HANDLE: 114,
  ERROR_INVALID_CATEGORY: 117,
  ERROR_INVALID_VERIFY_SWITCH: 118,
  ERROR_BAD_DRIVER_LEVEL: 119,
  ERROR_CALL_NOT_IMPLEMENTED: 120,
  ERROR_SEM_TIMEOUT: 121,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_INVALID_NAME: 123,
  ERROR_INVALID_LEVEL: 124,
  ERROR_NO_VOLUME_LABEL: 125,
  ERROR_MOD_NOT_FOUND: 126,
  ERROR_PROC_NOT_FOUND: 127,
  ERROR_WAIT_NO_CHILDREN: 128,
  ERROR_CHILD_NOT_COMPLETE: 129,
  ERROR_DIRECT_ACCESS_HANDLE: 130,
  ERROR_NEGATIVE_SEEK: 131,
  ERROR_SEEK_ON_DEVICE: 132,
  ERROR_NOT_LOCKED: 158,
  ERROR_BAD_ARGUMENTS: 160,
  ERROR_BAD_PATHNAME: 161,
  ERROR_SIGNAL_PENDING: 162,
  ERROR_MAX_THRDS_REACHED: 164,
  ERROR_LOCK_FAILED: 167,
  ERROR_BUSY: 170,
  ERROR_CANCEL_VIOLATION: 173,
  ERROR_INVALID_ORDINAL: 182,
  ERROR_ALREADY_EXISTS: 183,
  ERROR_INVALID_EXE_SIGNATURE: 191,
  ERROR_EXE_MARKED_INVALID: 192,
  ERROR_BAD_EXE_FORMAT: 193,
  ERROR_ENVVAR_NOT_FOUND: 203,
  ERROR_FILENAME_EXCED_RANGE: 206,
  ERROR_META_EXPANSION_TOO_LONG: 208,
  ERROR_INVALID_SIGNAL_NUMBER: 209,
  ERROR_LOCKED: 212,
  ERROR_TOO_MANY_MODULES: 214,
  ERROR_NESTING_NOT_ALLOWED: 215,
  ERROR_EXE_MACHINE_TYPE_MISMATCH: 216,
  ERROR_BAD_FILE_TYPE: 222,
  ERROR_FILE_TOO_LARGE: 223,
  ERROR_VIRUS_INFECTED: 225,
  ERROR_VIRUS_DELETED: 226,
  ERROR_PIPE_LOCAL: 229,
  ERROR_BAD_PIPE: 230,
  ERROR_PIPE_BUSY: 231,
  ERROR_NO_DATA: 232,
  ERROR_PIPE_NOT_CONNECTED: 233,
  ERROR_MORE_DATA: 234,
  ERROR_VC_DISCONNECTED: 240,
  ERROR_INVALID_EA_NAME: 254,
  ERROR_EA_LIST_INCONSISTENT: 255,
  WAIT_TIMEOUT: 258,
  ERROR_NO_MORE_ITEMS: 259,
  ERROR_CANNOT_COPY: 266,
  ERROR_DIRECTORY: 267,
  ERROR_EAS_DIDNT_FIT: 275,
  ERROR_EA_FILE_CORRUPT: 276,
  ERROR_EA_TABLE_FULL: 277,
  ERROR_INVALID_EA_HANDLE: 278,
  ERROR_EAS_NOT_SUPPORTED: 282,
  ERROR_NOT_OWNER: 288,
  ERROR_TOO_MANY_POSTS: 298,
  ERROR_PARTIAL_COPY: 299,
  ERROR_OPLOCK_NOT_GRANTED: 300,
  ERROR_INVALID_OPLOCK_PROTOCOL: 301,
  ERROR_DISK_TOO_FRAGMENTED: 302,
  ERROR_DELETE_PENDING: 303,
  ERROR_MR_MID_NOT_FOUND: 317,
  ERROR_SCOPE_NOT_FOUND: 318,
  ERROR_INVALID_ADDRESS: 487,
  ERROR_ARITHMETIC_OVERFLOW: 534,
  ERROR_PIPE_CONNECTED: 535,
  ERROR_PIPE_LISTENING: 536,
  ERROR_INVALID_IMAGE_HASH: 577,
  ERROR_ELEVATION_REQUIRED: 740,
  ERROR_EA_ACCESS_DENIED: 994,
  ERROR_OPERATION_ABORTED: 995,
  ERROR_IO_INCOMPLETE: 996,
  ERROR_IO_PENDING: 997,
  ERROR_NOACCESS: 998,
  ERROR_SWAPERROR: 999,
  ERROR_STACK_OVERFLOW: 1001,
  ERROR_INVALID_MESSAGE: 1002,
  ERROR_CAN_NOT_COMPLETE: 1003,
  ERROR_INVALID_FLAGS: 1004,
  ERROR_UNRECOGNIZED_VOLUME: 1005,
  ERROR_FILE_INVALID: 1006,
  ERROR_FULLSCREEN_MODE: 1007,
  ERROR_NO_TOKEN: 1008,
  ERROR_BADDB: 1009,
  ERROR_BADKEY: 1010,
  ERROR_CANTOPEN: 1011,
  ERROR_CANTREAD: 1012,
  ERROR_CANTWRITE: 1013,
  ERROR_REGISTRY_RECOVERED: 1014,
  ERROR_REGISTRY_CORRUPT: 1015,
  ERROR_REGISTRY_IO_FAILED: 1016,
  ERROR_NOT_REGISTRY_FILE: 1017,
  ERROR_KEY_DELETED: 1018,
  ERROR_DEPENDENT_SERVICES_RUNNING: 1051,
  ERROR_INVALID_SERVICE_CONTROL: 1052,
  ERROR_SERVICE_REQUEST_TIMEOUT: 1053,
  ERROR_SERVICE_NO_THREAD: 1054,
  ERROR_SERVICE_DATABASE_LOCKED: 1055,
  ERROR_SERVICE_ALREADY_RUNNING: 1056,
  ERROR_INVALID_SERVICE_ACCOUNT: 1057,
  ERROR_SERVICE_DISABLED: 1058,
  ERROR_CIRCULAR_DEPENDENCY: 1059,
  ERROR_SERVICE_DOES_NOT_EXIST: 1060,
  ERROR_SERVICE_CANNOT_ACCEPT_CTRL: 1061,
  ERROR_SERVICE_NOT_ACTIVE: 1062,
  ERROR_FAILED_SERVICE_CONTROLLER_CONNECT: 1063,
  ERROR_EXCEPTION_IN_SERVICE: 1064,
  ERROR_DATABASE_DOES_NOT_EXIST: 1065,
  ERROR_SERVICE_SPECIFIC_ERROR: 1066,
  ERROR_PROCESS_ABORTED: 1067,
  ERROR_SERVICE_DEPENDENCY_FAIL: 1068,
  ERROR_SERVICE_LOGON_FAILED: 1069,
  ERROR_SERVICE_START_HANG: 1070,
  ERROR_INVALID_SERVICE_LOCK: 1071,
  ERROR_SERVICE_MARKED_FOR_DELETE: 1072,
  ERROR_SERVICE_EXISTS: 1073,
  ERROR_DUPLICATE_SERVICE_NAME: 1078,
  ERROR_END_OF_MEDIA: 1100,
  ERROR_NO_UNICODE_TRANSLATION: 1113,
  ERROR_DLL_INIT_FAILED: 1114,
  ERROR_SHUTDOWN_IN_PROGRESS: 1115,
  ERROR_NO_SHUTDOWN_IN_PROGRESS: 1116,
  ERROR_IO_DEVICE: 1117,
  ERROR_OLD_WIN_VERSION: 1150,
  ERROR_APP_WRONG_OS: 1151,
  ERROR_SINGLE_INSTANCE_APP: 1152,
  ERROR_INVALID_DLL: 1154,
  ERROR_NO_ASSOCIATION: 1155,
  ERROR_DLL_NOT_FOUND: 1157,
  ERROR_NOT_FOUND: 1168,
  ERROR_NO_MATCH: 1169,
  ERROR_SET_NOT_FOUND: 1170,
  ERROR_CANCELLED: 1223,
  ERROR_CONNECTION_REFUSED: 1225,
  ERROR_GRACEFUL_DISCONNECT: 1226,
  ERROR_ADDRESS_ALREADY_ASSOCIATED: 1227,
  ERROR_ADDRESS_NOT_ASSOCIATED: 1228,
  ERROR_CONNECTION_INVALID: 1229,
  ERROR_CONNECTION_ACTIVE: 1230,
  ERROR_NETWORK_UNREACHABLE: 1231,
  ERROR_HOST_UNREACHABLE: 1232,
  ERROR_PROTOCOL_UNREACHABLE: 1233,
  ERROR_PORT_UNREACHABLE: 1234,
  ERROR_REQUEST_ABORTED: 1235,
  ERROR_CONNECTION_ABORTED: 1236,
  ERROR_RETRY: 1237,
  ERROR_CONNECTION_COUNT_LIMIT: 1238,
  ERROR_INCORRECT_ADDRESS: 1241,
  ERROR_ALREADY_REGISTERED: 1242,
  ERROR_SERVICE_NOT_FOUND: 1243,
  ERROR_NOT_AUTHENTICATED: 1244,
  ERROR_NOT_LOGGED_ON: 1245,
  ERROR_CONTINUE: 1246,
  ERROR_ALREADY_INITIALIZED: 1247,
  ERROR_NO_MORE_DEVICES: 1248,
  ERROR_NOT_ALL_ASSIGNED: 1300,
  ERROR_INVALID_OWNER: 1307,
  ERROR_INVALID_PRIMARY_GROUP: 1308,
  ERROR_NO_IMPERSONATION_TOKEN: 1309,
  ERROR_NO_SUCH_PRIVILEGE: 1313,
  ERROR_PRIVILEGE_NOT_HELD: 1314,
  ERROR_INVALID_ACCOUNT_NAME: 1315,
  ERROR_USER_EXISTS: 1316,
  ERROR_NO_SUCH_USER: 1317,
  ERROR_LOGON_FAILURE: 1326,
  ERROR_NONE_MAPPED: 1332,
  ERROR_INVALID_ACL: 1336,
  ERROR_INVALID_SID: 1337,
  ERROR_INVALID_SECURITY_DESCR: 1338,
  ERROR_BAD_IMPERSONATION_LEVEL: 1346,
  ERROR_CANT_OPEN_ANONYMOUS: 1347,
  ERROR_NO_SUCH_DOMAIN: 1355,
  ERROR_NO_SUCH_ALIAS: 1376,
  ERROR_INVALID_WINDOW_HANDLE: 1400,
  ERROR_INVALID_MENU_HANDLE: 1401,
  ERROR_INVALID_CURSOR_HANDLE: 1402,
  ERROR_WINDOW_OF_OTHER_THREAD: 1408,
  ERROR_CLASS_ALREADY_EXISTS: 1410,
  ERROR_CLASS_DOES_NOT_EXIST: 1411,
  ERROR_INVALID_INDEX: 1413,
  ERROR_NO_SYSTEM_RESOURCES: 1450,
  ERROR_NONPAGED_SYSTEM_RESOURCES: 1451,
  ERROR_PAGED_SYSTEM_RESOURCES: 1452,
  ERROR_WORKING_SET_QUOTA: 1453,
  ERROR_PAGEFILE_QUOTA: 1454,
  ERROR_COMMITMENT_LIMIT: 1455,
  ERROR_TIMEOUT: 1460,
  ERROR_INVALID_MONITOR_HANDLE: 1461,
  ERROR_EVENTLOG_FILE_CORRUPT: 1500,
} as const;

/** Windows system error codes by name, e.g. `WindowsError.ERROR_ALREADY_EXISTS === 183`. */
export const WindowsError: { readonly [K in keyof typeof WINDOWS_ERRORS]: number } = Object.freeze({
  ...WINDOWS_ERRORS,
});

const LINUX_NAMES = new Map<number, string>(Object.entries(LINUX_ERRNO).map(([name, code]) => [code, name]));
const WINDOWS_NAMES = new Map<number, string>(
  Object.entries(WINDOWS_ERRORS).map(([name, code]) => [code, name]),
);

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
  if (backend.os === "windows") return WINDOWS_NAMES.get(code) ?? `Windows error ${code}`;
  if (backend.os === "linux") {
    const known = LINUX_NAMES.get(code);
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

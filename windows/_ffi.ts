/**
 * The one place `windows/` reaches the FFI core, so that the bindings name each import once.
 *
 * @module
 */
export {
  buffer,
  ClosedError,
  cstring,
  dlopen,
  type GrowAttempt,
  growRetry,
  type GrowRetryOptions,
  type Library,
  LPCSTR,
  LPCWSTR,
  SyscallError,
  unsafePointerAddress,
  wstring,
} from "../ffi/mod.ts";

/**
 * The toolkit's error for a Windows error code that a function returned rather than left in `GetLastError()`
 * (`GetExtendedTcpTable` returns its code), or that a call captured with `errno: true`.
 */
export { newSyscallError as syscallError } from "../ffi/mod.ts";

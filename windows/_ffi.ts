/**
 * The one place `windows/` reaches the FFI core, so that the bindings name each import once.
 *
 * @module
 */
import { errnoMessage, errnoName, SyscallError } from "../ffi/mod.ts";

export {
  buffer,
  cstring,
  dlopen,
  growRetry,
  type Library,
  LPCSTR,
  LPCWSTR,
  SyscallError,
  wstring,
} from "../ffi/mod.ts";

/**
 * The toolkit's error for a Windows error code that a function returned rather than left in `GetLastError()`
 * (`GetExtendedTcpTable` returns its code), or that a call captured with `errno: true`.
 *
 * @param call The function that failed.
 * @param code The Windows error code.
 * @returns A `SyscallError` with the code's symbolic name and the system's message.
 */
export function syscallError(call: string, code: number): SyscallError {
  return new SyscallError(call, code, errnoName(code), errnoMessage(code));
}

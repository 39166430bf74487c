/**
 * Calling native code from Deno and Bun with one API: symbol tables as data, typed from the table; errno and
 * `GetLastError` captured with the call; pointers that never travel as numbers; owned native memory; strings;
 * callbacks; system calls and `ioctl`.
 *
 * @example Calling C
 * ```ts
 * import { buffer, cstring, dlopen, size_t } from "../mod.ts";
 * using libc = dlopen("libc.so.6", { strlen: { args: [buffer], returns: size_t } });
 * console.log(libc.symbols.strlen(cstring("hello"))); // 5n
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export { errnoCapture, errnoMessage, errnoName, lastErrno, newSyscallError } from "./errno.ts";
export { Errno, LINUX_ERRNO, WINDOWS_ERRORS, WindowsError } from "./error_codes.ts";
export type { ErrnoCapture } from "./errno.ts";
export * from "./dlopen.ts";
export * from "./memory.ts";
export * from "./out_pointer.ts";
export * from "./pointer_format.ts";
export * from "./strings.ts";
export * from "./owned_strings.ts";
export * from "./borrowed_strings.ts";
export * from "./wchar_strings.ts";
export * from "./callback.ts";
export * from "./function_pointer.ts";
export * from "./grow_retry.ts";
export * from "./libc.ts";
export * from "./syscall.ts";
export { ffiRuntime } from "./runtime.ts";
export { setNonblockingThreads } from "./nonblocking.ts";
export * from "./threaded_callback.ts";

/**
 * The operating-system gate of `windows/`: the runtime's OS check plays the part of Go's `_windows.go` file
 * names. Importing the package works everywhere; calling into it anywhere but Windows throws
 * `UnsupportedPlatformError` before any library is loaded.
 *
 * @module
 */

import { ffiRuntime, UnsupportedPlatformError } from "../ffi/mod.ts";

/** True when running on Windows (including the Windows builds of Deno and Bun under Wine). */
export const isWindows: boolean = ffiRuntime.os === "windows";

export { UnsupportedPlatformError } from "../ffi/errors.ts";

/**
 * Throws unless running on Windows.
 *
 * @param api The function being called, named in the error.
 * @throws {UnsupportedPlatformError} On any other operating system.
 */
export function requireWindows(api: string): void {
  if (!isWindows) throw new UnsupportedPlatformError(api, "windows", ffiRuntime.os);
}

/**
 * The operating-system gate of `windows/`: the runtime's OS check plays the part of Go's `_windows.go` file
 * names. Importing the package works everywhere; calling into it anywhere but Windows throws
 * `UnsupportedPlatformError` before any library is loaded.
 *
 * @module
 */

import { UnsupportedPlatformError } from "../ffi/errors.ts";

/** The operating system as Node-compatible runtimes name it: `"win32"`, `"linux"`, `"darwin"`, … */
const platform: string = (globalThis as { process?: { platform?: string } }).process?.platform ?? "unknown";

/** True when running on Windows (including the Windows builds of Deno and Bun under Wine). */
export const isWindows: boolean = platform === "win32";

export { UnsupportedPlatformError } from "../ffi/errors.ts";

/**
 * Throws unless running on Windows.
 *
 * @param api The function being called, named in the error.
 * @throws {UnsupportedPlatformError} On any other operating system.
 */
export function requireWindows(api: string): void {
  if (!isWindows) throw new UnsupportedPlatformError(api, "windows", platform);
}

/**
 * The operating-system gate of `windows/`: the runtime's OS check plays the part of Go's `_windows.go` file
 * names. Importing the package works everywhere; calling into it anywhere but Windows throws
 * `UnsupportedPlatformError` before any library is loaded.
 *
 * @module
 */

/** The operating system as Node-compatible runtimes name it: `"win32"`, `"linux"`, `"darwin"`, … */
const platform: string = (globalThis as { process?: { platform?: string } }).process?.platform ?? "unknown";

/** True when running on Windows (including the Windows builds of Deno and Bun under Wine). */
export const isWindows: boolean = platform === "win32";

/** A Windows-only function was called on another operating system. */
export class UnsupportedPlatformError extends Error {
  override name = "UnsupportedPlatformError";
  /** The function that was called, e.g. `"createJobObject"`. */
  readonly api: string;
  /** The operating system it was called on, e.g. `"linux"`. */
  readonly os: string;

  constructor(api: string, os: string = platform) {
    super(
      `Cannot call ${api}(): it binds the Windows API, and this operating system is "${os}", not Windows`,
    );
    this.api = api;
    this.os = os;
  }
}

/**
 * Throws unless running on Windows.
 *
 * @param api The function being called, named in the error.
 * @throws {UnsupportedPlatformError} On any other operating system.
 */
export function requireWindows(api: string): void {
  if (!isWindows) throw new UnsupportedPlatformError(api);
}

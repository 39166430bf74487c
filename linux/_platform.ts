/**
 * The operating-system gate of `linux/`: importing the package works everywhere; calling into the kernel
 * anywhere but Linux throws before any socket or device is opened.
 *
 * @module
 */
import { ffiRuntime, UnsupportedPlatformError } from "../ffi/mod.ts";

/**
 * Throws unless running on Linux.
 *
 * @param api The function being called, named in the error.
 * @throws {UnsupportedPlatformError} On any other operating system.
 */
export function requireLinux(api: string): void {
  if (ffiRuntime.os !== "linux") {
    throw new UnsupportedPlatformError(api, "linux", ffiRuntime.os);
  }
}

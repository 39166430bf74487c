/**
 * The operating-system gate of `linux/`: importing the package works everywhere; calling into the kernel
 * anywhere but Linux throws before any socket or device is opened.
 *
 * @module
 */
import { ffiRuntime } from "../ffi/mod.ts";

/**
 * Throws unless running on Linux.
 *
 * @param api The function being called, named in the error.
 * @throws {Error} On any other operating system.
 */
export function requireLinux(api: string): void {
  if (ffiRuntime.os !== "linux") {
    throw new Error(
      `Cannot call ${api}(): it uses Linux kernel interfaces, and this operating system is "${ffiRuntime.os}", not Linux`,
    );
  }
}

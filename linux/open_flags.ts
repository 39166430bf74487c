/**
 * The flags of `open(2)`, for `openFd()`.
 *
 * @module
 */

/**
 * `open(2)` flags (Linux values, x86-64 and arm64 alike except `O_DIRECTORY`, `O_NOFOLLOW`, which are left
 * out).
 *
 * @example Opening a device read-only
 * ```ts
 * import { O, openFd } from "../mod.ts";
 * using fd = openFd("/dev/null", O.RDONLY | O.NONBLOCK);
 * console.log(fd.fd >= 0); // true
 * ```
 */
export const O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  CLOEXEC: 0o2000000,
} as const;

/**
 * Linux's `ioctl` request numbers: the `_IO`, `_IOR`, `_IOW`, `_IOWR` encoders of
 * `include/uapi/asm-generic/ioctl.h` (shared by x86-64 and arm64), and the requests the toolkit uses.
 * `ioctl()` reads the size a request encodes back out, to refuse a buffer smaller than it; the requests defined
 * here that encode none are described to it with `nameIoctls()`, so that it lends them a buffer all the same.
 *
 * @module
 */
import { nameIoctls } from "../ffi/mod.ts";

// The fields of a request, from its low bits up: number, type, argument size, direction.
const NR_BITS = 8, TYPE_BITS = 8, SIZE_BITS = 14;
const TYPE_SHIFT = NR_BITS, SIZE_SHIFT = TYPE_SHIFT + TYPE_BITS, DIR_SHIFT = SIZE_SHIFT + SIZE_BITS;
const NONE = 0, WRITE = 1, READ = 2;

function request(direction: number, type: number | string, nr: number, size: number): number {
  const code = typeof type === "string" && type.length === 1 ? type.charCodeAt(0) : type;
  const inRange = (n: unknown, end: number) =>
    Number.isInteger(n) && (n as number) >= 0 && (n as number) < end;
  if (!inRange(code, 256) || !inRange(nr, 256) || !inRange(size, 1 << SIZE_BITS)) {
    throw new RangeError(
      `Cannot encode ioctl request: type ${type}, number ${nr}, size ${size} out of range`,
    );
  }
  return ((direction << DIR_SHIFT) | (size << SIZE_SHIFT) | ((code as number) << TYPE_SHIFT) | nr) >>> 0;
}

/**
 * `_IO(type, nr)`: a request with no argument.
 *
 * @param type The driver's type: a byte, or a one-character string.
 * @param nr The request's number within the type, 0 to 255.
 * @returns The request number.
 * @throws {RangeError} When a field is out of its range.
 *
 * @example The vsock CID request
 * ```ts
 * import { _IO } from "../mod.ts";
 * console.log(_IO(7, 0xb9).toString(16)); // 7b9
 * ```
 */
export function _IO(type: number | string, nr: number): number {
  return request(NONE, type, nr, 0);
}

/**
 * `_IOR(type, nr, size)`: the driver writes `size` bytes for the caller to read.
 *
 * @param type The driver's type: a byte, or a one-character string.
 * @param nr The request's number within the type, 0 to 255.
 * @param size The argument's size in bytes, below 2^14.
 * @returns The request number.
 * @throws {RangeError} When a field is out of its range.
 *
 * @example Reading an int
 * ```ts
 * import { _IOR } from "../mod.ts";
 * console.log(_IOR("x", 2, 4).toString(16)); // 80047802
 * ```
 */
export function _IOR(type: number | string, nr: number, size: number): number {
  return request(READ, type, nr, size);
}

/**
 * `_IOW(type, nr, size)`: the driver reads `size` bytes the caller wrote.
 *
 * @param type The driver's type: a byte, or a one-character string.
 * @param nr The request's number within the type, 0 to 255.
 * @param size The argument's size in bytes, below 2^14.
 * @returns The request number.
 * @throws {RangeError} When a field is out of its range.
 *
 * @example Writing a long
 * ```ts
 * import { _IOW } from "../mod.ts";
 * console.log(_IOW(0xab, 3, 8).toString(16)); // 4008ab03
 * ```
 */
export function _IOW(type: number | string, nr: number, size: number): number {
  return request(WRITE, type, nr, size);
}

/**
 * `_IOWR(type, nr, size)`: the driver reads `size` bytes and writes them back.
 *
 * @param type The driver's type: a byte, or a one-character string.
 * @param nr The request's number within the type, 0 to 255.
 * @param size The argument's size in bytes, below 2^14.
 * @returns The request number.
 * @throws {RangeError} When a field is out of its range.
 *
 * @example Both ways
 * ```ts
 * import { _IOWR } from "../mod.ts";
 * console.log(_IOWR("T", 255, 100).toString(16)); // c06454ff
 * ```
 */
export function _IOWR(type: number | string, nr: number, size: number): number {
  return request(READ | WRITE, type, nr, size);
}

/**
 * `FIONREAD`: how many bytes can be read without blocking (an `int`); an old request, not `_IOR`-encoded, so
 * its size (4 bytes) is described to `ioctl()` here.
 */
export const FIONREAD = 0x541b;

nameIoctls({ FIONREAD: { request: FIONREAD, size: 4 } });

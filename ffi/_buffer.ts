/**
 * The check every `buffer` argument passes before it is lent to native code.
 *
 * @module
 */
import { otherCopiesNote } from "../structs/_internal.ts";
import type { Converter } from "./_backend.ts";

/** How a wrong argument is named in errors: `"null"`, `"Uint8Array"`, `"a string"`. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "object") return (value.constructor?.name ?? "an object") + otherCopiesNote();
  return `a ${typeof value}`;
}

interface MaybeResizable {
  readonly resizable?: boolean;
  readonly growable?: boolean;
  readonly detached?: boolean;
}

/**
 * Returns the converter that validates argument `index` of `symbol` as a buffer: a typed array, `DataView`,
 * `ArrayBuffer`, an object with `bytes` (`NativeMemory`) or `null`. A buffer is lent as the memory it covers at
 * the call. A detached one is refused (Deno would pass NULL), and so is an empty view of a resizable buffer,
 * which is how a view looks once its buffer shrank under it: its old length may still be passed beside it.
 * Any other empty buffer is passed as NULL: C gets NULL with a length of 0, and a kernel that needs to write
 * answers EFAULT. The runtimes disagree otherwise: Deno passes NULL for an empty view at offset 0 and the
 * address one past the end for `bytes.subarray(16)`, and Bun passes a live address for every empty buffer, so
 * `ioctl(fd, FIONREAD, new Int32Array(0))` let the kernel write 4 bytes into memory nobody lent it.
 *
 * @param symbol The function's name, for errors.
 * @param index The argument's position.
 * @returns The converter.
 */
export function bufferArgument(symbol: string, index: number): Converter {
  const where = `argument ${index} of ${symbol}()`;
  const refuse = (why: string): never => {
    throw new TypeError(`Cannot pass ${where}: ${why}`);
  };
  // Only an empty view can be detached or out of bounds, so a view with bytes passes without a look at its
  // `.buffer`, which Bun makes only when asked, at a price: bench/probes/buffer_property.ts.
  const check = (value: unknown): unknown => {
    if (ArrayBuffer.isView(value)) {
      if (value.byteLength !== 0) return value;
      const memory = value.buffer as MaybeResizable;
      if (memory.detached) refuse("its ArrayBuffer is detached");
      if (memory.resizable || memory.growable) {
        refuse("it is an empty view of a resizable ArrayBuffer (out of bounds once the buffer shrank)");
      }
      return null;
    }
    if (value === null) return null;
    if (value instanceof ArrayBuffer) {
      if (value.detached) refuse("the ArrayBuffer is detached");
      return value.byteLength === 0 ? null : value;
    }
    if (typeof value === "object" && "bytes" in value) {
      return check((value as { bytes: unknown }).bytes);
    }
    return refuse(
      `expected a typed array, DataView, ArrayBuffer, NativeMemory or null, got ${describe(value)}`,
    );
  };
  return check;
}

/**
 * Returns the converter for a function-pointer argument: a `Callback` (anything with a `pointer`) is passed as
 * its pointer.
 */
export function functionArgument(): Converter {
  return (value) =>
    typeof value === "object" && value !== null && "pointer" in value
      ? (value as { pointer: unknown }).pointer
      : value;
}

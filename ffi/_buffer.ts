/**
 * The check every `buffer` argument passes before it is lent to native code.
 *
 * @module
 */
import type { Converter } from "./_backend.ts";

/** How a wrong argument is named in errors: `"null"`, `"Uint8Array"`, `"a string"`. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return `a ${typeof value}`;
}

interface MaybeResizable {
  readonly resizable?: boolean;
  readonly growable?: boolean;
  readonly detached?: boolean;
}

/**
 * Returns the converter that validates argument `index` of `symbol` as a buffer: a typed array, `DataView`,
 * `ArrayBuffer`, an object with `bytes` (`NativeMemory`) or `null`. Detached and resizable buffers are refused:
 * native code would be handed a NULL or a length that can change under it.
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
  // The last buffer that passed. Reading `.buffer` to test resizability costs 6–10 ns a call (bench/calls.ts:
  // `(buffer, usize)` went from +24–51 % over the raw call to within noise), and resizability is fixed when a
  // buffer is made, so a buffer seen before is let through on identity. A zero-length view takes the full path
  // every time, because that is how a detached buffer looks. Holds one strong reference per argument.
  let lastLent: unknown = null;
  const check = (value: unknown): unknown => {
    if (ArrayBuffer.isView(value)) {
      if (value === lastLent && value.byteLength !== 0) return value;
      const memory = value.buffer as MaybeResizable;
      if (value.byteLength === 0 && memory.detached) refuse("its ArrayBuffer is detached");
      if (memory.resizable || memory.growable) {
        refuse("its ArrayBuffer is resizable, so its length can change");
      }
      lastLent = value;
      return value;
    }
    if (value === null) return null;
    if (value instanceof ArrayBuffer) {
      if (value.detached) refuse("the ArrayBuffer is detached");
      if (value.resizable) refuse("the ArrayBuffer is resizable, so its length can change");
      return value;
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

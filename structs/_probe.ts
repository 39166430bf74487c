/**
 * The index probe and the checks built on it, shared by arrays, cursors and columns: a one-byte-per-element
 * typed array whose own bounds are the index check, the slow path that says what is wrong with an index, and
 * the error for rows whose buffer is gone. Also the tokens only this folder holds.
 *
 * @module
 */
import { describe } from "./_checks.ts";

/** The token that only this folder's factories hold: arrays and cursors are not made with `new` by users. */
export const internal = Symbol("internal");
// A cursor's probe (its buffer's bytes as a Uint8Array), for printing; every cursor class has it.
export const probeOf = Symbol("probe");

/**
 * The slow path of every index check: negative indexes, and the errors.
 *
 * The fast paths look up `probe[typeof i === "number" ? i : -1]`: anything but a number misses and comes here.
 * `probe[i]` alone converts `i` to a property key and `i * stride` to a number, and an object can answer the
 * two differently (`{ toString: () => "0", valueOf: () => 2 }` passed the probe as element 0 and was read as
 * element 2, past the array's end; `0n` passed it and failed in the multiplication with the engine's error).
 * The type test folded into the key, not a test of its own: bench/probes/index_type_check.ts
 */
export function checkIndex(
  i: number,
  length: number,
  probe: Uint8Array,
  noun: string,
  owner: string,
  unit: string,
): number {
  if (typeof i !== "number") {
    throw new TypeError(
      `Cannot access ${noun === "element" ? "an" : "a"} ${noun}${owner}: an index must be a number, got ${
        describe(i)
      }`,
    );
  }
  const what = `${noun} "${i}"${owner}`;
  if (rowsGone(probe, length)) throw goneError(probe, "access", what, false);
  if (!Number.isInteger(i) || i >= length || i < -length) {
    throw new RangeError(`Cannot access ${what}: it has ${length} ${unit}`);
  }
  return i < 0 ? i + length : i;
}

/**
 * Whether the buffer was detached or shrank under the elements: their probe then went out of bounds and reads
 * as empty. Its message is built only then, by `goneError`: bench/probes/column_make_check.ts
 */
export function rowsGone(probe: Uint8Array, length: number): boolean {
  return probe.length !== length && probe !== NO_BYTES;
}

/**
 * The error for elements whose buffer is gone (`rowsGone`): `Cannot <verb> "<name>": the buffer is …`, the name
 * unquoted when `quote` is false. Every part is an argument, so that callers build no string unless it throws.
 */
export function goneError(probe: Uint8Array, verb: string, name: string, quote = true): TypeError {
  const what = quote ? `"${name}"` : name;
  return new TypeError(
    `Cannot ${verb} ${what}: the buffer is ${
      probe.buffer.byteLength === 0 ? "detached" : "shorter than the rows now"
    }`,
  );
}

/**
 * A one-byte-per-element typed array whose bounds are exactly the element indexes. It lies over the last
 * `length` bytes of the elements, so that it goes out of bounds (length 0) when the buffer is detached or
 * shrinks under any element: every access then takes the checked path. One probe serves an array, its columns
 * and its cursors.
 */
export function probe(dv: DataView, base: number, length: number, stride: number): Uint8Array {
  // Elements of one byte or more: a window of the same buffer, no copy. Zero-size elements (GCC's empty
  // struct) have no bytes to lie over: `NO_BYTES`, so every access takes the checked path, which costs no
  // memory however many there are (a probe of their own took a byte each: 1 GiB for `count: 2 ** 30`).
  return stride >= 1
    ? new Uint8Array(dv.buffer, dv.byteOffset + base + length * (stride - 1), length)
    : NO_BYTES;
}

/** The probe of zero-size elements: empty, so that every index takes `checkIndex`, which knows it. */
export const NO_BYTES = new Uint8Array(0);

// What `probeOrGone` answers for elements already gone when their probe is first asked for: empty, so every
// index misses and `rowsGone` holds, over a buffer of no bytes (detached) or of one (shorter), as `goneError`
// reads them.
const DETACHED = new Uint8Array(0);
const SHRUNK = new Uint8Array(new ArrayBuffer(1), 0, 0);

/**
 * The probe of elements whose probe is made on first need (an array field's view, made per access): `probe()`,
 * or, when the buffer is already detached or shorter than the elements, an empty stand-in that says which. A
 * stand-in's length is not the elements' (unless there are none): keep only a probe of their length, so that
 * the next call tries again and finds the buffer grown back.
 */
export function probeOrGone(dv: DataView, base: number, length: number, stride: number): Uint8Array {
  try {
    return probe(dv, base, length, stride);
  } catch {
    return dv.buffer.byteLength === 0 ? DETACHED : SHRUNK;
  }
}

/**
 * Caller bytes as a `DataView`: the conversion (with the last bytes' view reused on hot paths), the detached
 * and resizable buffer tests, and the bounds check of a byte offset.
 *
 * @module
 */
import { describe } from "./_checks.ts";

/** Bytes a layout may be read from: any buffer, typed array or `DataView`. */
export type Bytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Whether a buffer's length can change under its views: a resizable or a growable one. */
export function resizable(buffer: ArrayBufferLike): boolean {
  const b = buffer as { resizable?: boolean; growable?: boolean };
  return b.resizable === true || b.growable === true;
}

/**
 * Whether the DataView `toDataView` made for `bytes` stays right for them: always, except over a buffer whose
 * length can change, where a typed array may track that length and the DataView made from it does not (its
 * length is fixed when it is made). A resizable `ArrayBuffer` given itself gets a DataView that tracks its
 * length, so it is kept.
 */
export function keepsLength(bytes: Bytes, dv: DataView): boolean {
  return bytes === dv.buffer || !resizable(dv.buffer);
}

/** Whether a buffer was detached (transferred, or its memory taken back). */
export function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: boolean }).detached;
  if (flag !== undefined) return flag;
  // A SharedArrayBuffer is never detached (and V8's `slice(0, 0)` of an empty one throws).
  if (typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer) return false;
  // Older engines: a detached buffer reports zero length and refuses to be sliced.
  if (buffer.byteLength !== 0) return false;
  try {
    buffer.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Turns caller bytes into a `DataView` over exactly those bytes. A `DataView` is used as is. `verb` and `name`
 * only build the error message.
 *
 * @throws {TypeError} When `bytes` is not a buffer or view, or its buffer is detached.
 */
export function toDataView(bytes: Bytes, verb: string, name: string): DataView {
  if (bytes instanceof DataView) return checkedDataView(bytes, verb, name);
  if (ArrayBuffer.isView(bytes)) {
    if (bytes.byteLength === 0) checkEmptyView(bytes, verb, name);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (
    bytes instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && bytes instanceof SharedArrayBuffer)
  ) {
    if (isDetached(bytes)) throw detachedError(verb, name);
    return new DataView(bytes);
  }
  throw new TypeError(
    `Cannot ${verb} "${name}": expected an ArrayBuffer, SharedArrayBuffer, typed array or DataView, got ${
      describe(bytes)
    }`,
  );
}

// The last bytes seen keep their DataView (they stay reachable until other bytes replace them):
// bench/probes/rows_dataview.ts
// Starts as an object no caller holds: starting as `undefined` let a first `T.read(undefined)` hit the cache
// and fail with the engine's message instead of the toolkit's.
let lastBytes: object = {};
let lastView: DataView | undefined;

/**
 * `toDataView` for hot paths: a `DataView` passes through once its bytes are found still there, and the bytes
 * of the previous call reuse their view.
 *
 * @throws {TypeError} As `toDataView`.
 */
export function dataViewOf(bytes: Bytes, verb: string, name: string): DataView {
  // A caller's DataView is checked each time: its buffer may have been detached or shrunk since.
  if (bytes instanceof DataView) return checkedDataView(bytes, verb, name);
  // A detached buffer reports 0 bytes: take the slow path, which says so.
  if (lastBytes === bytes && bytes.byteLength !== 0) return lastView!;
  return newDataView(bytes, verb, name);
}

/**
 * Whether `dv` lies over a buffer whose length can change: the last bytes' DataView (`dataViewOf`) never does,
 * or tracks its length, and is told by one comparison; others ask their buffer.
 */
export function overResizable(dv: DataView): boolean {
  return dv !== lastView && resizable(dv.buffer);
}

// `dataViewOf`'s miss, a function of its own so that `dataViewOf` inlines: bench/probes/column_make_check.ts
function newDataView(bytes: Bytes, verb: string, name: string): DataView {
  const dv = toDataView(bytes, verb, name);
  // Bytes whose length may change are not kept: their next call gets a DataView of their length then.
  if (keepsLength(bytes, dv)) {
    lastBytes = bytes;
    lastView = dv;
  }
  return dv;
}

function detachedError(verb: string, name: string): TypeError {
  return new TypeError(`Cannot ${verb} "${name}": the buffer is detached`);
}

function shrunkError(verb: string, name: string): TypeError {
  return new TypeError(`Cannot ${verb} "${name}": the buffer is shorter than the view now`);
}

/**
 * A caller's `DataView`, if its bytes are still there: one whose buffer was detached or shrank below it throws
 * the engine's error when asked its length, which becomes the toolkit's.
 */
function checkedDataView(dv: DataView, verb: string, name: string): DataView {
  try {
    dv.byteLength;
  } catch {
    throw isDetached(dv.buffer) ? detachedError(verb, name) : shrunkError(verb, name);
  }
  return dv;
}

/**
 * A typed array of no bytes may be one whose buffer was detached, or one whose resizable buffer shrank under it:
 * both report 0 bytes at offset 0, and would be taken for an empty array at the buffer's start. The typed array
 * methods refuse an out-of-bounds array (`at` reads nothing from one in bounds).
 */
function checkEmptyView(bytes: ArrayBufferView, verb: string, name: string): void {
  if (isDetached(bytes.buffer)) throw detachedError(verb, name);
  if (!resizable(bytes.buffer) || typeof (bytes as Uint8Array).at !== "function") return;
  try {
    (bytes as Uint8Array).at(0);
  } catch {
    throw shrunkError(verb, name);
  }
}

/**
 * Checks that a byte offset is a non-negative integer and that `size` bytes fit from it.
 *
 * @throws {TypeError} When the offset is not a number.
 * @throws {RangeError} When the bytes do not fit.
 */
export function checkSpan(dv: DataView, byteOffset: number, size: number, verb: string, name: string): void {
  // The cold path is its own function, so the check itself stays small. The `typeof` test comes first, as a
  // bigint offset fails `>>>` in the engine; offsets of 4 GiB and more fail `>>> 0` and are checked there.
  if (
    typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + size > dv.byteLength
  ) {
    checkSpanSlowly(dv, byteOffset, size, verb, name);
  }
}

/** `checkSpan` for the offsets its fast test does not take: the errors, and offsets of 4 GiB and more. */
export function checkSpanSlowly(
  dv: DataView,
  byteOffset: number,
  size: number,
  verb: string,
  name: string,
): void {
  if (typeof byteOffset !== "number") {
    throw new TypeError(
      `Cannot ${verb} "${name}": byte offset must be a number, got ${describe(byteOffset)}`,
    );
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new RangeError(
      `Cannot ${verb} "${name}": byte offset "${byteOffset}" is not a non-negative integer`,
    );
  }
  if (byteOffset + size <= dv.byteLength) return;
  throw new RangeError(
    `Cannot ${verb} "${name}": it needs ${size} bytes at offset ${byteOffset} but the buffer has ${dv.byteLength}`,
  );
}

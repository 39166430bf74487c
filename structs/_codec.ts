/**
 * Internals shared by every layout: turning caller bytes into a `DataView`, scalar readers and writers (as
 * closures for the plain path and as source text for the generated path), value checks and bounds checks.
 *
 * @module
 */
import { type NativeType, type Pointer, pointerCodec, type Scalar } from "./scalars.ts";

/** True when the host stores integers little-endian (x86-64, arm64). */
export const hostLittleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Where a struct, union or array type keeps its codec. */
export const CODEC: unique symbol = Symbol("codec");

/** The codec of any field type. */
export function codecOf(type: unknown): Codec {
  if (typeof type === "object" && type !== null) {
    const composite = (type as { [CODEC]?: Codec })[CODEC];
    if (composite) return composite;
    if ((type as Scalar).kind === "scalar") return scalarCodec(type as Scalar);
  }
  throw new TypeError(
    `Cannot use ${describe(type)} as a field type: expected a scalar, array, struct or union`,
  );
}

/** What every layout knows how to do at a byte offset of a `DataView`, with bounds already checked. */
export interface Codec {
  readonly size: number;
  readonly align: number;
  /** Copies the value out. */
  readAt(dv: DataView, offset: number): unknown;
  /** Writes a value, checking its shape and range; `path` names it in errors. */
  writeAt(dv: DataView, offset: number, value: unknown, path: string): void;
  /** For composite layouts: an in-place view. Absent for scalars. */
  viewAt?(dv: DataView, offset: number): unknown;
  /** For struct layouts: moves a view made by `viewAt` to another offset (used by cursors). */
  moveView?(view: unknown, offset: number): void;
}

/** Bytes a layout may be read from: any buffer, typed array or `DataView`. */
export type Bytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/**
 * Checks an options object: an object (or `undefined`, for none) whose keys are all in `accepted`. A misspelt
 * key is an error, not a silently different result. `verb` and `name` make the message (`Cannot cast to
 * "S": …`), built only when it is thrown: built on every `T.array()` call, it cost 5-9 ns of its 56. Keys
 * are listed with `for...in`, as the options are read (inherited keys included).
 *
 * @throws {TypeError} When `options` is not an object or has a key not in `accepted`.
 */
export function checkOptions(
  options: unknown,
  accepted: readonly string[],
  verb: string,
  name: string,
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot ${verb} "${name}": options must be an object, got ${describe(options)}`);
  }
  for (const key in options) {
    if (!accepted.includes(key)) {
      throw new TypeError(
        `Cannot ${verb} "${name}": unknown option "${key}" (expected ${accepted.join(", ")})`,
      );
    }
  }
}

/** Whether a buffer's length can change under its views: a resizable or a growable one. */
function resizable(buffer: ArrayBufferLike): boolean {
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
  if (bytes instanceof DataView) {
    if (isDetached(bytes.buffer)) throw detachedError(verb, name);
    return bytes;
  }
  if (ArrayBuffer.isView(bytes)) {
    if (bytes.byteLength === 0 && isDetached(bytes.buffer)) throw detachedError(verb, name);
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

// The last non-DataView bytes seen and their DataView: a loop of `T.read(bytes, i * size)` over one typed
// array then makes one DataView, not one per row (a new DataView per call cost ~50 ns on Deno 2.9 in the
// /tmp timing runs, a WeakRef-held cache ~15 ns). The cost: those bytes stay reachable until a call with
// other bytes replaces them.
// Starts as an object no caller holds: starting as `undefined` let a first `T.read(undefined)` hit the cache
// and fail with the engine's message instead of the toolkit's.
let lastBytes: object = {};
let lastView: DataView | undefined;

/**
 * `toDataView` for hot paths: a `DataView` passes through, and the bytes of the previous call reuse their view.
 *
 * @throws {TypeError} As `toDataView`.
 */
export function dataViewOf(bytes: Bytes, verb: string, name: string): DataView {
  // A detached DataView fails on its first use with the engine's TypeError, which says "detached".
  if (bytes instanceof DataView) return bytes;
  // A detached buffer reports 0 bytes: take the slow path, which says so.
  if (lastBytes === bytes && bytes.byteLength !== 0) return lastView!;
  return newDataView(bytes, verb, name);
}

// `dataViewOf`'s miss, a function of its own so that `dataViewOf` stays small enough to inline: with these
// lines in it, `T.array(bytes)` took 58 ns instead of 52 (Deno 2.9, /tmp probe).
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

/** A short description of a value for error messages: strings quoted, objects by their class. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  // Only strings are quoted, so that 1, 1n and "1" read apart.
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "object" || typeof value === "function") {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}` : "an object";
  }
  return String(value);
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

/**
 * Throws the error for a value a scalar cannot hold: `TypeError` for a wrong type, else `RangeError`.
 *
 * @param path The field, e.g. `"taskstats.ac_pid"`.
 * @param name The scalar's name, e.g. `"DWORD"`.
 * @param native Its machine type, which decides the JavaScript type expected.
 * @param value The value refused.
 */
export function badValue(path: string, name: string, native: string, value: unknown): never {
  const expected = native === "bool" ? "boolean" : /^[iu](64|size)$/.test(native) ? "bigint" : "number";
  const actual: string = typeof value;
  if (actual !== expected) {
    throw new TypeError(`Cannot write "${path}": expected a ${expected} for ${name}, got ${describe(value)}`);
  }
  throw new RangeError(`Cannot write "${path}": value ${describe(value)} is out of range for ${name}`);
}

// Scalars as source text (the generated path) and as closures (the plain path). Both must agree; the same
// tests run against both. The integer checks test `typeof` first: a bigint (or a symbol) makes the bit
// operators throw the engine's own TypeError, where `badValue` names the field and the type expected.

interface ScalarOps {
  get: string;
  set: string;
  /** A source expression over identifier `x` that is true when `x` is storable. */
  valid: (x: string) => string;
  check(x: unknown): boolean;
}

const OPS: Readonly<Record<NativeType, ScalarOps>> = {
  i8: {
    get: "getInt8",
    set: "setInt8",
    valid: (x) => `typeof ${x} === "number" && ((${x} << 24) >> 24) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) << 24 >> 24) === x,
  },
  u8: {
    get: "getUint8",
    set: "setUint8",
    valid: (x) => `typeof ${x} === "number" && (${x} & 255) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) & 255) === x,
  },
  i16: {
    get: "getInt16",
    set: "setInt16",
    valid: (x) => `typeof ${x} === "number" && ((${x} << 16) >> 16) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) << 16 >> 16) === x,
  },
  u16: {
    get: "getUint16",
    set: "setUint16",
    valid: (x) => `typeof ${x} === "number" && (${x} & 65535) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) & 65535) === x,
  },
  i32: {
    get: "getInt32",
    set: "setInt32",
    valid: (x) => `typeof ${x} === "number" && (${x} | 0) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) | 0) === x,
  },
  u32: {
    get: "getUint32",
    set: "setUint32",
    valid: (x) => `typeof ${x} === "number" && (${x} >>> 0) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) >>> 0) === x,
  },
  i64: {
    get: "getBigInt64",
    set: "setBigInt64",
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asIntN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asIntN(64, x) === x,
  },
  u64: {
    get: "getBigUint64",
    set: "setBigUint64",
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asUintN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asUintN(64, x) === x,
  },
  isize: {
    get: "getBigInt64",
    set: "setBigInt64",
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asIntN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asIntN(64, x) === x,
  },
  usize: {
    get: "getBigUint64",
    set: "setBigUint64",
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asUintN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asUintN(64, x) === x,
  },
  f32: {
    get: "getFloat32",
    set: "setFloat32",
    valid: (x) => `typeof ${x} === "number"`,
    check: (x) => typeof x === "number",
  },
  f64: {
    get: "getFloat64",
    set: "setFloat64",
    valid: (x) => `typeof ${x} === "number"`,
    check: (x) => typeof x === "number",
  },
  bool: {
    get: "getUint8",
    set: "setUint8",
    valid: (x) => `typeof ${x} === "boolean"`,
    check: (x) => typeof x === "boolean",
  },
  pointer: { get: "getBigUint64", set: "setBigUint64", valid: () => "true", check: () => true },
};

/** Whether a scalar's bytes are little-endian in memory. */
export function isLittle(type: Scalar): boolean {
  return type.endian === "native" ? hostLittleEndian : type.endian === "little";
}

/** Source text reading scalar `type` at the byte offset expression `at` of DataView `dv`. */
export function readSource(type: Scalar, dv: string, at: string): string {
  const ops = OPS[type.native];
  const call = `${dv}.${ops.get}(${at}, ${isLittle(type)})`;
  if (type.native === "bool") return `(${call} !== 0)`;
  if (type.native === "pointer") return `P().fromAddress(${call})`;
  return call;
}

/**
 * Source text writing `value` (an identifier) as scalar `type`; `path` is a source expression naming the
 * field. Needs `bad` (badValue) and `P` (pointerCodec) in scope.
 */
export function writeSource(type: Scalar, dv: string, at: string, value: string, path: string): string {
  const ops = OPS[type.native];
  const le = isLittle(type);
  if (type.native === "pointer") return `${dv}.setBigUint64(${at}, P().toAddress(${value}), ${le});`;
  const valid = ops.valid(value);
  const stored = type.native === "bool" ? `(${value} ? 1 : 0)` : value;
  const names = `${JSON.stringify(type.name)}, ${JSON.stringify(type.native)}`;
  return `if (!(${valid})) bad(${path}, ${names}, ${value}); ${dv}.${ops.set}(${at}, ${stored}, ${le});`;
}

type Reader = (dv: DataView, o: number) => unknown;
type Writer = (dv: DataView, o: number, v: unknown) => void;

const ACCESS: Readonly<Record<Exclude<NativeType, "bool" | "pointer">, (le: boolean) => [Reader, Writer]>> = {
  i8: () => [(dv, o) => dv.getInt8(o), (dv, o, v) => dv.setInt8(o, v as number)],
  u8: () => [(dv, o) => dv.getUint8(o), (dv, o, v) => dv.setUint8(o, v as number)],
  i16: (le) => [(dv, o) => dv.getInt16(o, le), (dv, o, v) => dv.setInt16(o, v as number, le)],
  u16: (le) => [(dv, o) => dv.getUint16(o, le), (dv, o, v) => dv.setUint16(o, v as number, le)],
  i32: (le) => [(dv, o) => dv.getInt32(o, le), (dv, o, v) => dv.setInt32(o, v as number, le)],
  u32: (le) => [(dv, o) => dv.getUint32(o, le), (dv, o, v) => dv.setUint32(o, v as number, le)],
  i64: (le) => [(dv, o) => dv.getBigInt64(o, le), (dv, o, v) => dv.setBigInt64(o, v as bigint, le)],
  u64: (le) => [(dv, o) => dv.getBigUint64(o, le), (dv, o, v) => dv.setBigUint64(o, v as bigint, le)],
  isize: (le) => [(dv, o) => dv.getBigInt64(o, le), (dv, o, v) => dv.setBigInt64(o, v as bigint, le)],
  usize: (le) => [(dv, o) => dv.getBigUint64(o, le), (dv, o, v) => dv.setBigUint64(o, v as bigint, le)],
  f32: (le) => [(dv, o) => dv.getFloat32(o, le), (dv, o, v) => dv.setFloat32(o, v as number, le)],
  f64: (le) => [(dv, o) => dv.getFloat64(o, le), (dv, o, v) => dv.setFloat64(o, v as number, le)],
};

const scalarCodecs = new Map<string, Codec>();

/** The plain (closure) codec of a scalar, shared by every scalar with the same machine type and byte order. */
export function scalarCodec(type: Scalar): Codec {
  const key = `${type.native}:${isLittle(type)}:${type.name}`;
  const cached = scalarCodecs.get(key);
  if (cached) return cached;
  const le = isLittle(type);
  const name = type.name;
  const native = type.native;
  const check = OPS[native].check;
  let codec: Codec;
  if (type.native === "bool") {
    codec = {
      size: 1,
      align: type.align,
      readAt: (dv, o) => dv.getUint8(o) !== 0,
      writeAt(dv, o, v, path) {
        if (typeof v !== "boolean") badValue(path, name, native, v);
        dv.setUint8(o, v ? 1 : 0);
      },
    };
  } else if (type.native === "pointer") {
    codec = {
      size: 8,
      align: type.align,
      readAt: (dv, o) => pointerCodec().fromAddress(dv.getBigUint64(o, le)),
      writeAt(dv, o, v) {
        dv.setBigUint64(o, pointerCodec().toAddress(v as Pointer | null), le);
      },
    };
  } else {
    // One closure per machine type, each with a direct DataView call the JIT can inline.
    const [readAt, store] = ACCESS[type.native](le);
    codec = {
      size: type.size,
      align: type.align,
      readAt,
      writeAt(dv, o, v, path) {
        if (!check(v)) badValue(path, name, native, v);
        store(dv, o, v);
      },
    };
  }
  scalarCodecs.set(key, codec);
  return codec;
}

let generate = true;
try {
  // Environments that forbid `new Function` (a strict content security policy) take the plain path.
  new Function("return 1")();
} catch {
  generate = false;
}

/**
 * Whether layouts made from now on use generated accessor code (the default where `new Function` works) or
 * the plain closure path. For tests, which run every layout check on both paths.
 *
 * @param enabled `false` for the plain path.
 * @returns The previous setting.
 */
export function useGeneratedCode(enabled: boolean): boolean {
  const previous = generate;
  generate = enabled;
  return previous;
}

/** Whether generated code is in use for layouts made now. */
export function generatedCode(): boolean {
  return generate;
}

// Numbers every compiled source, so that no two layouts compile the same text. Both engines cache `new Function`
// by source, and code compiled from one text shares its type feedback: two layouts with identical accessors
// (or every layout's cursor class) then profile as one, their private-field accesses go megamorphic, and in a
// /tmp probe a view over a second layout's identical class took 17 ns per row on Deno and 24 on Bun instead of
// 1.7 and 2.0.
let compiled = 0;

/** Compiles generated source with named dependencies; each call gets code (and type feedback) of its own. */
export function compile<T>(names: string[], body: string, deps: unknown[]): T {
  const factory = new Function(...names, `"use strict"; // ffikit layout code #${++compiled}\n${body}`);
  return factory(...deps) as T;
}

/** Reads `width` bits starting `bit` bits after byte `o` (LSB-first bit order), as an unsigned number. */
export function readBits(dv: DataView, o: number, bit: number, width: number): number {
  const first = bit >>> 3;
  const last = (bit + width - 1) >>> 3;
  let value = 0;
  for (let i = last; i >= first; i--) value = value * 256 + dv.getUint8(o + i);
  const shifted = Math.floor(value / 2 ** (bit & 7));
  return width === 32 ? shifted % 4294967296 : shifted % 2 ** width;
}

const utf8 = new TextDecoder();

// Up to this many characters, an ASCII string is built by hand: TextDecoder's cost per call (about 830 ns on
// Deno 2.9 and 100 on Bun 1.4, whatever the length) is more than building it. By hand took 26 ns for 4
// characters and 177 for 32 on Deno, 19 and 119 on Bun, where 32 is the break-even (/tmp probe, 5e5 strings).
const HAND_DECODED = 32;

/**
 * A C string in a `char` array of `length` bytes at `o`: UTF-8 up to the first NUL byte, or all of it.
 */
export function decodeCString(dv: DataView, o: number, length: number): string {
  const limit = Math.min(length, HAND_DECODED);
  let end = 0;
  let c = 0;
  while (end < limit && (c = dv.getUint8(o + end)) !== 0 && c < 0x80) end++;
  if (end === length || (end < limit && c === 0)) {
    let s = "";
    for (let i = 0; i < end; i++) s += String.fromCharCode(dv.getUint8(o + i));
    return s;
  }
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset + o, length);
  const nul = bytes.indexOf(0);
  const text = bytes.subarray(0, nul === -1 ? length : nul);
  // TextDecoder refuses views of a SharedArrayBuffer: those are copied first. A copy is a new array, which
  // costs about 570 ns on Deno (see HAND_DECODED), so the others are decoded where they are.
  return utf8.decode(dv.buffer instanceof SharedArrayBuffer ? text.slice() : text);
}

/** `readBits` for widths above 32 (64-bit declared types): the bits as an unsigned `bigint`. */
export function readWideBits(dv: DataView, o: number, bit: number, width: number): bigint {
  const first = bit >>> 3;
  const last = (bit + width - 1) >>> 3;
  let value = 0n;
  for (let i = last; i >= first; i--) value = (value << 8n) | BigInt(dv.getUint8(o + i));
  return BigInt.asUintN(width, value >> BigInt(bit & 7));
}

/** `writeBits` for widths above 32: writes the low `width` bits of unsigned `value`. */
export function writeWideBits(dv: DataView, o: number, bit: number, width: number, value: bigint): void {
  // A byte's worth at a time, through writeBits, which keeps the other bits of the two end bytes.
  let v = value;
  let position = bit;
  let remaining = width;
  while (remaining > 0) {
    const take = Math.min(8 - (position & 7), remaining);
    writeBits(dv, o, position, take, Number(v & BigInt((1 << take) - 1)));
    v >>= BigInt(take);
    position += take;
    remaining -= take;
  }
}

/** Writes the low `width` bits of unsigned `value` starting `bit` bits after byte `o`. */
export function writeBits(dv: DataView, o: number, bit: number, width: number, value: number): void {
  let remaining = width;
  let v = value;
  let position = bit;
  while (remaining > 0) {
    const byte = o + (position >>> 3);
    const shift = position & 7;
    const take = Math.min(8 - shift, remaining);
    const mask = ((1 << take) - 1) << shift;
    const part = (v % (1 << take)) << shift;
    dv.setUint8(byte, (dv.getUint8(byte) & ~mask) | part);
    v = Math.floor(v / (1 << take));
    remaining -= take;
    position += take;
  }
}

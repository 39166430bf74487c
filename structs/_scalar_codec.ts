/**
 * Scalars read and written: as closures for the plain path (`scalarCodec`) and as source text for the
 * generated path (`readSource`, `writeSource`), with the value checks both share and the error for a value a
 * scalar cannot hold.
 *
 * @module
 */
import type { Codec } from "./_codec.ts";
import { describe } from "./_checks.ts";
import { MACHINE_TYPES } from "./_machine_types.ts";
import { type NativeType, type Pointer, pointerCodec, type Scalar } from "./scalars.ts";
import { readsNumber } from "./as_number.ts";
import { UnsafeIntegerError } from "./errors.ts";

/** True when the host stores integers little-endian (x86-64, arm64). */
export const hostLittleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether a machine type is a 64-bit integer: written from a `bigint` or a safe integer number. */
function isWide(native: string): boolean {
  return native === "i64" || native === "u64" || native === "isize" || native === "usize";
}

/**
 * Throws the error for a value a scalar cannot hold: `TypeError` for a wrong type, `UnsafeIntegerError` for a
 * number past 2^53 - 1 given to a 64-bit integer, else `RangeError`.
 *
 * @param path The field, e.g. `"taskstats.ac_pid"`.
 * @param name The scalar's name, e.g. `"DWORD"`.
 * @param native Its machine type, which decides the JavaScript type expected.
 * @param value The value refused.
 */
export function badValue(path: string, name: string, native: string, value: unknown): never {
  const actual: string = typeof value;
  if (isWide(native)) {
    if (actual === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new UnsafeIntegerError({
        message: `Cannot write "${path}": ${
          describe(value)
        } is not a safe integer, so it may not be the one meant for ${name}; pass a bigint`,
        value: value as number,
        type: name,
      });
    }
    if (actual !== "bigint" && actual !== "number") {
      throw new TypeError(
        `Cannot write "${path}": expected a bigint or a safe integer for ${name}, got ${describe(value)}`,
      );
    }
  } else {
    const expected = native === "bool" ? "boolean" : "number";
    if (actual !== expected) {
      throw new TypeError(
        `Cannot write "${path}": expected a ${expected} for ${name}, got ${describe(value)}`,
      );
    }
  }
  throw new RangeError(`Cannot write "${path}": value ${describe(value)} is out of range for ${name}`);
}

/** The error of a field declared `asNumber(T)` whose value is not a safe integer: it has no exact number. */
function unsafeRead(dv: DataView, o: number, le: boolean, signed: boolean, name: string): never {
  const value = signed ? dv.getBigInt64(o, le) : dv.getBigUint64(o, le);
  throw new UnsafeIntegerError({
    message:
      `Cannot read ${name} as a number: ${value} is not a safe integer (declare it ${name} to read a bigint)`,
    value,
    type: name,
  });
}

/**
 * Reads the 64-bit integer at `o` as a number (`asNumber`), or throws `UnsafeIntegerError`. Two 32-bit reads
 * and no `bigint`: the halves of a safe integer add up exactly, and an unsafe one never rounds to a safe one.
 */
export function readNumber(dv: DataView, o: number, le: boolean, signed: boolean, name: string): number {
  const high = signed ? dv.getInt32(le ? o + 4 : o, le) : dv.getUint32(le ? o + 4 : o, le);
  const v = high * 4294967296 + dv.getUint32(le ? o : o + 4, le);
  return Number.isSafeInteger(v) ? v : unsafeRead(dv, o, le, signed, name);
}

/** Writes safe integer `v` as a 64-bit integer in two 32-bit halves, with no `bigint` made. */
function writeHalves(dv: DataView, o: number, v: number, le: boolean): void {
  dv.setUint32(le ? o : o + 4, v >>> 0, le);
  dv.setInt32(le ? o + 4 : o, Math.floor(v / 4294967296), le);
}

// Scalars as source text (the generated path) and as closures (the plain path). Both must agree; the same
// tests run against both. The integer checks test `typeof` first: a bigint (or a symbol) makes the bit
// operators throw the engine's own TypeError, where `badValue` names the field and the type expected.

interface ScalarOps {
  /** A source expression over identifier `x` that is true when `x` is storable. */
  valid: (x: string) => string;
  check(x: unknown): boolean;
}

// Made at the first codec or source that needs it, not at import: 28 functions most programs never call.
let opsTable: Readonly<Record<NativeType, ScalarOps>> | undefined;

function opsOf(native: NativeType): ScalarOps {
  return (opsTable ??= makeOps())[native];
}

const makeOps = (): Readonly<Record<NativeType, ScalarOps>> => ({
  i8: {
    valid: (x) => `typeof ${x} === "number" && ((${x} << 24) >> 24) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) << 24 >> 24) === x,
  },
  u8: {
    valid: (x) => `typeof ${x} === "number" && (${x} & 255) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) & 255) === x,
  },
  i16: {
    valid: (x) => `typeof ${x} === "number" && ((${x} << 16) >> 16) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) << 16 >> 16) === x,
  },
  u16: {
    valid: (x) => `typeof ${x} === "number" && (${x} & 65535) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) & 65535) === x,
  },
  i32: {
    valid: (x) => `typeof ${x} === "number" && (${x} | 0) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) | 0) === x,
  },
  u32: {
    valid: (x) => `typeof ${x} === "number" && (${x} >>> 0) === ${x}`,
    check: (x) => typeof x === "number" && ((x as number) >>> 0) === x,
  },
  i64: {
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asIntN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asIntN(64, x) === x,
  },
  u64: {
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asUintN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asUintN(64, x) === x,
  },
  isize: {
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asIntN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asIntN(64, x) === x,
  },
  usize: {
    valid: (x) => `typeof ${x} === "bigint" && BigInt.asUintN(64, ${x}) === ${x}`,
    check: (x) => typeof x === "bigint" && BigInt.asUintN(64, x) === x,
  },
  f32: {
    valid: (x) => `typeof ${x} === "number"`,
    check: (x) => typeof x === "number",
  },
  f64: {
    valid: (x) => `typeof ${x} === "number"`,
    check: (x) => typeof x === "number",
  },
  bool: {
    valid: (x) => `typeof ${x} === "boolean"`,
    check: (x) => typeof x === "boolean",
  },
  pointer: { valid: () => "true", check: () => true },
});

/** Whether a scalar's bytes are little-endian in memory. */
export function isLittle(type: Scalar): boolean {
  return type.endian === "native" ? hostLittleEndian : type.endian === "little";
}

/** Source text reading scalar `type` at the byte offset expression `at` of DataView `dv`; needs `P` and `N`. */
export function readSource(type: Scalar, dv: string, at: string): string {
  if (readsNumber(type)) {
    const signed = type.native === "i64" || type.native === "isize";
    return `N(${dv}, ${at}, ${isLittle(type)}, ${signed}, ${JSON.stringify(type.name)})`;
  }
  const call = `${dv}.${MACHINE_TYPES[type.native].get}(${at}, ${isLittle(type)})`;
  if (type.native === "bool") return `(${call} !== 0)`;
  if (type.native === "pointer") return `P().fromAddress(${call})`;
  return call;
}

/** Source text writing zero bytes over scalar `type` at `at`: what a value that leaves the field out writes. */
export function zeroSource(type: Scalar, dv: string, at: string): string {
  if (type.size === 8) return `${dv}.setBigUint64(${at}, 0n);`;
  return `${dv}.setUint${type.size * 8}(${at}, 0);`;
}

/**
 * Source text writing `value` (an identifier) as scalar `type`; `path` is a source expression naming the
 * field. `missing`, when given, is the source run when the value is `undefined` (a field left out), which is
 * otherwise refused. Needs `bad` (badValue) and `P` (pointerCodec) in scope. The checks come first and the
 * unusual cases after them, so a value of the usual type costs what it did: one test and the store.
 */
export function writeSource(
  type: Scalar,
  dv: string,
  at: string,
  value: string,
  path: string,
  missing?: string,
): string {
  const le = isLittle(type);
  const names = `${JSON.stringify(type.name)}, ${JSON.stringify(type.native)}`;
  const otherwise = `${
    missing === undefined ? "" : `else if (${value} === undefined) { ${missing} } `
  }else bad(${path}, ${names}, ${value});`;
  if (type.native === "pointer") {
    const store = `${dv}.setBigUint64(${at}, P().toAddress(${value}), ${le});`;
    return missing === undefined ? store : `if (${value} === undefined) { ${missing} } else ${store}`;
  }
  if (isWide(type.native)) {
    const signed = type.native === "i64" || type.native === "isize";
    const method = MACHINE_TYPES[type.native].set;
    // A safe integer number goes in two 32-bit halves, with no bigint made (see `writeHalves`).
    const low = le ? at : `${at} + 4`;
    const high = le ? `${at} + 4` : at;
    return `if (${opsOf(type.native).valid(value)}) ${dv}.${method}(${at}, ${value}, ${le}); ` +
      `else if (typeof ${value} === "number" && Number.isSafeInteger(${value})${
        signed ? "" : ` && ${value} >= 0`
      }) { ` +
      `${dv}.setUint32(${low}, ${value} >>> 0, ${le}); ${dv}.setInt32(${high}, Math.floor(${value} / 4294967296), ${le}); } ` +
      otherwise;
  }
  const valid = opsOf(type.native).valid(value);
  const stored = type.native === "bool" ? `(${value} ? 1 : 0)` : value;
  return `if (${valid}) ${dv}.${MACHINE_TYPES[type.native].set}(${at}, ${stored}, ${le}); ${otherwise}`;
}

type Reader = (dv: DataView, o: number) => unknown;
type Writer = (dv: DataView, o: number, v: unknown) => void;

type Access = Readonly<Record<Exclude<NativeType, "bool" | "pointer">, (le: boolean) => [Reader, Writer]>>;

// Made at the first codec, as the checks are.
let accessTable: Access | undefined;

function accessOf(native: keyof Access, le: boolean): [Reader, Writer] {
  return (accessTable ??= makeAccess())[native](le);
}

const makeAccess = (): Access => ({
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
});

const scalarCodecs = new Map<string, Codec>();

/** The scalar codecs made so far: none at import (tests/structs/lazy_build_test.ts). */
export const SCALAR_CODECS: ReadonlyMap<string, Codec> = scalarCodecs;

/** The plain (closure) codec of a scalar, shared by every scalar with the same machine type and byte order. */
export function scalarCodec(type: Scalar): Codec {
  const number = readsNumber(type);
  const key = `${type.native}:${isLittle(type)}:${type.name}:${number}`;
  const cached = scalarCodecs.get(key);
  if (cached) return cached;
  const le = isLittle(type);
  const name = type.name;
  const native = type.native;
  const check = opsOf(native).check;
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
  } else if (isWide(type.native)) {
    const [readBig, store] = accessOf(type.native, le);
    const signed = native === "i64" || native === "isize";
    codec = {
      size: 8,
      align: type.align,
      readAt: number ? (dv, o) => readNumber(dv, o, le, signed, name) : readBig,
      writeAt(dv, o, v, path) {
        if (typeof v === "bigint") {
          if (!check(v)) badValue(path, name, native, v);
          store(dv, o, v);
        } else if (typeof v === "number" && Number.isSafeInteger(v) && (signed || v >= 0)) {
          writeHalves(dv, o, v, le);
        } else badValue(path, name, native, v);
      },
    };
  } else {
    // One closure per machine type, each with a direct DataView call the JIT can inline.
    const [readAt, store] = accessOf(type.native, le);
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

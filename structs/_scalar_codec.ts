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

/** True when the host stores integers little-endian (x86-64, arm64). */
export const hostLittleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
  /** A source expression over identifier `x` that is true when `x` is storable. */
  valid: (x: string) => string;
  check(x: unknown): boolean;
}

const OPS: Readonly<Record<NativeType, ScalarOps>> = {
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
};

/** Whether a scalar's bytes are little-endian in memory. */
export function isLittle(type: Scalar): boolean {
  return type.endian === "native" ? hostLittleEndian : type.endian === "little";
}

/** Source text reading scalar `type` at the byte offset expression `at` of DataView `dv`. */
export function readSource(type: Scalar, dv: string, at: string): string {
  const call = `${dv}.${MACHINE_TYPES[type.native].get}(${at}, ${isLittle(type)})`;
  if (type.native === "bool") return `(${call} !== 0)`;
  if (type.native === "pointer") return `P().fromAddress(${call})`;
  return call;
}

/**
 * Source text writing `value` (an identifier) as scalar `type`; `path` is a source expression naming the
 * field. Needs `bad` (badValue) and `P` (pointerCodec) in scope.
 */
export function writeSource(type: Scalar, dv: string, at: string, value: string, path: string): string {
  const le = isLittle(type);
  if (type.native === "pointer") return `${dv}.setBigUint64(${at}, P().toAddress(${value}), ${le});`;
  const valid = OPS[type.native].valid(value);
  const stored = type.native === "bool" ? `(${value} ? 1 : 0)` : value;
  const names = `${JSON.stringify(type.name)}, ${JSON.stringify(type.native)}`;
  return `if (!(${valid})) bad(${path}, ${names}, ${value}); ${dv}.${
    MACHINE_TYPES[type.native].set
  }(${at}, ${stored}, ${le});`;
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

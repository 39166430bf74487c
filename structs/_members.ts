/**
 * Members: what reads and writes each placed member of a layout, relative to the struct's base offset, built
 * from the layout pass's placements. Both accessor builders (`_accessors_plain.ts`, `_accessors_generated.ts`)
 * start from these.
 *
 * @module
 */
import { readBits, readWideBits, writeBits, writeWideBits } from "./_bit_access.ts";
import { describe } from "./_checks.ts";
import type { Codec } from "./_codec.ts";
import type { Layout } from "./_layout.ts";
import { badValue } from "./_scalar_codec.ts";
import type { ViewClass } from "./_view.ts";
import { _elementsView, type RowCodec } from "./array_view.ts";
import type { Bytes } from "./_bytes.ts";
import { rowLimit, tooManyRows } from "./_row_limit.ts";
import type { Scalar } from "./scalars.ts";
import type { ArrayType, FieldType } from "./types.ts";

/** One placed member, with what reads and writes it relative to the struct's base offset. */
export interface Member {
  readonly name: string;
  readonly offset: number;
  /** For scalars: inlined by the generated path. */
  readonly scalar: Scalar | undefined;
  /** For arrays of scalars (not strings): the element type and count, which the generated path writes out. */
  readonly elements?: { readonly type: Scalar; readonly length: number };
  /** Reads the member of the struct at `base`. */
  read(dv: DataView, base: number): unknown;
  /** Writes the member of the struct at `base`. */
  write(dv: DataView, base: number, value: unknown, path: string): void;
  /**
   * Writes what a value that leaves the member out gives it: zero bytes (for a flexible array, no rows, which
   * its count field must then say).
   */
  zero(dv: DataView, base: number, path: string): void;
  /** For members read as views (nested structs, arrays, flexible arrays). */
  view: ((dv: DataView, base: number) => unknown) | undefined;
  /**
   * For a flexible array: where its elements end, from the struct at `base` (its count field says how many; with
   * none, they fill the bytes). `NaN` when the count is not a number of rows.
   */
  end?(dv: DataView, base: number): number;
}

/**
 * The members of a placed layout named `layout`. `generated` is the layout's code-generation choice, which its
 * flexible array's views keep.
 */
export function membersOf(placed: Layout, layout: string, generated: boolean): Member[] {
  const members: Member[] = [];
  const byName = new Map<string, Member>();
  for (const p of placed.placements) {
    let member: Member;
    if (p.kind === "bits") member = bitsMember(p.name, p.offset, p.shift, p.width, p.storage);
    else if (p.flexible) {
      const count = p.flexible.count;
      const countMember = count === undefined ? undefined : byName.get(count);
      const limit = rowLimit(placed.maxRows, p.codec.size);
      member = flexibleMember(
        p.name,
        p.offset,
        p.codec as RowCodec,
        countMember,
        count,
        layout,
        generated,
        limit,
      );
    } else member = plainMember(p.name, p.offset, p.type, p.codec);
    members.push(member);
    byName.set(p.name, member);
  }
  return members;
}

function plainMember(name: string, offset: number, type: FieldType, codec: Codec): Member {
  const scalar = (type as Scalar).kind === "scalar" ? type as Scalar : undefined;
  const viewAt = codec.viewAt;
  const array = type as ArrayType;
  const element = array.kind === "array" && !array.string ? array.element as Scalar : undefined;
  return {
    name,
    offset,
    scalar,
    ...(element?.kind === "scalar" ? { elements: { type: element, length: array.length } } : {}),
    read: (dv, base) => codec.readAt(dv, base + offset),
    write: (dv, base, value, path) => codec.writeAt(dv, base + offset, value, path),
    zero: (dv, base) => zeroBytes(dv, base + offset, codec.size),
    view: viewAt ? (dv, base) => viewAt(dv, base + offset) : undefined,
  };
}

function bitsMember(name: string, offset: number, shift: number, width: number, storage: Scalar): Member {
  const signed = storage.native.startsWith("i");
  const span = 2 ** width;
  const half = span / 2;
  const type = `${storage.name} : ${width}`;
  if (width === 0) {
    // An unnamed `T : 0` in C: it holds no bits, reads as 0 and ignores writes.
    return { name, offset, scalar: undefined, read: () => 0, write() {}, zero() {}, view: undefined };
  }
  if (width > 32) {
    return {
      name,
      offset,
      scalar: undefined,
      read(dv, base) {
        const v = readWideBits(dv, base + offset, shift, width);
        return signed ? BigInt.asIntN(width, v) : v;
      },
      write(dv, base, value, path) {
        // A safe integer number is taken as a 64-bit field takes one.
        const v = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value as bigint;
        if (!(typeof v === "bigint" && (signed ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v)) === v)) {
          badValue(path, type, "u64", value);
        }
        writeWideBits(dv, base + offset, shift, width, BigInt.asUintN(width, v));
      },
      zero: (dv, base) => writeWideBits(dv, base + offset, shift, width, 0n),
      view: undefined,
    };
  }
  return {
    name,
    offset,
    scalar: undefined,
    read(dv, base) {
      const v = readBits(dv, base + offset, shift, width);
      return signed && v >= half ? v - span : v;
    },
    write(dv, base, value, path) {
      const v = value as number;
      if (!(Number.isInteger(v) && (signed ? v >= -half && v < half : v >= 0 && v < span))) {
        badValue(path, type, "bitfield", value);
      }
      writeBits(dv, base + offset, shift, width, v < 0 ? v + span : v);
    },
    zero: (dv, base) => writeBits(dv, base + offset, shift, width, 0),
    view: undefined,
  };
}

function flexibleMember(
  name: string,
  offset: number,
  codec: RowCodec,
  count: Member | undefined,
  countName: string | undefined,
  layout: string,
  generated: boolean,
  limit: number,
): Member {
  const stride = codec.size;
  // Every count is checked here, before a row is made: against the bytes, and against the row limit, which
  // bounds rows of no bytes (see `_row_limit.ts`).
  function rows(dv: DataView, base: number): number {
    const start = base + offset;
    if (!count) {
      const n = stride === 0 ? 0 : Math.max(0, Math.floor((dv.byteLength - start) / stride));
      if (n > limit) throw tooManyRows("read", `${layout}.${name}`, `the bytes hold ${n}`, limit);
      return n;
    }
    const n = Number(count.read(dv, base));
    if (!(n >= 0) || start + n * stride > dv.byteLength) {
      throw new RangeError(
        `Cannot read "${layout}.${name}": "${countName}" is ${n}, so it needs ${n * stride} bytes at offset ${
          dv.byteOffset + start
        } but the buffer ends at ${dv.byteOffset + dv.byteLength}`,
      );
    }
    if (n > limit) throw tooManyRows("read", `${layout}.${name}`, `"${countName}" is ${n}`, limit);
    return n;
  }
  const member: Member = {
    name,
    offset,
    scalar: undefined,
    read(dv, base) {
      const n = rows(dv, base);
      const out = new Array(n);
      for (let i = 0, o = base + offset; i < n; i++, o += stride) out[i] = codec.readAt(dv, o);
      return out;
    },
    write(dv, base, value, path) {
      if (
        typeof value !== "object" || value === null ||
        typeof (value as ArrayLike<unknown>).length !== "number"
      ) {
        throw new TypeError(`Cannot write "${path}": expected an array of rows, got ${describe(value)}`);
      }
      const values = value as ArrayLike<unknown>;
      const n = values.length;
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new TypeError(`Cannot write "${path}": expected an array of rows, its length is ${n}`);
      }
      if (count) {
        const declared = Number(count.read(dv, base));
        if (declared !== n) {
          throw new RangeError(`Cannot write "${path}": it has ${n} rows but "${countName}" is ${declared}`);
        }
      }
      if (n > limit) throw tooManyRows("write", path, `it has ${n} rows`, limit);
      const start = base + offset;
      if (start + n * stride > dv.byteLength) {
        throw new RangeError(
          `Cannot write "${path}": ${n} rows need ${
            n * stride
          } bytes at offset ${start} but the buffer has ${dv.byteLength}`,
        );
      }
      for (let i = 0; i < n; i++) codec.writeAt(dv, start + i * stride, values[i], `${path}[${i}]`);
    },
    zero(dv, base, path) {
      member.write(dv, base, [], path);
    },
    view: (dv, base) =>
      _elementsView(codec, dv, base + offset, rows(dv, base), `${layout}.${name}`, generated),
    end(dv, base) {
      if (!count) return base + offset + rows(dv, base) * stride;
      const n = Number(count.read(dv, base));
      return n >= 0 ? base + offset + n * stride : NaN;
    },
  };
  return member;
}

/** What a layout's accessor builder makes: copies, writes and the view class. */
export interface Accessors {
  readAt(dv: DataView, o: number): unknown;
  writeAt(dv: DataView, o: number, value: unknown, path: string): void;
  View: ViewClass;
  /** `new View(dv, o)`, compiled per layout on the generated path: bench/probes/per_layout_classes.ts */
  viewAt?(dv: DataView, o: number): object;
  /** Every row copied out, with an object literal of its own (see `RowCodec.readAll`). */
  readAll?: RowCodec["readAll"];
  /**
   * A per-layout `T.read` with its own last bytes and view, which it keeps reachable until it reads others:
   * bench/probes/per_layout_classes.ts
   */
  makeRead?(size: number): (bytes: Bytes, byteOffset?: number) => unknown;
}

/**
 * Whether a member's name is one every object answers through `Object.prototype` (`toString`, `valueOf`,
 * `constructor`, …): such a member's value is read as the value's own property only, so that a value without it
 * leaves the member missing instead of offering `Object.prototype`'s function. Other names are read as any
 * property, so views and class instances with getters still serve as values. Decided once per member.
 */
export function inheritedName(name: string): boolean {
  return name in Object.prototype;
}

/** A member's value in `value`: for a name `inheritedName` holds, its own property only. */
export function ownValue(value: object, name: string): unknown {
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * The check of the keys of a value written: every key names a member. A union writes the members present, and
 * a struct writes zeros for the fields a value leaves out, so a misspelt key (`{ valeu: 5 }`) would write
 * nothing and say nothing. A struct runs it only when a field was left out: a value with every field is
 * written as it is, whatever else it holds (a view, a class instance, `{ ...row, extra }`).
 */
export function memberKeys(
  members: Member[],
  name: string,
  union: boolean,
): (value: object, path: string) => void {
  const names = new Set(members.map((m) => m.name));
  const what = union ? "member" : "field";
  return (value, path) => {
    for (const key in value) {
      if (!names.has(key)) {
        throw new TypeError(
          `Cannot write "${path}": ${name} has no ${what} "${key}" (its ${what}s: ${[...names].join(", ")})`,
        );
      }
    }
  };
}

/** Writes `n` zero bytes at `o`: through the DataView for a few (no typed array made), else with `fill`. */
export function zeroBytes(dv: DataView, o: number, n: number): void {
  if (n <= 16) { for (let i = 0; i < n; i++) dv.setUint8(o + i, 0); }
  else new Uint8Array(dv.buffer, dv.byteOffset + o, n).fill(0);
}

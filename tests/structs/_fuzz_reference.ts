/**
 * The fuzz suite's reference decoder, written apart from the library: it takes the placement a layout reports
 * (`fields`: offsets, bit offsets and widths, which `gcc_layout_test.ts` checks against cc) and reads every
 * value from plain bytes by hand, byte by byte and bit by bit, with none of `structs/`' codecs, `DataView`
 * methods or code generation. Values come out as the library's `read()` gives them, except that a pointer is
 * its address as a `bigint` (see `normalize`).
 */
import type { FieldInfo } from "../../structs/mod.ts";

/** What the reference needs of a field type: the shape introspection reports. */
interface TypeLike {
  kind: string;
  native?: string;
  size?: number;
  endian?: string;
  element?: TypeLike;
  length?: number;
  string?: boolean;
  type?: TypeLike;
  count?: string;
  fields?: readonly FieldInfo[];
  storage?: TypeLike;
}

/** Why the reference cannot decode: the bytes do not hold what the layout needs (a count past the end). */
export class NotDecodable extends Error {}

const utf8 = new TextDecoder();
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An unsigned integer of `size` bytes at `at`, assembled by hand. */
function unsigned(bytes: Uint8Array, at: number, size: number, little: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = bytes[little ? at + size - 1 - i : at + i];
    if (b === undefined) throw new NotDecodable(`byte ${at + i} is past the end`);
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

function scalar(bytes: Uint8Array, at: number, type: TypeLike): unknown {
  const size = type.size!;
  const little = type.endian === "native" ? HOST_LITTLE : type.endian === "little";
  const native = type.native!;
  const raw = unsigned(bytes, at, size, little);
  switch (native) {
    case "bool":
      return raw !== 0n;
    case "pointer":
      return raw;
    case "f32":
    case "f64": {
      // The IEEE bits, put in host order into a float array of our own.
      const word = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        word[HOST_LITTLE ? i : size - 1 - i] = Number((raw >> BigInt(8 * i)) & 0xffn);
      }
      return size === 4 ? new Float32Array(word.buffer)[0] : new Float64Array(word.buffer)[0];
    }
  }
  const signed = native.startsWith("i");
  const bits = BigInt(size * 8);
  const value = signed && raw >= 1n << (bits - 1n) ? raw - (1n << bits) : raw;
  return size === 8 ? value : Number(value);
}

/** `width` bits from bit `bit` (counted from the low bit of byte 0, as x86 and AArch64 place bitfields). */
function bitsAt(bytes: Uint8Array, bit: number, width: number, storage: TypeLike): unknown {
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) {
    const b = bytes[(bit + i) >> 3];
    if (b === undefined) throw new NotDecodable(`bit ${bit + i} is past the end`);
    v = (v << 1n) | BigInt((b >> ((bit + i) & 7)) & 1);
  }
  const signed = storage.native!.startsWith("i");
  if (signed && width > 0 && v >= 1n << BigInt(width - 1)) v -= 1n << BigInt(width);
  return width > 32 ? v : Number(v);
}

/**
 * Decodes a value of `type` at byte `at` of `bytes`, whose end (`end`, exclusive) is where a flexible array
 * without a count stops; a flexible array's count may not pass `maxRows` (the layout's row limit).
 *
 * @throws {NotDecodable} When the bytes do not hold it.
 */
export function decode(
  type: TypeLike,
  bytes: Uint8Array,
  at: number,
  end: number,
  maxRows = 2 ** 16,
): unknown {
  switch (type.kind) {
    case "scalar":
      if (at + type.size! > end) throw new NotDecodable(`${type.native} at ${at} is past ${end}`);
      return scalar(bytes, at, type);
    case "aligned":
      return decode(type.type!, bytes, at, end);
    case "array": {
      if (at + type.size! > end) throw new NotDecodable(`array at ${at} is past ${end}`);
      if (type.string) {
        const chars = bytes.subarray(at, at + type.length!);
        const nul = chars.indexOf(0);
        return utf8.decode(chars.slice(0, nul === -1 ? chars.length : nul));
      }
      const stride = sizeOf(type.element!);
      return Array.from(
        { length: type.length! },
        (_, i) => decode(type.element!, bytes, at + i * stride, end),
      );
    }
    case "struct":
    case "union":
      return decodeFields(type.fields!, bytes, at, end, maxRows);
  }
  throw new Error(`the reference does not know field kind "${type.kind}"`);
}

/** The size of a field type, as introspection reports it. */
export function sizeOf(type: TypeLike): number {
  if (type.kind === "aligned") return sizeOf(type.type!);
  return type.size!;
}

function decodeFields(
  fields: readonly FieldInfo[],
  bytes: Uint8Array,
  at: number,
  end: number,
  maxRows: number,
): unknown {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const spec = f.type as unknown as TypeLike;
    if (f.bitWidth !== undefined) {
      if (at + f.offset + f.size > end) throw new NotDecodable(`bitfield ${f.name} is past ${end}`);
      out[f.name] = bitsAt(bytes, at * 8 + f.bitOffset!, f.bitWidth, spec.storage!);
    } else if (spec.kind === "flexible") {
      const start = at + f.offset;
      const stride = sizeOf(spec.element!);
      let n: number;
      if (spec.count !== undefined) {
        n = Number(out[spec.count]);
        if (start + n * stride > end) throw new NotDecodable(`${n} rows of ${stride} bytes from ${start}`);
        // Past the row limit (by default 2^16 for rows of no bytes) the library refuses the count.
        if (n > maxRows) throw new NotDecodable(`${n} rows, more than ${maxRows}`);
      } else n = stride === 0 ? 0 : Math.max(0, Math.floor((end - start) / stride));
      out[f.name] = Array.from(
        { length: n },
        (_, i) => decode(spec.element!, bytes, start + i * stride, end),
      );
    } else {
      out[f.name] = decode(spec, bytes, at + f.offset, end);
    }
  }
  return out;
}

/** The last byte a layout's fixed members need: its `read()` needs this many bytes (the flexible array aside). */
export function required(layout: { size: number; flexible: boolean; fields: readonly FieldInfo[] }): number {
  return layout.flexible ? layout.fields[layout.fields.length - 1]!.offset : layout.size;
}

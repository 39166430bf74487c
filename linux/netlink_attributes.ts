/**
 * Netlink attributes (`nlattr`): one built from its type and value, builders for the common value types, and
 * the attributes of a payload walked with their checks and read by type.
 *
 * @module
 */
import { readCString } from "../ffi/mod.ts";
import { nlattr } from "./layouts.ts";
import { netlinkAlign, walkRecords } from "./_netlink_records.ts";

/** `nlattr.nla_type` flag bits. */
export const NLA_F = {
  NESTED: 0x8000,
  NET_BYTEORDER: 0x4000,
  TYPE_MASK: 0x3fff,
} as const;

/**
 * `NLA_HDRLEN`: the bytes of an attribute's header, `nlattr.size` aligned to 4 (tests/linux/netlink_test.ts
 * checks it against C's macro). Written out: reading the layout's size here would place it at import.
 */
export const NLA_HDRLEN = 4;

const encoder = new TextEncoder();

/**
 * Builds one attribute: a `nlattr` header and the value, padded to 4 bytes.
 *
 * @param type `nla_type` (add `NLA_F.NESTED` for nested attributes if the family wants the flag).
 * @param value The payload.
 * @returns The attribute bytes.
 */
export function netlinkAttribute(type: number, value: Uint8Array): Uint8Array {
  const length = NLA_HDRLEN + value.byteLength;
  if (length > 0xffff) throw new RangeError(`Cannot encode attribute ${type}: ${length} bytes exceed 65535`);
  const bytes = new Uint8Array(netlinkAlign(length));
  nlattr.write(bytes, { nla_len: length, nla_type: type });
  bytes.set(value, NLA_HDRLEN);
  return bytes;
}

/** Builders for attributes of the common payload types, in host byte order as netlink expects. */
export const attribute: {
  /** A `u16` attribute. */
  u16(type: number, value: number): Uint8Array;
  /** A `u32` attribute. */
  u32(type: number, value: number): Uint8Array;
  /** A NUL-terminated string attribute (`NLA_NUL_STRING`). */
  string(type: number, value: string): Uint8Array;
  /** An attribute holding other attributes. */
  nested(type: number, ...attributes: Uint8Array[]): Uint8Array;
} = {
  /** A `u16` attribute. */
  u16(type: number, value: number): Uint8Array {
    const v = new Uint8Array(2);
    new DataView(v.buffer).setUint16(0, value, true);
    return netlinkAttribute(type, v);
  },
  /** A `u32` attribute. */
  u32(type: number, value: number): Uint8Array {
    const v = new Uint8Array(4);
    new DataView(v.buffer).setUint32(0, value, true);
    return netlinkAttribute(type, v);
  },
  /**
   * A NUL-terminated string attribute (`NLA_NUL_STRING`).
   *
   * @throws {TypeError} When `value` is not a string, or has a NUL in it, where the kernel would end it.
   */
  string(type: number, value: string): Uint8Array {
    if (typeof value !== "string" || value.includes("\0")) {
      throw new TypeError(
        typeof value === "string"
          ? `Cannot encode string attribute ${type}: the string has a NUL at index ${value.indexOf("\0")}`
          : `Cannot encode string attribute ${type}: expected a string, got ${typeof value}`,
      );
    }
    const bytes = encoder.encode(value);
    const v = new Uint8Array(bytes.byteLength + 1);
    v.set(bytes);
    return netlinkAttribute(type, v);
  },
  /** An attribute holding other attributes. */
  nested(type: number, ...attributes: Uint8Array[]): Uint8Array {
    return netlinkAttribute(type | NLA_F.NESTED, concatBytes(attributes));
  },
};

/**
 * Concatenates byte arrays.
 *
 * @param parts The arrays.
 * @returns One new array.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** One attribute, as walked from a payload. */
export interface NetlinkAttribute {
  /** `nla_type` without the `NLA_F.NESTED` and `NLA_F.NET_BYTEORDER` flags. */
  readonly type: number;
  /** Whether `NLA_F.NESTED` was set. */
  readonly nested: boolean;
  /** The payload, without padding: a view, not a copy. */
  readonly value: Uint8Array;
}

/**
 * The attributes of a payload, walked once and kept in order, with typed getters by type. Values are views of
 * the payload.
 *
 * @example Walking attributes
 * ```ts
 * import { attribute, NetlinkAttributes, concatBytes } from "./netlink_attributes.ts";
 * const attrs = new NetlinkAttributes(concatBytes([attribute.u32(1, 42), attribute.string(2, "TASKSTATS")]));
 * console.log(attrs.u32(1), attrs.string(2)); // 42 TASKSTATS
 * ```
 */
export class NetlinkAttributes implements Iterable<NetlinkAttribute> {
  readonly #list: NetlinkAttribute[] = [];

  /**
   * Walks the attributes of `bytes`.
   *
   * @param bytes Back-to-back `nlattr`s, each padded to 4 bytes (the last one's padding may be left out).
   * @throws {RangeError} When an attribute's `nla_len` is too short or runs past the bytes, or the bytes end in
   * fewer than an attribute header (an attribute cut off, or bytes that are none).
   * @throws {TypeError} When `bytes` is not a `Uint8Array`, or its buffer is detached.
   */
  constructor(bytes: Uint8Array) {
    walkRecords(bytes, "attribute", (dv, offset, length) => {
      const rawType = dv.getUint16(offset + 2, true);
      this.#list.push({
        type: rawType & NLA_F.TYPE_MASK,
        nested: (rawType & NLA_F.NESTED) !== 0,
        value: bytes.subarray(offset + NLA_HDRLEN, offset + length),
      });
    });
  }

  /** The number of attributes. */
  get length(): number {
    return this.#list.length;
  }

  /** Iterates the attributes in order. */
  [Symbol.iterator](): Iterator<NetlinkAttribute> {
    return this.#list[Symbol.iterator]();
  }

  /**
   * The payload of the first attribute of a type.
   *
   * @param type The attribute type.
   * @returns Its payload, or `undefined` when absent.
   */
  get(type: number): Uint8Array | undefined {
    for (const a of this.#list) if (a.type === type) return a.value;
    return undefined;
  }

  #scalar(type: number, size: number, what: string): DataView | undefined {
    const value = this.get(type);
    if (value === undefined) return undefined;
    if (value.byteLength < size) {
      throw new RangeError(`Cannot read attribute ${type} as ${what}: it holds ${value.byteLength} bytes`);
    }
    return new DataView(value.buffer, value.byteOffset, value.byteLength);
  }

  /** The first attribute of a type read as `u16`, or `undefined`. */
  u16(type: number): number | undefined {
    return this.#scalar(type, 2, "u16")?.getUint16(0, true);
  }

  /** The first attribute of a type read as `u32`, or `undefined`. */
  u32(type: number): number | undefined {
    return this.#scalar(type, 4, "u32")?.getUint32(0, true);
  }

  /** The first attribute of a type read as `u64`, or `undefined`. */
  u64(type: number): bigint | undefined {
    return this.#scalar(type, 8, "u64")?.getBigUint64(0, true);
  }

  /** The first attribute of a type read as a NUL-terminated string, or `undefined`. */
  string(type: number): string | undefined {
    const value = this.get(type);
    return value === undefined ? undefined : readCString(value);
  }

  /** The attributes nested in the first attribute of a type, or `undefined`. */
  nested(type: number): NetlinkAttributes | undefined {
    const value = this.get(type);
    return value === undefined ? undefined : new NetlinkAttributes(value);
  }
}

/**
 * The records netlink messages (`nlmsghdr`) and attributes (`nlattr`) both are: a header that starts with the
 * record's length, the record padded to 4 bytes, records back to back; the alignment and the checked walk.
 *
 * @module
 */
import { isDetached } from "../structs/_internal.ts";
import { nlattr, nlmsghdr } from "./layouts.ts";

/**
 * Rounds a length up to netlink's 4-byte alignment (`NLMSG_ALIGN`, `NLA_ALIGN`).
 *
 * @param length A length in bytes.
 * @returns The aligned length.
 */
export function netlinkAlign(length: number): number {
  return (length + 3) & ~3;
}

/**
 * The bytes of a datagram or payload as a `DataView`, refusing what is not a `Uint8Array` (its subarrays are
 * the views handed out) and a detached or shrunk-away buffer, which would read as empty.
 */
function walkable(bytes: Uint8Array, what: string): DataView {
  if (!(bytes instanceof Uint8Array)) {
    const shown = typeof bytes === "object" && bytes !== null
      ? (bytes as object).constructor?.name ?? "an object"
      : String(bytes);
    throw new TypeError(`Cannot walk a netlink ${what}: expected a Uint8Array, got ${shown}`);
  }
  if (isDetached(bytes.buffer)) throw new TypeError(`Cannot walk a netlink ${what}: its buffer is detached`);
  // An array whose resizable buffer shrank below it reports 0 bytes; the typed array methods refuse it.
  if (bytes.byteLength === 0 && (bytes.buffer as { resizable?: boolean }).resizable === true) {
    try {
      bytes.at(0);
    } catch {
      throw new TypeError(`Cannot walk a netlink ${what}: the buffer is shorter than the view now`);
    }
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// What each walk reads, for its checks and errors: what holds the records, the header's length field (its first
// field: nlmsg_len a u32, nla_len a u16) and the header's size.
// Made on the first walk, not at import: reading a size places the layout (structs/_deferred.ts).
const kindsOf = () => ({
  message: { container: "datagram", walked: "datagram", lengthField: "nlmsg_len", headerSize: nlmsghdr.size },
  attribute: {
    container: "payload",
    walked: "attribute payload",
    lengthField: "nla_len",
    headerSize: nlattr.size,
  },
} as const);
let kinds: ReturnType<typeof kindsOf> | undefined;

/**
 * Walks back-to-back records, each checked against the bytes' length; the bytes must end where the last record
 * does (give or take its padding).
 *
 * @param bytes The records.
 * @param record What they are: messages (`nlmsghdr`) or attributes (`nlattr`).
 * @param visit Called with each record's offset and length (its `nlmsg_len` or `nla_len`), in order.
 * @throws {RangeError} When a header announces a length that is too short or runs past the bytes, or the bytes
 * end in fewer than a header (a record cut off).
 * @throws {TypeError} When `bytes` is not a `Uint8Array`, or its buffer is detached.
 */
export function walkRecords(
  bytes: Uint8Array,
  record: "message" | "attribute",
  visit: (dv: DataView, offset: number, length: number) => void,
): void {
  const kind = (kinds ??= kindsOf())[record];
  const dv = walkable(bytes, kind.walked);
  let offset = 0;
  while (offset < bytes.byteLength) {
    const left = bytes.byteLength - offset;
    if (left < kind.headerSize) {
      throw new RangeError(
        `Cannot read netlink ${record} at offset ${offset}: ${left} bytes are left of the ${bytes.byteLength}-byte ${kind.container}, fewer than the ${kind.headerSize}-byte header`,
      );
    }
    const length = kind.lengthField === "nlmsg_len" ? dv.getUint32(offset, true) : dv.getUint16(offset, true);
    if (length < kind.headerSize || offset + length > bytes.byteLength) {
      throw new RangeError(
        `Cannot read netlink ${record} at offset ${offset}: ${kind.lengthField} ${length} does not fit the ${bytes.byteLength}-byte ${kind.container}`,
      );
    }
    visit(dv, offset, length);
    offset += netlinkAlign(length);
  }
}

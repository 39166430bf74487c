/**
 * Netlink messages: the `nlmsghdr` flags and control types every protocol shares, a message built from its
 * parts, and the messages of a datagram walked with their checks.
 *
 * @module
 */
import { nlmsghdr } from "./layouts.ts";
import { netlinkAlign, walkRecords } from "./_netlink_records.ts";

export { netlinkAlign } from "./_netlink_records.ts";

/** `nlmsghdr.nlmsg_flags` bits (linux/netlink.h). */
export const NLM_F = {
  REQUEST: 0x1,
  MULTI: 0x2,
  ACK: 0x4,
  ECHO: 0x8,
  DUMP_INTR: 0x10,
  DUMP_FILTERED: 0x20,
  ROOT: 0x100,
  MATCH: 0x200,
  DUMP: 0x300,
  /** On `NLMSG_ERROR`: the original request was not echoed in full. */
  CAPPED: 0x100,
  /** On `NLMSG_ERROR`: extended-ACK attributes follow. */
  ACK_TLVS: 0x200,
} as const;

/** The message types every netlink protocol shares (linux/netlink.h). */
export const NLMSG = {
  NOOP: 1,
  ERROR: 2,
  DONE: 3,
  OVERRUN: 4,
  /** Types below this are control messages. */
  MIN_TYPE: 0x10,
} as const;

/**
 * `NLMSG_HDRLEN`: the bytes of a message's header, `nlmsghdr.size` aligned to 4 (tests/linux/netlink_test.ts
 * checks it against C's macro). Written out: reading the layout's size here would place it at import.
 */
export const NLMSG_HDRLEN = 16;

/** One netlink message, as read from a datagram. */
export interface NetlinkMessage {
  /** `nlmsg_type`: `NLMSG.*` or the protocol's own type (a generic netlink family id, `SOCK_DIAG_BY_FAMILY`). */
  readonly type: number;
  /** `nlmsg_flags`: `NLM_F.*`. */
  readonly flags: number;
  /** `nlmsg_seq`: the sequence number of the request it answers. */
  readonly sequence: number;
  /** `nlmsg_pid`: the port id of the socket it was sent to. */
  readonly portId: number;
  /** The bytes after the 16-byte header, up to `nlmsg_len`: a view of the datagram, not a copy. */
  readonly payload: Uint8Array;
}

/** The header fields of a message to send. */
export interface NetlinkMessageHeader {
  /** `nlmsg_type`. */
  type: number;
  /** `nlmsg_flags`; `NLM_F.REQUEST` is added by `NetlinkSocket.request`. */
  flags?: number;
  /** `nlmsg_seq`; `NetlinkSocket.request` sets its own. */
  sequence?: number;
  /** `nlmsg_pid`; 0 addresses the kernel. */
  portId?: number;
}

/**
 * Builds one netlink message: a `nlmsghdr` followed by the parts, each padded to 4 bytes.
 *
 * @param header Type, flags, sequence, port id.
 * @param parts The payload: a family header (`genlmsghdr`, `inet_diag_req_v2`), then attributes.
 * @returns The message bytes, `nlmsg_len` filled in.
 *
 * @example A generic netlink request for the controller
 * ```ts
 * import { netlinkMessage, NLMSG } from "./netlink_messages.ts";
 * const message = netlinkMessage({ type: 0x10, flags: 1 }, new Uint8Array([3, 1, 0, 0]));
 * console.log(message.length, NLMSG.ERROR); // 20 2
 * ```
 */
export function netlinkMessage(header: NetlinkMessageHeader, ...parts: Uint8Array[]): Uint8Array {
  let length = NLMSG_HDRLEN;
  for (const part of parts) length += netlinkAlign(part.byteLength);
  const bytes = new Uint8Array(length);
  nlmsghdr.write(bytes, {
    nlmsg_len: length,
    nlmsg_type: header.type,
    nlmsg_flags: header.flags ?? 0,
    nlmsg_seq: header.sequence ?? 0,
    nlmsg_pid: header.portId ?? 0,
  });
  let offset = NLMSG_HDRLEN;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += netlinkAlign(part.byteLength);
  }
  return bytes;
}

/**
 * Walks the messages of one datagram. Each message is checked against the datagram's length, and the datagram
 * must end where its last message does (give or take that message's padding); the payloads are views of
 * `datagram`.
 *
 * @param datagram The bytes one `recvfrom` returned.
 * @returns The messages, in order; none for an empty datagram.
 * @throws {RangeError} When a header announces a length that is too short or runs past the datagram, or the
 * datagram ends in fewer bytes than a header (a message cut off).
 * @throws {TypeError} When `datagram` is not a `Uint8Array`, or its buffer is detached or shorter than the
 * view now (a resizable buffer that shrank).
 */
export function parseMessages(datagram: Uint8Array): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  walkRecords(datagram, "message", (dv, offset, length) => {
    const header = nlmsghdr.read(dv, offset);
    messages.push({
      type: header.nlmsg_type,
      flags: header.nlmsg_flags,
      sequence: header.nlmsg_seq,
      portId: header.nlmsg_pid,
      payload: datagram.subarray(offset + NLMSG_HDRLEN, offset + length),
    });
  });
  return messages;
}

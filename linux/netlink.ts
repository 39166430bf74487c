/**
 * A small netlink layer: sockets opened, bound, written and read through the C library's system call
 * wrappers; messages (`nlmsghdr`) and attributes (`nlattr`) built and walked with their 4-byte alignment;
 * requests that wait for their reply, multipart dumps, and `NLMSG_ERROR` turned into the toolkit's
 * `SyscallError` with the kernel's errno (and its extended-ACK message when it sends one).
 *
 * Receiving never truncates: each datagram's length is asked of the kernel first (`MSG_PEEK | MSG_TRUNC`),
 * then the datagram is read whole into a buffer that grows to fit it.
 *
 * @module
 */
import {
  buffer,
  closeDescriptor,
  dlopen,
  Errno,
  errnoMessage,
  errnoName,
  type Library,
  readCString,
  SyscallError,
} from "../ffi/mod.ts";
import { int, size_t, socklen_t, ssize_t } from "../structs/mod.ts";
import { checkOptions, isDetached } from "../structs/_internal.ts";
import { NetlinkReplyError } from "./errors.ts";
import { nlmsgerr, sockaddr_nl } from "./_extra_layouts.ts";
import { requireLinux } from "./_platform.ts";
import { genlmsghdr, nlattr, nlmsghdr } from "./layouts.ts";

/** Netlink protocols (the third argument of `socket(AF_NETLINK, …)`), from linux/netlink.h. */
export const NETLINK = {
  ROUTE: 0,
  SOCK_DIAG: 4,
  GENERIC: 16,
} as const;

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

/** `nlattr.nla_type` flag bits. */
export const NLA_F = {
  NESTED: 0x8000,
  NET_BYTEORDER: 0x4000,
  TYPE_MASK: 0x3fff,
} as const;

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVTIMEO = 20;
const SOL_NETLINK = 270;
const NETLINK_CAP_ACK = 10;
const NETLINK_EXT_ACK = 11;
const MSG_PEEK = 0x2;
const MSG_TRUNC = 0x20;
const NLMSGERR_ATTR_MSG = 1;

const NLMSG_HDRLEN = nlmsghdr.size;
const NLA_HDRLEN = nlattr.size;

/**
 * Rounds a length up to netlink's 4-byte alignment (`NLMSG_ALIGN`, `NLA_ALIGN`).
 *
 * @param length A length in bytes.
 * @returns The aligned length.
 */
export function netlinkAlign(length: number): number {
  return (length + 3) & ~3;
}

const LIBC = {
  // int socket(int domain, int type, int protocol);
  socket: { args: [int, int, int], returns: int, fails: -1 },
  // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
  bind: { args: [int, buffer, socklen_t], returns: int, fails: -1 },
  // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
  getsockname: { args: [int, buffer, buffer], returns: int, fails: -1 },
  // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
  setsockopt: { args: [int, int, int, buffer, socklen_t], returns: int, fails: -1 },
  // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
  //                const struct sockaddr *dest_addr, socklen_t addrlen);
  sendto: { args: [int, buffer, size_t, int, buffer, socklen_t], returns: ssize_t, fails: -1 },
  // ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
  //                  struct sockaddr *src_addr, socklen_t *addrlen);
  recvfrom: { args: [int, buffer, size_t, int, buffer, buffer], returns: ssize_t, fails: -1 },
} as const;

let libc: Library<typeof LIBC> | undefined;

function symbols(): Library<typeof LIBC>["symbols"] {
  return (libc ??= dlopen("libc.so.6", LIBC, { lazy: true })).symbols;
}

// ---------------------------------------------------------------------------------------------------------
// Messages and attributes

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
 * import { netlinkMessage, NLMSG } from "./netlink.ts";
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
 * The bytes of a datagram or payload as a `DataView`, refusing what is not a `Uint8Array` (its subarrays are
 * the views handed out) and a detached buffer, which would read as empty.
 */
function walkable(bytes: Uint8Array, what: string): DataView {
  if (!(bytes instanceof Uint8Array)) {
    const shown = typeof bytes === "object" && bytes !== null
      ? (bytes as object).constructor?.name ?? "an object"
      : String(bytes);
    throw new TypeError(`Cannot walk a netlink ${what}: expected a Uint8Array, got ${shown}`);
  }
  if (isDetached(bytes.buffer)) throw new TypeError(`Cannot walk a netlink ${what}: its buffer is detached`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
 * @throws {TypeError} When `datagram` is not a `Uint8Array`, or its buffer is detached.
 */
export function parseMessages(datagram: Uint8Array): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  const dv = walkable(datagram, "datagram");
  let offset = 0;
  while (offset < datagram.byteLength) {
    const left = datagram.byteLength - offset;
    if (left < NLMSG_HDRLEN) {
      throw new RangeError(
        `Cannot read netlink message at offset ${offset}: ${left} bytes are left of the ${datagram.byteLength}-byte datagram, fewer than the ${NLMSG_HDRLEN}-byte header`,
      );
    }
    const header = nlmsghdr.read(dv, offset);
    const length = header.nlmsg_len;
    if (length < NLMSG_HDRLEN || offset + length > datagram.byteLength) {
      throw new RangeError(
        `Cannot read netlink message at offset ${offset}: nlmsg_len ${length} does not fit the ${datagram.byteLength}-byte datagram`,
      );
    }
    messages.push({
      type: header.nlmsg_type,
      flags: header.nlmsg_flags,
      sequence: header.nlmsg_seq,
      portId: header.nlmsg_pid,
      payload: datagram.subarray(offset + NLMSG_HDRLEN, offset + length),
    });
    offset += netlinkAlign(length);
  }
  return messages;
}

const encoder = new TextEncoder();

// The kernel's netlink address (port id 0), where every request goes.
const KERNEL_ADDRESS = sockaddr_nl.encode({ nl_family: AF_NETLINK, nl_pad: 0, nl_pid: 0, nl_groups: 0 });

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
 * import { attribute, NetlinkAttributes, concatBytes } from "./netlink.ts";
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
    const dv = walkable(bytes, "attribute payload");
    let offset = 0;
    while (offset < bytes.byteLength) {
      const left = bytes.byteLength - offset;
      if (left < NLA_HDRLEN) {
        throw new RangeError(
          `Cannot read netlink attribute at offset ${offset}: ${left} bytes are left of the ${bytes.byteLength}-byte payload, fewer than the ${NLA_HDRLEN}-byte header`,
        );
      }
      const length = dv.getUint16(offset, true);
      const rawType = dv.getUint16(offset + 2, true);
      if (length < NLA_HDRLEN || offset + length > bytes.byteLength) {
        throw new RangeError(
          `Cannot read netlink attribute at offset ${offset}: nla_len ${length} does not fit the ${bytes.byteLength}-byte payload`,
        );
      }
      this.#list.push({
        type: rawType & NLA_F.TYPE_MASK,
        nested: (rawType & NLA_F.NESTED) !== 0,
        value: bytes.subarray(offset + NLA_HDRLEN, offset + length),
      });
      offset += netlinkAlign(length);
    }
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

// ---------------------------------------------------------------------------------------------------------
// Errors

function netlinkError(name: string, errno: number, kernelMessage: string | undefined): SyscallError {
  const description = errnoMessage(errno) + (kernelMessage ? ` (kernel: ${kernelMessage})` : "");
  return new SyscallError(`netlink ${name}`, errno, errnoName(errno), description);
}

/** Reads an `NLMSG_ERROR` payload: `[errno, extended-ACK message]`; errno 0 is an ACK. */
function readError(message: NetlinkMessage): [number, string | undefined] {
  const payload = message.payload;
  if (payload.byteLength < 4) {
    throw new RangeError("Cannot read NLMSG_ERROR: its payload is shorter than 4 bytes");
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const errno = -dv.getInt32(0, true);
  let text: string | undefined;
  if (errno !== 0 && (message.flags & NLM_F.ACK_TLVS) !== 0 && payload.byteLength >= nlmsgerr.size) {
    // The echoed request follows `error`: only its header if capped, else the whole message.
    const echoed = (message.flags & NLM_F.CAPPED) !== 0 ? NLMSG_HDRLEN : dv.getUint32(4, true);
    const start = 4 + netlinkAlign(echoed);
    if (start <= payload.byteLength) {
      text = new NetlinkAttributes(payload.subarray(start)).string(NLMSGERR_ATTR_MSG);
    }
  }
  return [errno, text];
}

// ---------------------------------------------------------------------------------------------------------
// The socket

/** Options of `NetlinkSocket.open`. */
export interface NetlinkSocketOptions {
  /**
   * How long a receive may wait for the kernel, in milliseconds (`SO_RCVTIMEO`); 0 waits forever. Default 5000:
   * the kernel answers requests at once, so a wait this long means a request it ignored. Fractions are rounded
   * to whole microseconds, the unit of `struct timeval` (at least 1 µs, so that a tiny timeout never becomes 0,
   * "wait forever").
   */
  receiveTimeout?: number;
  /** The first size of the long-lived receive buffer, in bytes. Default 8192; it grows to fit any datagram. */
  receiveBufferSize?: number;
}

const SOCKET_OPTIONS = ["receiveTimeout", "receiveBufferSize"];
const REQUEST_OPTIONS = ["name", "keep"];
const RECEIVE_OPTIONS = ["fresh"];
const GENERIC_REQUEST_OPTIONS = ["name", "flags", "version", "attributes", "keep"];

/** Options of `NetlinkSocket.request`. */
export interface NetlinkRequestOptions {
  /** The request's name for errors, e.g. `"TASKSTATS_CMD_GET"`: a failure is `SyscallError` `"netlink <name>"`. */
  name?: string;
  /**
   * Read each datagram into its own new buffer, so that every message's payload stays valid after the call
   * (dumps whose rows are viewed in place). Default `false`: the payloads are views of the socket's long-lived
   * receive buffer, valid until the next receive on this socket.
   */
  keep?: boolean;
}

/** What a request received. */
export interface NetlinkReply {
  /** Every message of the reply except the final `NLMSG_DONE` and ACK, in order. */
  readonly messages: NetlinkMessage[];
  /**
   * The datagrams they came in. Without `keep`, a reply of one datagram is a view of the socket's long-lived
   * buffer (valid until the next receive); a reply of several is moved out of it into buffers of its own.
   */
  readonly datagrams: Uint8Array[];
  /** True when the kernel flagged a dump as inconsistent (`NLM_F_DUMP_INTR`): the table changed during it. */
  readonly interrupted: boolean;
}

/**
 * A netlink socket (`socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)`), bound to a kernel-assigned port.
 *
 * A closed socket keeps descriptor -1, so using it fails in the kernel with `EBADF`, as a `SyscallError`
 * naming the call, like any other bad descriptor.
 *
 * @example Asking the generic netlink controller for a family
 * ```ts
 * import { attribute, NETLINK, NetlinkSocket, NLM_F } from "./netlink.ts";
 * using socket = NetlinkSocket.open(NETLINK.GENERIC);
 * const { messages } = socket.request(
 *   { type: 0x10, flags: NLM_F.ACK },
 *   new Uint8Array([3, 1, 0, 0]), // CTRL_CMD_GETFAMILY, version 1
 *   attribute.string(2, "nlctrl"), // CTRL_ATTR_FAMILY_NAME
 * );
 * console.log(messages.length); // 1
 * ```
 */
export class NetlinkSocket implements Disposable {
  /** The netlink protocol, e.g. `NETLINK.GENERIC`. */
  readonly protocol: number;
  #fd: number;
  #owned: boolean;
  #portId = 0;
  #sequence: number;
  #buffer: Uint8Array;
  // The receive timeout set by `open`, in milliseconds, for the error of a request that timed out.
  #receiveTimeout: number | undefined;
  readonly #header = new Uint8Array(NLMSG_HDRLEN);

  /** @internal Use `NetlinkSocket.open` or `NetlinkSocket.adopt`. */
  constructor(fd: number, protocol: number, owned: boolean, options: NetlinkSocketOptions) {
    this.#fd = fd;
    this.protocol = protocol;
    this.#owned = owned;
    this.#buffer = new Uint8Array(options.receiveBufferSize ?? 8192);
    // Start from a value unlikely to match a stale reply left by an earlier user of the descriptor.
    this.#sequence = (Date.now() & 0x7fffffff) >>> 0;
  }

  /**
   * Opens and binds a netlink socket.
   *
   * @param protocol `NETLINK.GENERIC`, `NETLINK.SOCK_DIAG`, …
   * @param options Receive timeout and first receive-buffer size.
   * @returns The open socket; close it with `close()` or `using`.
   * @throws {RangeError} When `receiveTimeout` is negative, not a number, or too large to count in microseconds.
   * @throws {SyscallError} From `socket`, `setsockopt` or `bind`, e.g. `EPROTONOSUPPORT` for an unknown protocol.
   * @throws {TypeError} When an option's name is unknown.
   */
  static open(protocol: number, options: NetlinkSocketOptions = {}): NetlinkSocket {
    requireLinux("NetlinkSocket.open");
    checkOptions(options, SOCKET_OPTIONS, "call", "NetlinkSocket.open");
    const timeout = options.receiveTimeout ?? 5000;
    const microseconds = timeout > 0 ? Math.max(1, Math.round(timeout * 1000)) : 0;
    if (!(timeout >= 0) || !Number.isSafeInteger(microseconds)) {
      throw new RangeError(
        `Cannot open a netlink socket with receiveTimeout ${String(timeout)}: expected milliseconds from 0 ` +
          `(wait forever) to ${Math.floor(Number.MAX_SAFE_INTEGER / 1000)}`,
      );
    }
    const { socket, bind, getsockname, setsockopt } = symbols();
    const fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    const self = new NetlinkSocket(fd, protocol, true, options);
    self.#receiveTimeout = timeout;
    try {
      if (microseconds > 0) {
        // struct timeval { time_t tv_sec; suseconds_t tv_usec; }
        const seconds = Math.floor(microseconds / 1_000_000);
        const tv = new BigInt64Array([BigInt(seconds), BigInt(microseconds - seconds * 1_000_000)]);
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.byteLength);
      }
      const on = new Int32Array([1]);
      // Errors carry the kernel's message and echo only the failed request's header. Best effort: old kernels
      // lack these options, and nothing depends on them.
      try {
        setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, on, 4);
        setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, on, 4);
      } catch { /* not supported: errors come without the kernel's message */ }
      // A copy: getsockname writes the port id the kernel gave this socket into it.
      const address = KERNEL_ADDRESS.slice();
      bind(fd, address, address.byteLength);
      const length = new Uint32Array([address.byteLength]);
      getsockname(fd, address, length);
      self.#portId = sockaddr_nl.read(address).nl_pid;
    } catch (error) {
      self.close();
      throw error;
    }
    return self;
  }

  /**
   * Wraps a descriptor opened elsewhere, without owning it: `close()` forgets it but does not close it. For
   * sockets a caller configured itself — and for tests that hand in a wrong or closed descriptor.
   *
   * @param fd The descriptor.
   * @param protocol The netlink protocol it was opened with.
   * @param options Receive-buffer size.
   * @returns The socket.
   * @throws {TypeError} When `fd` is not an integer, or an option's name is unknown.
   */
  static adopt(fd: number, protocol: number, options: NetlinkSocketOptions = {}): NetlinkSocket {
    if (!Number.isSafeInteger(fd)) throw new TypeError(`Cannot adopt file descriptor ${String(fd)}`);
    checkOptions(options, SOCKET_OPTIONS, "call", "NetlinkSocket.adopt");
    return new NetlinkSocket(fd, protocol, false, options);
  }

  /** The descriptor number; -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /** The port id the kernel bound the socket to (0 for an adopted socket). */
  get portId(): number {
    return this.#portId;
  }

  /** The size of the long-lived receive buffer now: it grows to the largest datagram received. */
  get receiveBufferSize(): number {
    return this.#buffer.byteLength;
  }

  /**
   * Sends one datagram to the kernel.
   *
   * @param datagram One or more messages.
   * @throws {SyscallError} From `sendto`, e.g. `EBADF` on a closed socket, `ENOTSOCK` on a descriptor that is
   * not a socket.
   */
  send(datagram: Uint8Array): void {
    symbols().sendto(this.#fd, datagram, datagram.byteLength, 0, KERNEL_ADDRESS, KERNEL_ADDRESS.byteLength);
  }

  #recvfrom(target: Uint8Array, flags: number): number {
    const { recvfrom } = symbols();
    for (;;) {
      try {
        return Number(recvfrom(this.#fd, target, target.byteLength, flags, null, null));
      } catch (error) {
        if (error instanceof SyscallError && error.errno === Errno.EINTR) continue;
        throw error;
      }
    }
  }

  /**
   * Receives one datagram whole: its length is peeked first (`MSG_PEEK | MSG_TRUNC` returns the full length),
   * then it is read into the long-lived buffer, grown to fit if needed, or into a new buffer of its exact size.
   *
   * @param options `fresh`: read into a new buffer that the caller keeps.
   * @returns The datagram: a view of the long-lived buffer (valid until the next receive) or a new buffer.
   * @throws {SyscallError} From `recvfrom`, e.g. `EAGAIN` when nothing arrived within the receive timeout.
   * @throws {TypeError} When an option's name is unknown.
   */
  receive(options: { fresh?: boolean } = {}): Uint8Array {
    checkOptions(options, RECEIVE_OPTIONS, "call", "NetlinkSocket.receive");
    const length = this.#recvfrom(this.#header, MSG_PEEK | MSG_TRUNC);
    let target: Uint8Array;
    if (options.fresh) {
      target = new Uint8Array(Math.max(length, 1));
    } else {
      if (length > this.#buffer.byteLength) {
        this.#buffer = new Uint8Array(Math.max(length, this.#buffer.byteLength * 2));
      }
      target = this.#buffer;
    }
    const read = this.#recvfrom(target, 0);
    return target.subarray(0, read);
  }

  /**
   * Sends a request and collects its reply: one message, several (`NLM_F_MULTI`, ended by `NLMSG_DONE`), or an
   * ACK when `NLM_F.ACK` was asked for. `NLM_F.REQUEST` and a fresh sequence number are set here; messages
   * with another sequence number (left over from an earlier request) are skipped.
   *
   * `NLMSG_DONE` ends the reply, with or without `NLM_F.ACK`: the kernel never ACKs a dump (starting one returns
   * `-EINTR` to `netlink_rcv_skb`, which then sends no ACK), so waiting for one would last until the timeout.
   *
   * @param header The request's type and flags (`NLM_F.DUMP`, `NLM_F.ACK`).
   * @param parts The payload parts (family header, attributes).
   * @returns The reply. With `options.keep` its payloads stay valid; otherwise until the next receive.
   * @throws {SyscallError} `"netlink <name>"` with the kernel's errno when it answers `NLMSG_ERROR`, or when a
   * dump ends with an error; `"netlink <name>"` `EAGAIN` when no reply (or no rest of one) came within the
   * receive timeout; other `sendto`/`recvfrom` failures as they are.
   */
  request(header: NetlinkMessageHeader, ...parts: Uint8Array[]): NetlinkReply;
  /**
   * Sends a request and collects its reply, as above, with options.
   *
   * @param header The request's type and flags.
   * @param options Name for errors, `keep` for payloads that outlive the next receive.
   * @param parts The payload parts.
   * @throws {TypeError} When an option's name is unknown.
   */
  request(header: NetlinkMessageHeader, options: NetlinkRequestOptions, ...parts: Uint8Array[]): NetlinkReply;
  request(header: NetlinkMessageHeader, ...rest: (Uint8Array | NetlinkRequestOptions)[]): NetlinkReply {
    const options: NetlinkRequestOptions = rest[0] instanceof Uint8Array || rest[0] === undefined
      ? {}
      : rest.shift() as NetlinkRequestOptions;
    checkOptions(options, REQUEST_OPTIONS, "call", "NetlinkSocket.request");
    const parts = rest as Uint8Array[];
    const name = options.name ?? `request type ${header.type}`;
    const sequence = this.#sequence = (this.#sequence + 1) >>> 0;
    const flags = (header.flags ?? 0) | NLM_F.REQUEST;
    this.send(netlinkMessage({ ...header, flags, sequence }, ...parts));
    const wantAck = (flags & NLM_F.ACK) !== 0;
    const messages: NetlinkMessage[] = [];
    const datagrams: Uint8Array[] = [];
    let interrupted = false;
    let fresh = options.keep === true;
    for (;;) {
      let datagram: Uint8Array;
      try {
        datagram = this.receive({ fresh });
      } catch (error) {
        if (error instanceof SyscallError && error.errno === Errno.EAGAIN) {
          const within = this.#receiveTimeout === undefined
            ? "within the socket's receive timeout"
            : `within the ${this.#receiveTimeout} ms receive timeout`;
          const what = messages.length === 0
            ? "no reply came"
            : `the reply stopped after ${messages.length} messages`;
          throw error.explained(
            `${what} ${within} (netlink message type ${header.type}, flags 0x${flags.toString(16)})`,
            `netlink ${name}`,
          );
        }
        throw error;
      }
      let done = false;
      let multi = false;
      let mine = false;
      for (const message of parseMessages(datagram)) {
        if (message.sequence !== sequence) continue;
        mine = true;
        if ((message.flags & NLM_F.DUMP_INTR) !== 0) interrupted = true;
        if (message.type === NLMSG.ERROR) {
          const [errno, text] = readError(message);
          if (errno !== 0) throw netlinkError(name, errno, text);
          done = true; // the ACK ends the reply
          break;
        }
        if (message.type === NLMSG.DONE) {
          // A dump that failed part-way ends with DONE carrying a negative errno.
          if (message.payload.byteLength >= 4) {
            const errno = -new DataView(message.payload.buffer, message.payload.byteOffset, 4).getInt32(
              0,
              true,
            );
            if (errno > 0) throw netlinkError(name, errno, undefined);
          }
          done = true; // the end of a dump, even when an ACK was asked for: the kernel sends none after it
          break;
        }
        if (message.type === NLMSG.NOOP) continue;
        if (message.type === NLMSG.OVERRUN) {
          throw netlinkError(name, Errno.ENOBUFS, "a data overrun: messages were lost");
        }
        if ((message.flags & NLM_F.MULTI) !== 0) multi = true;
        messages.push(message);
      }
      if (mine) datagrams.push(datagram);
      if (done) break;
      // A single reply without NLM_F_MULTI ends with its datagram, unless an ACK is still to come.
      if (mine && !multi && !wantAck) break;
      if (!fresh && mine) {
        // Another datagram will follow: move this one out of the reused buffer, with the payloads that point
        // into it, and read the rest of the reply into fresh buffers.
        const copy = datagram.slice();
        datagrams[datagrams.length - 1] = copy;
        for (let i = 0; i < messages.length; i++) {
          const m = messages[i]!;
          if (m.payload.buffer !== datagram.buffer) continue;
          const at = m.payload.byteOffset - datagram.byteOffset;
          messages[i] = { ...m, payload: copy.subarray(at, at + m.payload.byteLength) };
        }
        fresh = true;
      }
    }
    return { messages, datagrams, interrupted };
  }

  /**
   * Closes the socket (if it owns it). Safe to call twice; afterwards every call fails with `EBADF`.
   *
   * @throws {SyscallError} When `close(2)` fails.
   */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    if (this.#owned) closeDescriptor(fd);
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generic netlink

/** The generic netlink controller (linux/genetlink.h). */
export const GENL = {
  ID_CTRL: 0x10,
  CTRL_CMD_GETFAMILY: 3,
  CTRL_ATTR_FAMILY_ID: 1,
  CTRL_ATTR_FAMILY_NAME: 2,
  CTRL_ATTR_VERSION: 3,
  CTRL_ATTR_HDRSIZE: 4,
  CTRL_ATTR_MAXATTR: 5,
  CTRL_ATTR_MCAST_GROUPS: 7,
  CTRL_ATTR_MCAST_GRP_NAME: 1,
  CTRL_ATTR_MCAST_GRP_ID: 2,
} as const;

/** A generic netlink family, as the controller describes it. */
export interface GenericFamily {
  /** Its name, e.g. `"TASKSTATS"`. */
  readonly name: string;
  /** The message type to address it with. */
  readonly id: number;
  /** Its protocol version. */
  readonly version: number;
  /** The size of its own header after `genlmsghdr`. */
  readonly headerSize: number;
  /** Its highest attribute type. */
  readonly maxAttribute: number;
  /** Its multicast groups, name to id. */
  readonly multicastGroups: ReadonlyMap<string, number>;
}

/** One generic netlink message of a reply. */
export interface GenericMessage {
  /** `genlmsghdr.cmd`. */
  readonly command: number;
  /** `genlmsghdr.version`. */
  readonly version: number;
  /** The attributes after the header. */
  readonly attributes: NetlinkAttributes;
  /** The netlink message it came in. */
  readonly message: NetlinkMessage;
}

/** Options of `GenericNetlink.request`. */
export interface GenericRequestOptions {
  /** The command's name for errors, e.g. `"TASKSTATS_CMD_GET"`. Default `"<family> command <n>"`. */
  name?: string;
  /** `nlmsghdr` flags, e.g. `NLM_F.DUMP`; `NLM_F.REQUEST` is always added. */
  flags?: number;
  /** `genlmsghdr.version`. Default the family's. */
  version?: number;
  /** The request's attributes. */
  attributes?: readonly Uint8Array[];
  /**
   * Read the reply into buffers of its own, so that the messages stay valid after the next request. Default
   * `false`: they are views of the socket's receive buffer, overwritten by the next request.
   */
  keep?: boolean;
}

function genericHeader(command: number, version: number): Uint8Array {
  return genlmsghdr.encode({ cmd: command, version, reserved: 0 });
}

/**
 * A generic netlink socket with the family lookup (`CTRL_CMD_GETFAMILY`) and requests that build and walk
 * `genlmsghdr` and attributes.
 */
export class GenericNetlink implements Disposable {
  /** The underlying socket. */
  readonly socket: NetlinkSocket;
  readonly #families = new Map<string, GenericFamily>();

  /** @internal Use `GenericNetlink.open`. */
  constructor(socket: NetlinkSocket) {
    this.socket = socket;
  }

  /**
   * Opens a `NETLINK_GENERIC` socket.
   *
   * @param options Socket options.
   * @returns The socket.
   * @throws {SyscallError} When the socket cannot be opened.
   * @throws {TypeError} When an option's name is unknown.
   */
  static open(options: NetlinkSocketOptions = {}): GenericNetlink {
    checkOptions(options, SOCKET_OPTIONS, "call", "GenericNetlink.open");
    return new GenericNetlink(NetlinkSocket.open(NETLINK.GENERIC, options));
  }

  /**
   * Resolves a family by name (cached per socket).
   *
   * @param name E.g. `"TASKSTATS"`.
   * @returns Its id, version and the rest.
   * @throws {SyscallError} `ENOENT` when the kernel has no such family (its description says so).
   * @throws {NetlinkReplyError} When the kernel's reply holds no message.
   */
  family(name: string): GenericFamily {
    const cached = this.#families.get(name);
    if (cached) return cached;
    let reply: NetlinkReply;
    try {
      reply = this.socket.request(
        { type: GENL.ID_CTRL },
        { name: "CTRL_CMD_GETFAMILY" },
        genericHeader(GENL.CTRL_CMD_GETFAMILY, 1),
        attribute.string(GENL.CTRL_ATTR_FAMILY_NAME, name),
      );
    } catch (error) {
      if (error instanceof SyscallError && error.code === "ENOENT") {
        throw error.explained(`the kernel has no generic netlink family "${name}"`);
      }
      throw error;
    }
    const message = reply.messages[0];
    if (message === undefined) {
      throw new NetlinkReplyError(
        `resolve generic netlink family "${name}"`,
        "CTRL_CMD_GETFAMILY",
        "message",
      );
    }
    const attrs = new NetlinkAttributes(message.payload.subarray(genlmsghdr.size));
    const groups = new Map<string, number>();
    for (const group of attrs.nested(GENL.CTRL_ATTR_MCAST_GROUPS) ?? []) {
      const g = new NetlinkAttributes(group.value);
      const groupName = g.string(GENL.CTRL_ATTR_MCAST_GRP_NAME);
      const id = g.u32(GENL.CTRL_ATTR_MCAST_GRP_ID);
      if (groupName !== undefined && id !== undefined) groups.set(groupName, id);
    }
    const family: GenericFamily = Object.freeze({
      name: attrs.string(GENL.CTRL_ATTR_FAMILY_NAME) ?? name,
      id: attrs.u16(GENL.CTRL_ATTR_FAMILY_ID) ?? 0,
      version: attrs.u32(GENL.CTRL_ATTR_VERSION) ?? 0,
      headerSize: attrs.u32(GENL.CTRL_ATTR_HDRSIZE) ?? 0,
      maxAttribute: attrs.u32(GENL.CTRL_ATTR_MAXATTR) ?? 0,
      multicastGroups: groups,
    });
    this.#families.set(name, family);
    return family;
  }

  /**
   * Sends a command to a family and walks the reply's messages.
   *
   * Lifetime: without `keep`, the messages, their payloads and their attributes are views of the socket's
   * long-lived receive buffer, valid only until the next request (or receive) on this socket, which overwrites
   * them in place. Read or copy what you need first, or pass `keep: true` to have the reply read into buffers
   * of its own that stay valid.
   *
   * @param family The family (from `family()`).
   * @param command `genlmsghdr.cmd`.
   * @param options `name` for errors, `flags` (e.g. `NLM_F.DUMP`), `version` (default the family's),
   * `attributes`, the request's attributes, and `keep`, for a reply that outlives the next request.
   * @returns The reply's messages with their attributes.
   * @throws {SyscallError} `"netlink <name>"` with the kernel's errno when the command fails.
   * @throws {TypeError} When an option's name is unknown.
   */
  request(
    family: GenericFamily,
    command: number,
    options: GenericRequestOptions = {},
  ): GenericMessage[] {
    checkOptions(options, GENERIC_REQUEST_OPTIONS, "call", "GenericNetlink.request");
    const reply = this.socket.request(
      { type: family.id, flags: options.flags ?? 0 },
      { name: options.name ?? `${family.name} command ${command}`, keep: options.keep === true },
      genericHeader(command, options.version ?? family.version),
      ...(options.attributes ?? []),
    );
    return reply.messages.map((message) => {
      const header = genlmsghdr.read(message.payload);
      return {
        command: header.cmd,
        version: header.version,
        attributes: new NetlinkAttributes(message.payload.subarray(genlmsghdr.size + family.headerSize)),
        message,
      };
    });
  }

  /** Closes the socket. */
  close(): void {
    this.socket.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

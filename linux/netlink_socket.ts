/**
 * A netlink socket: opened, bound, written and read through the C library's system call wrappers; requests
 * that wait for their reply, multipart dumps, and `NLMSG_ERROR` turned into the toolkit's `SyscallError` with
 * the kernel's errno (and its extended-ACK message when it sends one).
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
  SyscallError,
} from "../ffi/mod.ts";
import { int, size_t, socklen_t, ssize_t } from "../structs/mod.ts";
import { checkOptions } from "../structs/_internal.ts";
import { nlmsgerr, sockaddr_nl } from "./_extra_layouts.ts";
import { requireLinux } from "./_platform.ts";
import { NetlinkAttributes } from "./netlink_attributes.ts";
import {
  type NetlinkMessage,
  netlinkMessage,
  type NetlinkMessageHeader,
  NLM_F,
  NLMSG,
  NLMSG_HDRLEN,
  parseMessages,
} from "./netlink_messages.ts";
import { netlinkAlign } from "./_netlink_records.ts";
import { SOCKET_OPTIONS } from "./_netlink_socket_options.ts";

/** Netlink protocols (the third argument of `socket(AF_NETLINK, …)`), from linux/netlink.h. */
export const NETLINK = {
  ROUTE: 0,
  SOCK_DIAG: 4,
  GENERIC: 16,
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

// The kernel's netlink address (port id 0), where every request goes.
// Encoded on first use: encoding builds the layout's accessors, which importing linux/ leaves for later.
let kernelAddressBytes: Uint8Array | undefined;
function kernelAddress(): Uint8Array {
  return kernelAddressBytes ??= sockaddr_nl.encode({
    nl_family: AF_NETLINK,
    nl_pad: 0,
    nl_pid: 0,
    nl_groups: 0,
  });
}

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

const REQUEST_OPTIONS = ["name", "keep"];
const RECEIVE_OPTIONS = ["fresh"];

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
      const address = kernelAddress().slice();
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
    const address = kernelAddress();
    symbols().sendto(this.#fd, datagram, datagram.byteLength, 0, address, address.byteLength);
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

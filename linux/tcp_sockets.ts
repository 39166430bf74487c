/**
 * The machine's TCP sockets, the Linux counterpart of `GetExtendedTcpTable`: a `NETLINK_SOCK_DIAG` dump
 * (`SOCK_DIAG_BY_FAMILY` with `inet_diag_req_v2`) for IPv4 and IPv6. The rows are `inet_diag_msg`s, read in
 * place from the receive buffers or copied out and decoded.
 *
 * @module
 */
import type { View } from "../structs/mod.ts";
import { inet_diag_msg, inet_diag_req_v2 } from "./layouts.ts";
import { NETLINK, NetlinkSocket, type NetlinkSocketOptions, NLM_F } from "./netlink.ts";
import { formatIpAddress } from "../structs/inet.ts";
import { checkOptions } from "../structs/_internal.ts";

/** Formats 4 or 16 network-order bytes as an IP address (RFC 5952 for IPv6); shared with `windows/`. */
export { formatIpAddress };

/** `SOCK_DIAG_BY_FAMILY` (linux/sock_diag.h): the request type of a socket dump. */
export const SOCK_DIAG_BY_FAMILY = 20;

const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_TCP = 6;

const FAMILIES: Readonly<Record<string, readonly number[]>> = {
  all: [AF_INET, AF_INET6],
  ipv4: [AF_INET],
  ipv6: [AF_INET6],
};

/** TCP states by number (include/net/tcp_states.h), as `/proc/net/tcp` and `inet_diag_msg` number them. */
export const TCP_STATE = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
  NEW_SYN_RECV: 12,
  BOUND_INACTIVE: 13,
} as const;

/** The name of a TCP state, e.g. `"LISTEN"`. */
export type TcpSocketStateName = keyof typeof TCP_STATE;

const STATE_NAMES = new Map(Object.entries(TCP_STATE).map(([name, n]) => [n, name as TcpSocketStateName]));

/**
 * The name of a TCP state number.
 *
 * @param state The number, e.g. 10.
 * @returns Its name, e.g. `"LISTEN"`, or `"UNKNOWN"`.
 */
export function tcpSocketStateName(state: number): TcpSocketStateName | "UNKNOWN" {
  return STATE_NAMES.get(state as never) ?? "UNKNOWN";
}

/** What `idiag_timer` says is pending on a socket. */
export const TCP_TIMER = ["none", "retransmit", "keepalive", "time-wait", "zero-window-probe"] as const;

/** A socket's pending timer. */
export type TcpSocketTimer = (typeof TCP_TIMER)[number] | "unknown";

/** The address family of a socket: `"ipv4"` or `"ipv6"`. */
export type TcpSocketFamily = "ipv4" | "ipv6";

/** One TCP socket, copied out of an `inet_diag_msg` and decoded: plain data that `JSON.stringify` accepts. */
export interface TcpSocket {
  /** `"ipv4"` or `"ipv6"`. */
  family: TcpSocketFamily;
  /** The state's name, e.g. `"LISTEN"`, `"ESTABLISHED"`. */
  state: TcpSocketStateName | "UNKNOWN";
  /** The state's number (`idiag_state`), as `/proc/net/tcp` prints it. */
  stateNumber: number;
  /** The local address: a dotted quad, or an IPv6 address in RFC 5952 form. */
  localAddress: string;
  /** The local port, converted from network byte order. */
  localPort: number;
  /** The remote address (`0.0.0.0` or `::` for a listener). */
  remoteAddress: string;
  /** The remote port (0 for a listener). */
  remotePort: number;
  /** The interface the socket is bound to, or 0. */
  interfaceIndex: number;
  /** The owner's user id. */
  uid: number;
  /** The socket's inode, as in `/proc/<pid>/fd` links (`socket:[inode]`); 0 for `TIME_WAIT` and requests. */
  inode: number;
  /** The kernel's unique cookie for the socket, as 16 hex digits (a string, so that rows serialize as JSON). */
  cookie: string;
  /** The pending timer. */
  timer: TcpSocketTimer;
  /** When the pending timer fires, in milliseconds from now. */
  timerExpiresMilliseconds: number;
  /** Retransmissions (or keepalive probes) so far. */
  retransmits: number;
  /** Bytes waiting to be read; for a listener, connections waiting to be accepted. */
  receiveQueue: number;
  /** Bytes waiting to be acknowledged; for a listener, the accept backlog's limit. */
  sendQueue: number;
}

/** The in-place view of one row: `inet_diag_msg` with its C field names and raw values. */
export type TcpSocketView = View<typeof inet_diag_msg>;

// The addresses are `__be32[4]`: four words read in network order. An IPv4 address is the first word.
function addressOf(family: number, words: { at(i: number): number }): string {
  const count = family === AF_INET ? 1 : 4;
  const bytes: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = words.at(i);
    bytes.push(w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
  }
  return formatIpAddress(bytes);
}

/**
 * Decodes one in-place row.
 *
 * @param row A view of an `inet_diag_msg`.
 * @returns The copied, decoded socket.
 */
export function decodeTcpSocket(row: TcpSocketView): TcpSocket {
  const family = row.idiag_family;
  const id = row.id;
  const cookie = id.idiag_cookie;
  return {
    family: family === AF_INET6 ? "ipv6" : "ipv4",
    state: tcpSocketStateName(row.idiag_state),
    stateNumber: row.idiag_state,
    localAddress: addressOf(family, id.idiag_src),
    localPort: id.idiag_sport,
    remoteAddress: addressOf(family, id.idiag_dst),
    remotePort: id.idiag_dport,
    interfaceIndex: id.idiag_if,
    uid: row.idiag_uid,
    inode: row.idiag_inode,
    cookie: cookie.at(1).toString(16).padStart(8, "0") + cookie.at(0).toString(16).padStart(8, "0"),
    timer: TCP_TIMER[row.idiag_timer] ?? "unknown",
    timerExpiresMilliseconds: row.idiag_expires,
    retransmits: row.idiag_retrans,
    receiveQueue: row.idiag_rqueue,
    sendQueue: row.idiag_wqueue,
  };
}

/**
 * The rows of one dump, kept in the datagrams the kernel filled. `at(i)` and iteration view an
 * `inet_diag_msg` in place (no copy); `rows()` copies and decodes every row.
 */
export class TcpSocketTable implements Iterable<TcpSocketView> {
  /** The receive buffers, one per datagram, that the rows live in. */
  readonly datagrams: readonly Uint8Array[];
  /** True when the kernel flagged a dump as inconsistent (sockets changed during it); a retry may be wanted. */
  readonly interrupted: boolean;
  readonly #rows: readonly Uint8Array[];

  /** @internal Made by `readTcpSockets`. */
  constructor(rows: readonly Uint8Array[], datagrams: readonly Uint8Array[], interrupted: boolean) {
    this.#rows = rows;
    this.datagrams = datagrams;
    this.interrupted = interrupted;
  }

  /** The number of sockets. */
  get length(): number {
    return this.#rows.length;
  }

  /**
   * Row `i` in place: a view of the `inet_diag_msg` inside its receive buffer, with C field names and raw values
   * (ports and addresses as `__be16`/`__be32` fields read as numbers).
   *
   * @param i The index.
   * @returns The view.
   * @throws {RangeError} When `i` is out of range.
   */
  at(i: number): TcpSocketView {
    const row = this.#rows[i];
    if (row === undefined) {
      throw new RangeError(`Cannot read row ${i} of a ${this.#rows.length}-row socket table`);
    }
    return inet_diag_msg.view(row);
  }

  /** Iterates the rows in place. */
  *[Symbol.iterator](): Iterator<TcpSocketView> {
    for (const row of this.#rows) yield inet_diag_msg.view(row);
  }

  /**
   * Every row copied out and decoded.
   *
   * @returns One plain object per socket, IPv4 first.
   */
  rows(): TcpSocket[] {
    return this.#rows.map((row) => decodeTcpSocket(inet_diag_msg.view(row)));
  }
}

/** Options of `readTcpSockets` and `listTcpSockets`. */
export interface TcpSocketOptions {
  /** Which families: `"ipv4"`, `"ipv6"`, or both (default). */
  family?: TcpSocketFamily | "all";
  /** Only sockets in these states (the kernel filters). Default: every state. */
  states?: readonly TcpSocketStateName[];
  /** An open `NETLINK_SOCK_DIAG` socket to reuse; by default one is opened and closed for the call. */
  socket?: NetlinkSocket;
  /** Options of the socket opened for the call. */
  socketOptions?: NetlinkSocketOptions;
}

const TCP_SOCKET_OPTIONS = ["family", "states", "socket", "socketOptions"];

/**
 * Dumps the machine's TCP sockets into a table whose rows stay in the receive buffers.
 *
 * @param options Families, states, a socket to reuse.
 * @returns The table: rows in place (`at`, iteration) or copied (`rows()`).
 * @throws {RangeError} When `family` is not `"ipv4"`, `"ipv6"` or `"all"`, or a name in `states` is not a key
 * of `TCP_STATE`.
 * @throws {SyscallError} From the netlink socket (`"netlink SOCK_DIAG_BY_FAMILY"` with the kernel's errno).
 * @throws {TypeError} When an option's name is unknown.
 *
 * @example Listeners, in place
 * ```ts
 * import { readTcpSockets } from "./tcp_sockets.ts";
 * const table = readTcpSockets({ states: ["LISTEN"] });
 * for (const row of table) console.log(row.id.idiag_sport, row.idiag_inode);
 * ```
 */
export function readTcpSockets(options: TcpSocketOptions = {}): TcpSocketTable {
  checkOptions(options, TCP_SOCKET_OPTIONS, "call", "readTcpSockets");
  const which = options.family ?? "all";
  // Own-property checks: a plain lookup would find "constructor" or "toString" on Object.prototype.
  const families = Object.hasOwn(FAMILIES, which) ? FAMILIES[which] : undefined;
  if (families === undefined) {
    throw new RangeError(
      `Cannot dump TCP sockets of family "${String(which)}": expected "ipv4", "ipv6" or "all"`,
    );
  }
  let states = 0xffffffff;
  if (options.states !== undefined) {
    states = 0;
    for (const name of options.states) {
      if (!Object.hasOwn(TCP_STATE, name)) {
        throw new RangeError(
          `Cannot filter on TCP state "${String(name)}": expected one of ${
            Object.keys(TCP_STATE).join(", ")
          }`,
        );
      }
      states |= 1 << TCP_STATE[name];
    }
  }
  const socket = options.socket ?? NetlinkSocket.open(NETLINK.SOCK_DIAG, options.socketOptions);
  try {
    const rows: Uint8Array[] = [];
    const datagrams: Uint8Array[] = [];
    let interrupted = false;
    for (const family of families) {
      const request = inet_diag_req_v2.encode({
        sdiag_family: family,
        sdiag_protocol: IPPROTO_TCP,
        idiag_ext: 0,
        pad: 0,
        idiag_states: states >>> 0,
        id: {
          idiag_sport: 0,
          idiag_dport: 0,
          idiag_src: [0, 0, 0, 0],
          idiag_dst: [0, 0, 0, 0],
          idiag_if: 0,
          idiag_cookie: [0, 0],
        },
      });
      const reply = socket.request(
        { type: SOCK_DIAG_BY_FAMILY, flags: NLM_F.DUMP },
        { name: "SOCK_DIAG_BY_FAMILY", keep: true },
        request,
      );
      for (const message of reply.messages) {
        if (message.type !== SOCK_DIAG_BY_FAMILY) continue;
        if (message.payload.byteLength < inet_diag_msg.size) {
          throw new RangeError(
            `Cannot read inet_diag_msg: the message holds ${message.payload.byteLength} bytes, fewer than ${inet_diag_msg.size}`,
          );
        }
        // The row is the payload's first 72 bytes; attributes may follow it.
        rows.push(message.payload.subarray(0, inet_diag_msg.size));
      }
      datagrams.push(...reply.datagrams);
      interrupted ||= reply.interrupted;
    }
    return new TcpSocketTable(rows, datagrams, interrupted);
  } finally {
    if (options.socket === undefined) socket.close();
  }
}

/**
 * The machine's TCP sockets, IPv4 and IPv6, copied out and decoded: the counterpart of Windows'
 * `GetExtendedTcpTable` (without the owning pid, which Linux reports as the socket's inode instead).
 *
 * @param options Families, states, a socket to reuse.
 * @returns One plain object per socket.
 * @throws {RangeError} When `family` or a name in `states` is unknown.
 * @throws {SyscallError} From the netlink socket.
 * @throws {TypeError} When an option's name is unknown.
 *
 * @example Who listens on which port
 * ```ts
 * import { listTcpSockets } from "./tcp_sockets.ts";
 * for (const s of listTcpSockets({ states: ["LISTEN"] })) console.log(s.family, s.localAddress, s.localPort);
 * ```
 */
export function listTcpSockets(options: TcpSocketOptions = {}): TcpSocket[] {
  checkOptions(options, TCP_SOCKET_OPTIONS, "call", "listTcpSockets");
  return readTcpSockets(options).rows();
}

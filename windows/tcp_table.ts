/**
 * `GetExtendedTcpTable`: the machine's TCP connections with the process that owns each, read as the seed reads
 * them — grow the buffer until the call fits, then take the `ANY_SIZE` rows either copied out or viewed in
 * place.
 *
 * @module
 */
import type { ArrayView } from "../structs/mod.ts";
import { BOOL, DWORD, ULONG } from "./types.ts";
import {
  buffer,
  dlopen,
  type GrowAttempt,
  growRetry,
  type GrowRetryOptions,
  type Library,
  SyscallError,
  syscallError,
} from "./_ffi.ts";
import { formatIpAddress } from "../structs/inet.ts";
import { AddressFamily, type TcpStateName, tcpStateName, TcpTableClass, WinError } from "./constants.ts";
import {
  MIB_TCP6ROW_OWNER_PID,
  MIB_TCP6TABLE_OWNER_PID,
  MIB_TCPROW_OWNER_PID,
  MIB_TCPTABLE_OWNER_PID,
} from "./layouts.ts";
import { requireWindows } from "./_platform.ts";
import { checkOptions } from "../structs/_internal.ts";

const IPHLPAPI = {
  // DWORD GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf,
  //                           TCP_TABLE_CLASS TableClass, ULONG Reserved);
  // The error code is the result; the function does not set GetLastError.
  GetExtendedTcpTable: {
    args: [
      buffer, // PVOID pTcpTable
      buffer, // PDWORD pdwSize
      BOOL, // BOOL bOrder
      ULONG, // ULONG ulAf
      DWORD, // TCP_TABLE_CLASS TableClass
      ULONG, // ULONG Reserved
    ],
    returns: DWORD,
  },
} as const;

let iphlpapi: Library<typeof IPHLPAPI> | undefined;

function library(api: string): Library<typeof IPHLPAPI> {
  requireWindows(api);
  return iphlpapi ??= dlopen("iphlpapi.dll", IPHLPAPI, { lazy: true, systemOnly: true });
}

/** The address family of a table: `AddressFamily.AF_INET` (2) or `AddressFamily.AF_INET6` (23). */
export type TcpFamily = typeof AddressFamily.AF_INET | typeof AddressFamily.AF_INET6;

/** The table classes whose rows carry the owning process id, the ones these bindings read. */
export type OwnerPidTableClass =
  | typeof TcpTableClass.TCP_TABLE_OWNER_PID_LISTENER
  | typeof TcpTableClass.TCP_TABLE_OWNER_PID_CONNECTIONS
  | typeof TcpTableClass.TCP_TABLE_OWNER_PID_ALL;

/** Options of `getExtendedTcpTable`. */
export interface TcpTableOptions<F extends TcpFamily = TcpFamily> {
  /** `AddressFamily.AF_INET` (default) or `AddressFamily.AF_INET6`. */
  family?: F;
  /** `TcpTableClass.TCP_TABLE_OWNER_PID_ALL` (default), `…_LISTENER` or `…_CONNECTIONS`. */
  tableClass?: OwnerPidTableClass;
  /** Ask Windows to sort the rows (`bOrder`). Default `false`. */
  sorted?: boolean;
  /**
   * The size in bytes of the first buffer tried. Default 0: the first call only asks for the size, as in the
   * seed, and the second fills the table.
   */
  initialSize?: number;
  /** How many calls to make before giving up (rows can appear between calls). Default 8. */
  maxAttempts?: number;
}

const TCP_TABLE_OPTIONS = ["family", "tableClass", "sorted", "initialSize", "maxAttempts"];

// Rows of room added to the size Windows asks for: sockets opened between two calls fit without a third.
const HEADROOM_ROWS = 16;

/** One TCP connection, copied out of the table and decoded. */
export interface TcpRow {
  /** The `MIB_TCP_STATE` number. */
  state: number;
  /** Its name, e.g. `"LISTEN"`. */
  stateName: TcpStateName | "UNKNOWN";
  /** The local address: a dotted quad, or an IPv6 address in RFC 5952 form. */
  localAddress: string;
  /** The local port, converted from network byte order. */
  localPort: number;
  /** The remote address (`0.0.0.0` or `::` for a listener). */
  remoteAddress: string;
  /** The remote port, converted from network byte order (0 for a listener). */
  remotePort: number;
  /** The process that owns the socket. */
  owningPid: number;
  /** IPv6 only: the local scope id. */
  localScopeId?: number;
  /** IPv6 only: the remote scope id. */
  remoteScopeId?: number;
}

/** The in-place row view of an IPv4 table, or of an IPv6 table. */
export type TcpRowsView<F extends TcpFamily> = F extends typeof AddressFamily.AF_INET6
  ? ArrayView<typeof MIB_TCP6ROW_OWNER_PID>
  : ArrayView<typeof MIB_TCPROW_OWNER_PID>;

/**
 * A TCP table as `GetExtendedTcpTable` filled it. The bytes are JavaScript memory owned by this object; the
 * in-place view reads them directly and stays valid as long as the table is reachable.
 */
export class TcpTable<F extends TcpFamily = TcpFamily> {
  /** The address family of the rows. */
  readonly family: F;
  /** The table class that was asked for. */
  readonly tableClass: OwnerPidTableClass;
  /** The buffer the last call filled: a `MIB_TCPTABLE_OWNER_PID` or `MIB_TCP6TABLE_OWNER_PID`. */
  readonly bytes: Uint8Array;
  /** How many calls it took: 2 or more when the first buffer was too small (`ERROR_INSUFFICIENT_BUFFER`). */
  readonly attempts: number;
  #view: TcpRowsView<F> | undefined;

  /** @internal Made by `getExtendedTcpTable`. */
  constructor(family: F, tableClass: OwnerPidTableClass, bytes: Uint8Array, attempts: number) {
    this.family = family;
    this.tableClass = tableClass;
    this.bytes = bytes;
    this.attempts = attempts;
  }

  /** The table's layout: `MIB_TCPTABLE_OWNER_PID` or `MIB_TCP6TABLE_OWNER_PID`. */
  get layout(): typeof MIB_TCPTABLE_OWNER_PID | typeof MIB_TCP6TABLE_OWNER_PID {
    return this.family === AddressFamily.AF_INET6 ? MIB_TCP6TABLE_OWNER_PID : MIB_TCPTABLE_OWNER_PID;
  }

  /** `dwNumEntries`: the number of rows. */
  get length(): number {
    return this.view().length;
  }

  /**
   * The rows in place, as the seed's cast to a large array does: no copy; each element is a view of a
   * `MIB_TCPROW_OWNER_PID` (or `MIB_TCP6ROW_OWNER_PID`) with the C field names and raw values — ports and
   * addresses in network byte order (decode them with `portFromNetworkOrder` and `ipv4FromNetworkOrder`).
   *
   * @returns An array view over `bytes`, sized by `dwNumEntries`.
   */
  view(): TcpRowsView<F> {
    return this.#view ??= (this.layout.view(this.bytes) as unknown as { table: TcpRowsView<F> }).table;
  }

  /**
   * The rows copied out and decoded, as the seed's row-by-row copy does.
   *
   * @returns One plain object per row, in table order.
   */
  rows(): TcpRow[] {
    if (this.family === AddressFamily.AF_INET6) {
      return MIB_TCP6TABLE_OWNER_PID.read(this.bytes).table.map((r): TcpRow => ({
        state: r.dwState,
        stateName: tcpStateName(r.dwState),
        localAddress: ipv6FromBytes(r.ucLocalAddr),
        localPort: portFromNetworkOrder(r.dwLocalPort),
        remoteAddress: ipv6FromBytes(r.ucRemoteAddr),
        remotePort: portFromNetworkOrder(r.dwRemotePort),
        owningPid: r.dwOwningPid,
        localScopeId: r.dwLocalScopeId,
        remoteScopeId: r.dwRemoteScopeId,
      }));
    }
    return MIB_TCPTABLE_OWNER_PID.read(this.bytes).table.map((r): TcpRow => ({
      state: r.dwState,
      stateName: tcpStateName(r.dwState),
      localAddress: ipv4FromNetworkOrder(r.dwLocalAddr),
      localPort: portFromNetworkOrder(r.dwLocalPort),
      remoteAddress: ipv4FromNetworkOrder(r.dwRemoteAddr),
      remotePort: portFromNetworkOrder(r.dwRemotePort),
      owningPid: r.dwOwningPid,
    }));
  }
}

/**
 * Reads the machine's TCP table with owning process ids, through `GetExtendedTcpTable` in `iphlpapi.dll`
 * (loaded on first use, from the system directory only). The buffer starts at `initialSize` (0) and, each time
 * the call returns `ERROR_INSUFFICIENT_BUFFER` (122), grows to the size Windows asks for plus 16 rows, or to
 * 1.5 times that size once such a size fell short (a table growing faster than the calls come).
 *
 * @param options Family, table class, order, first buffer size, number of calls.
 * @returns The table, with its rows copied (`rows()`) or in place (`view()`).
 * @throws {UnsupportedPlatformError} When not running on Windows.
 * @throws {RangeError} For a family or table class these bindings do not read, or an option out of range.
 * @throws {TypeError} When an option's name is unknown (checked on every system).
 * @throws {SyscallError} When the call fails; with `ERROR_INSUFFICIENT_BUFFER` when the table still outgrew the
 * buffer after `maxAttempts` calls (or asked for more than 64 MiB): its description lists the sizes tried.
 *
 * @example Listing listening sockets (Windows only)
 * ```ts ignore
 * import { AddressFamily, getExtendedTcpTable, TcpTableClass } from "./mod.ts";
 * const table = getExtendedTcpTable({
 *   family: AddressFamily.AF_INET,
 *   tableClass: TcpTableClass.TCP_TABLE_OWNER_PID_LISTENER,
 * });
 * for (const row of table.rows()) console.log(row.localPort, row.owningPid);
 * ```
 */
export function getExtendedTcpTable<F extends TcpFamily = typeof AddressFamily.AF_INET>(
  options: TcpTableOptions<F> = {},
): TcpTable<F> {
  checkOptions(options, TCP_TABLE_OPTIONS, "call", "getExtendedTcpTable");
  const { symbols } = library("getExtendedTcpTable");
  const family = (options.family ?? AddressFamily.AF_INET) as F;
  if (family !== AddressFamily.AF_INET && family !== AddressFamily.AF_INET6) {
    throw new RangeError(
      `Cannot read the TCP table: family ${family} is neither AF_INET (2) nor AF_INET6 (23)`,
    );
  }
  const tableClass = options.tableClass ?? TcpTableClass.TCP_TABLE_OWNER_PID_ALL;
  if (
    tableClass !== TcpTableClass.TCP_TABLE_OWNER_PID_LISTENER &&
    tableClass !== TcpTableClass.TCP_TABLE_OWNER_PID_CONNECTIONS &&
    tableClass !== TcpTableClass.TCP_TABLE_OWNER_PID_ALL
  ) {
    throw new RangeError(
      `Cannot read the TCP table: table class ${tableClass} is not one of the TCP_TABLE_OWNER_PID_* classes (3, 4, 5)`,
    );
  }
  const order = options.sorted ? 1 : 0;
  const size = new Uint32Array(1);
  const rowSize = family === AddressFamily.AF_INET6 ? MIB_TCP6ROW_OWNER_PID.size : MIB_TCPROW_OWNER_PID.size;
  const tried: number[] = [];
  let lastAsked: number | undefined;
  const grow: GrowRetryOptions = { headroom: HEADROOM_ROWS * rowSize };
  if (options.initialSize !== undefined) grow.initialSize = options.initialSize;
  if (options.maxAttempts !== undefined) grow.maxAttempts = options.maxAttempts;
  try {
    return growRetry(readTable, grow);
  } catch (error) {
    if (!(error instanceof RangeError) || lastAsked === undefined) throw error;
    // Out of calls or over the size limit: the failure is still GetExtendedTcpTable's.
    const base = syscallError("GetExtendedTcpTable", WinError.ERROR_INSUFFICIENT_BUFFER);
    const calls = `${tried.length} call${tried.length === 1 ? "" : "s"}`;
    throw new SyscallError(
      base.syscall,
      base.errno,
      base.code,
      `${base.description}: still too small after ${calls} (sizes tried: ${tried.join(", ")} bytes; ` +
        `the last call asked for ${lastAsked} bytes)`,
      { cause: error },
    );
  }

  function readTable(bytes: Uint8Array<ArrayBuffer>, attempt: number): GrowAttempt<TcpTable<F>> {
    tried.push(bytes.length);
    size[0] = bytes.length;
    // A zero-size table is passed as NULL, as the seed's first call does: it only asks for the size.
    const code = symbols.GetExtendedTcpTable(
      bytes.length === 0 ? null : bytes,
      size,
      order,
      family,
      tableClass,
      0,
    );
    if (code === WinError.ERROR_SUCCESS) {
      return { done: true, value: new TcpTable(family, tableClass, bytes, attempt) };
    }
    // Windows wrote the size it needs into *pdwSize.
    if (code === WinError.ERROR_INSUFFICIENT_BUFFER) {
      lastAsked = size[0]!;
      return { done: false, size: lastAsked };
    }
    throw syscallError("GetExtendedTcpTable", code);
  }
}

/**
 * Decodes a port from a `dwLocalPort`/`dwRemotePort` value: the low 16 bits hold the port in network byte
 * order (big-endian); the high 16 bits are undefined.
 *
 * @param dword The `DWORD` as read from the row.
 * @returns The port number.
 *
 * @example Port 8080 as Windows stores it
 * ```ts
 * import { portFromNetworkOrder } from "./tcp_table.ts";
 * console.log(portFromNetworkOrder(0x901f)); // 8080
 * ```
 */
export function portFromNetworkOrder(dword: number): number {
  return ((dword & 0xff) << 8) | ((dword >>> 8) & 0xff);
}

/**
 * Decodes an IPv4 address from a `dwLocalAddr`/`dwRemoteAddr` value read on a little-endian host (every
 * Windows): the bytes in memory are the dotted quad in order.
 *
 * @param dword The `DWORD` as read from the row.
 * @returns The dotted quad.
 *
 * @example The loopback address
 * ```ts
 * import { ipv4FromNetworkOrder } from "./tcp_table.ts";
 * console.log(ipv4FromNetworkOrder(0x0100007f)); // "127.0.0.1"
 * ```
 */
export function ipv4FromNetworkOrder(dword: number): string {
  return `${dword & 0xff}.${(dword >>> 8) & 0xff}.${(dword >>> 16) & 0xff}.${dword >>> 24}`;
}

/**
 * Formats the 16 bytes of an IPv6 address (`ucLocalAddr`, `ucRemoteAddr`) in RFC 5952 form: lower-case hex,
 * the longest run of two or more zero groups written `::`.
 *
 * @param bytes The address bytes, in network order.
 * @returns The address text.
 *
 * @example The loopback address
 * ```ts
 * import { ipv6FromBytes } from "./tcp_table.ts";
 * console.log(ipv6FromBytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])); // "::1"
 * ```
 */
export function ipv6FromBytes(bytes: ArrayLike<number>): string {
  if (bytes.length !== 16) {
    throw new RangeError(`Cannot format an IPv6 address: expected 16 bytes, got ${bytes.length}`);
  }
  return formatIpAddress(bytes);
}

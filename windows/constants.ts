/**
 * Windows constants the bindings use, under their SDK names, grouped as frozen objects.
 *
 * @module
 */

/** Address families (ws2def.h) accepted by `GetExtendedTcpTable`'s `ulAf`. */
export const AddressFamily: Readonly<{
  AF_INET: 2;
  AF_INET6: 23;
}> = Object.freeze(
  {
    AF_INET: 2,
    AF_INET6: 23,
  } as const,
);

/*
 * typedef enum _TCP_TABLE_CLASS {
 *   TCP_TABLE_BASIC_LISTENER, TCP_TABLE_BASIC_CONNECTIONS, TCP_TABLE_BASIC_ALL,
 *   TCP_TABLE_OWNER_PID_LISTENER, TCP_TABLE_OWNER_PID_CONNECTIONS, TCP_TABLE_OWNER_PID_ALL,
 *   TCP_TABLE_OWNER_MODULE_LISTENER, TCP_TABLE_OWNER_MODULE_CONNECTIONS, TCP_TABLE_OWNER_MODULE_ALL
 * } TCP_TABLE_CLASS, *PTCP_TABLE_CLASS;
 */
/** `TCP_TABLE_CLASS` (iprtrmib.h): which rows `GetExtendedTcpTable` returns, and in which layout. */
export const TcpTableClass: Readonly<{
  TCP_TABLE_BASIC_LISTENER: 0;
  TCP_TABLE_BASIC_CONNECTIONS: 1;
  TCP_TABLE_BASIC_ALL: 2;
  TCP_TABLE_OWNER_PID_LISTENER: 3;
  TCP_TABLE_OWNER_PID_CONNECTIONS: 4;
  TCP_TABLE_OWNER_PID_ALL: 5;
  TCP_TABLE_OWNER_MODULE_LISTENER: 6;
  TCP_TABLE_OWNER_MODULE_CONNECTIONS: 7;
  TCP_TABLE_OWNER_MODULE_ALL: 8;
}> = Object.freeze(
  {
    TCP_TABLE_BASIC_LISTENER: 0,
    TCP_TABLE_BASIC_CONNECTIONS: 1,
    TCP_TABLE_BASIC_ALL: 2,
    TCP_TABLE_OWNER_PID_LISTENER: 3,
    TCP_TABLE_OWNER_PID_CONNECTIONS: 4,
    TCP_TABLE_OWNER_PID_ALL: 5,
    TCP_TABLE_OWNER_MODULE_LISTENER: 6,
    TCP_TABLE_OWNER_MODULE_CONNECTIONS: 7,
    TCP_TABLE_OWNER_MODULE_ALL: 8,
  } as const,
);

/** `MIB_TCP_STATE` (tcpmib.h): the state of a TCP connection, as `dwState` holds it. */
export const TcpState: Readonly<{
  CLOSED: 1;
  LISTEN: 2;
  SYN_SENT: 3;
  SYN_RCVD: 4;
  ESTAB: 5;
  FIN_WAIT1: 6;
  FIN_WAIT2: 7;
  CLOSE_WAIT: 8;
  CLOSING: 9;
  LAST_ACK: 10;
  TIME_WAIT: 11;
  DELETE_TCB: 12;
}> = Object.freeze(
  {
    CLOSED: 1,
    LISTEN: 2,
    SYN_SENT: 3,
    SYN_RCVD: 4,
    ESTAB: 5,
    FIN_WAIT1: 6,
    FIN_WAIT2: 7,
    CLOSE_WAIT: 8,
    CLOSING: 9,
    LAST_ACK: 10,
    TIME_WAIT: 11,
    DELETE_TCB: 12,
  } as const,
);

/** The name of a `TcpState` value, e.g. `"LISTEN"` for 2. */
export type TcpStateName = keyof typeof TcpState;

const STATE_NAMES: ReadonlyMap<number, TcpStateName> = new Map(
  Object.entries(TcpState).map(([name, value]) => [value, name as TcpStateName]),
);

/**
 * The name of a TCP state number.
 *
 * @param state A `dwState` value.
 * @returns Its `MIB_TCP_STATE` name without the `MIB_TCP_STATE_` prefix, or `"UNKNOWN"`.
 *
 * @example Naming a state
 * ```ts
 * import { tcpStateName } from "./constants.ts";
 * console.log(tcpStateName(2)); // "LISTEN"
 * ```
 */
export function tcpStateName(state: number): TcpStateName | "UNKNOWN" {
  return STATE_NAMES.get(state) ?? "UNKNOWN";
}

/** `JOBOBJECTINFOCLASS` (winnt.h): the information classes the bindings query and set. */
export const JobObjectInfoClass: Readonly<{
  JobObjectBasicAccountingInformation: 1;
  JobObjectBasicLimitInformation: 2;
  JobObjectBasicProcessIdList: 3;
  JobObjectExtendedLimitInformation: 9;
}> = Object.freeze(
  {
    JobObjectBasicAccountingInformation: 1,
    JobObjectBasicLimitInformation: 2,
    JobObjectBasicProcessIdList: 3,
    JobObjectExtendedLimitInformation: 9,
  } as const,
);

/** `JOB_OBJECT_LIMIT_*` (winnt.h): the flags of `LimitFlags`. */
export const JobObjectLimit: Readonly<{
  JOB_OBJECT_LIMIT_WORKINGSET: 0x0000_0001;
  JOB_OBJECT_LIMIT_PROCESS_TIME: 0x0000_0002;
  JOB_OBJECT_LIMIT_JOB_TIME: 0x0000_0004;
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS: 0x0000_0008;
  JOB_OBJECT_LIMIT_AFFINITY: 0x0000_0010;
  JOB_OBJECT_LIMIT_PRIORITY_CLASS: 0x0000_0020;
  JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME: 0x0000_0040;
  JOB_OBJECT_LIMIT_SCHEDULING_CLASS: 0x0000_0080;
  JOB_OBJECT_LIMIT_PROCESS_MEMORY: 0x0000_0100;
  JOB_OBJECT_LIMIT_JOB_MEMORY: 0x0000_0200;
  JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION: 0x0000_0400;
  JOB_OBJECT_LIMIT_BREAKAWAY_OK: 0x0000_0800;
  JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK: 0x0000_1000;
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: 0x0000_2000;
}> = Object.freeze(
  {
    JOB_OBJECT_LIMIT_WORKINGSET: 0x0000_0001,
    JOB_OBJECT_LIMIT_PROCESS_TIME: 0x0000_0002,
    JOB_OBJECT_LIMIT_JOB_TIME: 0x0000_0004,
    JOB_OBJECT_LIMIT_ACTIVE_PROCESS: 0x0000_0008,
    JOB_OBJECT_LIMIT_AFFINITY: 0x0000_0010,
    JOB_OBJECT_LIMIT_PRIORITY_CLASS: 0x0000_0020,
    JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME: 0x0000_0040,
    JOB_OBJECT_LIMIT_SCHEDULING_CLASS: 0x0000_0080,
    JOB_OBJECT_LIMIT_PROCESS_MEMORY: 0x0000_0100,
    JOB_OBJECT_LIMIT_JOB_MEMORY: 0x0000_0200,
    JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION: 0x0000_0400,
    JOB_OBJECT_LIMIT_BREAKAWAY_OK: 0x0000_0800,
    JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK: 0x0000_1000,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: 0x0000_2000,
  } as const,
);

/** Windows system error codes by name (winerror.h): the toolkit's `WindowsError`, under the bindings' name. */
export { WindowsError as WinError } from "../ffi/error_codes.ts";

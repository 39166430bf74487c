/**
 * Per-task and per-thread-group statistics from the kernel's taskstats interface (generic netlink family
 * `"TASKSTATS"`): the seed's checked cast of the `TASKSTATS_TYPE_STATS` payload to `struct taskstats`,
 * accepting every struct version the kernel may send, decoded into a typed object whose field names carry
 * their units.
 *
 * Asking for any task's statistics, this process's own included, needs `CAP_NET_ADMIN`: the kernel registers
 * `TASKSTATS_CMD_GET` with `GENL_ADMIN_PERM`. Without it the kernel answers `EPERM`, which the error explains.
 *
 * This file is the client; the struct's versions and their decoding are in `taskstats_struct.ts`, re-exported
 * here.
 *
 * @module
 */
import { checkOptions } from "../structs/_internal.ts";
import { openFd, syscall, SyscallError } from "../ffi/mod.ts";
import { SYS } from "./syscall_numbers.ts";
import { NetlinkReplyError } from "./errors.ts";
import {
  attribute,
  type GenericFamily,
  type GenericMessage,
  GenericNetlink,
  type NetlinkSocketOptions,
} from "./netlink.ts";
import { SOCKET_OPTIONS } from "./_netlink_socket_options.ts";
import { decodeTaskstats, readTaskstatsStruct, type Taskstats } from "./taskstats_struct.ts";

export * from "./taskstats_struct.ts";

/** Constants of linux/taskstats.h. */
export const TASKSTATS = {
  GENL_NAME: "TASKSTATS",
  GENL_VERSION: 1,
  CMD_GET: 1,
  CMD_ATTR_PID: 1,
  CMD_ATTR_TGID: 2,
  TYPE_PID: 1,
  TYPE_TGID: 2,
  TYPE_STATS: 3,
  TYPE_AGGR_PID: 4,
  TYPE_AGGR_TGID: 5,
} as const;

/**
 * A reusable taskstats client: one generic netlink socket and one family lookup for many queries.
 *
 * @example Statistics of this process, twice over one socket
 * ```ts
 * import { TaskstatsClient } from "./taskstats.ts";
 * using client = TaskstatsClient.open();
 * const pid = (globalThis as { process?: { pid: number } }).process!.pid;
 * console.log(client.pid(pid).command, client.threadGroup(pid).cpu.userMicroseconds >= 0n);
 * ```
 */
export class TaskstatsClient implements Disposable {
  readonly #netlink: GenericNetlink;
  readonly #family: GenericFamily;

  /** @internal Use `TaskstatsClient.open`. */
  constructor(netlink: GenericNetlink, family: GenericFamily) {
    this.#netlink = netlink;
    this.#family = family;
  }

  /**
   * Opens a generic netlink socket and resolves the `TASKSTATS` family.
   *
   * @param options Netlink socket options.
   * @returns The client; close it with `close()` or `using`.
   * @throws {SyscallError} `ENOENT` (`"netlink CTRL_CMD_GETFAMILY"`) when the kernel was built without
   * taskstats (`CONFIG_TASKSTATS`); socket errors as they are.
   * @throws {TypeError} When an option's name is unknown.
   */
  static open(options: NetlinkSocketOptions = {}): TaskstatsClient {
    checkOptions(options, SOCKET_OPTIONS, "call", "TaskstatsClient.open");
    const netlink = GenericNetlink.open(options);
    try {
      return new TaskstatsClient(netlink, netlink.family(TASKSTATS.GENL_NAME));
    } catch (error) {
      netlink.close();
      throw error;
    }
  }

  /** The resolved `TASKSTATS` family (its id varies from boot to boot). */
  get family(): GenericFamily {
    return this.#family;
  }

  #get(id: number, threadGroup: boolean): Taskstats {
    if (!Number.isSafeInteger(id) || id <= 0 || id > 0x7fffffff) {
      throw new RangeError(
        `Cannot get taskstats of ${threadGroup ? "thread group" : "pid"} ${id}: not a pid`,
      );
    }
    let replies: GenericMessage[];
    try {
      replies = this.#netlink.request(this.#family, TASKSTATS.CMD_GET, {
        name: "TASKSTATS_CMD_GET",
        version: TASKSTATS.GENL_VERSION,
        attributes: [attribute.u32(threadGroup ? TASKSTATS.CMD_ATTR_TGID : TASKSTATS.CMD_ATTR_PID, id)],
      });
    } catch (error) {
      if (error instanceof SyscallError && error.code === "EPERM") {
        throw error.explained(
          "reading taskstats needs CAP_NET_ADMIN, even for this process's own (the kernel registers " +
            "TASKSTATS_CMD_GET with GENL_ADMIN_PERM); run as root or grant the capability",
        );
      }
      throw error;
    }
    const aggregateType = threadGroup ? TASKSTATS.TYPE_AGGR_TGID : TASKSTATS.TYPE_AGGR_PID;
    for (const reply of replies) {
      const payload = reply.attributes.nested(aggregateType)?.get(TASKSTATS.TYPE_STATS);
      // Decoded (copied out) before the next request reuses the receive buffer.
      if (payload !== undefined) return decodeTaskstats(readTaskstatsStruct(payload));
    }
    const subject = `${threadGroup ? "thread group" : "pid"} ${id}`;
    throw new NetlinkReplyError(`read taskstats of ${subject}`, "TASKSTATS_CMD_GET", "TASKSTATS_TYPE_STATS");
  }

  /**
   * The statistics of one task (a thread or a single-threaded process).
   *
   * @param pid The task id.
   * @returns The decoded statistics.
   * @throws {SyscallError} `"netlink TASKSTATS_CMD_GET"` with `ESRCH` when no such task exists; `EPERM` without
   * `CAP_NET_ADMIN` (the description says so).
   * @throws {LayoutError} When the kernel sends a struct of a size no known version has.
   * @throws {NetlinkReplyError} When the reply holds no `TASKSTATS_TYPE_STATS`.
   */
  pid(pid: number): Taskstats {
    return this.#get(pid, false);
  }

  /**
   * The statistics of a thread group (a process with all its threads): CPU times, delays and context switches
   * summed over the threads; identity fields are left zero by the kernel. `tgid` is the group's id, read from
   * the task's own statistics (one more request): the group's reply only echoes the id asked for and leaves
   * `ac_tgid` 0 (measured on Linux 6.18), so asked by the id of a thread that is not the leader it would name the thread.
   * On kernels whose struct has no `ac_tgid` (version below 12) it is `undefined`.
   *
   * @param tgid The process id, or the id of any of its threads.
   * @returns The decoded statistics.
   * @throws {SyscallError} `ESRCH` when no such process exists; `EPERM` without `CAP_NET_ADMIN`.
   */
  threadGroup(tgid: number): Taskstats {
    const task = this.#get(tgid, false);
    const group = this.#get(tgid, true);
    group.tgid = task.tgid;
    return group;
  }

  /** Closes the socket. */
  close(): void {
    this.#netlink.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * The kernel's statistics of one task, through a one-shot taskstats socket (use `TaskstatsClient` for many).
 *
 * @param pid The task id (a process id for its main thread).
 * @returns pid, command, uid/gid, CPU, delay-accounting, memory and I/O counters.
 * @throws {SyscallError} `"netlink TASKSTATS_CMD_GET"` `ESRCH` for a pid that does not exist, `EPERM` without
 * `CAP_NET_ADMIN`; `ENOENT` from `"netlink CTRL_CMD_GETFAMILY"` when the kernel has no taskstats.
 *
 * @example This process
 * ```ts
 * import { getTaskstats } from "./taskstats.ts";
 * const pid = (globalThis as { process?: { pid: number } }).process!.pid;
 * const stats = getTaskstats(pid);
 * console.log(stats.pid === pid, stats.command.length > 0); // true true
 * ```
 */
export function getTaskstats(pid: number): Taskstats {
  using client = TaskstatsClient.open();
  return client.pid(pid);
}

/**
 * The kernel's statistics of a thread group, summed over its threads, through a one-shot socket.
 *
 * @param tgid The process id, or the id of any of its threads.
 * @returns The statistics; identity fields are zero except `tgid`, the group's id.
 * @throws {SyscallError} `ESRCH` for a process that does not exist; `EPERM` without `CAP_NET_ADMIN`.
 */
export function getThreadGroupTaskstats(tgid: number): Taskstats {
  using client = TaskstatsClient.open();
  return client.threadGroup(tgid);
}

/**
 * Whether the kernel's delay accounting is on now (`/proc/sys/kernel/task_delayacct`). When off, the delay
 * counters other than CPU stay zero.
 *
 * @returns `true` or `false`, or `undefined` when the kernel has no such setting (built without
 * `CONFIG_TASK_DELAY_ACCT`, or older than 5.14).
 */
export function delayAccountingEnabled(): boolean | undefined {
  // Read with open(2) and read(2), not node:fs, whose import added 36 ms to a Deno process (docs/runtime-notes.md).
  let fd;
  try {
    fd = openFd("/proc/sys/kernel/task_delayacct");
  } catch {
    return undefined;
  }
  using _ = fd;
  const text = new Uint8Array(16);
  const n = Number(syscall(SYS.read, fd.fd, text, text.length));
  return new TextDecoder().decode(text.subarray(0, n)).trim() === "1";
}

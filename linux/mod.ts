/**
 * Linux bindings built on `ffi/` and `structs/`: the vsock CID (`ioctl`), taskstats (generic netlink), the TCP
 * socket table (`NETLINK_SOCK_DIAG`), the netlink layer under them, a batching helper over owned memory, and
 * float bit casts.
 *
 * @example This machine's listeners and this process's CPU time
 * ```ts
 * import { getTaskstats, listTcpSockets } from "./mod.ts";
 * for (const s of listTcpSockets({ states: ["LISTEN"] })) console.log(s.localAddress, s.localPort, s.inode);
 * const pid = (globalThis as { process?: { pid: number } }).process!.pid;
 * console.log(getTaskstats(pid).cpu.userMicroseconds);
 * ```
 *
 * @module
 */
export * from "./layouts.ts";
export * from "./netlink.ts";
export * from "./vsock.ts";
export * from "./taskstats.ts";
export * from "./tcp_sockets.ts";
export * from "./batch.ts";
export * from "./bits.ts";

/**
 * Linux bindings built on `ffi/` and `structs/`: the system call numbers (`SYS`), `open(2)` flags (`O`) and
 * `ioctl` request encoders (`_IO`, `_IOR`, `_IOW`, `_IOWR`) that `ffi/`'s `syscall`, `openFd` and `ioctl` take,
 * the vsock CID (`ioctl`), taskstats (generic netlink), the TCP socket table (`NETLINK_SOCK_DIAG`), the netlink
 * layer under them, a batching helper over owned memory, and float bit casts.
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
export * from "./errors.ts";
export * from "./syscall_numbers.ts";
export * from "./open_flags.ts";
export * from "./ioctl_numbers.ts";
export * from "./layouts.ts";
export * from "./netlink.ts";
export * from "./vsock.ts";
export * from "./taskstats.ts";
export * from "./tcp_sockets.ts";
export * from "./batch.ts";
export * from "./bits.ts";

/**
 * A small netlink layer: sockets opened, bound, written and read through the C library's system call
 * wrappers; messages (`nlmsghdr`) and attributes (`nlattr`) built and walked with their 4-byte alignment;
 * requests that wait for their reply, multipart dumps, and `NLMSG_ERROR` turned into the toolkit's
 * `SyscallError` with the kernel's errno (and its extended-ACK message when it sends one).
 *
 * Receiving never truncates: each datagram's length is asked of the kernel first (`MSG_PEEK | MSG_TRUNC`),
 * then the datagram is read whole into a buffer that grows to fit it.
 *
 * The four parts live in their own files: `netlink_messages.ts`, `netlink_attributes.ts`, `netlink_socket.ts`
 * and `generic_netlink.ts`; this module gathers them.
 *
 * @module
 */
export * from "./netlink_messages.ts";
export * from "./netlink_attributes.ts";
export * from "./netlink_socket.ts";
export * from "./generic_netlink.ts";

/**
 * The option names of a netlink socket, which `NetlinkSocket` and `GenericNetlink` both check.
 *
 * @module
 */

// The keys of `NetlinkSocketOptions`.
export const SOCKET_OPTIONS = ["receiveTimeout", "receiveBufferSize"];

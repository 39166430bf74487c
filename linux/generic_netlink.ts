/**
 * Generic netlink (`NETLINK_GENERIC`): families resolved by name through the controller, and commands sent to
 * them with their `genlmsghdr` and attributes.
 *
 * @module
 */
import { SyscallError } from "../ffi/mod.ts";
import { checkOptions } from "../structs/_internal.ts";
import { NetlinkReplyError } from "./errors.ts";
import { genlmsghdr } from "./layouts.ts";
import { attribute, NetlinkAttributes } from "./netlink_attributes.ts";
import type { NetlinkMessage } from "./netlink_messages.ts";
import { NETLINK, type NetlinkReply, NetlinkSocket, type NetlinkSocketOptions } from "./netlink_socket.ts";
import { SOCKET_OPTIONS } from "./_netlink_socket_options.ts";

const GENERIC_REQUEST_OPTIONS = ["name", "flags", "version", "attributes", "keep"];

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

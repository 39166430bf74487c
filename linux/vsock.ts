/**
 * The local context id (CID) of a virtual machine socket (`AF_VSOCK`) endpoint, read with the seed's `ioctl`
 * on `/dev/vsock`.
 *
 * @module
 */
import { type Fd, ioctl, nameIoctls, openFd, SyscallError } from "../ffi/mod.ts";
import { _IO } from "./ioctl_numbers.ts";
import { O } from "./open_flags.ts";
import { requireLinux } from "./_platform.ts";
import { checkOptions } from "../structs/_internal.ts";

/** `IOCTL_VM_SOCKETS_GET_LOCAL_CID` (linux/vm_sockets.h): `_IO(7, 0xb9)`; the argument is a `__u32 *`. */
export const IOCTL_VM_SOCKETS_GET_LOCAL_CID: number = _IO(7, 0xb9);
// An _IO request that writes a __u32 all the same: its size, for ioctl() to lend it a buffer.
nameIoctls({ IOCTL_VM_SOCKETS_GET_LOCAL_CID: { request: IOCTL_VM_SOCKETS_GET_LOCAL_CID, size: 4 } });

/** Well-known CIDs (linux/vm_sockets.h). */
export const VMADDR_CID = {
  /** Any address, for binding. */
  ANY: 0xffffffff,
  /** The hypervisor. */
  HYPERVISOR: 0,
  /** Local communication, loopback. */
  LOCAL: 1,
  /** The host. */
  HOST: 2,
} as const;

/** Options of `getLocalCid`. */
export interface LocalCidOptions {
  /** The device to ask. Default `/dev/vsock`. */
  device?: string;
}

const DEFAULT_DEVICE = "/dev/vsock";

function explain(error: SyscallError, device: string): SyscallError {
  // The vsock module makes /dev/vsock; a path of the caller's own that is missing says nothing about it.
  const notLoaded = device === DEFAULT_DEVICE ? ": the vsock transport is not loaded" : "";
  const why: Record<string, string> = {
    ENOENT: notLoaded
      ? `${device} does not exist${notLoaded} (modprobe vsock, or a VM without one)`
      : `${device} does not exist`,
    ENODEV: `${device} has no driver behind it${notLoaded}`,
    EACCES: `${device} is not readable by this user (it is usually root-only, mode 0600)`,
    EPERM: `${device} may not be opened by this process`,
    ENOTTY: `${device} is not a vsock device: it does not answer IOCTL_VM_SOCKETS_GET_LOCAL_CID`,
    EINVAL: `${device} is not a vsock device: it does not answer IOCTL_VM_SOCKETS_GET_LOCAL_CID`,
  };
  const reason = why[error.code];
  if (reason === undefined) return error;
  return error.explained(reason, `${error.syscall} ${device}`);
}

/**
 * The local CID of this machine's vsock endpoint: `open("/dev/vsock")`, then
 * `ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid)` into a `u32`, as the seed does.
 *
 * @param options `device`, to ask another device node.
 * @returns The CID: a guest's own number (3 and up), `VMADDR_CID.HOST` (2) on a host, or `VMADDR_CID.ANY`
 * when the transport has none yet.
 * @throws {SyscallError} Naming the call and the device: `ENOENT` when the device is missing (for
 * `/dev/vsock`, the description adds that the vsock transport is not loaded), `EACCES` when it may not be
 * opened, `ENOTTY` when the path is not a vsock device; the description says which in words.
 * @throws {TypeError} When an option's name is unknown.
 *
 * @example This machine's CID
 * ```ts ignore
 * import { getLocalCid } from "./vsock.ts";
 * console.log(getLocalCid()); // e.g. 3
 * ```
 */
export function getLocalCid(options: LocalCidOptions = {}): number {
  requireLinux("getLocalCid");
  checkOptions(options, ["device"], "call", "getLocalCid");
  const device = options.device ?? DEFAULT_DEVICE;
  let fd: Fd;
  try {
    fd = openFd(device, O.RDONLY);
  } catch (error) {
    throw error instanceof SyscallError ? explain(error, device) : error;
  }
  try {
    const cid = new Uint32Array(1);
    ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, cid);
    return cid[0]!;
  } catch (error) {
    throw error instanceof SyscallError ? explain(error, device) : error;
  } finally {
    fd.close();
  }
}

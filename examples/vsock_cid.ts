/**
 * Prints this machine's vsock context id: the seed's `ioctl(IOCTL_VM_SOCKETS_GET_LOCAL_CID)` on /dev/vsock.
 *
 * Run: `deno run -A examples/vsock_cid.ts` or `bun examples/vsock_cid.ts`.
 *
 * @module
 */
import { SyscallError } from "../mod.ts";
import { getLocalCid, IOCTL_VM_SOCKETS_GET_LOCAL_CID, VMADDR_CID } from "../linux/mod.ts";

try {
  const cid = getLocalCid();
  const role = cid === VMADDR_CID.HOST
    ? "the host"
    : cid === VMADDR_CID.ANY
    ? "no CID assigned yet"
    : cid >= 3
    ? "a guest"
    : "a reserved CID";
  console.log(
    `ioctl(/dev/vsock, IOCTL_VM_SOCKETS_GET_LOCAL_CID = 0x${
      IOCTL_VM_SOCKETS_GET_LOCAL_CID.toString(16)
    }) → CID ${cid} (${role})`,
  );
} catch (error) {
  if (!(error instanceof SyscallError)) throw error;
  console.log(`no vsock CID: ${error.message}`);
}

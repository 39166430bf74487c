/**
 * Random bytes in a `pointer` field are any 64-bit address, which the FFI runtime's own pointer codec may refuse
 * (Bun holds a pointer as a number, exact only to 2^53). The tests that read random bytes as layouts run with a
 * codec of their own that keeps every address as it is, and put back the codec in force after, so that their
 * outcome does not depend on whether `ffi/` was loaded earlier in the same process (Bun runs every file in one).
 *
 * @module
 */
import { type Pointer, type PointerCodec, pointerCodec, setPointerCodec } from "../../structs/mod.ts";

class OpaquePointer {
  constructor(readonly address: bigint) {}
}

const opaque: PointerCodec = {
  fromAddress: (address) => address === 0n ? null : new OpaquePointer(address) as unknown as Pointer,
  toAddress(pointer) {
    if (pointer === null) return 0n;
    if (pointer instanceof OpaquePointer) return pointer.address;
    throw new TypeError("Cannot write a pointer the test did not make");
  },
};

/** Runs `body` with pointers kept as opaque addresses, and the codec in force before put back after. */
export function withOpaquePointers(body: () => void): void {
  const before = pointerCodec();
  setPointerCodec(opaque);
  try {
    body();
  } finally {
    setPointerCodec(before);
  }
}

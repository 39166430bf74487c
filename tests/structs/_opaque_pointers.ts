/**
 * Random bytes in a `pointer` field are any 64-bit address, which the FFI runtime's own pointer codec turns into
 * a runtime pointer. The tests that read random bytes as layouts run with
 * the codec `structs/` has on its own, which keeps every address as it is, and put back the codec in force
 * after, so that their outcome does not depend on whether `ffi/` was loaded earlier in the same process (Bun
 * runs every file in one).
 *
 * @module
 */
import { detachedPointerCodec, pointerCodec, setPointerCodec } from "../../structs/_internal.ts";

/** Runs `body` with pointers kept as opaque addresses, and the codec in force before put back after. */
export function withOpaquePointers(body: () => void): void {
  const before = pointerCodec();
  setPointerCodec(detachedPointerCodec);
  try {
    body();
  } finally {
    setPointerCodec(before);
  }
}

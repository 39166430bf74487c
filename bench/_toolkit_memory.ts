/**
 * The toolkit's contestants in the memory suite: its zero-copy view, its copy (fresh and into a reused
 * buffer), and `unsafeReadBytes`, which picks between the two by size.
 *
 * @module
 */
import {
  unsafeCopyFromPointer,
  unsafePointerFromAddress,
  unsafePointerView,
  unsafeReadBytes,
} from "../mod.ts";
import type { Contestant } from "./_harness.ts";
import type { MemoryData } from "./memory.ts";

/**
 * The toolkit's contestants for one block size.
 *
 * @param touch Reads the first and the last byte, the work every contestant does with the bytes.
 * @returns The contestants.
 */
export function toolkitMemoryContestants(touch: (bytes: Uint8Array) => number): Contestant<MemoryData>[] {
  const pointerOf = (address: bigint) => {
    const pointer = unsafePointerFromAddress(address);
    if (pointer === null) throw new Error("the native block is at address 0");
    return pointer;
  };
  return [
    {
      name: "toolkit view (unsafePointerView)",
      technique: "in-place",
      make: ({ address, bytes }) => {
        const pointer = pointerOf(address);
        return () => touch(unsafePointerView(pointer, bytes));
      },
    },
    {
      name: "toolkit copy (unsafeCopyFromPointer)",
      technique: "copy",
      make: ({ address, bytes }) => {
        const pointer = pointerOf(address);
        return () => touch(unsafeCopyFromPointer(pointer, bytes));
      },
    },
    {
      name: "toolkit copy into a reused buffer",
      technique: "copy",
      make: ({ address, bytes }) => {
        const pointer = pointerOf(address);
        const into = new Uint8Array(bytes);
        return () => touch(unsafeCopyFromPointer(pointer, bytes, { into }));
      },
    },
    {
      name: "toolkit unsafeReadBytes (picks by size)",
      technique: "toolkit",
      make: ({ address, bytes }) => {
        const pointer = pointerOf(address);
        return () => touch(unsafeReadBytes(pointer, bytes));
      },
    },
  ];
}

/**
 * Native memory: a zero-copy view of memory that native code owns, against copying it into JavaScript,
 * from 64 B to 1 MiB, on each runtime. Each operation gets the bytes and reads the first and the last one,
 * so that neither path is measured doing nothing; the crossover is the size above which the view wins.
 *
 * The baselines are the runtime's own APIs (`Deno.UnsafePointerView`, `bun:ffi`'s `toArrayBuffer`).
 *
 * @module
 */
import type { Contestant, GroupPlan, SuiteContext } from "./_harness.ts";
import { needsLibc } from "./_harness.ts";
import type { RawPointer } from "./_raw_ffi.ts";
import { toolkitMemoryContestants } from "./_toolkit_memory.ts";

/** Block sizes per mode, in bytes. */
export const BLOCK_SIZES: Readonly<Record<"quick" | "full", readonly number[]>> = {
  quick: [64, 4096, 1 << 20],
  full: [64, 256, 1024, 4096, 16384, 65536, 262144, 1 << 20],
};

/** The group title, used by the summary too. */
export const GROUP = "native memory: get the bytes, read first and last";

/** The data of one memory group: a native block of `bytes` bytes from libc's `malloc`, byte `i` holding `i & 0xff`. */
export interface MemoryData {
  bytes: number;
  block: RawPointer;
  address: bigint;
}

function touch(bytes: Uint8Array): number {
  return bytes[0]! + bytes[bytes.length - 1]!;
}

/**
 * The memory suite's groups: one per block size.
 *
 * @param context The worker's mode and raw FFI.
 * @returns The groups, in the order they run.
 */
export function plan(context: SuiteContext): GroupPlan<MemoryData>[] {
  return BLOCK_SIZES[context.quick ? "quick" : "full"].map((size) => {
    const contestants: Contestant<MemoryData>[] = [
      {
        name: "raw runtime view",
        technique: "baseline",
        make: needsLibc(context, (raw, { block }) => () => touch(new Uint8Array(raw.view(block, size)))),
      },
      {
        name: "raw runtime copy",
        technique: "baseline",
        make: needsLibc(context, (raw, { block }) => () => touch(raw.copy(block, size))),
      },
      ...toolkitMemoryContestants(touch),
    ];
    return {
      suite: "memory",
      group: GROUP,
      bytes: size,
      setup(): MemoryData {
        const raw = context.raw;
        if (!raw) throw new Error("the runtime's FFI could not open libc");
        const block = raw.symbols.malloc(size);
        if (raw.address(block) === 0n) throw new Error(`malloc(${size}) failed`);
        const bytes = new Uint8Array(raw.view(block, size));
        for (let i = 0; i < size; i++) bytes[i] = i & 0xff;
        return { bytes: size, block, address: raw.address(block) };
      },
      teardown: ({ block }) => context.raw?.symbols.free(block),
      check: (result) => result === (size - 1) % 256 ? undefined : `${result}, expected ${(size - 1) % 256}`,
      contestants,
    };
  });
}

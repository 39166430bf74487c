/**
 * Question: to read native memory right now, from what size is creating a zero-copy view
 * (`Deno.UnsafePointerView.getArrayBuffer`, Bun's `toArrayBuffer`) faster than a `memcpy` through FFI into a
 * reused buffer?
 *
 * Decided: `unsafeReadBytes()` in `ffi/memory.ts` copies below `VIEW_THRESHOLD` (64 KiB) and views from there
 * on. When decided (Deno 2.9, Bun 1.4): at 64 B a copy took 16 ns on both runtimes and a view 548 on Deno and
 * 178 on Bun; at 256 KiB a view took 1.1 µs against 4.9 for a copy; views won from about 64 KiB.
 *
 * Contestants, at each size from 64 B to 1 MiB of one `malloc` block, in one process: the raw `memcpy` into a
 * reused buffer (baseline), the raw view, the toolkit's copy (`unsafeCopyFromPointer` with `into`), the
 * toolkit's view (`unsafePointerView`) and `unsafeReadBytes`. The probe ends with the crossover (the last
 * size at which the copy wins, the view winning at every size above it) and whether `VIEW_THRESHOLD` falls in
 * it. The same block is read again and again, so a copy reads it from the cache: memory read once costs a
 * copy more, and moves the crossover down if anything.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_bytes_crossover.ts` and
 * `./node_modules/.bin/bun bench/probes/read_bytes_crossover.ts`.
 *
 * @module
 */
import {
  type Pointer,
  unsafeCopyFromPointer,
  unsafePointerFromAddress,
  unsafePointerView,
  unsafeReadBytes,
} from "../../mod.ts";
import { bunFfi } from "./_raw_ffi.ts";
import { report, time, type Timing } from "./_time.ts";

/** `ffi/memory.ts`'s `VIEW_THRESHOLD` as this probe was written (it is private there). */
const VIEW_THRESHOLD = 64 * 1024;
const SIZES = [64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 262144, 1048576];
const BLOCK = SIZES[SIZES.length - 1]!;

interface Raw {
  /** The block's address, for the toolkit's pointer. */
  address: bigint;
  copy(into: Uint8Array, length: number): unknown;
  view(length: number): Uint8Array;
}

/** A filled `malloc` block with the runtime's own copy and view, opened without the toolkit. */
function openRaw(): Raw {
  const bun = bunFfi;
  if (bun) {
    const { malloc, memcpy } = bun.dlopen("libc.so.6", {
      malloc: { args: ["usize"], returns: "ptr" }, // void *malloc(size_t size)
      memcpy: { args: ["ptr", "ptr", "usize"], returns: "ptr" }, // void *memcpy(void *, const void *, size_t)
    }).symbols as Record<string, (...args: unknown[]) => unknown>;
    const block = malloc!(BLOCK) as number;
    new Uint8Array(bun.toArrayBuffer(block, 0, BLOCK)).fill(7);
    return {
      address: BigInt(block),
      copy: (into, length) => memcpy!(into, block, length),
      view: (length) => new Uint8Array(bun.toArrayBuffer(block, 0, length)),
    };
  }
  const { malloc, memcpy } = Deno.dlopen("libc.so.6", {
    malloc: { parameters: ["usize"], result: "pointer" },
    // Deno's fast call takes a 64-bit length only as a BigInt.
    memcpy: { parameters: ["buffer", "pointer", "usize"], result: "pointer" },
  }).symbols;
  const block = malloc(BigInt(BLOCK))!;
  new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(block, BLOCK)).fill(7);
  const lengths = SIZES.map(BigInt);
  return {
    address: BigInt(Deno.UnsafePointer.value(block)),
    copy: (into, length) => memcpy(into, block, lengths[SIZES.indexOf(length)]!),
    view: (length) => new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(block, length)),
  };
}

const raw = openRaw();
const pointer: Pointer = unsafePointerFromAddress(raw.address)!;
const into = new Uint8Array(BLOCK);

const contestants: Record<string, (length: number) => unknown> = {
  "raw memcpy into a reused buffer": (length) => raw.copy(into, length),
  "raw view": (length) => raw.view(length),
  "toolkit unsafeCopyFromPointer(into)": (length) => unsafeCopyFromPointer(pointer, length, { into }),
  "toolkit unsafePointerView": (length) => unsafePointerView(pointer, length),
  "toolkit unsafeReadBytes": (length) => unsafeReadBytes(pointer, length),
};

/**
 * Where `view` starts to beat `copy`, by the best or the median time: the largest size at which the copy
 * still won (or `undefined`) and the smallest size above it, from which the view wins at every size measured.
 */
function crossover(
  results: Map<number, Timing[]>,
  copy: string,
  view: string,
  by: "best" | "median",
): { copyWinsAt: number | undefined; viewWinsFrom: number | undefined } {
  let copyWinsAt: number | undefined;
  for (const size of SIZES) {
    const best = (name: string) => results.get(size)!.find((t) => t.name === name)![by];
    if (best(view) >= best(copy)) copyWinsAt = size;
  }
  const viewWinsFrom = copyWinsAt === undefined ? SIZES[0] : SIZES[SIZES.indexOf(copyWinsAt) + 1];
  return { copyWinsAt, viewWinsFrom };
}

const results = new Map<number, Timing[]>();
for (const size of SIZES) {
  // About 2^22 bytes a round, and no fewer than 20 reads.
  const ops = Math.max(20, Math.min(5000, Math.floor(2 ** 22 / size)));
  const timings = Object.entries(contestants).map(([name, read]) => {
    into.fill(0);
    // The raw memcpy returns its destination's address: its bytes are in `into`.
    const result = read(size);
    const bytes = result instanceof Uint8Array ? result : into.subarray(0, size);
    if (bytes.length !== size || bytes[size - 1] !== 7) throw new Error(`${name}: wrong bytes at ${size}`);
    return time(name, () => {
      let last;
      for (let i = 0; i < ops; i++) last = read(size);
      return last;
    }, { ops, rounds: 21, warmup: 5 });
  });
  results.set(size, timings);
  report(`Reading ${size} bytes of native memory, ns each`, timings);
}
const kib = (size: number | undefined) => size === undefined ? "none" : `${size / 1024} KiB`;
const pairs = [
  ["raw", "raw memcpy into a reused buffer", "raw view"],
  ["toolkit", "toolkit unsafeCopyFromPointer(into)", "toolkit unsafePointerView"],
] as const;
for (const [who, copy, view] of pairs) {
  for (const by of ["best", "median"] as const) {
    const { copyWinsAt, viewWinsFrom } = crossover(results, copy, view, by);
    const inside = viewWinsFrom !== undefined && VIEW_THRESHOLD <= viewWinsFrom &&
      (copyWinsAt === undefined || VIEW_THRESHOLD > copyWinsAt);
    console.log(
      `  ${who}, by the ${by}: the copy last wins at ${kib(copyWinsAt)}, the view wins from ` +
        `${kib(viewWinsFrom)}; VIEW_THRESHOLD (${kib(VIEW_THRESHOLD)}) ${
          inside ? "matches" : "does not match"
        }`,
    );
  }
}

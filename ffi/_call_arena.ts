/**
 * The shared memory a non-blocking call lends to C in place of the caller's buffer: small copies come from
 * 64 KiB `SharedArrayBuffer` slabs cut into size classes and reused call after call, so that a call allocates
 * no shared buffer of its own, and a pool thread learns each slab once (ffi/_call_pool.ts sends it a slab's
 * number per call instead of the buffer; probe: bench/probes/pool_round_trip.ts). Larger copies get a shared
 * buffer of their own, as before.
 *
 * @module
 */

const SLAB_BYTES = 65_536;
/** The size classes, smallest first; a copy above the last gets a buffer of its own. */
const CLASSES = [64, 256, 1024, 4096] as const;

/** Every slab, in the order made: a slab's number is its index. */
export const slabs: SharedArrayBuffer[] = [];
const slabNumbers = new WeakMap<ArrayBufferLike, number>();
const free: Uint8Array[][] = CLASSES.map(() => []);

function classOf(size: number): number {
  for (let c = 0; c < CLASSES.length; c++) if (size <= CLASSES[c]!) return c;
  return -1;
}

/** A view of `size` bytes of shared memory, for one call; give it back with `returnShared` once settled. */
export function borrowShared(size: number): Uint8Array {
  const c = classOf(size);
  if (c < 0) return new Uint8Array(new SharedArrayBuffer(size));
  let chunk = free[c]!.pop();
  if (chunk === undefined) {
    const slab = new SharedArrayBuffer(SLAB_BYTES);
    slabNumbers.set(slab, slabs.length);
    slabs.push(slab);
    const step = CLASSES[c]!;
    for (let at = SLAB_BYTES - step; at > 0; at -= step) free[c]!.push(new Uint8Array(slab, at, step));
    chunk = new Uint8Array(slab, 0, step);
  }
  return size === chunk.byteLength ? chunk : chunk.subarray(0, size);
}

/** Gives back a view `borrowShared` returned: its slab chunk is reused by a later call. */
export function returnShared(view: Uint8Array): void {
  if (!slabNumbers.has(view.buffer)) return; // a buffer of its own: the collector takes it
  const c = classOf(view.byteLength);
  free[c]!.push(
    view.byteLength === CLASSES[c] ? view : new Uint8Array(view.buffer, view.byteOffset, CLASSES[c]),
  );
}

/** The number of the slab `buffer` is, or -1. */
export function slabNumber(buffer: ArrayBufferLike): number {
  return slabNumbers.get(buffer) ?? -1;
}

/**
 * The fuzz suite's bytes: every kind of buffer a caller may pass (ArrayBuffer, SharedArrayBuffer, resizable
 * and length-tracking, typed arrays at offsets, DataViews, detached and shrunk ones), each with guard bytes
 * around the region it exposes, so that a write can be checked to change nothing outside its span.
 */
import type { Bytes } from "../../structs/mod.ts";

/** A region of bytes handed to the library, and how to check it. */
export interface Region {
  /** What the library is given. */
  bytes: Bytes;
  /** Every byte of the underlying buffer (guards included), for snapshots and the guard check. */
  whole: Uint8Array;
  /** Where `bytes` starts in the buffer. */
  start: number;
  /** How many bytes `bytes` covers (0 when it is gone). */
  length: number;
  /** Whether its bytes are still there: false when detached or shrunk below it. */
  live: boolean;
  /** The kind, for messages. */
  kind: string;
  /** Shrinks the buffer under the region to `keep` bytes of it, where it can (resizable buffers). */
  shrink?(keep: number): void;
}

type Resizable = ArrayBuffer & { resize(n: number): void; maxByteLength: number };

function resizableBuffer(length: number, max: number): Resizable {
  return new (ArrayBuffer as unknown as new (n: number, o: object) => Resizable)(length, {
    maxByteLength: max,
  });
}

const KINDS = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "resizable ArrayBuffer",
  "Uint8Array at an offset",
  "Uint16Array at an offset",
  "Float64Array at an offset",
  "DataView at an offset",
  "Uint8Array of a SharedArrayBuffer",
  "length-tracking Uint8Array",
  "fixed Uint8Array of a resizable buffer",
  "DataView of a resizable buffer",
  "detached ArrayBuffer",
  "Uint8Array of a detached buffer",
  "DataView of a detached buffer",
  "Uint8Array shrunk away",
  "DataView shrunk away",
] as const;

/**
 * A region of `length` bytes (rounded up to whole elements for wider typed arrays) of a random kind, filled with
 * `fill` (guards included).
 */
export function makeRegion(
  random: () => number,
  length: number,
  fill: (bytes: Uint8Array) => void,
): Region {
  const kind = KINDS[Math.floor(random() * KINDS.length)]!;
  const guard = 8 * (1 + Math.floor(random() * 3));
  switch (kind) {
    case "ArrayBuffer":
    case "SharedArrayBuffer": {
      const buffer = kind === "ArrayBuffer" ? new ArrayBuffer(length) : new SharedArrayBuffer(length);
      const whole = new Uint8Array(buffer);
      fill(whole);
      return { bytes: buffer, whole, start: 0, length, live: true, kind };
    }
    case "resizable ArrayBuffer": {
      const buffer = resizableBuffer(length, length + 64);
      const whole = new Uint8Array(buffer);
      fill(whole);
      return {
        bytes: buffer,
        get whole() {
          return new Uint8Array(buffer);
        },
        start: 0,
        length,
        live: true,
        kind,
        shrink: (keep) => buffer.resize(keep),
      } as Region;
    }
    case "Uint8Array at an offset":
    case "Uint8Array of a SharedArrayBuffer":
    case "DataView at an offset": {
      const buffer = kind === "Uint8Array of a SharedArrayBuffer"
        ? new SharedArrayBuffer(guard + length + guard)
        : new ArrayBuffer(guard + length + guard);
      const whole = new Uint8Array(buffer);
      fill(whole);
      const bytes = kind === "DataView at an offset"
        ? new DataView(buffer, guard, length)
        : new Uint8Array(buffer, guard, length);
      return { bytes, whole, start: guard, length, live: true, kind };
    }
    case "Uint16Array at an offset":
    case "Float64Array at an offset": {
      const size = kind === "Uint16Array at an offset" ? 2 : 8;
      const elements = Math.ceil(length / size);
      const buffer = new ArrayBuffer(guard + elements * size + guard);
      const whole = new Uint8Array(buffer);
      fill(whole);
      const bytes = size === 2
        ? new Uint16Array(buffer, guard, elements)
        : new Float64Array(buffer, guard, elements);
      return { bytes, whole, start: guard, length: elements * size, live: true, kind };
    }
    case "length-tracking Uint8Array":
    case "fixed Uint8Array of a resizable buffer":
    case "DataView of a resizable buffer": {
      const buffer = resizableBuffer(guard + length + guard, guard + length + guard + 64);
      fill(new Uint8Array(buffer));
      const tracking = kind === "length-tracking Uint8Array";
      // A length-tracking array runs to the buffer's end: no guard after it.
      if (tracking) buffer.resize(guard + length);
      const bytes = tracking
        ? new Uint8Array(buffer, guard)
        : kind === "DataView of a resizable buffer"
        ? new DataView(buffer, guard, length)
        : new Uint8Array(buffer, guard, length);
      return {
        bytes,
        get whole() {
          return new Uint8Array(buffer);
        },
        start: guard,
        length,
        live: true,
        kind,
        shrink: (keep) => buffer.resize(guard + keep),
      } as Region;
    }
    case "detached ArrayBuffer":
    case "Uint8Array of a detached buffer":
    case "DataView of a detached buffer": {
      const buffer = new ArrayBuffer(guard + length + guard);
      const bytes = kind === "detached ArrayBuffer"
        ? buffer
        : kind === "DataView of a detached buffer"
        ? new DataView(buffer, guard, length)
        : new Uint8Array(buffer, guard, length);
      structuredClone(buffer, { transfer: [buffer] });
      return { bytes, whole: new Uint8Array(0), start: 0, length: 0, live: false, kind };
    }
    case "Uint8Array shrunk away":
    case "DataView shrunk away": {
      const buffer = resizableBuffer(guard + length + guard, guard + length + guard);
      const bytes = kind === "DataView shrunk away"
        ? new DataView(buffer, guard, length)
        : new Uint8Array(buffer, guard, length);
      // Below the region's start, or (when it has bytes) inside it.
      buffer.resize(
        length > 1 && random() < 0.5 ? guard + Math.floor(random() * length) : Math.floor(random() * guard),
      );
      return { bytes, whole: new Uint8Array(buffer), start: guard, length: 0, live: false, kind };
    }
  }
}

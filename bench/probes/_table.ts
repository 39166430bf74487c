/**
 * The probes' shared data: a table of rows shaped like `MIB_TCPROW_OWNER_PID` (six `u32`s, 24 bytes: state,
 * local address, local port, remote address, remote port, owning pid), filled as the rows benchmark fills it.
 *
 * @module
 */

/** Bytes per row. */
export const ROW_SIZE = 24;
/** The state whose rows the collect scan keeps (listening). */
export const LISTEN = 5;

/** A table of `n` rows; every twelfth is in state `LISTEN`. */
export function table(n: number): Uint8Array {
  const bytes = new Uint8Array(n * ROW_SIZE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const o = i * ROW_SIZE;
    view.setUint32(o, (i * 7) % 12 + 1, true);
    view.setUint32(o + 4, 0x0100007f, true);
    view.setUint32(o + 8, swap16(1024 + (i * 7919) % 60000), true);
    view.setUint32(o + 12, 0x0a00000a + i, true);
    view.setUint32(o + 16, swap16(443 + (i % 3)), true);
    view.setUint32(o + 20, 1000 + (i % 50000), true);
  }
  return bytes;
}

/** Swaps the two bytes of a 16-bit value (network to host order on a little-endian machine). */
export function swap16(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

/** The sum of every row's pid, by a strided `Uint32Array` loop: the baseline of the sum scans. */
export function stridedPidSum(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  let sum = 0;
  for (let i = 5; i < words.length; i += 6) sum += words[i]!;
  return sum;
}

/** The local ports of the listening rows, by a strided `Uint32Array` loop: the baseline of the collect scans. */
export function stridedCollect(bytes: Uint8Array): number[] {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  const ports: number[] = [];
  for (let i = 0; i < words.length; i += 6) {
    if (words[i] === LISTEN) ports.push(swap16(words[i + 2]! & 0xffff));
  }
  return ports;
}

/** The pid column of a table: from the first row's pid to the last row's, in whole elements, step 6. */
export function pidColumn(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset + 20, (bytes.byteLength >>> 2) - 5);
}

/** A byte per row over the table's first bytes: `probe[i] === undefined` tests that row `i` exists. */
export function rowProbe(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / ROW_SIZE);
}

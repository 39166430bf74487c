/**
 * Text forms of IP addresses stored in network byte order: what kernels and DLLs put in socket tables.
 *
 * @module
 */

/**
 * Formats 4 or 16 bytes as an IP address: a dotted quad, or IPv6 in RFC 5952 form (lower-case hex, the longest
 * run of two or more zero groups written `::`, IPv4-mapped addresses as `::ffff:a.b.c.d`).
 *
 * @param bytes The address in network byte order.
 * @returns The text form.
 * @throws {RangeError} When there are not 4 or 16 bytes.
 *
 * @example Loopback, both families
 * ```ts
 * import { formatIpAddress } from "./inet.ts";
 * console.log(formatIpAddress([127, 0, 0, 1])); // "127.0.0.1"
 * console.log(formatIpAddress([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])); // "::1"
 * ```
 */
export function formatIpAddress(bytes: ArrayLike<number>): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) throw new RangeError(`Cannot format a ${bytes.length}-byte IP address`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  // The longest run of zero groups, if it is at least two long; the first such run on a tie.
  let bestStart = -1, bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

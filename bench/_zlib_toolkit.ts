/**
 * zlib bound with the toolkit's `dlopen`: `compress2` and `uncompress`, the one-call API over a whole buffer,
 * with `uLongf *destLen` passed as a one-element `BigUint64Array`.
 *
 * @module
 */
import { buffer, dlopen, int, type Library, ulong } from "../mod.ts";
import { ZLIB_LEVEL, ZLIB_LIBRARY, type ZlibContestant } from "./_libraries_workload.ts";

const Z_OK = 0;

const symbols = {
  compressBound: { args: [ulong], returns: ulong }, // uLong compressBound(uLong sourceLen)
  // int compress2(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen, int level)
  compress2: { args: [buffer, buffer, buffer, ulong, int], returns: int },
  // int uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen)
  uncompress: { args: [buffer, buffer, buffer, ulong], returns: int },
} as const;

let library: Library<typeof symbols> | undefined;

/**
 * zlib through the toolkit.
 *
 * @returns The contestant.
 * @throws {Error} With zlib's code when a call fails.
 */
export function openToolkitZlib(): ZlibContestant {
  library ??= dlopen(ZLIB_LIBRARY, symbols);
  const { compressBound, compress2, uncompress } = library.symbols;
  const length = new BigUint64Array(1);
  return {
    compress(input) {
      const output = new Uint8Array(Number(compressBound(input.length)));
      length[0] = BigInt(output.length);
      const rc = compress2(output, length, input, input.length, ZLIB_LEVEL);
      if (rc !== Z_OK) throw new Error(`Cannot compress ${input.length} bytes: zlib says ${rc}`);
      return output.subarray(0, Number(length[0]));
    },
    decompress(compressed, size) {
      const output = new Uint8Array(size);
      length[0] = BigInt(size);
      const rc = uncompress(output, length, compressed, compressed.length);
      if (rc !== Z_OK) throw new Error(`Cannot decompress ${compressed.length} bytes: zlib says ${rc}`);
      return output.subarray(0, Number(length[0]));
    },
    close() {},
  };
}

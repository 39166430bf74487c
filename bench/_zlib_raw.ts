/**
 * zlib bound by hand with the runtime's own FFI (`Deno.dlopen`, `bun:ffi`): the same `compress2` and
 * `uncompress` calls as `_zlib_toolkit.ts`, the same one-element `BigUint64Array` for `uLongf *destLen`.
 *
 * @module
 */
import { ZLIB_LEVEL, ZLIB_LIBRARY, type ZlibContestant } from "./_libraries_workload.ts";

const Z_OK = 0;

/** The three calls, as either runtime binds them. */
interface RawZlib {
  compressBound(sourceLength: bigint): bigint | number;
  compress2(
    dest: Uint8Array,
    destLength: BigUint64Array,
    source: Uint8Array,
    sourceLength: bigint,
    level: number,
  ): number;
  uncompress(dest: Uint8Array, destLength: BigUint64Array, source: Uint8Array, sourceLength: bigint): number;
}

interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): { symbols: unknown };
}

// A specifier in a variable, so that `deno check` does not try to resolve Bun's built-in module.
const bunFfiSpecifier = "bun:ffi";

let raw: RawZlib | undefined;

async function bind(): Promise<RawZlib> {
  if ("Bun" in globalThis) {
    const ffi: BunFfi = await import(bunFfiSpecifier);
    return ffi.dlopen(ZLIB_LIBRARY, {
      compressBound: { args: ["u64"], returns: "u64" },
      compress2: { args: ["ptr", "ptr", "ptr", "u64", "i32"], returns: "i32" },
      uncompress: { args: ["ptr", "ptr", "ptr", "u64"], returns: "i32" },
    }).symbols as RawZlib;
  }
  return Deno.dlopen(ZLIB_LIBRARY, {
    compressBound: { parameters: ["u64"], result: "u64" }, // uLong compressBound(uLong sourceLen)
    // int compress2(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen, int level)
    compress2: { parameters: ["buffer", "buffer", "buffer", "u64", "i32"], result: "i32" },
    // int uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen)
    uncompress: { parameters: ["buffer", "buffer", "buffer", "u64"], result: "i32" },
  }).symbols;
}

/**
 * zlib through the runtime's own FFI.
 *
 * @returns The contestant.
 * @throws {Error} With zlib's code when a call fails.
 */
export async function openRawZlib(): Promise<ZlibContestant> {
  const { compressBound, compress2, uncompress } = raw ??= await bind();
  const length = new BigUint64Array(1);
  return {
    compress(input) {
      const output = new Uint8Array(Number(compressBound(BigInt(input.length))));
      length[0] = BigInt(output.length);
      const rc = compress2(output, length, input, BigInt(input.length), ZLIB_LEVEL);
      if (rc !== Z_OK) throw new Error(`Cannot compress ${input.length} bytes: zlib says ${rc}`);
      return output.subarray(0, Number(length[0]));
    },
    decompress(compressed, size) {
      const output = new Uint8Array(size);
      length[0] = BigInt(size);
      const rc = uncompress(output, length, compressed, BigInt(compressed.length));
      if (rc !== Z_OK) throw new Error(`Cannot decompress ${compressed.length} bytes: zlib says ${rc}`);
      return output.subarray(0, Number(length[0]));
    },
    close() {},
  };
}

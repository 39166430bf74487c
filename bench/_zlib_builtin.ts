/**
 * zlib through `node:zlib` (on Deno and on Bun): `deflateSync` and `inflateSync`, which write the same
 * zlib-format stream as `compress2` at the same level. Each runtime brings its own zlib, so this is a
 * reference, not the baseline of the goal.
 *
 * @module
 */
import { deflateSync, inflateSync } from "node:zlib";
import { ZLIB_LEVEL, type ZlibContestant } from "./_libraries_workload.ts";

/**
 * zlib through `node:zlib`.
 *
 * @returns The contestant.
 */
export function openBuiltinZlib(): ZlibContestant {
  return {
    compress: (input) => deflateSync(input, { level: ZLIB_LEVEL }),
    decompress: (compressed) => inflateSync(compressed),
    close() {},
  };
}

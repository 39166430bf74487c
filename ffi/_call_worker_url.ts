/**
 * Where the body of a pool thread of non-blocking calls is: `ffi/_call_worker.js`, beside this module. The
 * built package for Bun (build/bun.ts) puts the body itself here as a `data:` URL, since a bundle there is not
 * told its own location at run time.
 *
 * @module
 */

/** The URL a pool thread's `Worker` starts from. */
export function callWorkerUrl(): URL {
  return new URL("./_call_worker.js", import.meta.url);
}

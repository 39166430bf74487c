/**
 * `bun:ffi` itself, for the Bun backend (ffi/_bun.ts, ffi/_bun_by_value.ts). Imported through a variable so that
 * `deno check` never follows it into Bun's built-in modules; the built package for Bun (build/bun.ts) puts a
 * static import in this module's place, since a bundle with bytecode cannot wait at its top level.
 *
 * @module
 */
const specifier = "bun:ffi";

/** The `bun:ffi` module; each backend file states the part of it it uses. */
const bunFfi: unknown = await import(specifier);
export default bunFfi;

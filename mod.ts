/**
 * ffikit: call C and the kernel from Deno and Bun, and read what they fill in as C structs — by copying rows
 * out or viewing them in place — correct to the byte and as fast as a hand-written typed-array loop.
 *
 * @example The seed's taskstats-style checked cast, over bytes a call filled in
 * ```ts
 * import { buffer, dlopen, i32, struct, u32 } from "./mod.ts";
 * using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
 * const Pair = struct({ a: u32, b: u32 });
 * const view = Pair.cast(new Uint8Array(8));
 * view.a = libc.symbols.getpid();
 * ```
 *
 * @module
 */
export * from "./ffi/mod.ts";
export * from "./structs/mod.ts";

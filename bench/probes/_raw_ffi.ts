/**
 * The runtime's own FFI, without the toolkit, for the ffi probes' baselines: `bun:ffi` on Bun (loaded here
 * once), `Deno.dlopen` on Deno, and the two symbols several probes call raw.
 *
 * @module
 */

/** The part of `bun:ffi` the probes use. */
export interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
    symbols: Record<string, (...args: unknown[]) => unknown>;
    close(): void;
  };
  ptr(view: ArrayBufferView): number;
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
}

// A specifier in a variable, so that `deno check` does not try to resolve Bun's built-in module.
const bunFfiSpecifier = "bun:ffi";
/** `bun:ffi` on Bun; `undefined` on Deno. */
export const bunFfi: BunFfi | undefined = "Bun" in globalThis
  ? await import(bunFfiSpecifier) as BunFfi
  : undefined;

/** `int32_t add(int32_t, int32_t)`. */
export type Add = (a: number, b: number) => number;

/** The fixture's `add` (bench/probes/native/fixture.c at `path`), opened without the toolkit. */
export function rawAdd(path: string): Add {
  if (bunFfi) {
    return bunFfi.dlopen(path, { add: { args: ["i32", "i32"], returns: "i32" } }).symbols.add as Add;
  }
  return Deno.dlopen(path, { add: { parameters: ["i32", "i32"], result: "i32" } }).symbols.add as Add;
}

/** `strlen` declared as returning `i32` (so that no BigInt is made). */
export type Strlen = (s: Uint8Array) => number;

/** libc's `strlen`, opened without the toolkit. Bun takes buffers as `ptr`, as the toolkit passes them. */
export function rawStrlen(): Strlen {
  if (bunFfi) {
    return bunFfi.dlopen("libc.so.6", { strlen: { args: ["ptr"], returns: "i32" } }).symbols.strlen as Strlen;
  }
  return Deno.dlopen("libc.so.6", { strlen: { parameters: ["buffer"], result: "i32" } }).symbols
    .strlen as Strlen;
}

/** Calls `add` `calls` times, each call fed the last one's result, so that no call can be left out. */
export function addLoop(add: Add, calls: number): number {
  let sum = 0;
  for (let i = 0; i < calls; i++) sum = add(sum & 0xffff, i);
  return sum;
}

/**
 * The raw runtime FFI (`Deno.dlopen` or `bun:ffi`), opened directly and not through the toolkit: the
 * baseline of the calls and memory suites and the way the C row references are called.
 *
 * The benchmarks call the functions held here directly (`symbols.add(1, 2)`), so each timed call is the
 * runtime's own foreign call and nothing else.
 *
 * @module
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** An opaque native block: a Deno pointer object or a Bun address. */
export type RawPointer = unknown;

/** The raw symbols of the bench library and libc, with the runtime's own calling conventions. */
export interface RawSymbols {
  add(a: number, b: number): number;
  /** `add_va(int32_t a, ...)` bound as the fixed `(i32, i32)`. */
  add_va(a: number, b: number): number;
  getpid(): number;
  syscall(number: number | bigint): number | bigint;
  strlen(s: Uint8Array): number | bigint;
  /** `memset` declared to return nothing, so that no result pointer is made. */
  memset(block: RawPointer, value: number, length: number | bigint): void;
  /** Deno's own struct result; on Bun, which has none, a hand-written TinyCC shim (`bunDiv`). */
  div?(numerator: number, denominator: number): Uint8Array;
  sum_bytes(bytes: Uint8Array, length: number | bigint): number;
  tcp_sum_owning_pid(rows: Uint8Array, n: number): number;
  tcp_collect_local_ports(rows: Uint8Array, n: number, state: number, out: Uint16Array): number | bigint;
  taskstats_sum_ac_pid(rows: Uint8Array, n: number): number;
  tcp_bytes_sum_owning_pid_and_addresses(rows: Uint8Array, n: number): number;
  taskstats_size(): number;
  taskstats_offset_ac_pid(): number;
  taskstats_offset_ac_utime(): number;
  taskstats_offset_wpcopy_delay_total(): number;
  add_sample(id: number, value: number): number;
  add_samples(samples: Uint8Array, n: number | bigint): number;
  add_columns(ids: Uint32Array, values: Float64Array, n: number | bigint): number;
  /** `qsort` with a raw runtime callback's pointer as the comparator. */
  qsort(base: Int32Array, count: number | bigint, size: number | bigint, compare: RawPointer): void;
  /** libc's allocator, for the memory suite's native blocks. */
  malloc(length: number | bigint): RawPointer;
  free(block: RawPointer): void;
  /** `htons` declared to return a plain `u16`: the caller swaps the bytes back by hand. */
  htons(value: number): number;
  /** `strdup` of a NUL-terminated buffer, its copy as the runtime holds pointers (freed with `free`). */
  strdup(s: Uint8Array): RawPointer;
}

/** The raw library plus the runtime's own ways of reading native memory. */
export interface RawLibrary {
  runtime: "deno" | "bun";
  /** libc's symbols always; the bench library's only when `hasBench`. */
  symbols: RawSymbols;
  /** Whether the C references (built with `cc`) are loaded. */
  hasBench: boolean;
  /** A zero-copy view of native memory (`UnsafePointerView.getArrayBuffer`, `toArrayBuffer`). */
  view(block: RawPointer, length: number): ArrayBuffer;
  /** A copy of native memory into a fresh buffer (`copyInto`; on Bun a view then `slice`). */
  copy(block: RawPointer, length: number): Uint8Array;
  /** The address of a native block, to hand the same memory to the toolkit. */
  address(block: RawPointer): bigint;
  /**
   * `add` called through its address with the runtime's own function-pointer call (`Deno.UnsafeFnPointer`,
   * `bun:ffi`'s `CFunction`); `undefined` without the bench library.
   */
  addThroughPointer?: (a: number, b: number) => number;
  /** The address of `add`, as the runtime holds pointers; `undefined` without the bench library. */
  addPointer?: RawPointer;
  /**
   * A `(const void *, const void *) -> int` callback made with the runtime's own API (`UnsafeCallback`,
   * `JSCallback`), its arguments as the runtime passes them.
   */
  comparator(compare: (a: RawPointer, b: RawPointer) => number): { pointer: RawPointer; close(): void };
  /** Reads an `int32_t` at a pointer the way the runtime's own API does (`UnsafePointerView`, `read.i32`). */
  readI32(pointer: RawPointer): number;
  /** Reads a C string with the runtime's own read (`UnsafePointerView#getCString`, `CString`). */
  readCString(pointer: RawPointer): string;
  /**
   * Reads libc's global `stdout` (a `FILE *`) the runtime's own way: Deno's static entry and
   * `UnsafePointerView#getPointer`; on Bun, which has no statics, its address from `dlsym` then `read.ptr`.
   */
  readStdout(): RawPointer;
  /** The names of `view` and `copy`, for the charts. */
  viewName: string;
  copyName: string;
  close(): void;
}

/** The libc the system calls come from. */
export const LIBC = "libc.so.6";

/** x86-64 and arm64 numbers of `getpid`, for the raw `syscall` baseline. */
export function sysGetpid(): number {
  const arch = (globalThis as { process?: { arch?: string } }).process?.arch;
  if (arch === "x64") return 39;
  if (arch === "arm64") return 172;
  throw new RangeError(`Cannot benchmark syscall(SYS_getpid): no number known for architecture "${arch}"`);
}

interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
    symbols: Record<string, ((...args: unknown[]) => unknown) & { ptr: number }>;
    close(): void;
  };
  CFunction(definition: { ptr: number; args: string[]; returns: string }): (...args: unknown[]) => unknown;
  toArrayBuffer(pointer: unknown, offset: number, length: number): ArrayBuffer;
  read: { i32(pointer: number, offset: number): number; ptr(pointer: number, offset: number): number };
  CString: new (pointer: unknown) => string;
  JSCallback: new (
    fn: (a: unknown, b: unknown) => number,
    definition: { args: string[]; returns: string },
  ) => { ptr: unknown; close(): void };
  cc(options: { source: string; symbols: Record<string, { args: string[]; returns: string }> }): {
    symbols: Record<string, { ptr: number }>;
  };
  linkSymbols(symbols: Record<string, { ptr: number; args: string[]; returns: string }>): {
    symbols: Record<string, (...args: unknown[]) => unknown>;
  };
}

/**
 * libc's `div` on Bun, which has no struct results: a shim compiled by Bun's TinyCC that calls it and writes the
 * `div_t` into an array, called through `linkSymbols()` (as a `bun:ffi` user would write it; `div_t` is two
 * `int`s, one INTEGER eightbyte, which TinyCC passes right).
 */
function bunDiv(
  ffi: BunFfi,
  libc: { symbols: Record<string, unknown> },
): (n: number, d: number) => Uint8Array {
  const address = (libc.symbols.div as { ptr: number }).ptr;
  const file = join(mkdtempSync(join(tmpdir(), "ffikit-bench-")), "div.c");
  writeFileSync(
    file,
    "typedef struct { int quot; int rem; } div_t;\n" +
      "void div_into(void *fn, int n, int d, div_t *out) { *out = ((div_t (*)(int, int))fn)(n, d); }\n",
  );
  const signature = { args: ["ptr", "i32", "i32", "ptr"], returns: "void" };
  const { ptr } = ffi.cc({ source: file, symbols: { div_into: signature } }).symbols.div_into!;
  const divInto = ffi.linkSymbols({ div_into: { ptr, ...signature } }).symbols.div_into!;
  const out = new Uint8Array(8);
  return (n, d) => {
    divInto(address, n, d, out);
    return out;
  };
}

// A specifier in a variable, so that `deno check` does not try to resolve Bun's built-in module.
const bunFfiSpecifier = "bun:ffi";

/**
 * Opens libc and, when it was built, the bench library (from `bench/native/`) with the running runtime's own
 * FFI.
 *
 * @param path The bench library built by `buildNative()`, or `undefined` when there is none.
 * @returns The raw symbols and memory helpers.
 */
export async function openRaw(path: string | undefined): Promise<RawLibrary> {
  if ("Bun" in globalThis) return await openBun(path);
  return openDeno(path);
}

function openDeno(path: string | undefined): RawLibrary {
  const lib = path === undefined ? undefined : Deno.dlopen(path, {
    add: { parameters: ["i32", "i32"], result: "i32" }, // int32_t add(int32_t a, int32_t b)
    add_va: { parameters: ["i32", "i32"], result: "i32" }, // int32_t add_va(int32_t a, ...)
    add_address: { name: "add", type: "pointer" }, // add's own address (a static of type pointer)
    sum_bytes: { parameters: ["buffer", "usize"], result: "u32" }, // (const uint8_t *bytes, size_t length)
    tcp_sum_owning_pid: { parameters: ["buffer", "usize"], result: "f64" },
    tcp_collect_local_ports: { parameters: ["buffer", "usize", "u32", "buffer"], result: "usize" },
    taskstats_sum_ac_pid: { parameters: ["buffer", "usize"], result: "f64" },
    tcp_bytes_sum_owning_pid_and_addresses: { parameters: ["buffer", "usize"], result: "f64" },
    taskstats_size: { parameters: [], result: "u32" },
    taskstats_offset_ac_pid: { parameters: [], result: "u32" },
    taskstats_offset_ac_utime: { parameters: [], result: "u32" },
    taskstats_offset_wpcopy_delay_total: { parameters: [], result: "u32" },
    add_sample: { parameters: ["u32", "f64"], result: "f64" }, // double add_sample(uint32_t id, double value)
    add_samples: { parameters: ["buffer", "usize"], result: "f64" }, // (const struct sample *, size_t n)
    add_columns: { parameters: ["buffer", "buffer", "usize"], result: "f64" }, // (const uint32_t *, const double *, size_t)
  });
  const libc = Deno.dlopen(LIBC, {
    getpid: { parameters: [], result: "i32" }, // pid_t getpid(void)
    syscall: { parameters: ["i64"], result: "i64" }, // long syscall(long number, ...)
    strlen: { parameters: ["buffer"], result: "usize" }, // size_t strlen(const char *s)
    memset: { parameters: ["pointer", "i32", "usize"], result: "void" }, // void *memset(void *s, int c, size_t n)
    div: { parameters: ["i32", "i32"], result: { struct: ["i32", "i32"] } }, // div_t div(int, int)
    // void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
    qsort: { parameters: ["buffer", "usize", "usize", "pointer"], result: "void" },
    malloc: { parameters: ["usize"], result: "pointer" }, // void *malloc(size_t size)
    free: { parameters: ["pointer"], result: "void" }, // void free(void *ptr)
    htons: { parameters: ["u16"], result: "u16" }, // uint16_t htons(uint16_t hostshort)
    strdup: { parameters: ["buffer"], result: "pointer" }, // char *strdup(const char *s)
    stdout: { type: "pointer" }, // extern FILE *stdout (a static: the variable's own address)
  });
  const symbols = { ...lib?.symbols, ...libc.symbols } as unknown as RawSymbols;
  const addPointer = lib?.symbols.add_address as Deno.PointerObject | undefined;
  const stdoutView = new Deno.UnsafePointerView(libc.symbols.stdout as Deno.PointerObject);
  const addFn = addPointer &&
    new Deno.UnsafeFnPointer(addPointer as never, {
      parameters: ["i32", "i32"],
      result: "i32",
    });
  return {
    runtime: "deno",
    symbols,
    hasBench: lib !== undefined,
    ...(addFn ? { addThroughPointer: (a: number, b: number) => addFn.call(a, b), addPointer } : {}),
    view: (block, length) =>
      Deno.UnsafePointerView.getArrayBuffer(block as Deno.PointerObject, length) as ArrayBuffer,
    copy(block, length) {
      const out = new Uint8Array(length);
      new Deno.UnsafePointerView(block as Deno.PointerObject).copyInto(out);
      return out;
    },
    address: (block) => BigInt(Deno.UnsafePointer.value(block as Deno.PointerObject)),
    viewName: "Deno.UnsafePointerView.getArrayBuffer",
    copyName: "Deno.UnsafePointerView#copyInto",
    comparator(compare) {
      const callback = new Deno.UnsafeCallback(
        { parameters: ["pointer", "pointer"], result: "i32" },
        compare as (a: Deno.PointerValue, b: Deno.PointerValue) => number,
      );
      return { pointer: callback.pointer, close: () => callback.close() };
    },
    readI32: (pointer) => new Deno.UnsafePointerView(pointer as Deno.PointerObject).getInt32(0),
    readCString: (pointer) => new Deno.UnsafePointerView(pointer as Deno.PointerObject).getCString(),
    readStdout: () => stdoutView.getPointer(),
    close() {
      lib?.close();
      libc.close();
    },
  };
}

async function openBun(path: string | undefined): Promise<RawLibrary> {
  const ffi: BunFfi = await import(bunFfiSpecifier);
  const lib = path === undefined ? undefined : ffi.dlopen(path, {
    add: { args: ["i32", "i32"], returns: "i32" },
    add_va: { args: ["i32", "i32"], returns: "i32" },
    sum_bytes: { args: ["ptr", "usize"], returns: "u32" },
    tcp_sum_owning_pid: { args: ["ptr", "usize"], returns: "f64" },
    tcp_collect_local_ports: { args: ["ptr", "usize", "u32", "ptr"], returns: "usize" },
    taskstats_sum_ac_pid: { args: ["ptr", "usize"], returns: "f64" },
    tcp_bytes_sum_owning_pid_and_addresses: { args: ["ptr", "usize"], returns: "f64" },
    taskstats_size: { args: [], returns: "u32" },
    taskstats_offset_ac_pid: { args: [], returns: "u32" },
    taskstats_offset_ac_utime: { args: [], returns: "u32" },
    taskstats_offset_wpcopy_delay_total: { args: [], returns: "u32" },
    add_sample: { args: ["u32", "f64"], returns: "f64" },
    add_samples: { args: ["ptr", "usize"], returns: "f64" },
    add_columns: { args: ["ptr", "ptr", "usize"], returns: "f64" },
  });
  const libc = ffi.dlopen(LIBC, {
    getpid: { args: [], returns: "i32" },
    syscall: { args: ["i64"], returns: "i64" },
    strlen: { args: ["ptr"], returns: "usize" },
    memset: { args: ["ptr", "i32", "usize"], returns: "void" },
    qsort: { args: ["ptr", "usize", "usize", "ptr"], returns: "void" },
    malloc: { args: ["usize"], returns: "ptr" },
    free: { args: ["ptr"], returns: "void" },
    div: { args: [], returns: "void" }, // its address, for bunDiv
    htons: { args: ["u16"], returns: "u16" },
    strdup: { args: ["ptr"], returns: "ptr" },
    dlsym: { args: ["ptr", "ptr"], returns: "ptr" }, // void *dlsym(void *handle, const char *symbol)
  });
  const symbols = { ...lib?.symbols, ...libc.symbols, div: bunDiv(ffi, libc) } as unknown as RawSymbols;
  const toArrayBuffer = ffi.toArrayBuffer;
  const addPointer = lib?.symbols.add?.ptr;
  const addFn = addPointer === undefined
    ? undefined
    : ffi.CFunction({ ptr: addPointer, args: ["i32", "i32"], returns: "i32" }) as (
      a: number,
      b: number,
    ) => number;
  const read = ffi.read;
  const CString = ffi.CString;
  // RTLD_DEFAULT is the null handle on glibc: the global scope, where libc's stdout is.
  const stdoutAddress = libc.symbols.dlsym!(null, new TextEncoder().encode("stdout\0")) as number;
  return {
    runtime: "bun",
    symbols,
    hasBench: lib !== undefined,
    ...(addFn ? { addThroughPointer: addFn, addPointer } : {}),
    view: (block, length) => toArrayBuffer(block, 0, length),
    copy: (block, length) => new Uint8Array(toArrayBuffer(block, 0, length)).slice(),
    address: (block) => BigInt(block as number),
    viewName: "bun:ffi toArrayBuffer",
    copyName: "bun:ffi toArrayBuffer + slice",
    comparator(compare) {
      const callback = new ffi.JSCallback(compare, { args: ["ptr", "ptr"], returns: "i32" });
      return { pointer: callback.ptr, close: () => callback.close() };
    },
    readI32: (pointer) => read.i32(pointer as number, 0),
    readCString: (pointer) => new CString(pointer),
    readStdout: () => read.ptr(stdoutAddress, 0),
    close() {
      lib?.close();
      libc.close();
    },
  };
}

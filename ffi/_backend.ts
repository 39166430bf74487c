/**
 * The one interface between the toolkit and a runtime's FFI, and the backend of the running runtime (picked by
 * ffi/_runtime_backend.ts). Nothing else in the code base knows which runtime it runs on.
 *
 * @module
 */
import type { NativeType, Pointer } from "../structs/scalars.ts";
import type { EightbyteClass } from "./_abi_classify.ts";
import type { Revocation } from "./_revoked.ts";
import runtimeBackend from "./_runtime_backend.ts";

/**
 * A struct passed or returned by value, as the C ABI sees it: its members in order (arrays spelled out
 * element by element, bitfields as their storage units), every one at its natural alignment; for a union or a
 * packed struct, other members of the same classification (ffi/_abi_classify.ts).
 */
export interface StructKind {
  readonly struct: readonly (NativeType | StructKind)[];
  /** The struct's own size in bytes. */
  readonly size: number;
  /** The size `struct`'s members make, which the runtime reads and writes: `size` or a few bytes more. */
  readonly bytes: number;
  /** The x86-64 System V classes, one per eightbyte, or `"memory"`; absent on other ABIs. */
  readonly classes?: readonly EightbyteClass[] | "memory";
}
/** How a parameter other than a struct travels, at the runtime level. */
export type ScalarKind = NativeType | "buffer" | "function";
/** How a parameter travels, at the runtime level. */
export type ArgumentKind = ScalarKind | StructKind;
/** How a result travels, at the runtime level. */
export type ResultKind = NativeType | "void" | StructKind;

/** A symbol as the runtime sees it. */
export interface RawSymbol {
  readonly args: readonly ArgumentKind[];
  readonly returns: ResultKind;
  /** Bind it as the runtime's own non-blocking call, returning a promise (Deno only: ffi/nonblocking.ts). */
  readonly nonblocking?: boolean;
}

/** A runtime-level foreign function: arguments and result are the runtime's own representations. */
// deno-lint-ignore no-explicit-any
export type RawFunction = (...args: any[]) => unknown;

/** A library opened by the runtime. */
export interface RawLibrary {
  readonly symbols: Record<string, RawFunction>;
  close(): void;
}

/** A runtime-level callback. */
export interface RawCallback {
  readonly pointer: Pointer;
  close(): void;
}

/** Converts one value between the toolkit's and the runtime's representation. */
export type Converter = (value: unknown) => unknown;

/** What the toolkit needs from a runtime's FFI. */
export interface Backend {
  readonly runtime: "deno" | "bun";
  /** `"linux"`, `"darwin"`, `"windows"`, … */
  readonly os: string;
  /** `"x86_64"` or `"aarch64"`. */
  readonly arch: string;
  /**
   * Whether a new small typed array costs much more than a view of an existing buffer, so that small arrays
   * are better carved out of a shared one. Deno: `new Uint8Array(8)` 570 ns, a view 15 (its V8 keeps no typed
   * array memory on the heap). Bun: 4 ns and 32 (bench/probes/cstring_slab.ts).
   */
  readonly slowSmallArrays: boolean;
  /**
   * Whether the engine tests an index for an integer at no cost in a hot loop (JavaScriptCore), so that a
   * compiled column checks the index that way rather than through its probe array (V8):
   * bench/probes/column_index_check.ts. Handed to `structs/` as an engine hint.
   */
  readonly integerTestIsFree: boolean;
  /**
   * Whether a 64-bit BigInt argument is range-checked as `BigInt.asUintN(64, v) === v` (V8: 8.8 ns against 12.8
   * for two comparisons with the bounds) rather than by the comparisons (JavaScriptCore: 11 against 24):
   * bench/probes/pointer_call_checks.ts.
   */
  readonly bigintByTruncation: boolean;
  /**
   * Whether a generated `T.read()` may leave its checks to a failing `DataView` read (JavaScriptCore: yes; V8:
   * no, one failure in compiled code slows every later read): bench/probes/read_scalar_replacement.ts. Handed to
   * `structs/` as an engine hint.
   */
  readonly readChecksChooseView: boolean;
  /**
   * Whether structs can be passed and returned by value (Deno: yes; Bun: through a C shim on x86-64 System V,
   * ffi/_bun_by_value.ts).
   */
  readonly structsByValue: boolean;
  /**
   * Whether a function taken from a library keeps working after `close()` as long as the library's code stays
   * mapped. Deno: yes, each function owns its symbol and call trampoline (`FunctionData` in
   * ext/ffi/dlfcn.rs). Bun: no, closing a library deletes the compiled code of its functions (`Function.deinit`
   * in src/bun.js/api/ffi.zig).
   */
  readonly functionsOutliveClose: boolean;
  /**
   * Whether a file exists (following links), for the library search. Here rather than through `node:fs`, whose
   * import alone added 36 ms to a Deno process on a loaded machine (docs/runtime-notes.md, "Start-up").
   */
  exists(path: string): boolean;
  /** The current directory. */
  cwd(): string;
  /**
   * Opens a library with these symbols. The runtime's error becomes the `cause` of the toolkit's own, so that
   * nothing outside the backends reads a runtime's words.
   *
   * @throws {LibraryNotFoundError} When the library cannot be loaded (with no `searched`: dlopen adds it).
   * @throws {SymbolNotFoundError} When the library loaded but a symbol is not in it.
   */
  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary;
  /**
   * The conversion a parameter of this kind needs before the call, or `null` for none. A pointer (and a
   * function pointer) is refused once revoked, with a `ClosedError` naming `where`.
   *
   * @param where How errors name the value: `"argument 0 of getpid()"`.
   */
  argumentConverter(kind: ArgumentKind, where?: string): Converter | null;
  /** The conversion a result of this kind needs after the call, or `null` for none. */
  resultConverter(kind: ResultKind): Converter | null;
  /**
   * A `pointer` result as the runtime returns it, read as a C string (`null` for NULL), as `readCString` reads
   * one, with no pointer made: `borrowedCString` results.
   */
  cstringResult: Converter;
  /**
   * Where a pointer arrives as an address to box (Bun): the box of an address known not to be NULL, with no
   * test, for generated code that tests first (a callback's arguments: `ffi/callback.ts`).
   */
  readonly boxAddress?: (address: unknown) => Pointer;
  /**
   * A pointer to an address; throws a `RangeError` for one outside 0 to 2^64 - 1 or one the runtime cannot
   * hold.
   */
  fromAddress(address: bigint): Pointer | null;
  /**
   * The address of a pointer. Here and in `view`, `read` and `readCString`, a revoked pointer is refused with
   * a `ClosedError` naming `where` (`"argument 0 of unsafeRead()"`).
   */
  toAddress(pointer: Pointer | null, where?: string): bigint;
  isPointer(value: unknown): value is Pointer;
  /**
   * A new pointer to the same address, distinct from every other, for an owner (`NativeMemory`, `Callback`) to
   * hand out and later `revoke`; the owner keeps `pointer` itself for its own release.
   */
  own(pointer: Pointer): Pointer;
  /** Ends the use of a pointer made by `own`: from now on the toolkit refuses it wherever it comes back. */
  revoke(pointer: Pointer, why: Revocation): void;
  /** A zero-copy `ArrayBuffer` over native memory. */
  view(pointer: Pointer, byteOffset: number, byteLength: number, where?: string): ArrayBuffer;
  /** Reads one scalar at `pointer + byteOffset`. */
  read(
    pointer: Pointer,
    byteOffset: number,
    type: NativeType,
    where?: string,
  ): number | bigint | boolean | Pointer | null;
  /** Reads a NUL-terminated UTF-8 string. */
  readCString(pointer: Pointer, byteOffset: number, where?: string): string;
  /**
   * Creates a native function pointer that calls `fn`. With `threadSafe`, any thread may call it: the call is
   * run on the JavaScript thread's event loop (ffi/threaded_callback.ts); such a callback does not keep the
   * program running by itself.
   */
  callback(definition: RawSymbol, fn: (...args: never[]) => unknown, threadSafe?: boolean): RawCallback;
  /**
   * A runtime-level function that calls the native function at `pointer` (not null, not revoked) as
   * `definition` says (ffi/function_pointer.ts).
   */
  functionFromPointer(pointer: Pointer, definition: RawSymbol): RawFunction;
  /**
   * The address of a symbol of a library as a pointer (a global variable, or a function), and a `close` that
   * gives back the reference to the library taken for it; `null` when the library has no such symbol
   * (ffi/globals.ts).
   */
  symbolAddress(path: string, name: string): { pointer: Pointer | null; close(): void } | null;
}

/** The backend of the running runtime (ffi/_runtime_backend.ts). */
export const backend: Backend = runtimeBackend;

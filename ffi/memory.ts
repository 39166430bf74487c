/**
 * Native memory: owned allocations, pointers, and reading memory that native code owns.
 *
 * ## Lifetimes, in plain words
 * - `alloc(n)` returns `NativeMemory`: memory that JavaScript owns and native code may keep a pointer to for as
 *   long as the `NativeMemory` is open. `close()` (or `using`) frees it and detaches every view of it, so no
 *   JavaScript read can touch freed memory. Once its `pointer` has been taken, the memory lives until `close()`
 *   and nothing else: native code may hold the address where the garbage collector cannot see it, so memory
 *   whose pointer was handed out and that is never closed is never freed. Memory whose pointer was never taken
 *   is freed by a `FinalizationRegistry` once its views are all unreachable, as a safety net only: no native
 *   code can hold it. The `Pointer` it hands out, and every pointer `unsafeOffsetPointer` derives from it, is
 *   refused by the toolkit once the memory is freed (a call's argument, `unsafeRead`, `unsafeView`,
 *   `unsafePointerView`, a struct field): a `ClosedError`, where a stale pointer once let
 *   `memset` overwrite the next allocation. Native code that kept the address is not protected: that is C's.
 * - A typed array passed as a `buffer` argument is lent for that one call. Native code must not keep the
 *   pointer: the garbage collector may free or the program may transfer the buffer afterwards (seed 003).
 * - A `Pointer` returned by native code is not owned by anyone the toolkit knows; every function that reads
 *   through one is named `unsafe…` and trusts the caller for the length, except `readCString` and
 *   `readWString`, which read a string at a pointer as C does and trust the pointer just the same.
 *
 * @module
 */
import {
  type NativeType,
  type NativeValues,
  type Pointer,
  pointer,
  type Scalar,
  size_t,
} from "../structs/scalars.ts";
import { type NumberScalar, readsNumber, type WideInteger } from "../structs/as_number.ts";
import { numberConversion } from "./_as_number.ts";
import { checkOptions } from "../structs/_internal.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { Infer, View } from "../structs/types.ts";
import { backend } from "./_backend.ts";
import { C_LIBRARY } from "./_system.ts";
import { dlopen, type Library } from "./dlopen.ts";
import { AllocationError, ClosedError } from "./errors.ts";
import { deriveFrom, ownPointer, revokeOwned } from "./_owned_pointers.ts";
import { buffer, void_ } from "./types.ts";

function checkLength(what: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Cannot ${what}: expected an integer ≥ ${min}, got ${value}`);
  }
}

// The C allocator and memcpy, through the toolkit's own dlopen (compiled wrappers, no per-call allocation),
// opened on first use: checking the table at import cost 1-3 ms (docs/runtime-notes.md "Start-up").
const CRT = {
  calloc: { args: [size_t, size_t], returns: pointer }, // void *calloc(size_t nmemb, size_t size)
  free: { args: [pointer], returns: void_ }, // void free(void *ptr)
  memcpy: { args: [buffer, pointer, size_t], returns: pointer }, // void *memcpy(void *dest, const void *src, size_t n)
} as const;

let crtLibrary: Library<typeof CRT> | undefined;

function crt(): Library<typeof CRT>["symbols"] {
  return (crtLibrary ??= dlopen(C_LIBRARY, CRT, { lazy: true })).symbols;
}

// Frees memory whose views all became unreachable without close(), as long as its pointer was never taken. The
// held value holds no JavaScript reference to the memory's ArrayBuffer, only the address. Memory whose
// address C may keep is never freed here: tests/ffi/memory_test.ts ("alloc() memory whose pointer C kept
// outlives every JavaScript reference until close()"), docs/runtime-notes.md.
const finalizer = new FinalizationRegistry<Pointer>((address) => crt().free(address));

// How a pointer to freed memory is refused wherever it comes back (ffi/_revoked.ts).
const FREED = { resource: "the pointer's native memory", state: "was freed" };

/** Memory allocated by the C allocator and owned by JavaScript. */
export class NativeMemory implements Disposable {
  // The allocator's pointer, kept for free(); never handed out.
  #pointer: Pointer | null;
  // The pointer handed out: a distinct value, revoked when the memory is freed.
  #lent: Pointer | null = null;
  #buffer: ArrayBuffer;
  #bytes: Uint8Array;
  #leaked = false;
  #pointerTaken = false;
  /** Size in bytes. */
  readonly byteLength: number;

  /** @internal Use `alloc()`. */
  constructor(pointer: Pointer, byteLength: number) {
    this.#pointer = pointer;
    this.byteLength = byteLength;
    this.#buffer = backend.view(pointer, 0, byteLength);
    this.#bytes = new Uint8Array(this.#buffer);
    finalizer.register(this.#buffer, pointer, this);
  }

  #open(what: string): void {
    if (this.#pointer === null) throw new ClosedError(what, "the native memory", { state: "was freed" });
  }

  /**
   * The pointer to hand to native code, which may keep it until `close()`. Taking it ends the garbage
   * collector's safety net: from then on the memory is freed by `close()` only, however unreachable it becomes.
   * Throws once the memory is freed, and so does every use of the pointer through the toolkit from then on (a
   * call's argument, `unsafeRead`, `unsafePointerView`, …): a `ClosedError` rather than a write into whatever
   * the allocator put there next.
   */
  get pointer(): Pointer {
    this.#open("take the pointer of native memory");
    if (!this.#pointerTaken) {
      this.#pointerTaken = true;
      finalizer.unregister(this);
    }
    return this.#lent ??= ownPointer(this.#pointer!);
  }

  /** A zero-copy view of the whole block. It is detached when the memory is freed. */
  get bytes(): Uint8Array {
    this.#open("view native memory");
    return this.#bytes;
  }

  /** The zero-copy `ArrayBuffer` behind `bytes`, for other typed arrays and `DataView`s. */
  get buffer(): ArrayBuffer {
    this.#open("view native memory");
    return this.#buffer;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#pointer === null;
  }

  /** True if `close()` found the view transferred away and kept the memory rather than free it under a reader. */
  get leaked(): boolean {
    return this.#leaked;
  }

  /**
   * Frees the memory and detaches its views. Safe to call twice.
   *
   * If the view was transferred (`structuredClone(…, { transfer })`, `ArrayBuffer.prototype.transfer`), the new
   * owner of the view still points at this memory; freeing it would hand that reader freed memory, so the
   * memory is kept (`leaked` becomes true) instead.
   */
  close(): void {
    const pointer = this.#pointer;
    if (pointer === null) return;
    this.#pointer = null;
    finalizer.unregister(this);
    if (this.#lent !== null) revokeOwned(this.#lent, FREED);
    if (this.#buffer.detached) {
      this.#leaked = true;
      return;
    }
    this.#buffer.transfer(0);
    crt().free(pointer);
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Allocates zeroed native memory owned by JavaScript.
 *
 * @param byteLength Size in bytes, at least 1.
 * @returns The owned memory; free it with `close()` or `using`.
 * @throws {RangeError} When the size is not a positive safe integer, or larger than the runtime can view
 * (Bun: 2^32 bytes).
 * @throws {AllocationError} When the allocator returns NULL.
 *
 * @example Allocating and filling memory
 * ```ts
 * import { alloc } from "./memory.ts";
 * using memory = alloc(16);
 * memory.bytes.fill(7);
 * console.log(memory.bytes[15]); // 7
 * ```
 */
export function alloc(byteLength: number): NativeMemory {
  checkLength("allocate native memory", byteLength, 1);
  const pointer = crt().calloc(1n, BigInt(byteLength));
  if (pointer === null) throw new AllocationError("calloc", byteLength);
  try {
    return new NativeMemory(pointer, byteLength);
  } catch (error) {
    // The runtime could not make a view of the block: Bun refuses one over 2^32 bytes ("RangeError: Out of
    // memory"), after calloc succeeded.
    crt().free(pointer);
    throw new RangeError(
      `Cannot allocate ${byteLength} bytes with alloc(): this runtime cannot view a block that large`,
      { cause: error },
    );
  }
}

/**
 * Tells whether two pointers hold the same address.
 *
 * @param a A pointer or null.
 * @param b A pointer or null.
 * @returns True when both are null or both point to the same address.
 */
export function pointerEquals(a: Pointer | null, b: Pointer | null): boolean {
  if (a === null || b === null) return a === b;
  return backend.toAddress(a, "argument 0 of pointerEquals()") ===
    backend.toAddress(b, "argument 1 of pointerEquals()");
}

/**
 * The address of a pointer, as a BigInt. Unsafe: an address means nothing once its memory is freed, and the
 * toolkit cannot tie a number to what keeps memory alive. For logging and comparison only.
 *
 * @param pointer The pointer.
 * @returns Its address.
 */
export function unsafePointerAddress(pointer: Pointer | null): bigint {
  return backend.toAddress(pointer, "argument 0 of unsafePointerAddress()");
}

/**
 * Makes a pointer from an address. Unsafe: nothing checks that the address is valid.
 *
 * @param address The address; `0n` gives `null`.
 * @returns The pointer.
 */
export function unsafePointerFromAddress(address: bigint): Pointer | null {
  return backend.fromAddress(address);
}

/**
 * A pointer `byteOffset` bytes past `pointer`. Unsafe: nothing checks the result is inside any allocation.
 * A pointer derived from one the toolkit handed out for memory it owns (`alloc()`'s, a callback's), directly or
 * through other derived pointers, is revoked with it when that memory is freed.
 *
 * @param pointer The base pointer.
 * @param byteOffset The distance in bytes; may be negative.
 * @returns The new pointer.
 */
export function unsafeOffsetPointer(pointer: Pointer, byteOffset: number): Pointer {
  if (!Number.isSafeInteger(byteOffset)) throw new RangeError(`Cannot offset a pointer by ${byteOffset}`);
  const address = backend.toAddress(pointer, "argument 0 of unsafeOffsetPointer()");
  const derived = backend.fromAddress(address + BigInt(byteOffset))!;
  if (derived !== null) deriveFrom(pointer, derived);
  return derived;
}

/**
 * A zero-copy view of memory that native code owns. Unsafe: the caller vouches that `byteLength` bytes are
 * readable at `pointer + byteOffset` for as long as the view is used.
 *
 * @param pointer Start of the memory.
 * @param byteLength Length in bytes, at least 1.
 * @param byteOffset Offset from `pointer`.
 * @returns A `Uint8Array` aliasing the native memory.
 */
export function unsafePointerView(pointer: Pointer, byteLength: number, byteOffset = 0): Uint8Array {
  checkLength("view native memory", byteLength, 1);
  checkLength("view native memory at an offset", byteOffset);
  return new Uint8Array(backend.view(pointer, byteOffset, byteLength, "argument 0 of unsafePointerView()"));
}

const COPY_OPTIONS = ["byteOffset", "into"];

/**
 * Copies native memory into JavaScript. Unsafe: the caller vouches that `byteLength` bytes are readable.
 *
 * @param pointer Start of the memory.
 * @param byteLength Bytes to copy.
 * @param options `byteOffset` from the pointer; `into`, a buffer to copy into (its first `byteLength` bytes).
 * @returns The bytes copied (a fresh array, or the start of `into`).
 * @throws {TypeError} When an option's name is unknown.
 * @throws {RangeError} When `byteLength` or `byteOffset` is not an integer ≥ 0, or `into` is too short.
 */
export function unsafeCopyFromPointer(
  pointer: Pointer,
  byteLength: number,
  options: { byteOffset?: number; into?: Uint8Array } = {},
): Uint8Array {
  // unsafeReadBytes's own options need no check on its hot path.
  if (options !== readOptions) checkOptions(options, COPY_OPTIONS, "call", "unsafeCopyFromPointer");
  checkLength("copy native memory", byteLength);
  const byteOffset = options.byteOffset ?? 0;
  checkLength("copy native memory at an offset", byteOffset);
  const target = options.into ?? new Uint8Array(byteLength);
  if (target.byteLength < byteLength) {
    throw new RangeError(`Cannot copy ${byteLength} bytes into a ${target.byteLength}-byte buffer`);
  }
  // memcpy from NULL crashed both runtimes: refused as every other read through a pointer refuses it.
  if (copySource(pointer) === null) throw new TypeError("Cannot use null as a pointer: expected a Pointer");
  if (byteLength === 0) return target.subarray(0, 0);
  const source = byteOffset === 0 ? pointer : unsafeOffsetPointer(pointer, byteOffset);
  const out = target.byteLength === byteLength ? target : target.subarray(0, byteLength);
  crt().memcpy(out, source, BigInt(byteLength));
  return out;
}

// Refuses a revoked pointer under this function's name, rather than as memcpy()'s argument.
const copySource = backend.argumentConverter("pointer", "argument 0 of unsafeCopyFromPointer()")!;

// Below this size a copy through memcpy into a reused buffer is faster than creating a zero-copy view, on both
// runtimes (64 B: 16 ns against 548 ns on Deno and 178 ns on Bun; 256 KiB: view 1.1 µs against 4.9 µs). Measured
// by bench/memory.ts; see the README's figures.
const VIEW_THRESHOLD = 64 * 1024;
let scratch = new Uint8Array(1024);
const readOptions: { byteOffset: number; into: Uint8Array } = { byteOffset: 0, into: scratch };

/**
 * The bytes at a native pointer, for reading right now, by whichever path is faster for the size on this
 * runtime: a copy into a reused scratch buffer for small blocks, a zero-copy view for large ones. Unsafe: the
 * caller vouches for the length.
 *
 * The result is valid until the next call of `unsafeReadBytes`, and may or may not alias native memory: treat
 * it as read-only, and `slice()` it to keep it.
 *
 * @param pointer Start of the memory.
 * @param byteLength Bytes to read.
 * @param byteOffset Offset from `pointer`.
 * @returns The bytes.
 */
export function unsafeReadBytes(pointer: Pointer, byteLength: number, byteOffset = 0): Uint8Array {
  if (byteLength >= VIEW_THRESHOLD) return unsafePointerView(pointer, byteLength, byteOffset);
  if (scratch.byteLength < byteLength) scratch = new Uint8Array(Math.max(byteLength, scratch.byteLength * 2));
  readOptions.byteOffset = byteOffset;
  readOptions.into = scratch;
  return unsafeCopyFromPointer(pointer, byteLength, readOptions);
}

/** A struct or union type: what `unsafeRead` and `unsafeView` take besides scalars. */
// deno-lint-ignore no-explicit-any
export type PointedLayout = StructType<any> | UnionType<any>;

// Refuses a revoked pointer under the reading function's name.
const layoutSource = backend.argumentConverter("pointer", "argument 0 of unsafeRead()")!;

function checkLayout(type: PointedLayout, what: string): void {
  const kind = typeof type === "object" && type !== null ? (type as { kind?: unknown }).kind : undefined;
  if (kind !== "struct" && kind !== "union") {
    throw new TypeError(
      `Cannot ${what} at a pointer: expected a scalar, struct or union type, got ${String(type)}`,
    );
  }
}

/**
 * Reads one scalar, or copies out one struct or union, at a native pointer. Unsafe: the caller vouches that the
 * memory is readable (`type.size` bytes for a struct, whose own size says how much is read). A pointer the
 * toolkit revoked (freed memory, a closed callback) is refused with a `ClosedError`.
 *
 * @param pointer The pointer.
 * @param type A scalar in host byte order, e.g. `i32`, or a struct or union type.
 * @param byteOffset Offset from `pointer`.
 * @returns The value: for a struct, a plain object as `type.read` gives.
 * @throws {TypeError} When `pointer` is null or no pointer, or `type` is none of those.
 * @throws {ClosedError} When the pointer was revoked.
 *
 * @example Following a linked list
 * ```ts
 * import { alloc, i32, pointer, struct, unsafeRead } from "../mod.ts";
 * const Node = struct({ value: i32, next: pointer });
 * using memory = alloc(Node.size);
 * Node.write(memory.bytes, { value: 7, next: null });
 * const node = unsafeRead(memory.pointer, Node);
 * console.log(node.value, node.next); // 7 null
 * ```
 */
export function unsafeRead<N extends WideInteger>(
  pointer: Pointer,
  type: NumberScalar<N>,
  byteOffset?: number,
): number;
/**
 * Reads one scalar at a native pointer. Unsafe: the caller vouches that the memory is readable.
 *
 * @param pointer The pointer.
 * @param type A scalar in host byte order, e.g. `i32`.
 * @param byteOffset Offset from `pointer`.
 * @returns The value.
 */
export function unsafeRead<N extends NativeType>(
  pointer: Pointer,
  type: Scalar<N>,
  byteOffset?: number,
): NativeValues[N];
/**
 * Copies out one struct or union at a native pointer (`type.size` bytes). Unsafe: the caller vouches that the
 * memory is readable.
 *
 * @param pointer The pointer.
 * @param type A struct or union type.
 * @param byteOffset Offset from `pointer`.
 * @returns A plain object, as `type.read` gives.
 */
export function unsafeRead<T extends PointedLayout>(pointer: Pointer, type: T, byteOffset?: number): Infer<T>;
export function unsafeRead(pointer: Pointer, type: Scalar | PointedLayout, byteOffset = 0): unknown {
  if (type.kind !== "scalar") {
    checkLayout(type, "read");
    checkLength("read native memory at an offset", byteOffset);
    if (layoutSource(pointer) === null) {
      throw new TypeError("Cannot use null as a pointer: expected a Pointer");
    }
    // A copy into the reused scratch buffer, then out into a plain object: no view of native memory is made.
    return type.read(type.size === 0 ? new Uint8Array(0) : unsafeReadBytes(pointer, type.size, byteOffset));
  }
  return readScalar(pointer, type as Scalar, byteOffset);
}

function readScalar(pointer: Pointer, type: Scalar, byteOffset: number): unknown {
  if (type.endian !== "native") {
    throw new TypeError(`Cannot read a "${type.name}" at a pointer: use a host-order type`);
  }
  const value = backend.read(pointer, byteOffset, type.native, "argument 0 of unsafeRead()");
  return readsNumber(type) ? numberConversion(type, `a "${type.name}" at a pointer`, null)!(value) : value;
}

/**
 * A struct or union in place at a native pointer: its fields read and write the native memory. Unsafe: the
 * caller vouches that `type.size` bytes at `pointer + byteOffset` stay valid for as long as the view is used
 * (a struct ending in a flexible array shows its fixed members only). A pointer the toolkit revoked is refused
 * with a `ClosedError`; memory freed after the view was made is not protected: that is C's.
 *
 * @param pointer The pointer.
 * @param type A struct or union type.
 * @param byteOffset Offset from `pointer`.
 * @returns The view, as `type.view` gives.
 * @throws {TypeError} When `pointer` is null or no pointer, or `type` is no struct or union.
 * @throws {ClosedError} When the pointer was revoked.
 *
 * @example Writing a struct in native memory
 * ```ts
 * import { alloc, i32, struct, unsafeView } from "../mod.ts";
 * const Point = struct({ x: i32, y: i32 });
 * using memory = alloc(Point.size);
 * const point = unsafeView(memory.pointer, Point);
 * point.y = 5;
 * console.log(new Int32Array(memory.buffer)[1]); // 5
 * ```
 */
export function unsafeView<T extends PointedLayout>(pointer: Pointer, type: T, byteOffset = 0): View<T> {
  checkLayout(type, "view");
  checkLength("view native memory at an offset", byteOffset);
  const where = "argument 0 of unsafeView()";
  if (type.size === 0) {
    backend.toAddress(pointer, where); // refuses a revoked pointer, and what is no pointer
    if (pointer === null) throw new TypeError("Cannot use null as a pointer: expected a Pointer");
    return type.view(new ArrayBuffer(0)) as View<T>;
  }
  return type.view(backend.view(pointer, byteOffset, type.size, where)) as View<T>;
}

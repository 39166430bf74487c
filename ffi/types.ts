/**
 * The types of foreign calls: which values each argument accepts and what each result returns, derived from a
 * symbol table written once as data.
 *
 * Scalars come from `structs/scalars.ts`; this file adds the types that exist only at a call boundary:
 * `buffer` (JavaScript memory lent to native code for the duration of one call), `functionPointer` (a
 * callback), `void`, and the Windows string-pointer aliases.
 *
 * @module
 */
import type { NativeType, NativeValues, Pointer, Scalar } from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
import type { Infer, InferInput } from "../structs/types.ts";
import type { OwnedStringType } from "./owned_strings.ts";

/** JavaScript memory lent to native code for one call: a `T *` parameter whose bytes JavaScript owns. */
export interface BufferType {
  /** Tells a buffer parameter from the other parameter types. */
  readonly kind: "buffer";
  /** The name shown in errors, e.g. `"buffer"` or `"LPWSTR"`. */
  readonly name: string;
}

/** A C function pointer parameter: pass a `Callback` (or a `Pointer` to a native function). */
export interface FunctionPointerType {
  /** Tells a function pointer parameter from the other parameter types. */
  readonly kind: "function";
  /** The name shown in errors. */
  readonly name: string;
}

/** The `void` result. */
export interface VoidType {
  /** Tells `void` from the other result types. */
  readonly kind: "void";
  /** Always `"void"`. */
  readonly name: "void";
}

function bufferType(name: string): BufferType {
  return Object.freeze({ kind: "buffer", name });
}

/**
 * A `T *` parameter that points into JavaScript memory: a typed array, `DataView`, `ArrayBuffer` or
 * `NativeMemory`. The memory is pinned for the call only; native code must not keep the pointer.
 */
export const buffer: BufferType = bufferType("buffer");
/**
 * Windows `LPCSTR`: pass the bytes of `cstring(s)`. Those are UTF-8, while an "A" function reads its bytes in
 * the ANSI code page (`GetACP()`: 1252 on Western systems and under Wine, 65001 only where UTF-8 was chosen), so
 * only ASCII text reads the same everywhere: `"café"` arrives as `"cafÃ©"` under 1252. Call the "W" function
 * with `wstring(s)` (`LPCWSTR`) for any other text.
 */
export const LPCSTR: BufferType = bufferType("LPCSTR");
/**
 * Windows `LPSTR`: an output buffer of `char`, written in the ANSI code page. `readCString` decodes UTF-8, so
 * only ASCII output reads right (an "A" function's `"é"` is byte 0xE9 under 1252, which UTF-8 reads as U+FFFD).
 */
export const LPSTR: BufferType = bufferType("LPSTR");
/** Windows `LPCWSTR`: pass the code units of `wstring(s)`. */
export const LPCWSTR: BufferType = bufferType("LPCWSTR");
/** Windows `LPWSTR`: an output buffer of `WCHAR`. */
export const LPWSTR: BufferType = bufferType("LPWSTR");
/** C's `const char *` parameter: pass the bytes of `cstring(s)`. */
export const cstringArg: BufferType = bufferType("cstring");

/** A C function pointer parameter. */
export const functionPointer: FunctionPointerType = Object.freeze({ kind: "function", name: "function" });

/** The `void` result type. */
export const void_: VoidType = Object.freeze({ kind: "void", name: "void" });

/**
 * Any type a parameter may be declared with. A scalar with a byte order (`u16be`) takes and returns its value,
 * swapped to or from the host-order integer C passes (`htons(x)` declared to return `u16be` reads back x). A
 * struct is passed by value
 * (Deno only: `bun:ffi` has none; a symbol with one is an error there, or `null` when declared `optional`).
 */
// deno-lint-ignore no-explicit-any
export type ParameterType = Scalar | BufferType | FunctionPointerType | StructType<any>;
/**
 * Any type a result may be declared with; a struct is returned by value (Deno only, as for parameters); an
 * owned string (`ownedCString("free")`) is read and freed in the call.
 */
// deno-lint-ignore no-explicit-any
export type ResultType = Scalar | VoidType | StructType<any> | OwnedStringType;

/** Memory that can be lent to native code for one call. */
export type BufferSource = ArrayBufferView | ArrayBuffer | { readonly bytes: Uint8Array };

/** Something that owns a native pointer and can lend it: `NativeMemory`, `Callback`. */
export interface PointerOwner {
  /** The native pointer it owns and lends. */
  readonly pointer: Pointer;
}

/**
 * The JavaScript values a parameter of machine type `N` accepts: what a result of that type is, and for 64-bit
 * integers a number too, converted to a BigInt before the call (Deno's fast call path takes only BigInts for
 * 64-bit parameters; bench/calls.ts measures the difference).
 */
export type ArgumentValues = {
  [N in NativeType]: NativeValues[N] extends bigint ? bigint | number : NativeValues[N];
};

/** The value a parameter of type `T` accepts. */
export type ArgumentValue<T> = T extends Scalar<infer N extends NativeType> ? ArgumentValues[N]
  : T extends BufferType ? BufferSource | null
  : T extends FunctionPointerType ? PointerOwner | Pointer | null
  // deno-lint-ignore no-explicit-any
  : T extends StructType<any> ? InferInput<T> | ArrayBufferView | ArrayBuffer
  : never;

/** The value a result of type `T` returns (and a callback receives for a parameter of type `T`). */
export type ResultValue<T> = T extends Scalar<infer N extends NativeType> ? NativeValues[N]
  : T extends VoidType ? void
  : T extends OwnedStringType ? string | null
  : T extends BufferType ? Pointer | null
  : T extends FunctionPointerType ? Pointer | null
  // deno-lint-ignore no-explicit-any
  : T extends StructType<any> ? Infer<T>
  : never;

/** The result of a call declared with `errno: true` and no `fails`: Go's `(r1, err)`. */
export interface ErrnoResult<R> {
  /** What the function returned. */
  value: R;
  /** `errno` (on Windows, `GetLastError()`) as the call left it; 0 if it did not set it. */
  errno: number;
}

/** How a symbol is declared in a symbol table. */
export interface SymbolDefinition {
  /** Parameter types, in order. Any arity. */
  readonly args: readonly ParameterType[];
  /** Result type. */
  readonly returns: ResultType;
  /**
   * Capture the thread's error code — `errno`, or `GetLastError()` on Windows — as part of the call. It is
   * reset to 0 before the call and read right after it, before any other JavaScript runs.
   */
  readonly errno?: boolean;
  /**
   * When the call failed: a result value (`-1`, `null`, `0`, `false`, `-1n`) or a predicate. A failing call
   * throws `SyscallError` with the captured error code. Implies `errno: true`. As in C's
   * `ret == (size_t)-1`, a negative value checked against an unsigned result is converted to that type:
   * `fails: -1` matches a `u32`'s 0xffffffff and a `size_t`'s 2^64 - 1.
   */
  readonly fails?: number | bigint | boolean | null | ((result: never) => boolean);
  /** The C symbol to bind, when it differs from the table key (e.g. one C function under two signatures). */
  readonly symbol?: string;
  /**
   * If the symbol is missing, or this runtime cannot call it (a struct by value on Bun), bind `null` instead
   * of throwing.
   */
  readonly optional?: boolean;
}

/** A symbol table: names to definitions. */
export type SymbolTable = Readonly<Record<string, SymbolDefinition>>;

/** The arguments a function with parameter types `A` accepts, in order. */
export type ArgumentList<A extends readonly ParameterType[]> = { [K in keyof A]: ArgumentValue<A[K]> };

/**
 * What a call of a function declared as `D` returns: the result value, or with `errno: true` and no `fails`
 * an `ErrnoResult` that holds it.
 */
export type CallResult<D extends SymbolDefinition> = D extends { readonly fails: unknown }
  ? ResultValue<D["returns"]>
  : D extends { readonly errno: true } ? ErrnoResult<ResultValue<D["returns"]>>
  : ResultValue<D["returns"]>;

/** The JavaScript function a symbol definition becomes. */
export type ForeignFunction<D extends SymbolDefinition> = (
  ...args: ArgumentList<D["args"]>
) => CallResult<D>;

/** The functions of a symbol table; optional symbols may be `null`. */
export type ForeignFunctions<S extends SymbolTable> = {
  readonly [K in keyof S]: S[K] extends { readonly optional: true } ? ForeignFunction<S[K]> | null
    : ForeignFunction<S[K]>;
};

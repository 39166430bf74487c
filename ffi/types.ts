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
import type { NumberScalar } from "../structs/as_number.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { Infer, InferInput, View } from "../structs/types.ts";
import type { BorrowedStringType } from "./borrowed_strings.ts";
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
/**
 * Any type a parameter may be declared with. A scalar with a byte order (`u16be`) takes and returns its value,
 * swapped to or from the host-order integer C passes (`htons(x)` declared to return `u16be` reads back x). A
 * struct or union is passed by value: on Deno by its own FFI, on Bun through a C shim compiled by Bun's TinyCC
 * (x86-64 System V only; elsewhere on Bun a symbol with one is a `ByValueUnsupportedError`, or `null` when
 * declared `optional`). A union, or a packed struct, only on x86-64 System V, where its classification decides
 * how it travels.
 */
// deno-lint-ignore no-explicit-any
export type ParameterType = Scalar | BufferType | FunctionPointerType | StructType<any> | UnionType<any>;
/**
 * Any type a result may be declared with; a struct or union is returned by value (as for parameters); an owned
 * string (`ownedCString("free")`) is read and freed in the call, a borrowed one (`borrowedCString`) read.
 */
export type ResultType =
  | Scalar
  | VoidType
  // deno-lint-ignore no-explicit-any
  | StructType<any>
  // deno-lint-ignore no-explicit-any
  | UnionType<any>
  | OwnedStringType
  | BorrowedStringType;

/** Memory that can be lent to native code for one call. */
export type BufferSource = ArrayBufferView | ArrayBuffer | { readonly bytes: Uint8Array };

/** Something that owns a native pointer and can lend it: `NativeMemory`, `Callback`. */
export interface PointerOwner {
  /** The native pointer it owns and lends. */
  readonly pointer: Pointer;
}

/**
 * The JavaScript values a parameter of machine type `N` accepts: what a result of that type is, and for 64-bit
 * integers a safe integer number too (past 2^53 - 1, `UnsafeIntegerError`), converted to a BigInt before the
 * call (Deno's fast call path takes only BigInts for 64-bit parameters; bench/calls.ts measures the difference).
 */
export type ArgumentValues = {
  [N in NativeType]: NativeValues[N] extends bigint ? bigint | number : NativeValues[N];
};

/** The value a parameter of type `T` accepts. */
export type ArgumentValue<T> = T extends Scalar<infer N extends NativeType> ? ArgumentValues[N]
  : T extends BufferType ? BufferSource | null
  : T extends FunctionPointerType ? PointerOwner | Pointer | null
  // deno-lint-ignore no-explicit-any
  : T extends StructType<any> | UnionType<any> ? InferInput<T> | ArrayBufferView | ArrayBuffer
  : never;

/** The value a result of type `T` returns (and a callback receives for a parameter of type `T`). */
export type ResultValue<T> = T extends NumberScalar ? number
  : T extends Scalar<infer N extends NativeType> ? NativeValues[N]
  : T extends VoidType ? void
  : T extends OwnedStringType ? string | null
  : T extends BorrowedStringType ? string | null
  : T extends BufferType ? Pointer | null
  : T extends FunctionPointerType ? Pointer | null
  // deno-lint-ignore no-explicit-any
  : T extends StructType<any> | UnionType<any> ? Infer<T>
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
   * If the symbol is missing, or this runtime cannot call it (a struct by value on Bun off x86-64), bind `null` instead
   * of throwing.
   */
  readonly optional?: boolean;
  /**
   * Run the call on another thread and return a `Promise` of its result, so that JavaScript goes on while it
   * blocks (ffi/nonblocking.ts: which thread, how many at once, and how lent buffers are kept safe).
   */
  readonly nonblocking?: boolean;
  /**
   * A variadic function (`int printf(const char *, ...)`): `args` is the fixed part, and each call gives the
   * types of its extra arguments first (`printf([f64, i32], format, 1.5, 2)`) or binds them once
   * (`printf.shape(f64, i32)`). C's default promotions apply: `f32` travels as `f64`; `i8`, `u8`, `i16`, `u16`
   * and `bool` as `i32`.
   */
  readonly variadic?: boolean;
}

/**
 * How a global variable is declared in a symbol table (`extern char **environ;`): its address as a `Pointer`,
 * or with `type`, a view of it that reads and writes it in place. It lives as long as the library: after
 * `close()` the pointer is refused with a `ClosedError` and the view's memory is detached.
 */
export interface VariableDefinition {
  /** Tells a variable from a function. */
  readonly variable: true;
  /**
   * The variable's type: a struct or union gives a view of it; a scalar a view with one field, `value`. Without
   * it, the entry is the variable's address.
   */
  // deno-lint-ignore no-explicit-any
  readonly type?: StructType<any> | UnionType<any> | Scalar;
  /** The C symbol, when it differs from the table key. */
  readonly symbol?: string;
  /** If the symbol is missing, bind `null` instead of throwing. */
  readonly optional?: boolean;
}

/** What a variable entry of a symbol table gives: a `Pointer`, or a view of its `type`. */
export type VariableValue<D extends VariableDefinition> = D extends { readonly type: infer T }
  ? T extends Scalar ? View<StructType<{ value: T }>> : View<T>
  : Pointer;

/** A symbol table: names to definitions of functions and global variables. */
export type SymbolTable = Readonly<Record<string, SymbolDefinition | VariableDefinition>>;

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

/** The JavaScript function a symbol definition becomes (a `VariadicFunction` for a variadic one). */
export type ForeignFunction<D extends SymbolDefinition> = D extends { readonly variadic: true }
  ? VariadicFunction<D>
  : (...args: ArgumentList<D["args"]>) => D extends { readonly nonblocking: true } ? Promise<CallResult<D>>
    : CallResult<D>;

/**
 * A variadic function: called with the types of its extra arguments first, or bound to them once with `shape`,
 * which returns a function as fast as a fixed one.
 */
export interface VariadicFunction<D extends SymbolDefinition> {
  /**
   * Calls it with extra arguments of the types `extra` (`[]` for none). The shape of an array of types is
   * looked up once per array: pass a new array, not a changed one, for other types.
   */
  <const E extends readonly ParameterType[]>(
    extra: E,
    ...args: [...ArgumentList<D["args"]>, ...ArgumentList<E>]
  ): CallResult<D>;
  /** The function for one shape of extra arguments, bound once. */
  shape<const E extends readonly ParameterType[]>(
    ...extra: E
  ): (...args: [...ArgumentList<D["args"]>, ...ArgumentList<E>]) => CallResult<D>;
}

/** What an entry of a symbol table gives: a function, or a variable's pointer or view. */
export type ForeignValue<D> = D extends VariableDefinition ? VariableValue<D>
  : D extends SymbolDefinition ? ForeignFunction<D>
  : never;

/** The functions and variables of a symbol table; optional symbols may be `null`. */
export type ForeignFunctions<S extends SymbolTable> = {
  readonly [K in keyof S]: S[K] extends { readonly optional: true } ? ForeignValue<S[K]> | null
    : ForeignValue<S[K]>;
};

/**
 * The Bun backend: `bun:ffi`.
 *
 * Bun represents a pointer as a plain number (a BigInt above 2^53 - 1); the toolkit never hands such a value
 * out. A toolkit `Pointer` on Bun is a box that holds the address in a private field, unboxed only at the call
 * boundary.
 *
 * @module
 */
import type * as NodeFs from "node:fs";
import { MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType, Pointer } from "../structs/scalars.ts";
import type {
  ArgumentKind,
  Backend,
  Converter,
  RawCallback,
  RawLibrary,
  RawSymbol,
  ResultKind,
} from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { LibraryNotFoundError, SymbolNotFoundError, UnsupportedPlatformError } from "./errors.ts";
import { markOwned, markRevoked, revokedError } from "./_revoked.ts";
import { byValueCallback, byValueFunction, hasStruct } from "./_bun_by_value.ts";
import bunFfi from "./_bun_ffi.ts";

// bun:ffi gives and takes an address as a number up to 2^53 - 1, and as a BigInt above (never 0n).
type Address = number | bigint;

/** The subset of `bun:ffi` the toolkit uses. */
interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): RawLibrary;
  toArrayBuffer(address: Address, byteOffset: number, byteLength: number): ArrayBuffer;
  read: Record<string, (address: Address, byteOffset: number) => number | bigint>;
  CString: new (address: Address, byteOffset?: number) => { toString(): string };
  JSCallback: new (
    fn: (...args: never[]) => unknown,
    definition: { args: string[]; returns: string; threadsafe?: boolean },
  ) => { ptr: number | null; close(): void };
  CFunction(definition: { ptr: number; args: string[]; returns: string }): (...args: unknown[]) => unknown;
}

const ffi = bunFfi as BunFfi;

// The address of a revoked box: no address is negative, so the test costs one comparison.
const REVOKED = -1;
let addressOf: (pointer: BunPointer) => Address;
let revokeBox: (pointer: BunPointer) => void;

class BunPointer {
  // Private, so that nothing outside this class can read or change it. Not frozen: it has no property to
  // change, and a frozen box cost 16 ns to make against 1 (bench/probes/pointer_box_freeze.ts).
  #address: Address;
  constructor(address: Address) {
    this.#address = address;
  }
  static {
    addressOf = (pointer) => pointer.#address;
    revokeBox = (pointer) => void (pointer.#address = REVOKED);
  }
  // Prints and serialises as its address (`formatPointer` in ffi/pointer_format.ts). On the prototype, so the
  // box's shape and the call path's `instanceof` and private read are unchanged.
  toJSON(): string {
    return this.#address === REVOKED ? "(revoked pointer)" : `0x${this.#address.toString(16)}`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Pointer ${this.toJSON()}`;
  }
}

function box(address: Address | null): Pointer | null {
  return address === null || address === 0 ? null : new BunPointer(address) as unknown as Pointer;
}

/**
 * The address in a pointer argument. `where` names it when it is revoked; `named` says whether a value that is
 * no pointer is named by `where` too (a call's argument) or as the memory helpers have always named it.
 */
function unbox(value: unknown, where?: string, named = false): Address | null {
  if (value === null) return null;
  if (value instanceof BunPointer) {
    const address = addressOf(value);
    if (address !== REVOKED) return address;
    throw revokedError(value, where ?? "a pointer");
  }
  throw new TypeError(
    !named
      ? `Cannot pass ${describe(value)} as a pointer: expected a Pointer or null`
      : `Cannot pass ${where}: expected a Pointer or null, got ${describe(value)}`,
  );
}

/** The address of a pointer that memory is read through: null is refused, as Deno refuses it. */
function address(pointer: Pointer, where?: string): Address {
  // The box tested here, unbox() only for the errors: part of what a qsort comparator through the toolkit
  // lost, 148 to 108 ns a comparison (docs/runtime-notes.md, bench/probes/callback_target.ts).
  if (pointer instanceof BunPointer) {
    const value = addressOf(pointer);
    if (value !== REVOKED) return value;
  }
  const value = unbox(pointer, where);
  if (value === null) throw new TypeError("Cannot use null as a pointer: expected a Pointer");
  return value;
}

// Buffers travel as "ptr": Bun's "buffer" type refuses null (a NULL `LPCSTR` is common), while "ptr" takes
// typed arrays, DataViews, ArrayBuffers and null at the same speed. The toolkit validates buffers before.
// Function pointers travel as "ptr" too: Bun's "function" type refuses null ("expected a callback ... but got
// undefined/null"), which C takes to clear a stored handler.

function bunType(kind: ArgumentKind | ResultKind): string {
  // A struct travels as a pointer to its bytes, to a C shim (ffi/_bun_by_value.ts).
  if (typeof kind === "object") return "ptr";
  // A buffer and a function pointer travel as pointers; every machine type by its record's name.
  return kind in MACHINE_TYPES ? MACHINE_TYPES[kind as NativeType].bun : kind === "void" ? "void" : "ptr";
}

function toBunSymbols(
  symbols: Record<string, RawSymbol>,
): Record<string, { args: string[]; returns: string }> {
  const out: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, symbol] of Object.entries(symbols)) {
    // A signature with structs is opened for its address alone, and called through its shim.
    out[name] = hasStruct(symbol)
      ? { args: [], returns: "void" }
      : { args: symbol.args.map(bunType), returns: bunType(symbol.returns) };
  }
  return out;
}

const boxPointer: Converter = (value) => box(value as Address | null);

const platform = (globalThis as unknown as {
  process: { platform: string; arch: string; cwd(): string; getBuiltinModule(name: string): unknown };
}).process;

/**
 * A file's size, 0 when there is none: `Bun.file()` answers without node:fs, whose import cost every program
 * 4-27 ms on Bun (docs/runtime-notes.md "Start-up"). node:fs is taken, on first use, only by `exists`.
 */
function fileSize(path: string): number {
  return (globalThis as unknown as { Bun: { file(path: string): { size: number } } }).Bun.file(path).size;
}

interface Loader {
  dlopen(name: Uint8Array, flags: number): number | null;
  dlerror(): number | null;
  dlclose(handle: number): number;
  dlsym(handle: number | null, name: Uint8Array): number | null;
}
let loader: Loader | undefined;

function systemLoader(): Loader {
  const symbols = {
    dlopen: { args: ["ptr", "i32"], returns: "ptr" }, // void *dlopen(const char *filename, int flags)
    dlerror: { args: [], returns: "ptr" }, // char *dlerror(void)
    dlclose: { args: ["ptr"], returns: "i32" }, // int dlclose(void *handle)
    dlsym: { args: ["ptr", "ptr"], returns: "ptr" }, // void *dlsym(void *handle, const char *symbol)
  };
  // glibc moved dl* into libc.so.6 in 2.34; before that they are in libdl.so.2.
  const names = platform.platform === "darwin" ? ["libSystem.B.dylib"] : ["libc.so.6", "libdl.so.2"];
  for (const name of names) {
    try {
      return loader ??= ffi.dlopen(name, symbols).symbols as unknown as Loader;
    } catch {
      // the next one
    }
  }
  throw new LibraryNotFoundError(names.join(" or "), names, { reason: "the system's dlopen() is in none" });
}

const RTLD_LAZY = 1; // Linux and macOS

function isBareName(path: string): boolean {
  return platform.platform !== "win32" && !path.includes("/");
}

/** What the system loader says when it cannot load `path`, or `null` when it can. */
function systemLoadError(path: string): string | null {
  const system = systemLoader();
  const handle = system.dlopen(new TextEncoder().encode(path + "\0"), RTLD_LAZY);
  if (handle !== null && handle !== 0) {
    system.dlclose(handle);
    return null;
  }
  const reason = system.dlerror();
  return reason ? new ffi.CString(reason).toString() : "not found by the system loader";
}

/**
 * bun:ffi's loading error as the toolkit's own. Bun says `Symbol "NAME" not found in "PATH"` for a missing
 * symbol, and `Failed to open library "PATH": ` before the loader's own words for a library it cannot load.
 */
function openError(path: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const symbol = /^Symbol "([^"]+)" not found/.exec(message)?.[1];
  if (symbol !== undefined) return new SymbolNotFoundError(path, symbol, { cause: error });
  if (!message.startsWith("Failed to open library")) return error;
  const reason = message.replace(/^Failed to open library "[^"]*": /, "");
  // For a bare name, Bun's words are about its second try in the current directory: say the loader's.
  const refused = isBareName(path) ? systemLoadError(path) : null;
  return new LibraryNotFoundError(path, [], { cause: error, reason: refused ?? reason });
}

/**
 * Opens a library as Deno and C's dlopen() do: a bare name is never looked for in the current directory. When
 * the system loader cannot find a bare name, bun:ffi tries it again as a path in the current directory ("if
 * that fails, try resolving the filepath relative to the current working directory", src/bun.js/api/ffi.zig),
 * so a library planted there was loaded. When such a file exists, the loader itself is asked first; when the
 * name cannot be loaded, the error says what the loader said of the name rather than of that second path.
 */
function openLibrary(path: string, symbols: Record<string, { args: string[]; returns: string }>): RawLibrary {
  // An empty file there cannot be loaded either, so it needs no check.
  if (
    isBareName(path) && fileSize(`${platform.cwd()}${platform.platform === "win32" ? "\\" : "/"}${path}`) > 0
  ) {
    const refused = systemLoadError(path);
    if (refused !== null) {
      throw new LibraryNotFoundError(path, [], {
        reason: `${refused} (the file in the current directory is not loaded, as Deno and C would not)`,
      });
    }
  }
  try {
    return ffi.dlopen(path, symbols);
  } catch (error) {
    throw openError(path, error);
  }
}

// One reader per machine type, made once, in place of looking up `ffi.read[MACHINE_TYPES[type].bunRead]` on
// every read: part of what a qsort comparator lost (docs/runtime-notes.md, bench/probes/callback_target.ts).
type Reader = (address: Address, byteOffset: number) => number | bigint | boolean | Pointer | null;
const READERS = Object.fromEntries(
  (Object.keys(MACHINE_TYPES) as NativeType[]).map((type): [NativeType, Reader] => {
    const read = ffi.read[MACHINE_TYPES[type].bunRead]!;
    if (type === "bool") return [type, (address, byteOffset) => read(address, byteOffset) !== 0];
    if (type === "pointer") {
      // read.ptr gives a number, exact only to 2^53: a sentinel above that is read again, exactly, as a u64.
      const exact = ffi.read.u64!;
      return [type, (address, byteOffset) => {
        const value = read(address, byteOffset) as number;
        return box((value > Number.MAX_SAFE_INTEGER ? exact(address, byteOffset) : value) as Address);
      }];
    }
    return [type, read];
  }),
) as Record<NativeType, Reader>;

const MAX_SAFE_ADDRESS = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_ADDRESS = 2n ** 64n - 1n;

const backend: Backend = {
  runtime: "bun",
  os: platform.platform === "win32" ? "windows" : platform.platform,
  arch: platform.arch === "x64" ? "x86_64" : platform.arch === "arm64" ? "aarch64" : platform.arch,
  slowSmallArrays: false,
  integerTestIsFree: true,
  bigintByTruncation: false,
  readChecksChooseView: true,
  // The shim spells the ABI out for x86-64 System V only.
  structsByValue: platform.arch === "x64" && platform.platform !== "win32",
  functionsOutliveClose: false,

  exists(path: string): boolean {
    return (platform.getBuiltinModule("node:fs") as typeof NodeFs).existsSync(path);
  },

  cwd(): string {
    return platform.cwd();
  },

  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary {
    // bun:ffi opens nothing for no symbols: ask the system loader, so that a table of none still reports a
    // library that cannot be loaded, as Deno does.
    if (Object.keys(symbols).length === 0 && platform.platform !== "win32") {
      const refused = systemLoadError(path);
      if (refused !== null) throw new LibraryNotFoundError(path, [], { reason: refused });
      return { symbols: {}, close() {} };
    }
    const library = openLibrary(path, toBunSymbols(symbols));
    const shimmed = Object.entries(symbols).filter(([, symbol]) => hasStruct(symbol));
    if (shimmed.length === 0) return library;
    const functions = { ...library.symbols };
    for (const [name, symbol] of shimmed) {
      functions[name] = byValueFunction(symbol, (library.symbols[name] as unknown as { ptr: number }).ptr);
    }
    return { symbols: functions, close: () => library.close() };
  },

  argumentConverter(kind: ArgumentKind, where = "an argument"): Converter | null {
    // A closure per parameter, to name it when a pointer is refused (revoked, or not a pointer at all); its
    // cost against one shared converter: bench/probes/pointer_converter.ts.
    return kind === "pointer" || kind === "function" ? (value) => unbox(value, where, true) : null;
  },

  resultConverter(kind: ResultKind): Converter | null {
    return kind === "pointer" ? boxPointer : null;
  },

  // The address as bun:ffi returns it, never boxed: a box per call was 9 ns of a 27 ns sqlite3_column_text.
  cstringResult: (value) =>
    value === null || value === 0 ? null : new ffi.CString(value as Address).toString(),

  boxAddress: (address: unknown): Pointer => new BunPointer(address as Address) as unknown as Pointer,

  fromAddress(address: bigint): Pointer | null {
    if (typeof address !== "bigint" || address < 0n || address > MAX_ADDRESS) {
      throw new RangeError(
        `Cannot make a pointer from address ${String(address)}: expected a BigInt from 0 to 2^64 - 1`,
      );
    }
    // bun:ffi holds an address up to 2^53 - 1 as a number and a larger one as a BigInt, both ways, exactly
    // (a `ptr` result of (void*)-1 is 18446744073709551615n): tests/ffi/high_pointers_test.ts.
    return box(address > MAX_SAFE_ADDRESS ? address : Number(address));
  },

  toAddress(pointer: Pointer | null, where?: string): bigint {
    return BigInt(unbox(pointer, where) ?? 0);
  },

  isPointer(value: unknown): value is Pointer {
    return value instanceof BunPointer;
  },

  own(pointer: Pointer): Pointer {
    return markOwned(new BunPointer(address(pointer)) as unknown as Pointer);
  },

  revoke(pointer: Pointer, why): void {
    markRevoked(pointer, why);
    if (pointer instanceof BunPointer) revokeBox(pointer);
  },

  view(pointer: Pointer, byteOffset: number, byteLength: number, where?: string): ArrayBuffer {
    return ffi.toArrayBuffer(address(pointer, where), byteOffset, byteLength);
  },

  read(
    pointer: Pointer,
    byteOffset: number,
    type: NativeType,
    where?: string,
  ): number | bigint | boolean | Pointer | null {
    const boxed = pointer instanceof BunPointer ? addressOf(pointer) : REVOKED;
    return READERS[type](boxed !== REVOKED ? boxed : address(pointer, where), byteOffset);
  },

  readCString(pointer: Pointer, byteOffset: number, where?: string): string {
    return new ffi.CString(address(pointer, where), byteOffset).toString();
  },

  callback(definition: RawSymbol, fn: (...args: never[]) => unknown, threadSafe = false): RawCallback {
    const callback = hasStruct(definition) ? byValueCallback(definition, fn) : new ffi.JSCallback(fn, {
      args: definition.args.map(bunType),
      returns: bunType(definition.returns),
      ...(threadSafe ? { threadsafe: true } : {}),
    });
    if (callback.ptr === null) throw new Error("Cannot create callback: Bun returned no function pointer");
    return { pointer: box(callback.ptr)!, close: () => callback.close() };
  },

  functionFromPointer(pointer: Pointer, definition: RawSymbol): (...args: unknown[]) => unknown {
    // TinyCC compiles a call of the address, as for a symbol of dlopen (CFunction is linkSymbols of one).
    // Code lives below 2^47, so a function's address is always a number; a sentinel above 2^53 is no function.
    const at = address(pointer);
    if (typeof at === "bigint") throw new TypeError(`Cannot call a function pointer at 0x${at.toString(16)}`);
    // Structs by value go through the same shim as a symbol's (the address is all the shim needs).
    if (hasStruct(definition)) return byValueFunction(definition, at);
    return ffi.CFunction({
      ptr: at,
      args: definition.args.map(bunType),
      returns: bunType(definition.returns),
    });
  },

  symbolAddress(path: string, name: string): { pointer: Pointer | null; close(): void } | null {
    // bun:ffi has no statics: the system loader's own dlopen and dlsym, which the library's reference count
    // shares with bun:ffi's dlopen of the same path.
    if (platform.platform === "win32") {
      throw new UnsupportedPlatformError("a global variable on Bun", "posix", "windows");
    }
    const system = systemLoader();
    const encoder = new TextEncoder();
    const handle = system.dlopen(encoder.encode(path + "\0"), RTLD_LAZY);
    if (handle === null || handle === 0) {
      throw new LibraryNotFoundError(path, [], { reason: systemLoadError(path) ?? "not found" });
    }
    const found = system.dlsym(handle, encoder.encode(name + "\0"));
    if (found === null || found === 0) {
      system.dlclose(handle);
      return null;
    }
    // As the loader binds the library's own references: the global scope first (RTLD_DEFAULT, 0 on Linux),
    // where Bun's copy relocation of `environ` is, then the library (ffi/_deno_loader.ts says more).
    const global = platform.platform === "linux" ? system.dlsym(0, encoder.encode(name + "\0")) : null;
    return { pointer: box(global || found), close: () => void system.dlclose(handle) };
  },
};

export default backend;

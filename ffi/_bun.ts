/**
 * The Bun backend: `bun:ffi`.
 *
 * Bun represents a pointer as a plain number; the toolkit never hands such a number out. A toolkit `Pointer`
 * on Bun is a frozen box that holds the address under a private symbol, unboxed only at the call boundary.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
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
import { LibraryNotFoundError, SymbolNotFoundError } from "./errors.ts";
import { markRevoked, revokedError } from "./_revoked.ts";

/** The subset of `bun:ffi` the toolkit uses. */
interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): RawLibrary;
  toArrayBuffer(address: number, byteOffset: number, byteLength: number): ArrayBuffer;
  read: Record<string, (address: number, byteOffset: number) => number | bigint>;
  CString: new (address: number, byteOffset?: number) => { toString(): string };
  JSCallback: new (
    fn: (...args: never[]) => unknown,
    definition: { args: string[]; returns: string; threadsafe?: boolean },
  ) => { ptr: number | null; close(): void };
}

const bunFfiSpecifier = "bun:ffi";
const ffi: BunFfi = await import(bunFfiSpecifier);

// The address of a revoked box: no address is negative, so the test costs one comparison.
const REVOKED = -1;
let addressOf: (pointer: BunPointer) => number;
let revokeBox: (pointer: BunPointer) => void;

class BunPointer {
  // Private, so that nothing outside this class can read or change it. Not frozen: it has no property to
  // change, and a frozen box cost 16 ns to make against 1 (bench/probes/pointer_box_freeze.ts).
  #address: number;
  constructor(address: number) {
    this.#address = address;
  }
  static {
    addressOf = (pointer) => pointer.#address;
    revokeBox = (pointer) => void (pointer.#address = REVOKED);
  }
}

function box(address: number | null): Pointer | null {
  return address === null || address === 0 ? null : new BunPointer(address) as unknown as Pointer;
}

/**
 * The address in a pointer argument. `where` names it when it is revoked; `named` says whether a value that is
 * no pointer is named by `where` too (a call's argument) or as the memory helpers have always named it.
 */
function unbox(value: unknown, where?: string, named = false): number | null {
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
function address(pointer: Pointer, where?: string): number {
  const value = unbox(pointer, where);
  if (value === null) throw new TypeError("Cannot use null as a pointer: expected a Pointer");
  return value;
}

// Buffers travel as "ptr": Bun's "buffer" type refuses null (a NULL `LPCSTR` is common), while "ptr" takes
// typed arrays, DataViews, ArrayBuffers and null at the same speed. The toolkit validates buffers before.
// Function pointers travel as "ptr" too: Bun's "function" type refuses null ("expected a callback ... but got
// undefined/null"), which C takes to clear a stored handler.

function bunType(kind: ArgumentKind | ResultKind): string {
  // dlopen refuses structs by value before they get here (`structsByValue`).
  if (typeof kind === "object") throw new TypeError("bun:ffi cannot pass a struct by value");
  // A buffer and a function pointer travel as pointers; every machine type by its record's name.
  return kind in MACHINE_TYPES ? MACHINE_TYPES[kind as NativeType].bun : kind === "void" ? "void" : "ptr";
}

function toBunSymbols(
  symbols: Record<string, RawSymbol>,
): Record<string, { args: string[]; returns: string }> {
  const out: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, symbol] of Object.entries(symbols)) {
    out[name] = { args: symbol.args.map(bunType), returns: bunType(symbol.returns) };
  }
  return out;
}

const boxPointer: Converter = (value) => box(value as number | null);

const platform = (globalThis as unknown as { process: { platform: string; arch: string; cwd(): string } })
  .process;

interface Loader {
  dlopen(name: Uint8Array, flags: number): number | null;
  dlerror(): number | null;
  dlclose(handle: number): number;
}
let loader: Loader | undefined;

function systemLoader(): Loader {
  const symbols = {
    dlopen: { args: ["ptr", "i32"], returns: "ptr" }, // void *dlopen(const char *filename, int flags)
    dlerror: { args: [], returns: "ptr" }, // char *dlerror(void)
    dlclose: { args: ["ptr"], returns: "i32" }, // int dlclose(void *handle)
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
  if (isBareName(path) && existsSync(join(platform.cwd(), path))) {
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

const MAX_EXACT_ADDRESS = 2n ** 53n;
const MAX_ADDRESS = 2n ** 64n - 1n;

const backend: Backend = {
  runtime: "bun",
  os: platform.platform === "win32" ? "windows" : platform.platform,
  arch: platform.arch === "x64" ? "x86_64" : platform.arch === "arm64" ? "aarch64" : platform.arch,
  slowSmallArrays: false,
  integerTestIsFree: true,
  readChecksChooseView: true,
  structsByValue: false,
  functionsOutliveClose: false,

  open(path: string, symbols: Record<string, RawSymbol>): RawLibrary {
    return openLibrary(path, toBunSymbols(symbols));
  },

  argumentConverter(kind: ArgumentKind, where = "an argument"): Converter | null {
    // A closure per parameter, to name it when a pointer is refused (revoked, or not a pointer at all); its
    // cost against one shared converter: bench/probes/pointer_converter.ts.
    return kind === "pointer" || kind === "function" ? (value) => unbox(value, where, true) : null;
  },

  resultConverter(kind: ResultKind): Converter | null {
    return kind === "pointer" ? boxPointer : null;
  },

  fromAddress(address: bigint): Pointer | null {
    if (typeof address !== "bigint" || address < 0n || address > MAX_ADDRESS) {
      throw new RangeError(
        `Cannot make a pointer from address ${String(address)}: expected a BigInt from 0 to 2^64 - 1`,
      );
    }
    if (address > MAX_EXACT_ADDRESS) {
      throw new RangeError(
        `Cannot make a pointer from address ${address} on Bun: bun:ffi holds a pointer as a number, ` +
          "exact only up to 2^53",
      );
    }
    return box(Number(address));
  },

  toAddress(pointer: Pointer | null, where?: string): bigint {
    return BigInt(unbox(pointer, where) ?? 0);
  },

  isPointer(value: unknown): value is Pointer {
    return value instanceof BunPointer;
  },

  own(pointer: Pointer): Pointer {
    return new BunPointer(address(pointer)) as unknown as Pointer;
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
    const value = ffi.read[MACHINE_TYPES[type].bunRead]!(address(pointer, where), byteOffset);
    if (type === "bool") return value !== 0;
    if (type === "pointer") return box(value as number);
    return value;
  },

  readCString(pointer: Pointer, byteOffset: number, where?: string): string {
    return new ffi.CString(address(pointer, where), byteOffset).toString();
  },

  callback(definition: RawSymbol, fn: (...args: never[]) => unknown, threadSafe = false): RawCallback {
    const callback = new ffi.JSCallback(fn, {
      args: definition.args.map(bunType),
      returns: bunType(definition.returns),
      ...(threadSafe ? { threadsafe: true } : {}),
    });
    if (callback.ptr === null) throw new Error("Cannot create callback: Bun returned no function pointer");
    return { pointer: box(callback.ptr)!, close: () => callback.close() };
  },
};

export default backend;

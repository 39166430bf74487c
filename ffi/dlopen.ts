/**
 * `dlopen`: a shared library and its symbols, from a symbol table written once as data.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Scalar } from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
import {
  type ArgumentKind,
  backend,
  type RawFunction,
  type RawLibrary,
  type RawSymbol,
  type ResultKind,
} from "./_backend.ts";
import { bufferArgument, functionArgument } from "./_buffer.ts";
import { ByValueUnsupportedError, structDecoder, structEncoder, structKind } from "./_by_value.ts";
import { compileCall } from "./_call.ts";
import { envVar } from "./_system.ts";
import { LibraryNotFoundError, SymbolNotFoundError } from "./errors.ts";
import type { ForeignFunctions, ParameterType, ResultType, SymbolDefinition, SymbolTable } from "./types.ts";

/** How a library is loaded. */
export interface DlopenOptions {
  /**
   * Load the library and resolve each symbol on first use (Go's `LazyDLL` and `NewProc`). A missing library or
   * symbol is then reported when the symbol is first used.
   */
  lazy?: boolean;
  /**
   * Load only from the system's library directories (Go's `NewLazySystemDLL`): `path` must be a bare file
   * name, and the current directory, `LD_LIBRARY_PATH` and `PATH` are never searched.
   */
  systemOnly?: boolean;
}

// Every runtime library ever opened. Closing a `Library` revokes its symbols but keeps the code mapped: a
// function taken out of `symbols` before `close()` would otherwise jump into unmapped memory, which crashes
// both Deno and Bun (tests/ffi/dlopen_test.ts shows the toolkit refusing it instead).
const opened: RawLibrary[] = [];

function linuxTriplet(): string {
  return backend.arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
}

/**
 * The directories `systemOnly` loading searches, in order: the platform's system library directories.
 *
 * @returns Absolute directory paths.
 */
export function systemLibraryDirectories(): string[] {
  if (backend.os === "windows") {
    const root = envVar("SystemRoot") ?? envVar("SYSTEMROOT") ?? "C:\\Windows";
    return [`${root}\\System32`];
  }
  if (backend.os === "darwin") return ["/usr/lib", "/System/Library/Frameworks"];
  const triplet = linuxTriplet();
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];
}

function defaultSearch(name: string): string[] {
  if (/[\\/]/.test(name)) return [resolve(name)];
  if (backend.os === "windows") {
    return ["the executable's directory", ...systemLibraryDirectories(), "the current directory", "PATH"];
  }
  const variable = backend.os === "darwin" ? "DYLD_LIBRARY_PATH" : "LD_LIBRARY_PATH";
  const fromEnv = (envVar(variable) ?? "").split(":").filter(Boolean).map((d) => `${variable} ${d}`);
  const cache = backend.os === "linux" ? ["/etc/ld.so.cache"] : [];
  return [...fromEnv, ...cache, ...systemLibraryDirectories()];
}

function locateSystemLibrary(name: string): string {
  if (/[\\/]/.test(name) || isAbsolute(name)) {
    throw new TypeError(`Cannot load "${name}" with systemOnly: expected a bare library name, not a path`);
  }
  const directories = systemLibraryDirectories();
  for (const directory of directories) {
    const candidate = backend.os === "windows" ? `${directory}\\${name}` : join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new LibraryNotFoundError(name, directories);
}

function kindOf(type: ParameterType | ResultType, symbol: string, role: string): ArgumentKind | ResultKind {
  if (typeof type !== "object" || type === null || !("kind" in type)) {
    throw new TypeError(
      `Cannot declare ${role} of "${symbol}": expected a type such as i32, got ${String(type)}`,
    );
  }
  // A string switch: JavaScript callers can pass a union, which the types leave out.
  switch (type.kind as string) {
    case "scalar": {
      const scalar = type as Scalar;
      if (scalar.endian !== "native") {
        throw new TypeError(
          `Cannot declare ${role} of "${symbol}" as "${scalar.name}": calls take host byte order`,
        );
      }
      return scalar.native;
    }
    case "buffer":
      return "buffer";
    case "function":
      return "function";
    case "void":
      return "void";
    case "struct":
    case "union":
      return structKind(type as unknown as StructType, backend.structsByValue, `${role} of "${symbol}"`);
  }
  throw new TypeError(
    `Cannot declare ${role} of "${symbol}": unknown type kind "${String((type as { kind: unknown }).kind)}"`,
  );
}

function rawSymbol(name: string, definition: SymbolDefinition): RawSymbol {
  if (typeof definition !== "object" || definition === null || !Array.isArray(definition.args)) {
    throw new TypeError(`Cannot declare symbol "${name}": expected { args: [...], returns: type }`);
  }
  const args = definition.args.map((type, i) => {
    const kind = kindOf(type, name, `argument ${i}`);
    if (kind === "void") throw new TypeError(`Cannot declare argument ${i} of "${name}" as void`);
    return kind as ArgumentKind;
  });
  const returns = kindOf(definition.returns, name, "the result");
  if (returns === "buffer" || returns === "function") {
    throw new TypeError(`Cannot declare the result of "${name}" as "${returns}": declare it as pointer`);
  }
  return { args, returns: returns as ResultKind };
}

function failurePredicate(fails: SymbolDefinition["fails"]): ((result: unknown) => boolean) | null {
  if (fails === undefined) return null;
  if (typeof fails === "function") return fails as (result: unknown) => boolean;
  if (typeof fails === "number" || typeof fails === "bigint") {
    const asNumber = Number(fails);
    const asBigInt = BigInt(fails);
    return (result) => result === asNumber || result === asBigInt;
  }
  return (result) => result === fails;
}

function wrap(name: string, definition: SymbolDefinition, symbol: RawSymbol, raw: RawFunction): RawFunction {
  const checks = symbol.args.map((kind, i) =>
    kind === "buffer"
      ? bufferArgument(name, i)
      : kind === "function"
      ? functionArgument()
      : typeof kind === "object"
      ? structEncoder(definition.args[i] as StructType, `argument ${i} of "${name}"`)
      : null
  );
  return compileCall(raw, {
    name,
    args: symbol.args,
    returns: symbol.returns,
    checks,
    errno: definition.errno === true,
    fails: failurePredicate(definition.fails),
    decode: typeof symbol.returns === "object" ? structDecoder(definition.returns as StructType) : null,
  });
}

/** Classifies a runtime's loading error. */
function loadError(library: string, searched: string[], error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const symbol = /Failed to register symbol ([^\s:]+)/.exec(message)?.[1] ??
    /Symbol "([^"]+)" not found/.exec(message)?.[1];
  if (symbol !== undefined) return new SymbolNotFoundError(library, symbol, { cause: error });
  if (/Could not open library|Failed to open library/.test(message)) {
    return new LibraryNotFoundError(library, searched, { cause: error });
  }
  return new Error(`Cannot load library "${library}": ${message}`, { cause: error });
}

/** A loaded shared library. */
export class Library<S extends SymbolTable> implements Disposable {
  /** The path or name the library was loaded from. */
  readonly path: string;
  /** The library's functions, typed from the symbol table. */
  readonly symbols: ForeignFunctions<S>;
  #closed = false;
  #searched: string[];

  /** @internal Use `dlopen()`. */
  constructor(path: string, table: S, options: DlopenOptions) {
    this.path = options.systemOnly ? locateSystemLibrary(path) : path;
    this.#searched = options.systemOnly ? [this.path] : defaultSearch(path);
    const raws: Record<string, RawSymbol> = {};
    // An optional symbol this runtime cannot call (a struct by value on Bun) is bound as null, like a missing one.
    const unbindable = new Set<string>();
    for (const [name, definition] of Object.entries(table)) {
      try {
        raws[name] = rawSymbol(name, definition);
      } catch (error) {
        if (!(error instanceof ByValueUnsupportedError && definition.optional)) throw error;
        unbindable.add(name);
      }
    }
    const symbols: Record<string, RawFunction | null> = {};
    const bindable = Object.fromEntries(Object.entries(table).filter(([name]) => !unbindable.has(name))) as S;
    for (const name of unbindable) symbols[name] = null;
    if (options.lazy) {
      for (const name of Object.keys(bindable)) {
        Object.defineProperty(symbols, name, {
          configurable: true,
          enumerable: true,
          get: () => {
            const fn = this.#bindOne(name, bindable[name]!, raws[name]!);
            Object.defineProperty(symbols, name, { configurable: true, enumerable: true, value: fn });
            return fn;
          },
        });
      }
    } else {
      this.#bindAll(bindable, raws, symbols);
    }
    this.symbols = symbols as ForeignFunctions<S>;
  }

  #open(symbols: Record<string, RawSymbol>): RawLibrary {
    try {
      const library = backend.open(this.path, symbols);
      opened.push(library);
      return library;
    } catch (error) {
      throw loadError(this.path, this.#searched, error);
    }
  }

  #bindOne(name: string, definition: SymbolDefinition, symbol: RawSymbol): RawFunction | null {
    if (this.#closed) throw new ReferenceError(`Cannot use "${name}": library "${this.path}" is closed`);
    const cName = definition.symbol ?? name;
    try {
      const library = this.#open({ [cName]: symbol });
      return wrap(name, definition, symbol, library.symbols[cName]!);
    } catch (error) {
      if (error instanceof SymbolNotFoundError && definition.optional) return null;
      throw error;
    }
  }

  #bindAll(table: S, raws: Record<string, RawSymbol>, out: Record<string, RawFunction | null>): void {
    // Symbols bound under their own name go in one runtime call; optional and renamed ones are bound one by
    // one, so that a missing optional symbol cannot fail the others.
    const names = Object.keys(table);
    const together = names.filter((name) => !table[name]!.optional && table[name]!.symbol === undefined);
    // Bun cannot open a library with no symbols; one-by-one binding still reports a missing library.
    const library = together.length > 0
      ? this.#open(Object.fromEntries(together.map((n) => [n, raws[n]!])))
      : null;
    for (const name of names) {
      out[name] = together.includes(name)
        ? wrap(name, table[name]!, raws[name]!, library!.symbols[name]!)
        : this.#bindOne(name, table[name]!, raws[name]!);
    }
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Ends the use of the library through this object: every entry of `symbols` throws from now on. The code
   * stays mapped, so a function taken out of `symbols` earlier keeps working instead of crashing the process.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const name of Object.keys(this.symbols)) {
      Object.defineProperty(this.symbols, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          throw new ReferenceError(`Cannot use "${name}": library "${this.path}" is closed`);
        },
      });
    }
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Loads a shared library and binds the symbols of a table. Every function's TypeScript type is derived from
 * the table; any arity.
 *
 * @param path A library name (`"libc.so.6"`, `"kernel32.dll"`) or path.
 * @param symbols The symbol table: `{ name: { args: [...], returns, errno?, fails?, optional? } }`.
 * @param options `lazy` and `systemOnly` loading.
 * @returns The library; its functions are in `symbols`.
 * @throws {LibraryNotFoundError} When the library cannot be loaded (names where it looked).
 * @throws {SymbolNotFoundError} When a non-optional symbol is missing.
 * @throws {TypeError} When the symbol table is malformed.
 *
 * @example Calling getpid from libc
 * ```ts
 * import { dlopen, i32 } from "../mod.ts";
 * using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
 * console.log(libc.symbols.getpid() > 0); // true
 * ```
 */
export function dlopen<const S extends SymbolTable>(
  path: string | URL,
  symbols: S,
  options: DlopenOptions = {},
): Library<S> {
  const file = path instanceof URL ? decodeURIComponent(path.pathname) : path;
  if (typeof file !== "string" || file.length === 0) {
    throw new TypeError(`Cannot load a library: expected a name or path, got ${String(path)}`);
  }
  return new Library(file, symbols, options);
}

/**
 * `dlopen`: a shared library and its symbols, from a symbol table written once as data.
 *
 * @module
 */
import { checkOptions } from "../structs/_internal.ts";
import { backend, type RawFunction, type RawLibrary, type RawSymbol } from "./_backend.ts";
import { defaultSearch, locateSystemLibrary, mapFromSystemDirectory, withSearch } from "./_library_search.ts";
import { rawSymbol, wrap } from "./_symbol_definition.ts";
import { bindVariable, type BoundVariable, isVariable, variableLayout } from "./_global_variable.ts";
import { variadicFunction } from "./_variadic_call.ts";
import { ByValueUnsupportedError, ClosedError, SymbolNotFoundError } from "./errors.ts";
import type { ForeignFunctions, SymbolDefinition, SymbolTable, VariableDefinition } from "./types.ts";

export { systemLibraryDirectories } from "./_library_search.ts";

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
   *
   * On Windows the directory is the one `GetSystemDirectoryW` reports, never `%SystemRoot%`, which whoever
   * starts the process sets; the library is mapped with `LoadLibraryExW(…, LOAD_LIBRARY_SEARCH_SYSTEM32)`, so
   * that the DLLs it imports come from that directory too, and stays mapped for the life of the process.
   */
  systemOnly?: boolean;
}

/**
 * The runtime libraries a `Library` opened, and when they may be closed. A function taken out of `symbols`
 * before `close()` must keep working: calling it once its code is unmapped crashes both Deno and Bun
 * (tests/ffi/dlopen_test.ts shows the toolkit refusing it instead). Keeping every library ever opened, as the
 * toolkit once did, keeps growing; this levels off (about 154 MiB after 80,000 rounds on Deno, after a full
 * collection): bench/probes/dlopen_close_memory.ts.
 *
 * Where functions outlive their runtime library (Deno), one runtime library per path stays open for the life of
 * the process, so that the code stays mapped, and `close()` closes the others at once. Where they do not (Bun),
 * a library's runtime libraries are closed once it is closed and the garbage collector has collected every
 * function taken from it; finalizers run between tasks, so a loop that never yields keeps them until it does.
 */
interface KeepAlive {
  /** The runtime libraries, closed when released. */
  readonly raws: RawLibrary[];
  /** Whether `close()` ran. */
  closed: boolean;
  /** The functions handed out that the garbage collector has not collected yet (Bun). */
  live: number;
}

// The runtime library kept open per path, so that a library's code stays mapped (Deno).
const pinned = new Map<string, RawLibrary>();

// A function handed out is registered here (Bun); once collected, it can no longer be called.
const handedOut = new FinalizationRegistry<KeepAlive>((keep) => {
  keep.live--;
  release(keep);
});

function release(keep: KeepAlive): void {
  if (!keep.closed || keep.live > 0) return;
  for (const raw of keep.raws.splice(0)) raw.close();
}

// The keys of dlopen's options: a misspelt one (`lazzy`) would otherwise be ignored, and the library loaded
// without the loading mode it asked for.
const OPTION_KEYS = ["lazy", "systemOnly"];

/**
 * The symbols bound in one runtime call: those bound under their own name. Optional and renamed ones are bound
 * one by one, so that a missing optional symbol cannot fail the others.
 */
function boundTogether(table: Record<string, SymbolDefinition>): string[] {
  return Object.keys(table).filter((name) => !table[name]!.optional && table[name]!.symbol === undefined);
}

/** A loaded shared library. */
export class Library<S extends SymbolTable> implements Disposable {
  /** The path or name the library was loaded from. */
  readonly path: string;
  /** The library's functions, typed from the symbol table. */
  readonly symbols: ForeignFunctions<S>;
  #closed = false;
  // Where the loader looks, worked out when a load fails: every dlopen() at import paid for it before.
  #searched: () => string[];
  #keep: KeepAlive = { raws: [], closed: false, live: 0 };
  // Lazy binding opens the runtime library once, with every symbol that binds under its own name, at the first
  // use of one of them: `undefined` until then, `null` when that failed on a missing symbol (each is then bound
  // alone, so that only a missing one fails). It opened the library once per symbol before.
  #lazyGroup: Record<string, RawFunction> | null | undefined = undefined;
  // The bare name a systemOnly library was asked by, to map it from the Windows system directory first.
  #systemName: string | null;
  // The global variables bound, released at close() (ffi/_global_variable.ts).
  #variables: BoundVariable[] = [];

  /** @internal Use `dlopen()`. */
  constructor(path: string, table: S, options: DlopenOptions) {
    this.path = options.systemOnly ? locateSystemLibrary(path) : path;
    this.#systemName = options.systemOnly && backend.os === "windows" ? path : null;
    const located = this.path;
    this.#searched = options.systemOnly ? () => [located] : () => defaultSearch(path);
    const raws: Record<string, RawSymbol> = {};
    // An optional symbol this runtime cannot call (a struct by value on Bun off x86-64) is bound as null.
    const unbindable = new Set<string>();
    const variables = Object.keys(table).filter((name) => isVariable(table[name]));
    for (const name of variables) variableLayout(name, table[name] as VariableDefinition);
    const functions = Object.fromEntries(
      Object.entries(table).filter(([name]) => !variables.includes(name)),
    ) as Record<string, SymbolDefinition>;
    for (const [name, definition] of Object.entries(functions)) {
      try {
        raws[name] = rawSymbol(name, definition);
      } catch (error) {
        if (!(error instanceof ByValueUnsupportedError && definition.optional)) throw error;
        unbindable.add(name);
      }
    }
    const symbols: Record<string, RawFunction | null> = {};
    const bindable = Object.fromEntries(
      Object.entries(functions).filter(([name]) => !unbindable.has(name)),
    ) as Record<string, SymbolDefinition>;
    for (const name of unbindable) symbols[name] = null;
    if (options.lazy) {
      const together = boundTogether(bindable);
      for (const name of Object.keys(bindable)) {
        Object.defineProperty(symbols, name, {
          configurable: true,
          enumerable: true,
          get: () => {
            const fn = together.includes(name)
              ? this.#bindLazily(name, bindable, raws, together)
              : this.#bindOne(name, bindable[name]!, raws[name]!);
            Object.defineProperty(symbols, name, { configurable: true, enumerable: true, value: fn });
            return fn;
          },
        });
      }
    } else {
      this.#bindAll(bindable, raws, symbols);
    }
    for (const name of variables) {
      this.#bindVariable(name, table[name] as VariableDefinition, symbols, options);
    }
    this.symbols = symbols as ForeignFunctions<S>;
  }

  /** Binds a global variable, at once or (lazy) at its first use. */
  #bindVariable(
    name: string,
    definition: VariableDefinition,
    symbols: Record<string, unknown>,
    options: DlopenOptions,
  ): void {
    const bind = () => {
      if (this.#closed) throw new ClosedError(`use "${name}"`, `library "${this.path}"`);
      const bound = bindVariable(this.path, name, definition);
      if (bound !== null) this.#variables.push(bound);
      return bound === null ? null : bound.value;
    };
    if (!options.lazy) {
      symbols[name] = bind();
      return;
    }
    Object.defineProperty(symbols, name, {
      configurable: true,
      enumerable: true,
      get: () => {
        const value = bind();
        Object.defineProperty(symbols, name, { configurable: true, enumerable: true, value });
        return value;
      },
    });
  }

  // The deallocators that owned results name (owned_strings.ts) are bound through this.
  #openMore = (symbols: Record<string, RawSymbol>): Record<string, RawFunction> => this.#open(symbols);

  /** The function handed out for a symbol: wrapped, or for a variadic one, its call shapes bound on use. */
  #function(name: string, definition: SymbolDefinition, symbol: RawSymbol, raw: RawFunction): RawFunction {
    if (!definition.variadic) {
      return this.#handOut(wrap(name, definition, symbol, raw, { path: this.path, open: this.#openMore }));
    }
    const cName = definition.symbol ?? name;
    return variadicFunction(name, definition, symbol, (full, shape, extra) => {
      if (this.#closed) throw new ClosedError(`bind a new call shape of "${name}"`, `library "${this.path}"`);
      return this.#handOut(
        wrap(name, full, shape, this.#open({ [cName]: shape })[cName]!, {
          path: this.path,
          extra,
          open: this.#openMore,
        }),
      );
    });
  }

  /** Opens a runtime library and returns its functions, taken out of it. */
  #open(symbols: Record<string, RawSymbol>): Record<string, RawFunction> {
    let library: RawLibrary;
    if (this.#systemName !== null) mapFromSystemDirectory(this.path, this.#systemName);
    try {
      library = backend.open(this.path, symbols);
    } catch (error) {
      throw withSearch(error, this.#searched());
    }
    if (backend.functionsOutliveClose && !pinned.has(this.path)) pinned.set(this.path, library);
    else this.#keep.raws.push(library);
    // The runtime library kept for close() must not keep its functions alive: a function it holds could never
    // be collected, and the library never released (Bun collected none of them while they stayed in there).
    const functions: Record<string, RawFunction> = {};
    for (const name of Object.keys(symbols)) {
      functions[name] = library.symbols[name]!;
      // Deno defines its non-blocking functions as not configurable; it never needed them gone (Bun does).
      Reflect.deleteProperty(library.symbols, name);
    }
    return functions;
  }

  /** Ties a function handed out to the runtime libraries, which stay open while it can be called (Bun). */
  #handOut(fn: RawFunction): RawFunction {
    if (!backend.functionsOutliveClose) {
      handedOut.register(fn, this.#keep);
      this.#keep.live++;
    }
    return fn;
  }

  #bindOne(name: string, definition: SymbolDefinition, symbol: RawSymbol): RawFunction | null {
    if (this.#closed) throw new ClosedError(`use "${name}"`, `library "${this.path}"`);
    const cName = definition.symbol ?? name;
    try {
      const library = this.#open({ [cName]: symbol });
      return this.#function(name, definition, symbol, library[cName]!);
    } catch (error) {
      if (error instanceof SymbolNotFoundError && definition.optional) return null;
      throw error;
    }
  }

  #bindLazily(
    name: string,
    table: Record<string, SymbolDefinition>,
    raws: Record<string, RawSymbol>,
    together: string[],
  ): RawFunction | null {
    if (this.#lazyGroup === undefined) {
      try {
        this.#lazyGroup = this.#open(Object.fromEntries(together.map((n) => [n, raws[n]!])));
      } catch (error) {
        if (!(error instanceof SymbolNotFoundError)) throw error; // a missing library: say so at each use
        this.#lazyGroup = null;
      }
    }
    if (this.#lazyGroup === null) return this.#bindOne(name, table[name]!, raws[name]!);
    return this.#function(name, table[name]!, raws[name]!, this.#lazyGroup[name]!);
  }

  #bindAll(
    table: Record<string, SymbolDefinition>,
    raws: Record<string, RawSymbol>,
    out: Record<string, RawFunction | null>,
  ): void {
    const names = Object.keys(table);
    const together = boundTogether(table);
    // With nothing bound together, one-by-one binding reports a missing library, or with no functions at all,
    // opening it for none.
    const library = together.length > 0 || names.length === 0
      ? this.#open(Object.fromEntries(together.map((n) => [n, raws[n]!])))
      : null;
    for (const name of names) {
      out[name] = together.includes(name)
        ? this.#function(name, table[name]!, raws[name]!, library![name]!)
        : this.#bindOne(name, table[name]!, raws[name]!);
    }
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Ends the use of the library through this object: every entry of `symbols` throws from now on. A function
   * taken out of `symbols` earlier keeps working instead of crashing the process: on Deno the library's code
   * stays mapped for the life of the process (the runtime's other resources are released now); on Bun the
   * runtime library is closed once the garbage collector has collected every such function. A non-blocking call
   * in flight finishes: its code stays mapped (ffi/nonblocking.ts).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const name of Object.keys(this.symbols)) {
      Object.defineProperty(this.symbols, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          throw new ClosedError(`use "${name}"`, `library "${this.path}"`);
        },
      });
    }
    for (const variable of this.#variables.splice(0)) variable.close();
    this.#keep.closed = true;
    release(this.#keep);
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
 * A bare name is looked up as the system loader looks it up, never in the current directory (which Bun's own
 * `dlopen` falls back to). An empty buffer argument reaches C as NULL.
 *
 * Every function checks its arguments before the runtime sees them, on both runtimes: the count (Bun called
 * `abs()` with 0 and both took `abs(1, 2)`), each integer against its type's range (Bun converted 1.5 to 1, NaN
 * and `undefined` to 0, -1 as a `u32` to 4294967295; both wrapped 256 as a `u8` to 0), numbers and booleans by
 * type, buffers, pointers and structs; a `Pointer` to memory or a callback the toolkit freed or closed is
 * refused with a `ClosedError`. The errors name the function and the argument: `Cannot pass argument 0 of
 * abs(): expected an integer from -2147483648 to 2147483647 (i32), got 1.5`. The checks are one branch per call
 * (bench/probes/call_argument_checks.ts).
 *
 * A variadic function is declared by its fixed part with `variadic: true`; each call gives the types of its extra
 * arguments first, or `fn.shape(...types)` binds them once (ffi/_variadic_call.ts says how each ABI is met). A
 * global variable is declared `{ variable: true }` for its address, or `{ variable: true, type }` for a view of
 * it; both live until `close()`, after which the pointer is refused with a `ClosedError` and the view detached.
 *
 * Types are the toolkit's constants (`i32`, `pointer`, `buffer`), not the strings of a raw `Deno.dlopen` or
 * `bun:ffi` table: a table's TypeScript types are derived from the constants, and the two runtimes' names do not
 * mean the same (Bun's `"ptr"` argument takes a typed array, Deno's `"pointer"` does not; Bun's `"cstring"`
 * result is a string whose memory nobody frees). A runtime's name is refused with the constant to write
 * instead: `Cannot declare the result of "getenv" as "cstring": that is a raw Deno.dlopen/bun:ffi type name;
 * write the toolkit's pointer, and read the string with readCString() (null for a NULL result), imported from
 * ffikit`.
 *
 * @param path A library name (`"libc.so.6"`, `"kernel32.dll"`) or path.
 * @param symbols The symbol table: `{ name: { args: [...], returns, errno?, fails?, optional?, variadic? } }`
 * for functions, `{ name: { variable: true, type?, symbol?, optional? } }` for global variables.
 * @param options `lazy` and `systemOnly` loading.
 * @returns The library; its functions are in `symbols`.
 * @throws {LibraryNotFoundError} When the library cannot be loaded (names where it looked).
 * @throws {SymbolNotFoundError} When a non-optional symbol is missing.
 * @throws {TypeError} When the symbol table or the options are malformed (an unknown key included, or a type
 * given as a string such as `"i32"`), or the path or a symbol's C name has a NUL in it.
 * A function throws `TypeError` for a wrong argument count or type, `RangeError` for an integer out of range,
 * and `ClosedError` for a pointer whose memory was freed.
 *
 * @example Calling getpid from libc
 * ```ts
 * import { dlopen, i32 } from "../mod.ts";
 * using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
 * console.log(libc.symbols.getpid() > 0); // true
 * ```
 *
 * @example A variadic function and a global variable
 * ```ts
 * import { buffer, cstring, dlopen, f64, i32, int, pointer, readCString, usize } from "../mod.ts";
 * using libc = dlopen("libc.so.6", {
 *   snprintf: { args: [buffer, usize, buffer], returns: i32, variadic: true }, // int snprintf(char *, size_t, const char *, ...)
 *   stdout: { variable: true, type: pointer }, // extern FILE *stdout
 *   fileno: { args: [pointer], returns: int }, // int fileno(FILE *)
 * });
 * const out = new Uint8Array(32);
 * libc.symbols.snprintf([f64, i32], out, out.length, cstring("%.1f %d"), 2.5, 7);
 * console.log(readCString(out)); // 2.5 7
 * console.log(libc.symbols.fileno(libc.symbols.stdout.value)); // 1
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
  // The loader reads the path up to the first NUL: "libc.so.6\0junk" would load libc.so.6.
  if (file.includes("\0")) {
    throw new TypeError(
      `Cannot load library "${file.replaceAll("\0", "\\0")}": the path has a NUL at index ${
        file.indexOf("\0")
      }`,
    );
  }
  if (typeof symbols !== "object" || symbols === null) {
    throw new TypeError(
      `Cannot load library "${file}": expected a symbol table object, got ${String(symbols)}`,
    );
  }
  checkOptions(options, OPTION_KEYS, "load library", file);
  return new Library(file, symbols, options);
}

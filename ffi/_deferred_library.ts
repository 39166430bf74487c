/**
 * The toolkit's own symbol tables (the C allocator in `memory.ts`, `close`/`open`/`pipe2` in `libc.ts`), opened
 * at the first use of one of their functions rather than at import: `dlopen()` checks every definition and
 * compiles the code that does so, 1-3 ms of a process that imports ffikit and may never allocate
 * (docs/runtime-notes.md "Start-up"). A user's `dlopen()` still checks its table where it is written.
 *
 * @module
 */
import { dlopen } from "./dlopen.ts";
import type { ForeignFunctions, SymbolTable } from "./types.ts";

/**
 * The functions of a known-good symbol table, its library opened (every symbol bound) when one of them is
 * first read. Each property is then a plain value, as `dlopen().symbols`' are.
 */
export function deferredSymbols<const S extends SymbolTable>(path: string, table: S): ForeignFunctions<S> {
  const symbols = {} as Record<string, unknown>;
  const open = (): void => {
    const opened = dlopen(path, table).symbols as Record<string, unknown>;
    for (const name of Object.keys(table)) {
      Object.defineProperty(symbols, name, { value: opened[name], enumerable: true });
    }
  };
  for (const name of Object.keys(table)) {
    Object.defineProperty(symbols, name, {
      get: () => (open(), symbols[name]),
      enumerable: true,
      configurable: true,
    });
  }
  return symbols as ForeignFunctions<S>;
}

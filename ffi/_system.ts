/**
 * The platform's C runtime and the per-thread error cell, bound once, lazily, through the backend.
 *
 * @module
 */
import { backend, type RawFunction, type RawLibrary, type RawSymbol } from "./_backend.ts";
import { environmentVariable } from "../structs/_internal.ts";
import { SymbolNotFoundError } from "./errors.ts";

/** The C library's file name on this platform. */
export const C_LIBRARY: string = backend.os === "windows"
  ? "msvcrt.dll"
  : backend.os === "darwin"
  ? "libSystem.B.dylib"
  : "libc.so.6";

/**
 * An environment variable, or `undefined` when it is unset or the runtime may not read it (Deno without
 * `--allow-env` throws on each key read, not only on `process.env` itself).
 */
export function envVar(name: string): string | undefined {
  // Not through `process.env`: its first touch loads Node's process module on Deno (see `_environment.ts`).
  return environmentVariable(name);
}

const libraries = new Map<string, RawLibrary>();

/** Binds one symbol of a platform library through the backend, cached; `null` if it is missing. */
export function bindSystem(library: string, name: string, symbol: RawSymbol): RawFunction | null {
  const key = `${library}\0${name}\0${symbol.args.join(",")}\0${symbol.returns}`;
  let bound = libraries.get(key);
  if (bound === undefined) {
    try {
      bound = backend.open(library, { [name]: symbol });
    } catch {
      return null;
    }
    libraries.set(key, bound);
  }
  const raw = bound.symbols[name];
  return raw === undefined ? null : adapt(raw, symbol);
}

// System helpers are not on a hot path: a plain wrapper that applies the backend's conversions will do.
function adapt(raw: RawFunction, symbol: RawSymbol): RawFunction {
  const converters = symbol.args.map((kind) => backend.argumentConverter(kind));
  const result = backend.resultConverter(symbol.returns);
  if (result === null && converters.every((c) => c === null)) return raw;
  return (...args: unknown[]) => {
    const r = raw(...args.map((value, i) => converters[i]?.(value) ?? value));
    return result ? result(r) : r;
  };
}

/** Like `bindSystem`, but a missing symbol is an error naming it. */
export function requireSystem(library: string, name: string, symbol: RawSymbol): RawFunction {
  const fn = bindSystem(library, name, symbol);
  if (fn === null) throw new SymbolNotFoundError(library, name);
  return fn;
}

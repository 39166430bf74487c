/**
 * The toolkit's one code-generation policy, for `structs/` (layouts, arrays, columns, cursors, iterators) and
 * `ffi/` (call wrappers): generated code (`new Function`) or the plain path. Every object reads the policy once,
 * when it is made, and keeps that choice; nothing re-decides at first use.
 *
 * Generated code is off where `new Function` is refused (a strict content security policy) and when the
 * environment says `FFIKIT_NO_CODEGEN=1` (read once, at the first object made, through `_environment.ts`). Either way
 * `useGeneratedCode(true)` cannot turn it back on, so a test run with the variable set runs every test on the
 * plain path.
 *
 * @module
 */
import { environmentVariable } from "./_environment.ts";

/** Whether `new Function` works here. */
function canGenerate(): boolean {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}

/** Whether the environment turns generated code off: `FFIKIT_NO_CODEGEN=1`. */
function offByEnvironment(): boolean {
  return environmentVariable("FFIKIT_NO_CODEGEN") === "1";
}

// Whether generated code may be used at all in this process: decided on first need, not at import (a
// `new Function` and, on Deno, a permission query: docs/runtime-notes.md "Start-up"); it cannot change after.
let available: boolean | undefined;

function isAvailable(): boolean {
  return available ??= canGenerate() && !offByEnvironment();
}

// `undefined` until a test sets it: generated code where available.
let generate: boolean | undefined;

/**
 * Whether objects made from now on use generated code or the plain path. For tests, which run every check on
 * both paths; where generated code is not available (see the module doc), asking for it leaves the plain path.
 *
 * @param enabled `false` for the plain path.
 * @returns The previous setting.
 */
export function useGeneratedCode(enabled: boolean): boolean {
  const previous = generatedCode();
  generate = enabled && isAvailable();
  return previous;
}

/** Whether an object made now uses generated code: read once by each object, when it is made. */
export function generatedCode(): boolean {
  return generate ?? isAvailable();
}

/**
 * The choice of an object made now whose code is made later (an array type's codec, made at the first layout
 * that holds it): the setting of now, resolved when asked, so that declaring one decides nothing at import.
 */
export function generatedCodeLater(): () => boolean {
  const setting = generate;
  return () => setting ?? isAvailable();
}

// Numbered sources: bench/probes/numbered_sources.ts
let compiled = 0;

/** Compiles generated source with named dependencies; each call gets code (and type feedback) of its own. */
export function compile<T>(names: string[], body: string, deps: unknown[]): T {
  const factory = new Function(...names, `"use strict"; // ffikit layout code #${++compiled}\n${body}`);
  return factory(...deps) as T;
}

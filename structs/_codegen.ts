/**
 * The toolkit's one code-generation policy, for `structs/` (layouts, arrays, columns, cursors, iterators) and
 * `ffi/` (call wrappers): generated code (`new Function`) or the plain path. Every object reads the policy once,
 * when it is made, and keeps that choice; nothing re-decides at first use.
 *
 * Generated code is off where `new Function` is refused (a strict content security policy) and when the
 * environment says `FFIKIT_NO_CODEGEN=1` (read once, at load, from `globalThis.process.env`, which Deno, Bun and
 * Node all have). Either way `useGeneratedCode(true)` cannot turn it back on, so a test run with the variable set
 * runs every test on the plain path.
 *
 * @module
 */

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
  const name = "FFIKIT_NO_CODEGEN";
  try {
    // Deno asks before it reads an environment variable not granted, where the others just read it: reading
    // only a granted one keeps a program that uses `structs/` alone from prompting.
    const permissions = (globalThis as {
      Deno?: { permissions?: { querySync?(d: { name: "env"; variable: string }): { state: string } } };
    }).Deno?.permissions;
    if (
      permissions?.querySync && permissions.querySync({ name: "env", variable: name }).state !== "granted"
    ) {
      return false;
    }
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] ===
      "1";
  } catch {
    return false;
  }
}

/** Whether generated code may be used at all in this process. */
const available = canGenerate() && !offByEnvironment();

let generate = available;

/**
 * Whether objects made from now on use generated code or the plain path. For tests, which run every check on
 * both paths; where generated code is not available (see the module doc), asking for it leaves the plain path.
 *
 * @param enabled `false` for the plain path.
 * @returns The previous setting.
 */
export function useGeneratedCode(enabled: boolean): boolean {
  const previous = generate;
  generate = enabled && available;
  return previous;
}

/** Whether an object made now uses generated code: read once by each object, when it is made. */
export function generatedCode(): boolean {
  return generate;
}

// Numbered sources: bench/probes/numbered_sources.ts
let compiled = 0;

/** Compiles generated source with named dependencies; each call gets code (and type feedback) of its own. */
export function compile<T>(names: string[], body: string, deps: unknown[]): T {
  const factory = new Function(...names, `"use strict"; // ffikit layout code #${++compiled}\n${body}`);
  return factory(...deps) as T;
}

/**
 * Runs the C preprocessor over the headers: `cc -E -dD`, so that the text `cdef` reads keeps every `#define`
 * in place, under the line marker of the header that defines it.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";

/** A compiler run that failed: a missing header, a bad `-D`, no compiler. */
export class PreprocessorError extends Error {
  /**
   * @param message What was run and what the compiler said.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PreprocessorError";
  }
}

/**
 * The `#include` line of a header as given: a file that exists by its path (absolute, or relative to the
 * folder `from` when given), anything else as `<name>` for the compiler to find.
 */
export function includeLine(header: string, from?: string): string {
  if (!existsSync(header)) return `#include <${header}>`;
  const path = from === undefined ? resolve(header) : relative(from, resolve(header)).split("\\").join("/");
  return `#include ${JSON.stringify(path)}`;
}

/**
 * Preprocesses C text with the compiler.
 *
 * @param source The C text (the `#include` lines).
 * @param cc The compiler.
 * @param args Extra arguments (`-I`, `-D`, `-dD`).
 * @returns The preprocessed text.
 * @throws {PreprocessorError} When the compiler fails or is missing.
 */
export function preprocess(source: string, cc: string, args: readonly string[]): string {
  try {
    return execFileSync(cc, ["-E", ...args, "-x", "c", "-"], {
      input: source,
      encoding: "utf8",
      maxBuffer: 1 << 30,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stderr?: string; code?: string };
    const said = e.code === "ENOENT" ? `"${cc}" is not installed` : String(e.stderr ?? e).trim();
    throw new PreprocessorError(`Cannot preprocess the headers with "${cc} -E ${args.join(" ")}": ${said}`, {
      cause: error,
    });
  }
}

/**
 * The command line of `deno task bindgen`: headers, `--library`, `--match`, `--out`, `--layout-test`,
 * `--import`, `--verbose` and the compiler's `-I`/`-D`/`-U`. Anything else is an error, never ignored.
 *
 * @module
 */

/** What the command line asks for. */
export interface BindgenOptions {
  /** The headers, as given: a path to a file, or a name the compiler finds (`zlib.h`, `linux/taskstats.h`). */
  readonly headers: readonly string[];
  /** The shared library the module opens (`libz.so.1`); without it the module has no `open()`. */
  readonly library: string | undefined;
  /** Keeps the declarations whose names match (and the types they use); default: everything the headers declare. */
  readonly match: RegExp | undefined;
  /** The module's path; default: standard output. */
  readonly out: string | undefined;
  /** Where to write the C layout test (`_Static_assert`s); default: none. */
  readonly layoutTest: string | undefined;
  /** The specifier the module imports ffikit by; default: the relative path from `out` to ffikit's `mod.ts`. */
  readonly importFrom: string | undefined;
  /** Lists what was left out (macros, refused declarations) on standard error. */
  readonly verbose: boolean;
  /** `-I`, `-D`, `-U` arguments for the compiler, in order. */
  readonly compilerArgs: readonly string[];
  /** The compiler; default `cc`. */
  readonly cc: string;
}

/** How to call it, for `--help` and for errors. */
export const USAGE =
  `Usage: deno task bindgen -- <header.h...> [--library <name>] [--match <regex>] [--out <file.ts>]
       [--layout-test <file.c>] [--import <specifier>] [--cc <compiler>] [--verbose] [-I<dir>] [-D<name>[=value]] [-U<name>]`;

/** A command line that is not one `bindgen` takes. */
export class UsageError extends Error {
  /**
   * @param message What is wrong with the command line.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const VALUED = ["--library", "--match", "--out", "--layout-test", "--import", "--cc"] as const;

/**
 * Reads the command line.
 *
 * @param args The arguments after `--`.
 * @returns The options.
 * @throws {UsageError} On an unknown option, a missing value, a bad `--match` or no header.
 */
export function parseArguments(args: readonly string[]): BindgenOptions {
  const headers: string[] = [];
  const compilerArgs: string[] = [];
  const values = new Map<string, string>();
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if ((VALUED as readonly string[]).includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === "") throw new UsageError(`Option "${name}" needs a value`);
      if (values.has(name)) throw new UsageError(`Option "${name}" is given twice`);
      values.set(name, value);
    } else if (arg === "--verbose") {
      verbose = true;
    } else if (/^-[IDU]/.test(arg)) {
      if (arg.length === 2) {
        const value = args[++i];
        if (value === undefined) throw new UsageError(`Option "${arg}" needs a value`);
        compilerArgs.push(arg + value);
      } else compilerArgs.push(arg);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`Unknown option "${arg}"`);
    } else {
      headers.push(arg);
    }
  }
  if (headers.length === 0) throw new UsageError("No header given");
  let match: RegExp | undefined;
  const pattern = values.get("--match");
  if (pattern !== undefined) {
    try {
      match = new RegExp(pattern);
    } catch (error) {
      throw new UsageError(`Option "--match": ${(error as Error).message}`);
    }
  }
  return {
    headers,
    library: values.get("--library"),
    match,
    out: values.get("--out"),
    layoutTest: values.get("--layout-test"),
    importFrom: values.get("--import"),
    verbose,
    compilerArgs,
    cc: values.get("--cc") ?? "cc",
  };
}

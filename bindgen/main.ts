/**
 * `deno task bindgen -- <header.h...> --library <name> [--match <regex>] [--out file.ts] [--layout-test file.c]
 * [--import <specifier>] [-I... -D...]`: a header in, a typed module out (also `bun bindgen/main.ts ...`).
 *
 * Exit status: 0 on success, 2 for a bad command line, 1 when the headers cannot be read (the compiler's
 * message, or cdef's error with the header, line and column).
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { CSyntaxError, CUnsupportedError } from "../cdef/errors.ts";
import { generate } from "./generate.ts";
import { parseArguments, USAGE, UsageError } from "./options.ts";
import { PreprocessorError } from "./preprocess.ts";

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function main(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let options;
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bindgen: ${error.message}\n${USAGE}`);
    return 2;
  }
  const command = ["deno task bindgen --", ...args].join(" ");
  try {
    const started = performance.now();
    const generated = generate(options, command);
    if (options.out === undefined) process.stdout.write(generated.module);
    else write(options.out, generated.module);
    if (options.layoutTest !== undefined) write(options.layoutTest, generated.layoutTest);
    if (options.verbose) {
      for (const note of generated.notes) console.error(note);
      console.error(`bindgen: done in ${(performance.now() - started).toFixed(0)} ms`);
    }
    return 0;
  } catch (error) {
    if (
      error instanceof PreprocessorError || error instanceof CSyntaxError ||
      error instanceof CUnsupportedError
    ) {
      console.error(`bindgen: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

// `deno task bindgen -- …` hands the script the `--` too.
const args = process.argv.slice(2);
process.exitCode = main(args[0] === "--" ? args.slice(1) : args);

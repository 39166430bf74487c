/**
 * The generator as one function: headers in, the module's text (and the C layout test's) out. The command
 * line (`main.ts`) only reads arguments and writes files.
 *
 * @module
 */
import { dirname, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { readC } from "../cdef/cdef.ts";
import { emitLayoutTest } from "./emit_layout_test.ts";
import { emitModule } from "./emit_module.ts";
import { readMarkers } from "./line_markers.ts";
import { evaluateMacros } from "./macros.ts";
import type { BindgenOptions } from "./options.ts";
import { includeLine, preprocess } from "./preprocess.ts";
import { plan } from "./select.ts";

/** What the generator wrote. */
export interface Generated {
  /** The TypeScript module. */
  readonly module: string;
  /** The C layout test. */
  readonly layoutTest: string;
  /** What was left out and why, one line each (`--verbose` prints them). */
  readonly notes: readonly string[];
}

const MOD_TS = fileURLToPath(new URL("../mod.ts", import.meta.url));

/** The specifier of ffikit's `mod.ts` from the module's folder. */
function defaultImport(out: string | undefined): string {
  const from = out === undefined ? process.cwd() : dirname(resolve(out));
  const path = relative(from, MOD_TS).split("\\").join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

/**
 * Generates the bindings of headers.
 *
 * @param options The command line, read.
 * @param command The command as typed, quoted in the files' first line.
 * @returns The module, the layout test and the notes.
 * @throws {PreprocessorError} When the compiler fails.
 * @throws {CSyntaxError} When a header holds C that cdef cannot read (with the header, line and column).
 */
export function generate(options: BindgenOptions, command: string): Generated {
  const includes = options.headers.map((h) => includeLine(h)).join("\n");
  const compiler = { cc: options.cc, args: options.compilerArgs };
  const text = preprocess(`${includes}\n`, options.cc, ["-dD", ...options.compilerArgs]);
  const reading = readC(text, { skip: ["unbindable"], file: "<stdin>" });
  const marked = readMarkers(text);
  const candidates = marked.macros.filter((m) => marked.roots.has(m.file));
  const { integers, skipped } = evaluateMacros(candidates, includes, reading, compiler);
  const chosen = plan(reading, marked.roots, options.match, integers);
  const module = emitModule(chosen, reading.layouts, {
    command,
    headers: options.headers,
    library: options.library,
    importFrom: options.importFrom ?? defaultImport(options.out),
    skippedMacros: skipped.filter((s) => options.match === undefined || options.match.test(s.macro.name)),
  });
  const from = options.layoutTest === undefined ? undefined : dirname(resolve(options.layoutTest));
  const testIncludes = options.headers.map((h) => includeLine(h, from)).join("\n");
  const layoutTest = emitLayoutTest(chosen, reading.layouts, testIncludes, command);
  const notes = [
    ...chosen.leftOut.map((l) => `left out ${l.name} (${l.file}:${l.line}): ${l.reason}`),
    ...skipped.map((s) => `macro ${s.macro.name} (${s.macro.file}:${s.macro.line}): ${s.reason}`),
  ];
  return { module, layoutTest, notes };
}

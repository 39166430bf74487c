/**
 * The TypeScript module: one layout per record with its C declaration quoted above it, the typedefs (a function
 * pointer type with its signature for `unsafeFunctionFromPointer()`), a symbol table with each function's C
 * signature above its entry (variadic ones `variadic: true`), a table of the global variables, an `open()` that
 * binds both, what cannot be bound with the reason, and the constants (enums, quoted, and integer macros). Written as `deno fmt` writes it, so that it is format-clean as is.
 *
 * @module
 */
import type { CSpan, CType } from "../cdef/declarations.ts";
import type { CFunctionDefinition } from "../cdef/functions.ts";
import type { ParameterType, ResultType } from "../ffi/types.ts";
import type { LayoutMapper } from "../cdef/layouts.ts";
import { LayoutWriter } from "./emit_layout.ts";
import type { SkippedMacro } from "./macros.ts";
import type { Plan } from "./select.ts";
import { shortPath, SourceQuoter } from "./source_quote.ts";

/** What the module is generated from, for its header comment and `open()`. */
export interface ModuleContext {
  /** The command that generated it, as typed (for the "regenerate with" line). */
  readonly command: string;
  /** The headers, as given. */
  readonly headers: readonly string[];
  /** The library `open()` loads, if any. */
  readonly library: string | undefined;
  /** The specifier ffikit is imported by. */
  readonly importFrom: string;
  /** Macros that are not integer constants (counted in a comment). */
  readonly skippedMacros: readonly SkippedMacro[];
}

const WIDTH = 110;

function where(span: CSpan | undefined, fallback?: { file: string; line: number }): string {
  const at = span ?? fallback;
  return at === undefined ? "" : ` (\`${shortPath(at.file)}:${at.line}\`)`;
}

function literal(value: number | bigint): string {
  return typeof value === "bigint" ? `${value}n` : String(value);
}

/**
 * Writes the module.
 *
 * @param plan What it binds.
 * @param layouts The layout mapping of the headers.
 * @param context The command, headers, library and import specifier.
 * @returns The module's text.
 */
export function emitModule(plan: Plan, layouts: LayoutMapper, context: ModuleContext): string {
  const quote = new SourceQuoter();
  const writer = new LayoutWriter(plan.names, layouts);
  const headers = context.headers.map((h) => `\`${h}\``).join(", ");
  const parts: string[] = [];

  for (const { record, name, cName, span } of plan.records) {
    parts.push(
      `${quote.comment(span)}/** \`${cName}\`${where(span, record)}. */\n` +
        `export const ${name} = ${writer.record(record, 0, cName)};\n`,
    );
  }
  const layoutNames = new Map<unknown, string>();
  for (const { record, name } of plan.records) layoutNames.set(layouts.record(record), name);
  const typeName = (type: ParameterType | ResultType): string => {
    const named = layoutNames.get(type);
    if (named !== undefined) return named;
    const name = type.kind === "void"
      ? "void_"
      : type.name === "cstring"
      ? "cstringArg"
      : type.name === "function"
      ? "functionPointer"
      : type.name;
    writer.imports.add(name);
    return name;
  };
  const recordSpans = new Set(plan.records.map((r) => r.span));
  const cNames = new Map(plan.records.map((r) => [r.record as CType, r.cName]));
  // `export const name = { args, returns } as const;`, wrapped as `deno fmt` wraps it.
  const signatureText = (name: string, definition: CFunctionDefinition): string => {
    const args = definition.args.map(typeName);
    const fields = [`args: [${args.join(", ")}]`, `returns: ${typeName(definition.returns)}`];
    if (definition.variadic) fields.push("variadic: true");
    const one = `export const ${name} = { ${fields.join(", ")} } as const;\n`;
    if (one.length <= WIDTH + 1) return one;
    if (`  ${fields[0]},`.length > WIDTH) {
      fields[0] = `args: [\n${args.map((a) => `    ${a},\n`).join("")}  ]`;
    }
    return `export const ${name} = {\n${fields.map((f) => `  ${f},\n`).join("")}} as const;\n`;
  };
  for (const { name, cName, type, span, signature } of plan.typedefs) {
    const quoted = recordSpans.has(span) ? "" : quote.comment(span);
    const expression = writer.field(type);
    // A typedef of a record laid out above says which: `z_stream` is `struct z_stream_s`.
    const of = cNames.get(type);
    const what = of === undefined ? `\`${cName}\`` : `\`${cName}\`, the typedef of \`${of}\``;
    let text = `${quoted}/** ${what}${where(span)}. */\nexport const ${name} = ${expression};\n`;
    if (signature !== undefined) {
      text += `/** The signature of \`${cName}\`, for \`unsafeFunctionFromPointer()\`. */\n` +
        signatureText(signature.name, signature.definition);
    }
    parts.push(text);
  }
  if (plan.opaque.length > 0) {
    parts.push(wrapComment(
      `Declared but never defined (handles, passed as \`pointer\`): ${plan.opaque.join(", ")}.`,
    ));
  }

  // What `open()` adds to the imports.
  const openImports: string[] = [];
  // One entry: the C declaration on one line above it, its fields on one line or, when too long, one a line.
  const entry = (name: string, fields: string[], span: CSpan | undefined): string => {
    const declaration = quote.oneLine(span);
    let line = `  ${name}: { ${fields.join(", ")} },`;
    if (line.length > WIDTH) {
      const [first, ...rest] = fields;
      let firstLines = `    ${first},`;
      const args = first!.startsWith("args: [") ? first!.slice(7, -1).split(", ") : [];
      if (firstLines.length > WIDTH && args.length > 0) {
        firstLines = `    args: [\n${args.map((a) => `      ${a},\n`).join("")}    ],`;
      }
      line = `  ${name}: {\n${firstLines}\n${rest.map((f) => `    ${f},\n`).join("")}  },`;
    }
    return `${declaration === "" ? "" : `  // ${declaration}\n`}${line}\n`;
  };
  const tables: string[] = [];
  if (plan.functions.length > 0) {
    const entries = plan.functions.map(({ object, definition, span }) => {
      const fields = [
        `args: [${definition.args.map(typeName).join(", ")}]`,
        `returns: ${typeName(definition.returns)}`,
      ];
      if (definition.variadic) fields.push("variadic: true");
      if (definition.symbol !== undefined) fields.push(`symbol: ${JSON.stringify(definition.symbol)}`);
      return entry(object.name, fields, span);
    });
    tables.push("symbols");
    const variadic = plan.functions.some((f) => f.definition.variadic)
      ? " A variadic one (`...`) takes the types of its extra arguments first, or binds them once with " +
        "`.shape(...types)`."
      : "";
    parts.push(
      wrapDoc(`The functions of ${headers}, as a symbol table for \`dlopen(library, symbols)\`.${variadic}`) +
        `export const symbols = {\n${entries.join("")}} as const;\n`,
    );
  }
  if (plan.variables.length > 0) {
    const entries = plan.variables.map(({ object, definition, span }) => {
      const fields = ["variable: true"];
      if (definition.type !== undefined) fields.push(`type: ${typeName(definition.type)}`);
      if (definition.symbol !== undefined) fields.push(`symbol: ${JSON.stringify(definition.symbol)}`);
      return entry(object.name, fields, span);
    });
    tables.push("variables");
    parts.push(
      wrapDoc(
        `The global variables of ${headers}: each is its address (a \`Pointer\`) or, with a \`type\`, a view ` +
          "that reads and writes it in place; both live until the library is closed.",
      ) +
        `export const variables = {\n${entries.join("")}} as const;\n`,
    );
  }
  if (tables.length > 0 && context.library !== undefined) {
    openImports.push("dlopen", "type DlopenOptions", "type Library");
    const library = JSON.stringify(context.library);
    const what = tables.length === 2
      ? "the functions of `symbols` and the variables of `variables`"
      : tables[0] === "symbols"
      ? "the functions of `symbols`"
      : "the variables of `variables`";
    const table = tables.length === 2 ? "{ ...symbols, ...variables }" : tables[0]!;
    const type = tables.map((t) => `typeof ${t}`).join(" & ");
    const held = tables.length === 2
      ? "functions and variables are"
      : `${tables[0] === "symbols" ? "functions" : "variables"} are`;
    const summary = docLines(
      `Opens the library with ${what}, each looked up on first use by default: a header may declare what a ` +
        "build of the library leaves out.",
    );
    parts.push(`/**
${summary} *
 * @param path The library; default ${library}.
 * @param options \`dlopen\`'s options; default \`{ lazy: true }\` (\`{}\` looks every symbol up at once).
 * @returns The library; its ${held} in \`symbols\`.
 */
export function open(
  path: string = ${library},
  options: DlopenOptions = { lazy: true },
): Library<${type}> {
  return dlopen(path, ${table}, options);
}
`);
  }
  if (plan.leftOut.length > 0) {
    const lines = plan.leftOut.map((l) => `//   ${l.name} (${shortPath(l.file)}:${l.line}): ${l.reason}\n`);
    parts.push(
      "// Left out, with the reason: what cdef reads but the toolkit cannot call or view, and what the layout\n" +
        "// engine cannot express:\n" + lines.join(""),
    );
  }

  let previous: CSpan | undefined | null = null;
  let constants = "";
  for (const { name, value, span } of plan.constants) {
    if (span !== previous) {
      if (constants !== "") constants += "\n";
      constants += quote.comment(span);
      previous = span;
    }
    constants += `export const ${name} = ${literal(value)};\n`;
  }
  if (constants !== "") parts.push(constants);
  const byFile = new Map<string, string[]>();
  for (const { macro, value } of plan.macros) {
    const shown = literal(value);
    const comment = macro.body === shown || macro.body === String(value) ? "" : ` // ${macro.body}`;
    const list = byFile.get(macro.file) ?? [];
    list.push(`export const ${macro.name} = ${shown};${comment}\n`);
    byFile.set(macro.file, list);
  }
  for (const [file, lines] of byFile) {
    const others = context.skippedMacros.filter((s) => s.macro.file === file).length;
    const note = others === 0
      ? ""
      : `// ${others} other object-like ${others === 1 ? "macro" : "macros"} of ${shortPath(file)} ${
        others === 1 ? "is not an integer constant" : "are not integer constants"
      } (--verbose lists them).\n`;
    parts.push(`// The integer macros of ${shortPath(file)}.\n${lines.join("")}${note}`);
  }

  const imports = [...writer.imports].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
  const all = [...imports, ...openImports].sort((a, b) =>
    a.replace(/^type /, "").localeCompare(b.replace(/^type /, ""), "en")
  );
  const importLine = all.length === 0 ? "" : wrapImport(all, context.importFrom);
  const contents = plan.variables.length > 0
    ? "one layout per type with its C declaration quoted above it, the functions and global variables as symbol\n * tables with each C declaration above its entry, and the constants"
    : plan.functions.length > 0
    ? "one layout per type with its C declaration quoted above it, the functions as a symbol table with each C\n * signature above its entry, and the constants"
    : "one layout per type with its C declaration quoted above it, and the constants";
  const head = `// Generated by \`${context.command}\`: regenerate it rather than edit it.
/**
 * Bindings of ${headers}${
    context.library === undefined ? "" : ` for \`${context.library}\``
  }, generated by \`deno task bindgen\`:
 * ${contents}.
 *
 * @module
 */
${importLine}`;
  return `${head}\n${parts.join("\n")}`;
}

function wrapImport(names: string[], from: string): string {
  const one = `import { ${names.join(", ")} } from ${JSON.stringify(from)};\n`;
  if (one.length <= WIDTH + 1) return one;
  return `import {\n${names.map((n) => `  ${n},\n`).join("")}} from ${JSON.stringify(from)};\n`;
}

/** A JSDoc block of `text`, wrapped to the line width. */
function wrapDoc(text: string): string {
  return `/**\n${docLines(text)} */\n`;
}

/** `text` as JSDoc lines (` * …`), wrapped to the line width, each ending in a newline. */
function docLines(text: string): string {
  const lines: string[] = [];
  let line = " *";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > WIDTH && line !== " *") {
      lines.push(line);
      line = " *";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.map((l) => `${l}\n`).join("");
}

function wrapComment(text: string): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "//";
  for (const word of words) {
    if (line.length + 1 + word.length > WIDTH && line !== "//") {
      lines.push(line);
      line = "//";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.map((l) => `${l}\n`).join("");
}

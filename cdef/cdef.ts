/**
 * `cdef()`: C declarations in, the toolkit's layouts, a symbol table and constants out.
 *
 * @module
 */
import type { FieldSpec } from "../structs/types.ts";
import type { CValue } from "./constants.ts";
import type { CType } from "./declarations.ts";
import { CUnsupportedError, type UnsupportedKind } from "./errors.ts";
import { type CFunctionDefinition, definitionOf } from "./functions.ts";
import { LayoutMapper, NotExpressible } from "./layouts.ts";
import { type CVariableDefinition, variableOf } from "./variables.ts";
import { tokenize } from "./lexer.ts";
import { type Declarations, Parser } from "./parser.ts";

/** Options of `cdef`. Another key is an error, not ignored. */
export interface CDefOptions {
  /**
   * Kinds of declaration to leave out (listed in `skipped`): `"variadic"` functions and `"globals"` (global
   * variables), which are bound otherwise, and `"unbindable"` functions (a parameter or result that cannot
   * cross the ffi boundary yet, such as a `long double` or an over-aligned struct by value), which are refused with
   * `CUnsupportedError` otherwise.
   */
  skip?: readonly UnsupportedKind[];
  /** The file name errors give before the first line marker; default `"<input>"`. */
  file?: string;
}

/** A type the layout engine cannot express yet, and why. */
export interface NotExpressibleType {
  /** The type's name in `types` (`"struct x"`, a typedef name). */
  readonly name: string;
  /** Why, e.g. `"a vector of 32 bytes, wider than 16"`. */
  readonly reason: string;
  /** The header it was declared in. */
  readonly file: string;
  /** Its line there. */
  readonly line: number;
}

/** A declaration left out because `skip` named its kind. */
export interface SkippedDeclaration {
  /** The declared name. */
  readonly name: string;
  /** Which kind of declaration it is. */
  readonly kind: UnsupportedKind;
  /** Why it was left out: what cannot be bound yet, or that `skip` named its kind. */
  readonly reason: string;
  /** The header it was declared in. */
  readonly file: string;
  /** Its line there. */
  readonly line: number;
}

/** What `cdef` read. */
export interface CDefinitions {
  /**
   * Every type with a layout, by name: typedef names as written, tagged types as `"struct tag"`,
   * `"union tag"`, `"enum tag"`. A struct or union is a `struct()`/`union()` type; a scalar a scalar; an
   * array an `array()`; an over-aligned typedef (and a 16-byte type) an `aligned()` field.
   */
  readonly types: Readonly<Record<string, FieldSpec>>;
  /**
   * The functions, as a symbol table for `dlopen(library, c.functions)` (or a chosen subset). Pointer
   * parameters: `const char *` is `cstringArg`, a function pointer `functionPointer`, `void *` and handles to
   * never-defined structs `pointer`, a pointer to any complete type `buffer` (memory the call reads or fills).
   */
  readonly functions: Readonly<Record<string, CFunctionDefinition>>;
  /**
   * The global variables, as symbol table entries for `dlopen` (`dlopen(library, { ...c.functions,
   * ...c.variables })`): `{ variable: true, type }` for a struct, union, number or pointer (a view of it),
   * `{ variable: true }` for anything else (its address).
   */
  readonly variables: Readonly<Record<string, CVariableDefinition>>;
  /** Enum constants: numbers, or `bigint`s beyond 2^53. */
  readonly constants: Readonly<Record<string, number | bigint>>;
  /** Types that were read but that the layout engine cannot express yet. */
  readonly unsupported: readonly NotExpressibleType[];
  /** Declarations left out because `skip` asked. */
  readonly skipped: readonly SkippedDeclaration[];
}

const OPTIONS = ["skip", "file"];
const KINDS: readonly UnsupportedKind[] = ["variadic", "globals", "unbindable"];

function checkOptions(options: CDefOptions): Set<UnsupportedKind> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot read C declarations: options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(
        `Cannot read C declarations: unknown option "${key}" (expected ${OPTIONS.join(", ")})`,
      );
    }
  }
  const skip = options.skip ?? [];
  if (!Array.isArray(skip)) throw new TypeError(`Cannot read C declarations: skip must be an array`);
  for (const kind of skip) {
    if (!KINDS.includes(kind)) {
      throw new TypeError(
        `Cannot read C declarations: skip "${String(kind)}" is not one of ${KINDS.join(", ")}`,
      );
    }
  }
  if (options.file !== undefined && typeof options.file !== "string") {
    throw new TypeError(`Cannot read C declarations: file must be a string`);
  }
  return new Set(skip);
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function numberOf(value: CValue): number | bigint {
  const v = value.value;
  return v <= SAFE && v >= -SAFE ? Number(v) : v;
}

function hasLayout(type: CType): boolean {
  while (type.kind === "aligned") type = type.type;
  if (type.kind === "record") return type.members !== undefined;
  return type.kind !== "function" && type.kind !== "void";
}

/**
 * Reads C declarations — what a header holds after `cc -E`, or declarations pasted by hand — and returns their
 * layouts (`types`), a symbol table (`functions`) and enum constants (`constants`).
 *
 * Read: typedef chains; structs, unions and enums (named, anonymous, nested, completed later); bitfields;
 * arrays of any dimension and flexible arrays; pointers and function pointers (as `pointer` fields);
 * `_Bool`, `__int128`, `long double`, `_Float128` and vectors (16-byte types as 16-aligned bytes); GNU
 * attributes (`packed`, `aligned`, `vector_size`, `mode`; others are read and ignored), a typedef's
 * `aligned(n)` lowering the alignment and a member's own `packed` included; a struct ending in a flexible
 * array as a member, an array element or in a union (GCC's extension, at its `sizeof`); `#pragma pack`;
 * `__extension__`, `__asm__` labels (the `symbol` of a function), `_Static_assert`, `__typeof__`; inline
 * function bodies (skipped); line markers, so that errors name the header.
 *
 * A variadic function is declared `variadic: true` (each call then gives the types of its extra arguments); a
 * global variable is an entry of `variables`. A struct or union by value is its layout. Refused unless `skip`
 * names them: functions whose parameters cannot cross the ffi boundary yet (`_Complex`, `long double` or
 * `__int128` by value, and what `dlopen` refuses by value: alignment above 8, a packed struct of up to 16 bytes
 * with an unaligned member as a parameter). Not expressible yet (`unsupported`, with the reason): a flexible array
 * directly in a union, and a vector wider than 16 bytes (GCC places it at its size but gives its alignment as
 * 16). An anonymous struct or union member is keyed `$anonymous0`, … and an
 * unnamed bitfield `$unnamed<index>`. A struct that is declared but never defined has no layout and is not in
 * `types`.
 *
 * @param source The C text.
 * @param options `skip` and `file`.
 * @returns The types, functions, variables and constants read, and what could not be expressed or was skipped.
 * @throws {CSyntaxError} When the text is not C this reads, with the file, line, column and token.
 * @throws {CUnsupportedError} When a declaration cannot be bound and `skip` does not name its kind.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 *
 * @example A struct and a function from C text
 * ```ts
 * import { cdef } from "./mod.ts";
 * const c = cdef(`
 *   struct point { int x, y; };
 *   typedef struct point point_t;
 *   enum { ORIGIN = 0, UNIT = sizeof(point_t) };
 *   int abs(int n);
 * `);
 * console.log(c.types["point_t"] === c.types["struct point"], c.constants.UNIT); // true 8
 * console.log(c.functions.abs?.args.length, c.functions.abs?.returns.name); // 1 i32
 * ```
 */
export function cdef(source: string, options: CDefOptions = {}): CDefinitions {
  return readC(source, options).definitions;
}

/** What `readC` returns: `cdef`'s answer, and the C model and layout mapping behind it (for the generator). */
export interface CReading {
  /** What `cdef` returns. */
  readonly definitions: CDefinitions;
  /** The declarations as the parser read them, with their spans. */
  readonly declared: Declarations;
  /** The layout mapping that built `definitions` (each record's layout once). */
  readonly layouts: LayoutMapper;
  /** The parser, for evaluating further constant expressions in the declarations' scope. */
  readonly parser: Parser;
}

/**
 * `cdef` with what stands behind its answer: the C model, the layouts and the parser. For `bindgen/`, which
 * quotes declarations and names types; not part of the public API.
 *
 * @param source The C text.
 * @param options As `cdef`'s.
 * @returns The definitions and the model.
 */
export function readC(source: string, options: CDefOptions = {}): CReading {
  if (typeof source !== "string") {
    throw new TypeError(`Cannot read C declarations: expected a string, got ${typeof source}`);
  }
  const skip = checkOptions(options);
  const layouts = new LayoutMapper();
  const parser = new Parser(tokenize(source, options.file), layouts);
  const declared = parser.parse();

  const types: Record<string, FieldSpec> = {};
  const unsupported: NotExpressibleType[] = [];
  const add = (name: string, type: CType, file: string, line: number): void => {
    const reason = layouts.check(type);
    if (reason !== undefined) return void unsupported.push({ name, reason, file, line });
    // Built on first use: every layout of the corpus costs several times the parse (bench/probes/cdef_parse.ts).
    Object.defineProperty(types, name, {
      enumerable: true,
      configurable: true,
      get(): FieldSpec {
        let value: FieldSpec;
        try {
          value = layouts.field(type);
        } catch (error) {
          throw new TypeError(`Cannot lay out "${name}": ${(error as Error).message}`, { cause: error });
        }
        Object.defineProperty(types, name, { value, enumerable: true, configurable: false, writable: false });
        return value;
      },
    });
  };
  for (const [name, { type }] of declared.typedefs) {
    if (type.kind === "record" && type.tag === undefined) layouts.name(type, name);
  }
  for (const [name, tagged] of declared.tags) {
    if (tagged.kind === "record" && tagged.members !== undefined) add(name, tagged, tagged.file, tagged.line);
    else if (tagged.kind === "enum" && tagged.base !== undefined) add(name, tagged, "", 0);
  }
  for (const [name, { type, file, line }] of declared.typedefs) {
    if (hasLayout(type)) add(name, type, file, line);
  }

  const functions: Record<string, CFunctionDefinition> = {};
  const variables: Record<string, CVariableDefinition> = {};
  const skipped: SkippedDeclaration[] = [];
  const refuse = (kind: UnsupportedKind, name: string, reason: string, file: string, line: number): void => {
    if (!skip.has(kind)) throw new CUnsupportedError(kind, name, reason, { file, line, column: 1 });
    skipped.push({ name, kind, reason, file, line });
  };
  for (const object of declared.objects) {
    const { name, type, file, line } = object;
    if (type.kind !== "function") {
      if (skip.has("globals")) {
        skipped.push({ name, kind: "globals", reason: "skip names globals", file, line });
      } else variables[name] = variableOf(type, layouts, object.symbol);
      continue;
    }
    if (type.variadic && skip.has("variadic")) {
      skipped.push({ name, kind: "variadic", reason: "skip names variadic", file, line });
      continue;
    }
    try {
      const definition = definitionOf(type, layouts, object.symbol);
      functions[name] = type.variadic ? { ...definition, variadic: true } : definition;
    } catch (error) {
      if (!(error instanceof NotExpressible)) throw error;
      refuse("unbindable", name, error.reason, file, line);
    }
  }
  // Built on first read: 18,000 keys of the corpus cost about 1 ms that a caller of `types` or `functions`
  // alone need not pay (bench/probes/cdef_parse.ts).
  let constants: Record<string, number | bigint> | undefined;
  const definitions: CDefinitions = {
    types,
    functions,
    variables,
    get constants(): Record<string, number | bigint> {
      if (constants === undefined) {
        constants = {};
        for (const [name, value] of declared.constants) constants[name] = numberOf(value);
      }
      return constants;
    },
    unsupported,
    skipped,
  };
  return {
    definitions,
    declared,
    layouts,
    parser,
  };
}

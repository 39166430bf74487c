/**
 * C function declarations to symbol table entries for `dlopen`: each parameter and result type as the ffi
 * types (`ffi/types.ts`) take it.
 *
 * Pointer parameters: `const char *` is `cstringArg` (pass `cstring(s)`); a function pointer is
 * `functionPointer`; a pointer to `void` or to a struct declared but never defined (a handle such as
 * `sqlite3 *` or `FILE *`) is `pointer` (a `Pointer` native code handed out, or `null`); a pointer to any
 * complete type (`struct stat *`, `int *`, `char *`, `char **`) is `buffer`: JavaScript memory the call fills
 * or reads. Where a function means the other (`read`'s `void *buf`), spread the entry and replace the
 * argument. Pointer results are `pointer`. A struct or union by value is its layout, as `dlopen` takes it (x86-64
 * System V on both runtimes); one `dlopen` would refuse (aligned above 8, or packed with an unaligned member
 * in up to 16 bytes as a parameter) is refused here with its reason.
 *
 * @module
 */
import {
  buffer,
  cstringArg,
  functionPointer,
  type ParameterType,
  type ResultType,
  void_,
} from "../ffi/types.ts";
import { type Classification, classify, Unclassifiable } from "../ffi/_abi_classify.ts";
import * as scalars from "../structs/scalars.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { CFunction, CType } from "./declarations.ts";
import { describe, type LayoutMapper, NotExpressible } from "./layouts.ts";

/** One entry of the symbol table `cdef` builds. */
export interface CFunctionDefinition {
  /** Parameter types, in order. */
  readonly args: readonly ParameterType[];
  /** Result type. */
  readonly returns: ResultType;
  /** The linker symbol, when an `__asm__("name")` label renames the function. */
  readonly symbol?: string;
  /** A variadic function (`...`): `args` is its fixed part. */
  readonly variadic?: true;
}

function parameter(type: CType, layouts: LayoutMapper, result: boolean): ParameterType | ResultType {
  while (type.kind === "aligned") type = type.type;
  switch (type.kind) {
    case "void":
      if (result) return void_;
      break;
    case "pointer": {
      const to = type.to;
      if (to.kind === "function") return result ? scalars.pointer : functionPointer;
      if (result) return scalars.pointer;
      if (type.constTarget && to.kind === "int" && to.size === 1 && !to.bool) return cstringArg;
      let target: CType = to;
      while (target.kind === "aligned") target = target.type;
      const opaque = target.kind === "void" || (target.kind === "record" && target.members === undefined);
      return opaque ? scalars.pointer : buffer;
    }
    case "array":
      if (type.complex) {
        throw new NotExpressible(`a _Complex value ${result ? "as a result" : "as a parameter"}`);
      }
      return scalars.pointer;
    case "int":
    case "float":
    case "enum": {
      const spec = layouts.field(type);
      if (spec.kind === "scalar") return spec;
      break;
    }
    case "record": {
      const layout = layouts.record(type) as StructType | UnionType;
      if ((layout as { flexible?: boolean }).flexible) {
        throw new NotExpressible("a struct with a flexible array by value");
      }
      const refused = byValueRefusal(layout, result);
      if (refused !== undefined) {
        throw new NotExpressible(
          `a ${type.union ? "union" : "struct"} passed by value (${describe(type)}): ${refused}`,
        );
      }
      return layout;
    }
  }
  throw new NotExpressible(`${describe(type)} ${result ? "as a result" : "as a parameter"}`);
}

// Each layout classified once: the headers pass the same few structs by value to many functions.
const classified = new WeakMap<StructType | UnionType, Classification | string>();

/**
 * Why `dlopen` would refuse a struct or union by value when it reads the table (ffi/_by_value.ts `structKind`,
 * x86-64 System V), in its words, or undefined when it takes it: refused here so that a table `cdef` builds
 * always loads.
 */
function byValueRefusal(layout: StructType | UnionType, result: boolean): string | undefined {
  let c = classified.get(layout);
  if (c === undefined) {
    try {
      c = classify(layout);
    } catch (error) {
      if (!(error instanceof Unclassifiable)) throw error;
      c = error.message;
    }
    classified.set(layout, c);
  }
  if (typeof c === "string") return c;
  if (c.classes === "memory" && c.size <= 16 && !result) {
    return `${c.memoryBecause}, so it is passed in memory at ${c.size} bytes, which neither runtime's types ` +
      "can express here (only a call's result can be)";
  }
  return undefined;
}

/**
 * The symbol table entry of a C function type.
 *
 * @throws {NotExpressible} When a parameter or the result cannot cross the ffi boundary.
 */
export function definitionOf(
  type: CFunction,
  layouts: LayoutMapper,
  symbol: string | undefined,
): CFunctionDefinition {
  const args = type.params.map((p) => parameter(p, layouts, false) as ParameterType);
  const returns = parameter(type.result, layouts, true) as ResultType;
  return symbol === undefined ? { args, returns } : { args, returns, symbol };
}

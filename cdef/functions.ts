/**
 * C function declarations to symbol table entries for `dlopen`: each parameter and result type as the ffi
 * types (`ffi/types.ts`) take it.
 *
 * Pointer parameters: `const char *` is `cstringArg` (pass `cstring(s)`); a function pointer is
 * `functionPointer`; a pointer to `void` or to a struct declared but never defined (a handle such as
 * `sqlite3 *` or `FILE *`) is `pointer` (a `Pointer` native code handed out, or `null`); a pointer to any
 * complete type (`struct stat *`, `int *`, `char *`, `char **`) is `buffer`: JavaScript memory the call fills
 * or reads. Where a function means the other (`read`'s `void *buf`), spread the entry and replace the
 * argument. Pointer results are `pointer`. A struct by value is its struct type (Deno only, as `dlopen` says).
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
import * as scalars from "../structs/scalars.ts";
import type { StructType } from "../structs/struct.ts";
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
      if (type.union) throw new NotExpressible(`a union passed by value (${describe(type)})`);
      const layout = layouts.record(type);
      if ((layout as { flexible?: boolean }).flexible) {
        throw new NotExpressible("a struct with a flexible array by value");
      }
      return layout as StructType;
    }
  }
  throw new NotExpressible(`${describe(type)} ${result ? "as a result" : "as a parameter"}`);
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

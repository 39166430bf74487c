/**
 * C function declarations to symbol table entries for `dlopen`: each parameter and result type as the ffi
 * types (`ffi/types.ts`) take it.
 *
 * Pointers: `const char *` is `cstringArg` (pass `cstring(s)`), a function pointer is `functionPointer`,
 * every other pointer is `pointer` (a `Pointer` or `null`: what native code handed out, or `NativeMemory`'s
 * `.pointer`). A struct by value is its struct type (Deno only, as `dlopen` says).
 *
 * @module
 */
import { cstringArg, functionPointer, type ParameterType, type ResultType, void_ } from "../ffi/types.ts";
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
      if (!result && type.constTarget && to.kind === "int" && to.size === 1 && !to.bool) return cstringArg;
      return scalars.pointer;
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

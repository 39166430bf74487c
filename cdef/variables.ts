/**
 * C global variable declarations (`extern char **environ;`, `extern struct config cfg;`) to symbol table
 * entries for `dlopen`: `{ variable: true, type? }`, which give the variable's address, or with a type a view
 * of it (ffi/_global_variable.ts).
 *
 * @module
 */
import type { VariableDefinition } from "../ffi/types.ts";
import * as scalars from "../structs/scalars.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { CType } from "./declarations.ts";
import type { LayoutMapper } from "./layouts.ts";

/** One variable entry of the symbol table `cdef` builds. */
export type CVariableDefinition = VariableDefinition;

/**
 * The symbol table entry of a global variable. A struct or union with a layout, an integer, a float, an enum
 * or a pointer is viewed through its type; anything else (an array of unknown size such as
 * `const char sqlite3_version[]`, an incomplete struct) is its address alone.
 */
export function variableOf(
  type: CType,
  layouts: LayoutMapper,
  symbol: string | undefined,
): CVariableDefinition {
  const named = symbol === undefined ? {} : { symbol };
  const viewed = viewType(type, layouts);
  return viewed === undefined ? { variable: true, ...named } : { variable: true, type: viewed, ...named };
}

function viewType(type: CType, layouts: LayoutMapper): VariableDefinition["type"] | undefined {
  while (type.kind === "aligned") type = type.type;
  switch (type.kind) {
    case "pointer":
      return scalars.pointer;
    case "int":
    case "float":
    case "enum": {
      if (layouts.check(type) !== undefined) return undefined;
      const spec = layouts.field(type);
      return spec.kind === "scalar" ? spec : undefined;
    }
    case "record": {
      if (type.members === undefined || layouts.check(type) !== undefined) return undefined;
      const layout = layouts.record(type) as StructType | UnionType;
      return (layout as { flexible?: boolean }).flexible ? undefined : layout;
    }
  }
  return undefined;
}

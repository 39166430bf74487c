/**
 * C declarations in: `cdef(text)` reads what a header holds after `cc -E` and returns the toolkit's layouts,
 * a symbol table for `dlopen`, and the enum constants.
 *
 * @example A header's struct, read in place
 * ```ts
 * import { cdef } from "./mod.ts";
 * const c = cdef("struct pair { short a; long b; };");
 * const pair = c.types["struct pair"];
 * console.log(pair?.kind === "struct" ? pair.size : 0); // 16
 * ```
 *
 * @module
 */
export {
  cdef,
  type CDefinitions,
  type CDefOptions,
  type NotExpressibleType,
  type SkippedDeclaration,
} from "./cdef.ts";
export { type CLocation, CSyntaxError, CUnsupportedError, type UnsupportedKind } from "./errors.ts";
export type { CFunctionDefinition } from "./functions.ts";
export type { CVariableDefinition } from "./variables.ts";

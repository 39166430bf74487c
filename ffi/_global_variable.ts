/**
 * Global variables of a library (`extern char **environ;`, a library's own tables): a symbol table entry
 * `{ variable: true, type? }` gives the variable's address as a `Pointer`, or a view of it.
 *
 * The address comes from the runtime's statics on Deno (`{ type: "pointer" }` is the symbol's own address) and
 * from the system loader's `dlsym` on Bun, which has no statics. Each bound variable holds its own reference to
 * the library, so the memory stays mapped until the library's `close()`; then the pointer handed out is revoked
 * (a `ClosedError` wherever it comes back) and the view's buffer detached (its fields throw), before the
 * reference is given back.
 *
 * @module
 */
import { struct } from "../structs/_internal.ts";
import type { Scalar } from "../structs/scalars.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import { backend } from "./_backend.ts";
import { describe } from "./_buffer.ts";
import { SymbolNotFoundError } from "./errors.ts";
import type { VariableDefinition } from "./types.ts";

const VARIABLE_KEYS = new Set(["variable", "type", "symbol", "optional"]);

// How a revoked variable's pointer is named in the error.
const CLOSED = { resource: "the variable's library", state: "is closed" };

/** Whether a symbol table entry declares a variable. */
export function isVariable(definition: unknown): definition is VariableDefinition {
  return typeof definition === "object" && definition !== null && "variable" in definition;
}

// deno-lint-ignore no-explicit-any
type Layout = StructType<any> | UnionType<any>;

/** The layout a variable is viewed through, its definition checked first; `null` for its address alone. */
export function variableLayout(name: string, definition: VariableDefinition): Layout | null {
  for (const key of Object.keys(definition)) {
    if (!VARIABLE_KEYS.has(key)) {
      throw new TypeError(
        `Cannot declare variable "${name}": unknown key "${key}"; the keys are ${
          [...VARIABLE_KEYS].join(", ")
        }`,
      );
    }
  }
  const { variable, type, symbol, optional } = definition as unknown as Record<string, unknown>;
  if (variable !== true) {
    throw new TypeError(
      `Cannot declare variable "${name}": "variable" must be true, got ${
        typeof variable === "object" ? describe(variable) : String(variable)
      }`,
    );
  }
  if (optional !== undefined && typeof optional !== "boolean") {
    throw new TypeError(
      `Cannot declare variable "${name}": "optional" must be a boolean, got ${describe(optional)}`,
    );
  }
  if (symbol !== undefined && (typeof symbol !== "string" || symbol === "" || symbol.includes("\0"))) {
    throw new TypeError(
      `Cannot declare variable "${name}": "symbol" must be a C symbol name, got ${describe(symbol)}`,
    );
  }
  if (type === undefined) return null;
  const kind = typeof type === "object" && type !== null ? (type as { kind?: unknown }).kind : undefined;
  if (kind === "struct" || kind === "union") return type as Layout;
  if (kind === "scalar") return struct({ value: type as Scalar });
  throw new TypeError(
    `Cannot declare variable "${name}": "type" must be a struct, union or scalar, got ${describe(type)}`,
  );
}

/** A variable bound to its library: what the symbol table entry gives, and its release. */
export interface BoundVariable {
  readonly value: unknown;
  close(): void;
}

/**
 * Binds a variable of the library at `path`; `null` when it is missing and `optional`.
 *
 * @throws {SymbolNotFoundError} When the library has no such symbol and it is not optional.
 */
export function bindVariable(
  path: string,
  name: string,
  definition: VariableDefinition,
): BoundVariable | null {
  const layout = variableLayout(name, definition);
  const cName = definition.symbol ?? name;
  const found = backend.symbolAddress(path, cName);
  if (found === null || found.pointer === null) {
    found?.close();
    if (definition.optional) return null;
    throw new SymbolNotFoundError(path, cName);
  }
  if (layout === null) {
    const pointer = backend.own(found.pointer);
    return {
      value: pointer,
      close: () => {
        backend.revoke(pointer, CLOSED);
        found.close();
      },
    };
  }
  const memory = backend.view(found.pointer, 0, layout.size, `variable "${name}"`);
  return {
    value: layout.view(memory),
    close: () => {
      // Detached without a copy: the view can no longer reach the memory once the library may unmap it.
      memory.transfer(0);
      found.close();
    },
  };
}

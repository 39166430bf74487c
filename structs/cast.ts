/**
 * Checked casts that accept any of several layouts, told apart by size: the versions of a kernel struct.
 *
 * @module
 */
import { type Bytes, toDataView } from "./_bytes.ts";
import { describe } from "./_checks.ts";
import { CODEC } from "./_codec.ts";
import { LayoutError } from "./errors.ts";
import type { CompositeType } from "./struct.ts";
import type { Fields, FieldsView } from "./types.ts";

/** The view type of any layout in a list. */
// deno-lint-ignore no-explicit-any
export type ViewOfAny<L extends readonly CompositeType<any, any>[]> = L[number] extends infer T
  ? T extends CompositeType<infer F, "struct" | "union"> ? FieldsView<F> : never
  : never;

/**
 * Casts bytes to whichever layout has exactly their size, as mdlayher's `taskstats` accepts more than one
 * struct version. Tell the versions apart by `bytes.byteLength` or by a version field.
 *
 * @param bytes The bytes, e.g. a netlink attribute's payload.
 * @param layouts The accepted layouts, each of a different size.
 * @returns A view of the bytes through the layout of their size.
 * @throws {LayoutError} When no layout has that size; it lists every accepted size.
 * @throws {TypeError} When `layouts` is not an array of struct or union types.
 *
 * @example Two versions of a record
 * ```ts
 * import { castOneOf, struct, u16, u32 } from "./mod.ts";
 * const v1 = struct({ version: u16, a: u16 }, { name: "rec_v1" });
 * const v2 = struct({ version: u16, a: u16, b: u32 }, { name: "rec_v2" });
 * console.log(castOneOf(new Uint16Array([1, 7]), [v2, v1]).version); // 1
 * ```
 */
// deno-lint-ignore no-explicit-any
export function castOneOf<const L extends readonly CompositeType<any, any>[]>(
  bytes: Bytes,
  layouts: L,
): ViewOfAny<L> {
  if (
    !Array.isArray(layouts) ||
    !layouts.every((l) => typeof l === "object" && l !== null && CODEC in l && typeof l.cast === "function")
  ) {
    throw new TypeError(
      `Cannot cast to one of several layouts: expected an array of struct or union types, got ${
        describe(layouts)
      }`,
    );
  }
  const names = layouts.map((l) => l.name).join(" | ");
  const dv = toDataView(bytes, "cast to", names);
  for (const layout of layouts) {
    if (layout.size === dv.byteLength) return layout.cast(dv) as ViewOfAny<L>;
  }
  throw new LayoutError({ layout: names, expected: layouts.map((l) => l.size), actual: dv.byteLength });
}

/** The field list of a layout. */
export type FieldsOf<T> = T extends CompositeType<infer F extends Fields, "struct" | "union"> ? F : never;

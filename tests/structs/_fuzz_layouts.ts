/**
 * The fuzz suite's layouts: the random declarations of the cc cross-check (`_generated_layouts.ts`), and the kinds
 * those do not draw (rows of no bytes, flexible arrays with and without a count, strings, `bool`, big-endian
 * fields), each made on the generated and the plain code path.
 */
import { DEFAULT_MAX_ROWS } from "../../structs/_row_limit.ts";
import {
  ANY_SIZE,
  array,
  bool,
  char,
  i64be,
  struct,
  u16,
  u16be,
  u32,
  u32be,
  u8,
  union,
} from "../../structs/mod.ts";
import { onPath } from "./_both_paths.ts";
import { generate, nestedTypes } from "./_generated_layouts.ts";

/** A layout the fuzz suite drives; `strings` lists its top-level string fields (`char[]` read as text). */
export interface FuzzLayout {
  layout: ReturnType<typeof struct> | ReturnType<typeof union>;
  path: "generated" | "plain";
  strings: string[];
}

const limits = new WeakMap<object, number>();

/** The row limit a fuzz layout was made with (the library does not show it): by default `DEFAULT_MAX_ROWS`. */
export function rowLimitOf(layout: object): number {
  return limits.get(layout) ?? DEFAULT_MAX_ROWS;
}

function limited<T extends object>(layout: T, maxRows: number): T {
  limits.set(layout, maxRows);
  return layout;
}

function specials(): Omit<FuzzLayout, "path">[] {
  const Empty = struct({}, { name: "empty" });
  const Row3 = struct({ a: u8, b: u16be }, { name: "row3" });
  return [
    { layout: Empty, strings: [] },
    {
      layout: struct({ n: u8, tag: u16, rows: array(Row3, ANY_SIZE, { count: "n" }) }, { name: "flex8" }),
      strings: [],
    },
    {
      layout: struct({ n: u16, rows: array(u32, ANY_SIZE, { count: "n" }) }, { name: "flex16" }),
      strings: [],
    },
    // A row limit of its own, which random counts pass often (the reference is told it).
    {
      layout: limited(
        struct({ n: u16, rows: array(Empty, ANY_SIZE, { count: "n" }) }, { name: "flexEmpty", maxRows: 512 }),
        512,
      ),
      strings: [],
    },
    {
      layout: struct({ n: u32, rows: array(Empty, ANY_SIZE, { count: "n" }) }, { name: "flexEmpty32" }),
      strings: [],
    },
    { layout: struct({ a: u32, rows: array(u16, ANY_SIZE) }, { name: "flexBytes" }), strings: [] },
    {
      layout: struct({ name: array(char, 7, { string: true }), flag: bool, v: u32be, w: i64be }, {
        name: "text",
      }),
      strings: ["name"],
    },
    {
      layout: union({ s: array(u8, 5, { string: true }), x: u32, b: bool, rows: array(Row3, 2) }, {
        name: "textU",
      }),
      strings: ["s"],
    },
    { layout: struct({ e: Empty, x: u8, es: array(Empty, 3) }, { name: "holder" }), strings: [] },
  ];
}

/**
 * Every fuzz layout, on both code paths: `count` random ones (from `seed`) and the special ones, these listed
 * `weight` times so that they are drawn often.
 */
export function fuzzLayouts(seed: number, count: number, weight: number): FuzzLayout[] {
  const out: FuzzLayout[] = [];
  for (const path of ["generated", "plain"] as const) {
    onPath(path === "generated", () => {
      for (const c of generate(seed, count, 0, 0.2, undefined, nestedTypes())) {
        out.push({ layout: c.layout, path, strings: [] });
      }
      const made = specials();
      for (let i = 0; i < weight; i++) for (const s of made) out.push({ ...s, path });
    });
  }
  return out;
}

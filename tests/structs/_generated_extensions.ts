/**
 * Generated layouts for what GCC accepts beyond standard C and the system headers hold (issue 20): a struct
 * ending in a flexible array as a member (anywhere), as an array's element and in a union; an aligned flexible
 * array; a typedef's `aligned(n)`, which may lower the alignment and which `packed` overrides; and a member's own
 * `packed`. Drawn at random with a fixed seed, each with its C declaration, for `gcc_layout_test.ts`.
 *
 * @module
 */
import {
  aligned,
  array,
  f64,
  type FieldType,
  FLEXIBLE,
  pointer,
  type Scalar,
  struct,
  type StructOptions,
  u16,
  u32,
  u64,
  u8,
  union,
} from "../../structs/mod.ts";
import { type Case, generator, INTEGERS } from "./_generated_layouts.ts";

const SCALARS: [Scalar, string][] = [...INTEGERS, [f64, "double"], [pointer, "void *"]];

/** Typedefs with `aligned(n)`, raising or lowering: `[type, its alignment, C name, C type]`. */
const TYPEDEFS: [Scalar, number, string, string][] = [
  [u64, 2, "x_u64_a2", "uint64_t"],
  [u64, 4, "x_u64_a4", "uint64_t"],
  [u32, 8, "x_u32_a8", "uint32_t"],
  [u16, 1, "x_u16_a1", "uint16_t"],
  [f64, 4, "x_f64_a4", "double"],
  [u8, 16, "x_u8_a16", "uint8_t"],
];

/** The C declarations the cases use: the typedefs and the structs that end in a flexible array. */
export const EXTENSIONS_C = `
${TYPEDEFS.map(([, n, name, c]) => `typedef ${c} ${name} __attribute__((aligned(${n})));`).join("\n")}
struct fx1 { uint16_t n; uint8_t t; uint32_t rows[]; };
struct fx2 { uint8_t a; uint64_t rows[] __attribute__((aligned(16))); };
struct fx3 { struct fx1 head; uint8_t tail[]; };
struct __attribute__((packed)) fx4 { uint8_t a; uint32_t b; uint16_t rows[]; };
`;

/** The structs ending in a flexible array, made on the code path in force when called. */
function flexibleTypes(): [FieldType, string][] {
  const fx1 = struct({ n: u16, t: u8, rows: array(u32, FLEXIBLE, { count: "n" }) }, { name: "fx1" });
  return [
    [fx1, "struct fx1"],
    [struct({ a: u8, rows: aligned(array(u64, FLEXIBLE), 16) }, { name: "fx2" }), "struct fx2"],
    [struct({ head: fx1, tail: array(u8, FLEXIBLE) }, { name: "fx3" }), "struct fx3"],
    [struct({ a: u8, b: u32, rows: array(u16, FLEXIBLE) }, { name: "fx4", packed: true }), "struct fx4"],
  ];
}

/** `count` cases named from `e${first}`. */
export function generateExtensions(seed: number, count: number, first: number): Case[] {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const flexible = flexibleTypes();
  const cases: Case[] = [];
  for (let n = first; n < first + count; n++) {
    const isUnion = random() < 0.2;
    const options: StructOptions = { name: `e${n}` };
    if (random() < 0.25) options.packed = true;
    if (random() < 0.3) options.pack = pick([1, 2, 4, 8, 16]);
    if (random() < 0.1) options.align = pick([2, 4, 8, 16, 32]);
    const fields: Record<string, unknown> = {};
    const lines: string[] = [];
    const fieldCount = 1 + Math.floor(random() * 6);
    for (let f = 0; f < fieldCount; f++) {
      const name = `f${f}`;
      const roll = random();
      if (roll < 0.25) {
        const [type, cName] = pick(SCALARS);
        fields[name] = type;
        lines.push(`${cName} ${name};`);
      } else if (roll < 0.5) {
        const [type, align, cName] = pick(TYPEDEFS);
        fields[name] = aligned(type, align, { exact: true });
        lines.push(`${cName} ${name};`);
      } else if (roll < 0.65) {
        // A member's own packed (and sometimes aligned(m) with it).
        const [type, cName] = pick(SCALARS);
        const to = random() < 0.3 ? pick([2, 4, 8]) : 1;
        fields[name] = aligned(type, to, { exact: true });
        lines.push(`${cName} ${name} __attribute__((packed${to > 1 ? `, aligned(${to})` : ""}));`);
      } else if (roll < 0.85) {
        const [type, cName] = pick(flexible);
        fields[name] = type;
        lines.push(`${cName} ${name};`);
      } else {
        const [type, cName] = pick(flexible);
        const length = 1 + Math.floor(random() * 3);
        fields[name] = array(type, length);
        lines.push(`${cName} ${name}[${length}];`);
      }
    }
    // A struct may end in an aligned flexible array.
    if (!isUnion && random() < 0.3) {
      const [type, cName] = pick(SCALARS);
      const to = pick([1, 2, 4, 8, 16]);
      fields.last = aligned(array(type, FLEXIBLE), to);
      lines.push(`${cName} last[] __attribute__((aligned(${to})));`);
    }
    // A member's own packed with aligned(m) is m even in a packed struct, which `exact` does not say: left out.
    if (options.packed) {
      for (const [key, spec] of Object.entries(fields)) {
        const a = spec as { kind?: string; align?: number; exact?: boolean };
        if (
          a.kind === "aligned" && a.exact && lines.some((l) => l.includes(` ${key} __attribute__((packed,`))
        ) {
          delete fields[key];
          const index = lines.findIndex((l) => l.includes(` ${key} __attribute__`));
          lines.splice(index, 1);
        }
      }
      if (Object.keys(fields).length === 0) {
        fields.f = u8;
        lines.push("uint8_t f;");
      }
    }
    const attributes = [options.packed ? "packed" : "", options.align ? `aligned(${options.align})` : ""]
      .filter(Boolean);
    const kind = isUnion ? "union" : "struct";
    const decl = `${kind} ${attributes.length ? `__attribute__((${attributes.join(", ")})) ` : ""}e${n} { ${
      lines.join(" ")
    } };`;
    const wrapped = options.pack ? `#pragma pack(push, ${options.pack})\n${decl}\n#pragma pack(pop)` : decl;
    const layout = isUnion ? union(fields as never, options) : struct(fields as never, options);
    cases.push({ layout, c: `${kind} e${n}`, decl: wrapped, windowsDecl: wrapped });
  }
  return cases;
}

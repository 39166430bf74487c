/**
 * The by-value case table: layouts written once, from which both the C source (compiled by the test) and the
 * toolkit's struct come, with the values a C function computes from each. Every size from 1 to 32 bytes and
 * some larger, every System V register mix, nesting, arrays, unions, packed and aligned structs.
 */
import {
  aligned,
  array,
  f32,
  f64,
  type FieldType,
  i16,
  i32,
  i64,
  i8,
  struct,
  type StructType,
  u16,
  u32,
  u64,
  u8,
  union,
} from "../../mod.ts";

/** A scalar: its C spelling, the toolkit's type, and how its values are made. */
interface ScalarSpec {
  readonly c: string;
  readonly type: FieldType;
  readonly value: "int" | "big" | "float";
}
/** A layout in the table. */
export type Spec =
  | ScalarSpec
  | { readonly array: Spec; readonly length: number }
  | { readonly aligned: Spec; readonly align: number }
  | {
    readonly fields: readonly (readonly [string, Spec])[];
    readonly union?: boolean;
    readonly packed?: boolean;
    /** A union's member the C functions read and write (the others alias it). */
    readonly active?: string;
  };

const scalar = (c: string, type: FieldType, value: ScalarSpec["value"]): ScalarSpec => ({ c, type, value });
export const I8: Spec = scalar("int8_t", i8, "int");
export const U8: Spec = scalar("uint8_t", u8, "int");
export const I16: Spec = scalar("int16_t", i16, "int");
export const U16: Spec = scalar("uint16_t", u16, "int");
export const I32: Spec = scalar("int32_t", i32, "int");
export const U32: Spec = scalar("uint32_t", u32, "int");
export const I64: Spec = scalar("int64_t", i64, "big");
export const U64: Spec = scalar("uint64_t", u64, "big");
export const F32: Spec = scalar("float", f32, "float");
export const F64: Spec = scalar("double", f64, "float");

const names = "abcdefghijklmnop";
/** A struct of these members, named a, b, c, … */
export function S(...members: Spec[]): Spec {
  return { fields: members.map((m, i) => [names[i]!, m] as const) };
}
/** A packed struct of these members. */
export function P(...members: Spec[]): Spec {
  return { fields: members.map((m, i) => [names[i]!, m] as const), packed: true };
}
/** A union of these members, the C functions using member `active` (a letter). */
export function U(active: string, ...members: Spec[]): Spec {
  return { fields: members.map((m, i) => [names[i]!, m] as const), union: true, active };
}
/** An array. */
export function A(element: Spec, length: number): Spec {
  return { array: element, length };
}
/** A member with `__attribute__((aligned(n)))`. */
export function AL(member: Spec, align: number): Spec {
  return { aligned: member, align };
}

/** One case: a layout and which C functions it gets. */
export interface Case {
  readonly name: string;
  readonly spec: Spec;
  /** Only as a call's result: a packed struct of up to 16 bytes with an unaligned member. */
  readonly resultOnly?: boolean;
  /** Also the eight-argument functions and callbacks, which run the registers out. */
  readonly many?: boolean;
}

/** The C declaration of a member (or a typedef's body). */
function cDeclaration(spec: Spec, name: string): string {
  if ("c" in spec) return `${spec.c} ${name}`;
  if ("array" in spec) return `${cDeclaration(spec.array, name)}[${spec.length}]`;
  if ("aligned" in spec) return `${cDeclaration(spec.aligned, name)} __attribute__((aligned(${spec.align})))`;
  const body = spec.fields.map(([n, m]) => `${cDeclaration(m, n)};`).join(" ");
  return `${spec.union ? "union" : "struct"}${
    spec.packed ? " __attribute__((packed))" : ""
  } { ${body} } ${name}`;
}

function toolkitType(spec: Spec, name: string): FieldType {
  if ("c" in spec) return spec.type;
  if ("array" in spec) return array(toolkitType(spec.array, name) as never, spec.length) as FieldType;
  if ("aligned" in spec) return aligned(toolkitType(spec.aligned, name), spec.align) as never;
  const fields = Object.fromEntries(spec.fields.map(([n, m]) => [n, toolkitType(m, `${name}_${n}`)]));
  return (spec.union
    ? union(fields, { name })
    : struct(fields, { name, packed: spec.packed ?? false })) as never;
}

/** A scalar the C functions read and write: its path in C and in JavaScript, and its kind. */
export interface Leaf {
  readonly c: string;
  readonly path: readonly (string | number)[];
  readonly cType: string;
  readonly value: ScalarSpec["value"];
}

function leaves(spec: Spec, c: string, path: (string | number)[], out: Leaf[]): void {
  if ("c" in spec) out.push({ c, path, cType: spec.c, value: spec.value });
  else if ("array" in spec) {
    for (let i = 0; i < spec.length; i++) leaves(spec.array, `${c}[${i}]`, [...path, i], out);
  } else if ("aligned" in spec) leaves(spec.aligned, c, path, out);
  else {
    for (const [n, m] of spec.fields) {
      if (spec.union && n !== spec.active) continue;
      leaves(m, `${c}.${n}`, [...path, n], out);
    }
  }
}

/** A case made ready: its toolkit type, its leaves and its C source. */
export interface Prepared {
  readonly case: Case;
  readonly type: StructType;
  readonly leaves: readonly Leaf[];
  readonly source: string;
}

/**
 * The C functions of a case `x` (type `x_t`):
 * `x_t x_make(int32_t k)`, `x_t x_step(x_t s, int32_t k)`, `x_t x_apply(x_t (*f)(x_t, int32_t), x_t s, int32_t k)`
 * and, for `many`, `x_t x_many(x_t x0, …, x_t x7, int32_t which, int32_t k)`,
 * `x_t x_apply_many(x_t (*f)(x_t, …, x_t, int32_t), x_t x0, …, x_t x7, int32_t which)`, and both again with
 * a 24-byte-longer result `x_wide_t { x_t s; uint8_t pad[24]; }` (`x_many_wide`, `x_apply_many_wide`).
 * Each leaf `i` of `step`'s result is the argument's plus `k + i` (an integer) or twice it plus `k` (a float).
 */
export function prepare(c: Case): Prepared {
  const t = `${c.name}_t`;
  const list: Leaf[] = [];
  leaves(c.spec, "", [], list);
  const step = list.map((leaf, i) =>
    leaf.value === "float"
      ? `  r${leaf.c} = s${leaf.c} * 2 + k;`
      : `  r${leaf.c} = (${leaf.cType})(s${leaf.c} + k + ${i});`
  );
  const make = list.map((leaf, i) => `  r${leaf.c} = ${initialC(leaf, i, 0)};`);
  const eight = Array.from({ length: 8 }, (_, j) => `x${j}`);
  const lines = [
    `typedef ${cDeclaration(c.spec, t)};`,
    `${t} ${c.name}_step(${t} s, int32_t k) { ${t} r; memset(&r, 0, sizeof r);\n${
      step.join("\n")
    }\n  return r; }`,
    `${t} ${c.name}_make(int32_t k) { ${t} r; memset(&r, 0, sizeof r);\n${
      make.join("\n")
    }\n  return ${c.name}_step(r, k); }`,
  ];
  if (!c.resultOnly) {
    lines.push(`${t} ${c.name}_apply(${t} (*f)(${t}, int32_t), ${t} s, int32_t k) { return f(s, k); }`);
  }
  if (c.many) {
    const params = eight.map((n) => `${t} ${n}`).join(", ");
    const pick = eight.map((n, j) => `which == ${j} ? ${n} : `).join("") + "x0";
    lines.push(
      `${t} ${c.name}_many(${params}, int32_t which, int32_t k) { return ${c.name}_step(${pick}, k); }`,
      `${t} ${c.name}_apply_many(${t} (*f)(${
        eight.map(() => t).join(", ")
      }, int32_t), ${params}, int32_t which) ` +
        `{ return f(${eight.join(", ")}, which); }`,
      // The same with a MEMORY result, whose hidden pointer takes the first integer register.
      `typedef struct { ${t} s; uint8_t pad[24]; } ${c.name}_wide_t;`,
      `${c.name}_wide_t ${c.name}_many_wide(${params}, int32_t which, int32_t k) { ${c.name}_wide_t r; ` +
        `memset(&r, 0, sizeof r); r.s = ${c.name}_step(${pick}, k); return r; }`,
      `${c.name}_wide_t ${c.name}_apply_many_wide(${c.name}_wide_t (*f)(${
        eight.map(() => t).join(", ")
      }, int32_t), ` +
        `${params}, int32_t which) { return f(${eight.join(", ")}, which); }`,
    );
  }
  return { case: c, type: toolkitType(c.spec, c.name) as StructType, leaves: list, source: lines.join("\n") };
}

function initialC(leaf: Leaf, i: number, set: number): string {
  const v = initial(leaf, i, set);
  return typeof v === "bigint" ? `${v}LL` : String(v);
}

/** Leaf `i`'s value in argument set `set` (small, so that no step overflows or rounds). */
export function initial(leaf: Leaf, i: number, set: number): number | bigint {
  if (leaf.value === "float") return i + 0.25 + set * 0.5;
  const v = ((i * 37 + 11) % 50) + set;
  return leaf.value === "big" ? BigInt(v) : v;
}

/** What `step` makes of a leaf's value. */
export function stepped(leaf: Leaf, i: number, value: number | bigint, k: number): number | bigint {
  if (leaf.value === "float") return (value as number) * 2 + k;
  return leaf.value === "big" ? (value as bigint) + BigInt(k + i) : (value as number) + k + i;
}

/** The value of a case with these leaf values, as the toolkit takes it. */
export function build(
  spec: Spec,
  values: Map<string, number | bigint>,
  path: (string | number)[] = [],
): unknown {
  if ("c" in spec) return values.get(JSON.stringify(path));
  if ("array" in spec) {
    return Array.from({ length: spec.length }, (_, i) => build(spec.array, values, [...path, i]));
  }
  if ("aligned" in spec) return build(spec.aligned, values, path);
  const out: Record<string, unknown> = {};
  for (const [n, m] of spec.fields) {
    if (spec.union && n !== spec.active) continue;
    out[n] = build(m, values, [...path, n]);
  }
  return out;
}

/** A leaf's value in a decoded struct. */
export function at(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value);
}

const sizes: Case[] = [];
for (let n = 1; n <= 32; n++) sizes.push({ name: `bytes${n}`, spec: S(A(U8, n)) });
for (let n = 4; n <= 32; n += 4) sizes.push({ name: `floats${n}`, spec: S(A(F32, n / 4)) });
for (let n = 9; n <= 32; n++) sizes.push({ name: `double_bytes${n}`, spec: S(F64, A(I8, n - 8)) });

/** Every case. */
export const CASES: readonly Case[] = [
  ...sizes,
  // Register mixes, eightbyte by eightbyte.
  { name: "int_int", spec: S(I64, I64), many: true },
  { name: "int_float", spec: S(I64, F64), many: true },
  { name: "float_int", spec: S(F64, I64), many: true },
  { name: "float_float", spec: S(F64, F64), many: true },
  { name: "f32_pair", spec: S(F32, F32), many: true },
  { name: "f32_quad", spec: S(F32, F32, F32, F32), many: true },
  { name: "f32_i32", spec: S(F32, I32), many: true },
  { name: "mixed_then_double", spec: S(I32, F32, F64), many: true },
  { name: "floats_then_int", spec: S(F32, F32, U32), many: true },
  { name: "double_float", spec: S(F64, F32), many: true },
  { name: "small_ints", spec: S(I8, U16, I32) },
  { name: "u16_u64", spec: S(U16, U64) },
  // Nesting and arrays inside.
  { name: "nested_pairs", spec: S(S(F32, F32), S(I32, F32)), many: true },
  { name: "nested_deep", spec: S(S(S(F64), I16), U8) },
  { name: "array_vec3_tag", spec: S(A(F32, 3), I32) },
  { name: "array_of_structs", spec: S(A(S(I16, U8), 3)) },
  { name: "array_doubles", spec: S(A(F64, 2)) },
  // Unions.
  { name: "union_double_long", spec: U("b", F64, I64), many: true },
  { name: "union_double_long_d", spec: U("a", F64, I64) },
  { name: "union_float_floats", spec: U("b", F32, A(F32, 2)), many: true },
  { name: "union_double_floats", spec: U("a", F64, A(F32, 2)) },
  { name: "union_of_structs", spec: U("a", S(F32, F32), F64) },
  { name: "struct_with_union", spec: S(U("b", I32, F32), F32) },
  { name: "union_large", spec: U("a", A(I64, 3), F64) },
  // Packed and aligned.
  { name: "packed_aligned_members", spec: P(U8, U8, U16, F32), many: true },
  { name: "packed_float_byte", spec: P(F32, U8) },
  { name: "packed_double_float", spec: P(F64, F32), many: true },
  { name: "packed_double_byte", spec: P(F64, U8), many: true },
  { name: "packed_large", spec: P(U8, F64, F64), many: true },
  { name: "packed_unaligned", spec: P(U8, U32), resultOnly: true },
  { name: "packed_unaligned_double", spec: P(U8, F64), resultOnly: true },
  { name: "aligned_int", spec: S(AL(I32, 8)) },
  { name: "aligned_floats", spec: S(F32, AL(F32, 8)), many: true },
  // Larger than 32 bytes.
  { name: "doubles40", spec: S(A(F64, 5)), many: true },
  { name: "longs64", spec: S(A(I64, 8)) },
  { name: "floats40", spec: S(A(F32, 10)) },
];

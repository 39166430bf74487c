/**
 * The generated layouts the compiler checks share: a few hundred structs and unions drawn at random (with a
 * fixed seed, so every run sees the same ones) from every combination the layout rules care about, each with
 * its C declaration; and the bitfield values set in them, with how to compare the bytes C gives.
 * `gcc_layout_test.ts` asks the host's `cc` (GCC's rules, and MSVC's by `ms_struct`);
 * `mingw_layout_test.ts` asks `x86_64-w64-mingw32-gcc`, whose default are MSVC's rules.
 *
 * @module
 */
import {
  aligned,
  array,
  type BitFieldStorage,
  bits,
  f32,
  f64,
  type FieldInfo,
  type FieldType,
  i16,
  i32,
  i64,
  i8,
  padding,
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

/** mulberry32: a small, good enough generator that makes the same sequence for the same seed. */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fixed-width integers with their C names. */
export const INTEGERS: [Scalar<BitFieldStorage>, string][] = [
  [u8, "uint8_t"],
  [i8, "int8_t"],
  [u16, "uint16_t"],
  [i16, "int16_t"],
  [u32, "uint32_t"],
  [i32, "int32_t"],
  [u64, "uint64_t"],
  [i64, "int64_t"],
];
const SCALARS: [FieldType, string][] = [...INTEGERS, [f32, "float"], [f64, "double"], [pointer, "void *"]];

const NESTED_C = `
struct n3 { uint8_t a[3]; };
struct n12 { int32_t a; int16_t b; int8_t c; };
struct __attribute__((aligned(16))) n16 { int8_t a; int32_t b; };
struct __attribute__((packed)) npk { int8_t a; int64_t b; };
`;
/** The nested struct types the layouts draw from, made on the code path in force when called. */
export function nestedTypes(): [FieldType, string][] {
  return [
    [struct({ a: array(u8, 3) }, { name: "n3" }), "struct n3"],
    [struct({ a: i32, b: i16, c: i8 }, { name: "n12" }), "struct n12"],
    [struct({ a: i8, b: i32 }, { name: "n16", align: 16 }), "struct n16"],
    [struct({ a: i8, b: i64 }, { name: "npk", packed: true }), "struct npk"],
  ];
}
const NESTED: [FieldType, string][] = nestedTypes();

/** The seed and counts of the layouts checked against `cc` (and, on both code paths, against each other). */
export const SEED = 0x5eed_2024;
/** How many layouts the first batch has. */
export const COUNT = 400;
/** How many layouts with unnamed bitfields follow them. */
export const UNNAMED_COUNT = 100;

/** One generated layout: ours, its C type name and its C declaration. */
export interface Case {
  layout: ReturnType<typeof struct> | ReturnType<typeof union>;
  c: string;
  /** For the host's `cc`: MSVC's rules by `__attribute__((ms_struct))`. */
  decl: string;
  /** For `x86_64-w64-mingw32-gcc`, whose default they are: without `ms_struct`. */
  windowsDecl: string;
}

/**
 * `count` cases named from `t${first}`; a bitfield with bits is unnamed (`padding`) with chance `unnamed`
 * (with 0, no draw is spent on it, so the first batch is what it was before unnamed bitfields), and a case
 * follows MSVC's rules with chance `msvc` (the draw is made whatever the chance, so a seed's other choices
 * stay the same).
 */
export function generate(
  seed: number,
  count: number,
  first: number,
  unnamed: number,
  msvcShare = 0.15,
  nested: [FieldType, string][] = NESTED,
): Case[] {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const cases: Case[] = [];
  for (let n = first; n < first + count; n++) {
    let isUnion = random() < 0.2;
    const options: StructOptions = { name: `t${n}` };
    if (random() < msvcShare) options.bitfields = "msvc";
    if (random() < 0.3) options.packed = true;
    if (random() < 0.4) options.pack = pick([1, 2, 4, 8, 16]);
    if (random() < 0.1) options.align = pick([2, 4, 8, 16, 32]);
    const msvc = options.bitfields === "msvc";
    // Under MSVC's rules `packed` means `#pragma pack(1)`, as there is no attribute.
    const pack = msvc && options.packed ? 1 : options.pack;
    // Where GCC's ms_struct and Visual C++ (as Clang's MSVC layout mimics it) differ, we follow Visual C++,
    // so those cases are left out: a bitfield in a union takes a whole unit of its declared type there but
    // only its bytes under ms_struct (they differ when a pack lowers the union's alignment), and so does a
    // `T : 0` right after a bitfield in a union.
    if (msvc && pack) isUnion = false;
    const msvcUnion = msvc && isUnion;
    let afterBits = false;
    const fields: Record<string, unknown> = {};
    const lines: string[] = [];
    const fieldCount = 1 + Math.floor(random() * 7);
    let named = 0;
    for (let f = 0; f < fieldCount || named === 0; f++) {
      const name = `f${f}`;
      const roll = random();
      if (roll < 0.5) {
        const [storage, cName] = pick(INTEGERS);
        let width = random() < 0.12 ? 0 : 1 + Math.floor(random() * storage.size * 8);
        if (width === 0 && msvcUnion && afterBits) width = 1;
        afterBits = width > 0;
        const anonymous = width === 0 || (unnamed > 0 && random() < unnamed);
        fields[name] = anonymous && width > 0 ? padding(storage, width) : bits(storage, width);
        lines.push(anonymous ? `${cName} : ${width};` : `${cName} ${name} : ${width};`);
        if (!anonymous) named++;
        continue;
      }
      named++;
      afterBits = false;
      if (roll < 0.75) {
        const [type, cName] = pick(SCALARS);
        fields[name] = type;
        lines.push(`${cName} ${name};`);
      } else if (roll < 0.85) {
        const [type, cName] = random() < 0.7 ? pick(SCALARS) : pick(nested);
        const to = pick([1, 2, 4, 8, 16, 32]);
        fields[name] = aligned(type, to);
        lines.push(`${cName} ${name} __attribute__((aligned(${to})));`);
      } else if (roll < 0.95) {
        const [type, cName] = pick(nested);
        fields[name] = type;
        lines.push(`${cName} ${name};`);
      } else {
        const [type, cName] = pick(SCALARS);
        const length = 1 + Math.floor(random() * 3);
        fields[name] = array(type, length);
        lines.push(`${cName} ${name}[${length}];`);
      }
    }
    const attributes = [
      options.packed && !msvc ? "packed" : "",
      options.align ? `aligned(${options.align})` : "",
      msvc ? "ms_struct" : "",
    ].filter(Boolean);
    const kind = isUnion ? "union" : "struct";
    const c = `${kind} t${n}`;
    const declare = (attributes: string[]) => {
      const decl = `${kind} ${attributes.length ? `__attribute__((${attributes.join(", ")})) ` : ""}t${n} { ${
        lines.join(" ")
      } };`;
      return pack ? `#pragma pack(push, ${pack})\n${decl}\n#pragma pack(pop)` : decl;
    };
    const layout = isUnion ? union(fields as never, options) : struct(fields as never, options);
    cases.push({
      layout,
      c,
      decl: declare(attributes),
      windowsDecl: declare(attributes.filter((a) => a !== "ms_struct")),
    });
  }
  return cases;
}

/** The C declarations of the nested types and of every case: `decl` for `cc`, `windowsDecl` for mingw. */
export function prelude(cases: Case[], which: "decl" | "windowsDecl" = "decl"): string {
  return `#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n${NESTED_C}\n${
    cases.map((c) => c[which]).join("\n")
  }\n`;
}

export const withBits = (layout: { fields: readonly FieldInfo[] }) =>
  layout.fields.filter((f) => f.bitWidth !== undefined && f.bitWidth > 0);
const storageOf = (field: FieldInfo) => (field.type as unknown as { storage: Scalar }).storage;
const isSigned = (field: FieldInfo) => storageOf(field).native.startsWith("i");

/** A value for a bitfield: all ones (-1 when signed) or one drawn at random in its range. */
export function valueFor(field: FieldInfo, random: (() => number) | undefined): bigint {
  const width = field.bitWidth!;
  const word = () => BigInt(Math.floor(random!() * 2 ** 32));
  const v = random ? (word() << 32n) | word() : -1n;
  return isSigned(field) ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v);
}

export function cLiteral(v: bigint): string {
  if (v === -(2n ** 63n)) return "(-9223372036854775807LL - 1)";
  return v < 0n ? `${v}LL` : `${v}ULL`;
}

export const asValue = (field: FieldInfo, v: bigint): number | bigint => field.bitWidth! > 32 ? v : Number(v);
export const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** Bitfield values to set in one object of a case, and the name its bytes go by. */
export interface BitSetting {
  key: string;
  case: Case;
  values: [FieldInfo, bigint][];
}

/** Per case, one setting per bitfield (all ones), and for a struct with several, one with every bitfield set. */
export function bitSettings(cases: Case[], random: () => number): BitSetting[] {
  const settings: BitSetting[] = [];
  for (const k of cases) {
    const fields = withBits(k.layout);
    const sets: [FieldInfo, bigint][][] = fields.map((f) => [[f, valueFor(f, undefined)]]);
    if (k.layout.kind === "struct" && fields.length > 1) {
      sets.push(fields.map((f) => [f, valueFor(f, random)]));
    }
    for (const values of sets) {
      const key = `${k.layout.name}.${values.length === 1 ? values[0]![0].name : "*"}`;
      settings.push({ key, case: k, values });
    }
  }
  return settings;
}

/**
 * Compares each setting's bytes as C gave them (hex) with ours (set through a view, from zero), and reads
 * every value back from C's bytes.
 *
 * @returns One line per disagreement.
 */
export function bitFailures(
  settings: BitSetting[],
  patterns: Map<string, string>,
  compiler: string,
): string[] {
  const failures: string[] = [];
  for (const { key, case: k, values } of settings) {
    const layout = k.layout;
    const pattern = patterns.get(key);
    // A size the compiler disagrees with is already a failure of the layout check.
    if (pattern === undefined || pattern.length !== layout.size * 2) continue;
    const bytes = new Uint8Array(layout.size);
    const view = (layout.view as (bytes: Uint8Array) => Record<string, unknown>)(bytes);
    for (const [field, v] of values) view[field.name] = asValue(field, v);
    const read = (layout.read as (bytes: Uint8Array) => Record<string, unknown>)(
      Uint8Array.from(pattern.match(/../g) ?? [], (h) => parseInt(h, 16)),
    );
    const wrong = values.filter(([field, v]) => read[field.name] !== asValue(field, v)).map(([f]) => f.name);
    if (hex(bytes) !== pattern || wrong.length) {
      failures.push(
        `${k.decl}\n  bits of ${key}: ours ${hex(bytes)}, ${compiler} ${pattern}${
          wrong.length ? `; read back wrong: ${wrong.join(", ")}` : ""
        }`,
      );
    }
  }
  return failures;
}

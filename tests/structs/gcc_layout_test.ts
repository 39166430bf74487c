/**
 * A generated cross-check against the C compiler: a few hundred structs and unions drawn at random (with a
 * fixed seed, so every run sees the same ones) from every combination the layout rules care about: `packed`,
 * `#pragma pack(1|2|4|8|16)`, `aligned` on members and on the type, bitfields of every declared type from
 * `int8_t` to `uint64_t` and every width from 0 to 64, nested structs (one of them over-aligned, one packed)
 * and arrays, under GCC's rules and under `ms_struct`. All of them go into one C program; size, alignment and
 * the offset of every other field must agree, and so must the bits: C sets one bitfield to all ones in a
 * zeroed object and prints the bytes, we set the same field through a view and compare; then C fills every
 * bitfield of a struct with a random value at once and we compare again, and read every value back. A second,
 * smaller batch also declares unnamed bitfields (`padding`), which GCC leaves out of the alignment.
 */
import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
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
import { assertSameLayout, cLayouts, pathsOf } from "./_c.ts";

const SEED = 0x5eed_2024;
const COUNT = 400;
const UNNAMED_COUNT = 100;

/** mulberry32: a small, good enough generator that makes the same sequence for the same seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTEGERS: [Scalar<BitFieldStorage>, string][] = [
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
const NESTED: [FieldType, string][] = [
  [struct({ a: array(u8, 3) }, { name: "n3" }), "struct n3"],
  [struct({ a: i32, b: i16, c: i8 }, { name: "n12" }), "struct n12"],
  [struct({ a: i8, b: i32 }, { name: "n16", align: 16 }), "struct n16"],
  [struct({ a: i8, b: i64 }, { name: "npk", packed: true }), "struct npk"],
];

interface Case {
  layout: ReturnType<typeof struct> | ReturnType<typeof union>;
  c: string;
  decl: string;
}

/**
 * `count` cases named from `t${first}`; a bitfield with bits is unnamed (`padding`) with chance `unnamed`
 * (with 0, no draw is spent on it, so the first batch is what it was before unnamed bitfields).
 */
function generate(seed: number, count: number, first: number, unnamed: number): Case[] {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const cases: Case[] = [];
  for (let n = first; n < first + count; n++) {
    let isUnion = random() < 0.2;
    const options: StructOptions = { name: `t${n}` };
    if (random() < 0.15) options.bitfields = "msvc";
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
        const [type, cName] = random() < 0.7 ? pick(SCALARS) : pick(NESTED);
        const to = pick([1, 2, 4, 8, 16, 32]);
        fields[name] = aligned(type, to);
        lines.push(`${cName} ${name} __attribute__((aligned(${to})));`);
      } else if (roll < 0.95) {
        const [type, cName] = pick(NESTED);
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
    let decl = `${kind} ${attributes.length ? `__attribute__((${attributes.join(", ")})) ` : ""}t${n} { ${
      lines.join(" ")
    } };`;
    if (pack) decl = `#pragma pack(push, ${pack})\n${decl}\n#pragma pack(pop)`;
    const layout = isUnion ? union(fields as never, options) : struct(fields as never, options);
    cases.push({ layout, c, decl });
  }
  return cases;
}

const PRELUDE = (cases: Case[]) =>
  `#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n${NESTED_C}\n${
    cases.map((c) => c.decl).join("\n")
  }\n`;

const withBits = (layout: { fields: readonly FieldInfo[] }) =>
  layout.fields.filter((f) => f.bitWidth !== undefined && f.bitWidth > 0);
const storageOf = (field: FieldInfo) => (field.type as unknown as { storage: Scalar }).storage;
const isSigned = (field: FieldInfo) => storageOf(field).native.startsWith("i");

/** A value for a bitfield: all ones (-1 when signed) or one drawn at random in its range. */
function valueFor(field: FieldInfo, random: (() => number) | undefined): bigint {
  const width = field.bitWidth!;
  const word = () => BigInt(Math.floor(random!() * 2 ** 32));
  const v = random ? (word() << 32n) | word() : -1n;
  return isSigned(field) ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v);
}

function cLiteral(v: bigint): string {
  if (v === -(2n ** 63n)) return "(-9223372036854775807LL - 1)";
  return v < 0n ? `${v}LL` : `${v}ULL`;
}

const asValue = (field: FieldInfo, v: bigint): number | bigint => field.bitWidth! > 32 ? v : Number(v);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

test("struct() and union() match cc on generated layouts: packing, alignment, bitfields, ms_struct", () => {
  // A second, smaller batch from another seed has unnamed bitfields too.
  const cases = [...generate(SEED, COUNT, 0, 0), ...generate(SEED ^ 0x0a11, UNNAMED_COUNT, COUNT, 0.3)];
  // Layouts first: size, alignment and the offset of every field that is not a bitfield.
  const c = cLayouts(PRELUDE(cases), Object.fromEntries(cases.map((k) => [k.c, pathsOf(k.layout)])));
  const failures: string[] = [];
  for (const k of cases) {
    try {
      assertSameLayout(k.layout as never, c.get(k.c));
    } catch (error) {
      failures.push(`${k.decl}\n  ${(error as Error).message.split("\n")[0]}`);
    }
  }
  // Then the bits. One block per bitfield set to all ones, and per struct one with every bitfield set.
  const random = generator(SEED ^ 0xb175);
  const blocks: string[] = [];
  const expected: { key: string; layout: Case["layout"]; values: [FieldInfo, bigint][] }[] = [];
  for (const k of cases) {
    const fields = withBits(k.layout);
    const sets: [FieldInfo, bigint][][] = fields.map((f) => [[f, valueFor(f, undefined)]]);
    if (k.layout.kind === "struct" && fields.length > 1) {
      sets.push(fields.map((f) => [f, valueFor(f, random)]));
    }
    for (const values of sets) {
      const key = `${k.layout.name}.${values.length === 1 ? values[0]![0].name : "*"}`;
      const stores = values.map(([f, v]) => `x.${f.name} = ${cLiteral(v)};`).join(" ");
      blocks.push(`{ ${k.c} x; memset(&x, 0, sizeof x); ${stores}
  const unsigned char *p = (const unsigned char *)&x; printf("%s|", "${key}");
  for (size_t i = 0; i < sizeof x; i++) printf("%02x", p[i]); printf("\\n"); }`);
      expected.push({ key, layout: k.layout, values });
    }
  }
  const out = runC(`${PRELUDE(cases)}\nint main(void) {\n${blocks.join("\n")}\nreturn 0;\n}\n`, ["-w"]);
  const patterns = new Map(out.trim().split("\n").map((line) => line.split("|") as [string, string]));
  const decls = new Map(cases.map((k) => [k.layout.name, k.decl]));
  for (const { key, layout, values } of expected) {
    // A size cc disagrees with is already a failure above.
    if (patterns.get(key)!.length !== layout.size * 2) continue;
    const bytes = new Uint8Array(layout.size);
    const view = (layout.view as (bytes: Uint8Array) => Record<string, unknown>)(bytes);
    for (const [field, v] of values) view[field.name] = asValue(field, v);
    const read = (layout.read as (bytes: Uint8Array) => Record<string, unknown>)(
      Uint8Array.from(patterns.get(key)!.match(/../g) ?? [], (h) => parseInt(h, 16)),
    );
    const wrong = values.filter(([field, v]) => read[field.name] !== asValue(field, v)).map(([f]) => f.name);
    if (hex(bytes) !== patterns.get(key) || wrong.length) {
      failures.push(
        `${decls.get(layout.name)}\n  bits of ${key}: ours ${hex(bytes)}, cc ${patterns.get(key)}${
          wrong.length ? `; read back wrong: ${wrong.join(", ")}` : ""
        }`,
      );
    }
  }
  assert.equal(expected.length > COUNT, true);
  assert.deepEqual(failures.slice(0, 12), [], `${failures.length} disagreements with cc`);
});

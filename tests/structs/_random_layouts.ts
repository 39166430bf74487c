/**
 * Random struct and union declarations drawn with a fixed seed from every combination the layout rules care
 * about, shared by the cross-check against cc (`gcc_layout_test.ts`) and the check that the generated and the
 * plain code paths agree (`code_paths_test.ts`).
 */
import {
  aligned,
  array,
  type BitFieldStorage,
  bits,
  f32,
  f64,
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

export const SEED = 0x5eed_2024;
export const COUNT = 400;
export const UNNAMED_COUNT = 100;

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

export const NESTED_C = `
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

/** A generated layout, its C name and its C declaration. */
export interface Case {
  layout: ReturnType<typeof struct> | ReturnType<typeof union>;
  c: string;
  decl: string;
}

/**
 * `count` cases named from `t${first}`; a bitfield with bits is unnamed (`padding`) with chance `unnamed`
 * (with 0, no draw is spent on it, so the first batch is what it was before unnamed bitfields).
 */
export function generate(
  seed: number,
  count: number,
  first: number,
  unnamed: number,
  nested: [FieldType, string][] = NESTED,
): Case[] {
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
    let decl = `${kind} ${attributes.length ? `__attribute__((${attributes.join(", ")})) ` : ""}t${n} { ${
      lines.join(" ")
    } };`;
    if (pack) decl = `#pragma pack(push, ${pack})\n${decl}\n#pragma pack(pop)`;
    const layout = isUnion ? union(fields as never, options) : struct(fields as never, options);
    cases.push({ layout, c, decl });
  }
  return cases;
}

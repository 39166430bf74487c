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
import type { FieldInfo, Scalar } from "../../structs/mod.ts";
import { type Case, COUNT, generate, generator, NESTED_C, SEED, UNNAMED_COUNT } from "./_random_layouts.ts";
import { assertSameLayout, cLayouts, pathsOf } from "./_c.ts";

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

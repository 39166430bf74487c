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
import { assertSameLayout, cLayouts, pathsOf } from "./_c.ts";
import {
  bitFailures,
  bitSettings,
  cLiteral,
  COUNT,
  generate,
  generator,
  prelude,
  SEED,
  UNNAMED_COUNT,
} from "./_generated_layouts.ts";
import { withOpaquePointers } from "./_opaque_pointers.ts";
import { EXTENSIONS_C, generateExtensions } from "./_generated_extensions.ts";

/** How many layouts of GCC's extensions (`_generated_extensions.ts`) are checked. */
const EXTENSION_COUNT = 300;

/** Each case whose size, alignment or field offsets differ from what cc says, with its declaration. */
function layoutFailures(
  cases: readonly { layout: unknown; c: string; decl: string }[],
  c: ReturnType<typeof cLayouts>,
): string[] {
  const failures: string[] = [];
  for (const k of cases) {
    try {
      assertSameLayout(k.layout as never, c.get(k.c));
    } catch (error) {
      failures.push(`${k.decl}\n  ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return failures;
}

test("struct() and union() match cc on generated layouts: packing, alignment, bitfields, ms_struct", () =>
  withOpaquePointers(() => {
    // A second, smaller batch from another seed has unnamed bitfields too.
    const cases = [...generate(SEED, COUNT, 0, 0), ...generate(SEED ^ 0x0a11, UNNAMED_COUNT, COUNT, 0.3)];
    // Layouts first: size, alignment and the offset of every field that is not a bitfield.
    const c = cLayouts(prelude(cases), Object.fromEntries(cases.map((k) => [k.c, pathsOf(k.layout)])));
    const failures = layoutFailures(cases, c);
    // Then the bits. One block per bitfield set to all ones, and per struct one with every bitfield set.
    const settings = bitSettings(cases, generator(SEED ^ 0xb175));
    const blocks = settings.map(({ key, case: k, values }) => {
      const stores = values.map(([f, v]) => `x.${f.name} = ${cLiteral(v)};`).join(" ");
      return `{ ${k.c} x; memset(&x, 0, sizeof x); ${stores}
  const unsigned char *p = (const unsigned char *)&x; printf("%s|", "${key}");
  for (size_t i = 0; i < sizeof x; i++) printf("%02x", p[i]); printf("\\n"); }`;
    });
    const out = runC(`${prelude(cases)}\nint main(void) {\n${blocks.join("\n")}\nreturn 0;\n}\n`, ["-w"]);
    const patterns = new Map(out.trim().split("\n").map((line) => line.split("|") as [string, string]));
    failures.push(...bitFailures(settings, patterns, "cc"));
    assert.equal(settings.length > COUNT, true);
    assert.deepEqual(failures.slice(0, 12), [], `${failures.length} disagreements with cc`);
  }));

test("struct() and union() match cc on generated layouts of GCC's extensions: flexible members, typedef alignment", () =>
  withOpaquePointers(() => {
    const cases = generateExtensions(SEED ^ 0xe87e, EXTENSION_COUNT, 0);
    const source = `#include <stdint.h>\n${EXTENSIONS_C}\n${cases.map((k) => k.decl).join("\n")}\n`;
    const c = cLayouts(source, Object.fromEntries(cases.map((k) => [k.c, pathsOf(k.layout)])));
    const failures = layoutFailures(cases, c);
    assert.deepEqual(failures.slice(0, 12), [], `${failures.length} disagreements with cc`);
  }));

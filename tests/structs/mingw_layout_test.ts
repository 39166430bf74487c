/**
 * `{ bitfields: "msvc" }` against the compiler for Windows: the generated layouts of `gcc_layout_test.ts`, all
 * drawn under MSVC's rules, compiled by `x86_64-w64-mingw32-gcc`, which lays bitfields out as Visual C++ does
 * by default (`-mms-bitfields`; no `ms_struct` attribute in the declarations). Size, alignment and the offset
 * of every field that is not a bitfield must agree, and so must the bits: for each bitfield, the compiler
 * writes an object with it set to all ones into its output as constant data, and per struct one with every
 * bitfield set to a random value; we set the same fields through a view and compare the bytes, then read
 * every value back from the compiler's bytes. Nothing runs on Windows.
 * `gcc_layout_test.ts` still checks the same rules against the host's `cc` with `ms_struct`.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { MINGW_CC, mingwMissing, mingwObjects, quads } from "../_mingw.ts";
import { fieldPaths, pathsOf } from "./_c.ts";
import {
  bitFailures,
  bitSettings,
  cLiteral,
  generate,
  generator,
  hex,
  prelude,
} from "./_generated_layouts.ts";
import { withOpaquePointers } from "./_opaque_pointers.ts";

const SEED = 0x3157_5c00;
const COUNT = 300;
const UNNAMED_COUNT = 100;

test(
  `struct() with bitfields: "msvc" matches ${MINGW_CC} on generated layouts: sizes, offsets, bits`,
  () =>
    withOpaquePointers(() => {
      const cases = [
        ...generate(SEED, COUNT, 0, 0, 1),
        ...generate(SEED ^ 0x0a11, UNNAMED_COUNT, COUNT, 0.3, 1),
      ];
      const settings = bitSettings(cases, generator(SEED ^ 0xb175));
      const numbers = cases.map((k, i) =>
        `const unsigned long long layout${i}[] = { sizeof(${k.c}), _Alignof(${k.c})${
          pathsOf(k.layout).map((p) => `, offsetof(${k.c}, ${p})`).join("")
        } };`
      );
      const objects = settings.map(({ case: k, values }, i) =>
        `const ${k.c} bits${i} = { ${values.map(([f, v]) => `.${f.name} = ${cLiteral(v)}`).join(", ")} };`
      );
      const source = `${prelude(cases, "windowsDecl")}#include <stddef.h>\n${numbers.join("\n")}\n${
        objects.join("\n")
      }\n`;
      const compiled = mingwObjects(source);
      const failures: string[] = [];
      cases.forEach((k, i) => {
        const [size, align, ...offsets] = quads(compiled, `layout${i}`);
        const wrong = [
          size !== k.layout.size ? `sizeof ${size}, ours ${k.layout.size}` : "",
          align !== k.layout.align ? `_Alignof ${align}, ours ${k.layout.align}` : "",
          ...fieldPaths(k.layout).map(([path, ours], j) =>
            offsets[j] !== ours ? `offsetof(${path}) ${offsets[j]}, ours ${ours}` : ""
          ),
        ].filter(Boolean);
        if (wrong.length) failures.push(`${k.windowsDecl}\n  ${wrong.join("; ")}`);
      });
      const patterns = new Map(
        settings.map((s, i) => [s.key, hex(compiled.get(`bits${i}`) ?? new Uint8Array())]),
      );
      failures.push(...bitFailures(settings, patterns, MINGW_CC));
      assert.equal(settings.length > COUNT, true);
      assert.deepEqual(failures.slice(0, 12), [], `${failures.length} disagreements with ${MINGW_CC}`);
    }),
  { ignore: mingwMissing, timeout: 120_000 },
);

/**
 * The generated examples never go stale and agree with the compiler: regenerating each gives the committed
 * text, its C layout test compiles with `cc` (every `sizeof`, `_Alignof` and `offsetof` as the module has
 * it), and every layout the module exports is the layout `cdef` reads from the same headers.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../harness.ts";
import { readC } from "../../cdef/cdef.ts";
import { generate } from "../../bindgen/generate.ts";
import { parseArguments } from "../../bindgen/options.ts";
import { includeLine, preprocess } from "../../bindgen/preprocess.ts";
import { EXAMPLES, missingHeader } from "./_examples.ts";
import { compareLayouts } from "./_compare_layouts.ts";

const root = new URL("../..", import.meta.url).pathname;

for (const example of EXAMPLES) {
  const missing = missingHeader(example);
  if (missing) {
    test(`bindgen's ${example.name} example`, () => {}, { ignore: missing });
    continue;
  }
  test(`bindgen regenerates the ${example.name} example as committed`, () => {
    const generated = generate(
      parseArguments(example.args),
      ["deno task bindgen --", ...example.args].join(" "),
    );
    // A header of another version differs: regenerate the example with its command and review the diff.
    const stale = `${example.module} is stale: run deno task bindgen -- ${example.args.join(" ")}`;
    assert.equal(generated.module, readFileSync(join(root, example.module), "utf8"), stale);
    assert.doesNotMatch(generated.module, /: any\b|<any>|as any\b/);
    assert.equal(generated.layoutTest, readFileSync(join(root, example.layoutTest), "utf8"), stale);
  }, { timeout: 120_000 });

  test(`the ${example.name} example's layout test compiles with cc`, () => {
    const file = join(root, example.layoutTest);
    execFileSync("cc", ["-fsyntax-only", file], { stdio: "pipe" });
    assert.ok(readFileSync(file, "utf8").split("_Static_assert").length > 10);
  }, { timeout: 120_000 });

  test(`every layout of the ${example.name} example is cdef's`, async () => {
    const module = await import(join(root, example.module)) as Record<string, unknown>;
    const text = preprocess(`${example.headers.map((h) => includeLine(h)).join("\n")}\n`, "cc", []);
    const types = readC(text, { skip: ["variadic", "globals", "unbindable"] }).definitions.types;
    let compared = 0;
    for (const [name, value] of Object.entries(module)) {
      const kind = (value as { kind?: string } | null)?.kind;
      if (kind !== "struct" && kind !== "union") continue;
      const theirs = types[`${kind} ${name}`] ?? types[name];
      assert.ok(theirs, `cdef has no type "${name}"`);
      assert.deepEqual(compareLayouts(value, theirs, name, { endian: true }), []);
      compared++;
    }
    assert.ok(compared > 0);
  }, { timeout: 120_000 });
}

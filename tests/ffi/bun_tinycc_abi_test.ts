/**
 * What the TinyCC inside Bun (`cc()` from `bun:ffi`) gets right and wrong of the x86-64 System V ABI when C it
 * compiled passes a struct by value to C compiled by cc, and gets one back: why ffi/_bun_by_value.ts never lets
 * a struct cross TinyCC's own by-value code. Should a Bun release fix the mixed classes, this test fails, and
 * the shim could pass such structs as TinyCC declares them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileC, test } from "../harness.ts";
import { ffiRuntime } from "../../mod.ts";

const types = {
  ii: "typedef struct { int64_t a; int64_t b; } T;",
  ff: "typedef struct { double a; double b; } T;",
  if: "typedef struct { int64_t a; double b; } T;",
  fi: "typedef struct { double a; int64_t b; } T;",
  memory: "typedef struct { int64_t a; double b; int64_t c; } T;",
} as const;
type Kind = keyof typeof types;

// C (cc and TinyCC alike): make(7, 2.5) builds { 7, 2.5 } in the struct's own field order; sum() adds a and b.
interface BunFfi {
  dlopen(p: string, s: object): { symbols: Record<string, { ptr: number }> };
  cc(o: object): { symbols: Record<string, (...args: unknown[]) => number> };
}
// A specifier in a variable, so that Deno does not resolve Bun's built-in module.
const bunFfiSpecifier = "bun:ffi";
const bunFfi: BunFfi | null = ffiRuntime.runtime === "bun" ? await import(bunFfiSpecifier) : null;

function library(kind: Kind, prefix: string): string {
  const [a, b] = kind === "fi" ? ["d", "x"] : ["x", "d"];
  const t = `${prefix}t`;
  return `${types[kind].replace(" T;", ` ${t};`)}
${t} ${prefix}make(int64_t x, double d) { ${t} r; memset(&r, 0, sizeof r); r.a = ${a}; r.b = ${b}; return r; }
double ${prefix}sum(${t} t) { return (double)t.a + (double)t.b; }\n`;
}

test("Bun's TinyCC passes structs of one class and MEMORY right, and mixed INTEGER/SSE ones wrong", () => {
  const kinds = Object.keys(types) as Kind[];
  const path = compileC(
    "#include <stdint.h>\n#include <string.h>\n" + kinds.map((k) => library(k, `${k}_`)).join(""),
  );
  {
    const bun = bunFfi!;
    const native = bun.dlopen(
      path,
      Object.fromEntries(
        kinds.flatMap((k) => [`${k}_make`, `${k}_sum`]).map((n) => [n, { args: [], returns: "void" }]),
      ),
    ).symbols;
    const right: Record<Kind, boolean> = {} as never;
    for (const kind of kinds) {
      // 7 + 2.5, or 7 + 2 where both fields are integers.
      const expected = kind === "ii" ? 9 : 9.5;
      // TinyCC calls cc's make() and sum() through function pointers of the by-value type.
      const source = `typedef long long int64_t;\n${types[kind]}
double check(void *make, void *sum) {
  T t = ((T (*)(int64_t, double))make)(7, 2.5);
  double via = ((double (*)(T))sum)(t);
  return (double)t.a + (double)t.b == ${expected} && via == ${expected};
}\n`;
      const file = join(mkdtempSync(join(tmpdir(), "ffikit-tcc-")), `${kind}.c`);
      writeFileSync(file, source);
      const check = bun.cc({ source: file, symbols: { check: { args: ["ptr", "ptr"], returns: "f64" } } })
        .symbols.check!;
      right[kind] = check(native[`${kind}_make`]!.ptr, native[`${kind}_sum`]!.ptr) === 1;
    }
    assert.deepEqual(right, { ii: true, ff: true, if: false, fi: false, memory: true });
  }
}, {
  ignore: (ffiRuntime.runtime !== "bun" || ffiRuntime.arch !== "x86_64") && "Bun's TinyCC on x86-64 only",
});

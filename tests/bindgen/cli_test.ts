/**
 * `bindgen/main.ts` as a command, on the running runtime (`deno run -A` or `bun`): a bad command line is an
 * error naming the option (exit 2), a header that is not C names the header, line and column (exit 1), and
 * `--match` keeps the declarations it names with the types they use, and nothing else.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileC, runScript, test } from "../harness.ts";
import { cstring, cstringArg, f64, i32, type Pointer, readCString } from "../../mod.ts";
import { generate } from "../../bindgen/generate.ts";
import { parseArguments, UsageError } from "../../bindgen/options.ts";

const root = new URL("../..", import.meta.url).pathname;

/** What the test uses of the module generated from its `shapes.h`. */
interface Shapes {
  open(): {
    symbols: {
      shapes_origin: { x: number; y: number };
      shapes_count: { value: number };
      shapes_last: Pointer;
      shapes_get_count(): number;
      shapes_printf(extra: readonly unknown[], ...args: unknown[]): number;
    };
    [Symbol.dispose](): void;
  };
}
const main = join(root, "bindgen/main.ts");

test("bindgen refuses an unknown option, naming it", async () => {
  const run = await runScript(main, ["--", "zlib.h", "--libary", "libz.so.1"], root, 60_000);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bindgen: Unknown option "--libary"/);
  assert.throws(() => parseArguments(["zlib.h", "--match", "("]), UsageError);
  assert.throws(() => parseArguments(["--out", "x.ts"]), /No header given/);
  assert.throws(() => parseArguments(["zlib.h", "--out"]), /Option "--out" needs a value/);
});

test("bindgen names the header, line and column of C it cannot read, and a header that is missing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bindgen-"));
  try {
    const header = join(dir, "bad.h");
    writeFileSync(header, "struct ok { int a; };\n\nstruct bad { int b c; };\n");
    const run = await runScript(main, [header], root, 60_000);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`bindgen: ${header}:3:20: Expected ",", found "c"`));
    const missing = await runScript(main, [join(dir, "nowhere.h"), "-I", dir], root, 60_000);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot preprocess the headers with "cc -E -dD -I.*nowhere\.h/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("bindgen writes the module and layout test, and --match keeps what it names and the types they use", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bindgen-"));
  try {
    const header = join(dir, "shapes.h");
    writeFileSync(
      header,
      [
        "#define SHAPES_MAX (1 << 4)",
        '#define SHAPES_NAME "shapes"',
        "#define SHAPES_NONE ((void *)-1)",
        "struct point { int x, y; };",
        "typedef struct { struct point corner; unsigned w : 12, h : 12; } box_t;",
        "struct unused { double d; };",
        "enum color { RED, GREEN = SHAPES_MAX };",
        "int box_area(const box_t *box);",
        "int shapes_printf(const char *format, ...);",
        "extern struct point shapes_origin;",
        "extern int shapes_count;",
        "extern char shapes_last[64];",
        "int shapes_get_count(void);",
        "long double shapes_scale(long double by);",
        "typedef int (*shapes_compare)(const struct point *a, const struct point *b);",
        "",
      ].join("\n"),
    );
    const library = compileC(`#include <stdarg.h>
      #include <stdio.h>
      #include "${header}"
      struct point shapes_origin = { -3, 4 };
      int shapes_count = 7;
      char shapes_last[64];
      int shapes_get_count(void) { return shapes_count; }
      long double shapes_scale(long double by) { return by; }
      int box_area(const box_t *box) { return box->w * box->h; }
      int shapes_printf(const char *format, ...) {
        va_list ap;
        va_start(ap, format);
        int n = vsnprintf(shapes_last, sizeof shapes_last, format, ap);
        va_end(ap);
        return n;
      }`);
    const out = join(dir, "shapes.ts");
    const run = await runScript(
      main,
      [
        header,
        "--match",
        "^(box_area|shapes_.*|SHAPES_.*)$",
        "--library",
        library,
        "--out",
        out,
        "--layout-test",
        join(dir, "t.c"),
        "--verbose",
      ],
      root,
      60_000,
    );
    assert.equal(run.code, 0, run.stderr);
    const module = readFileSync(out, "utf8");
    const has = (text: string) =>
      assert.ok(module.includes(text), `no ${JSON.stringify(text)} in\n${module}`);
    has('export const point = struct({\n  x: i32,\n  y: i32,\n}, { name: "struct point" });\n');
    has("export const box_t = struct({\n  corner: point,\n  w: bits(u32, 12),\n  h: bits(u32, 12),\n}");
    has("  // int box_area(const box_t *box);\n  box_area: { args: [buffer], returns: i32 },\n");
    assert.match(module, /^export const SHAPES_MAX = 16; \/\/ \(1 << 4\)$/m);
    has(
      "  // int shapes_printf(const char *format, ...);\n" +
        "  shapes_printf: { args: [cstringArg], returns: i32, variadic: true },\n",
    );
    has("  // extern struct point shapes_origin;\n  shapes_origin: { variable: true, type: point },\n");
    has("  // extern int shapes_count;\n  shapes_count: { variable: true, type: i32 },\n");
    has("  // extern char shapes_last[64];\n  shapes_last: { variable: true },\n");
    has("return dlopen(path, { ...symbols, ...variables }, options);");
    has(
      "export const shapes_compare = pointer;\n" +
        "/** The signature of `shapes_compare`, for `unsafeFunctionFromPointer()`. */\n" +
        "export const shapes_compare_signature = { args: [buffer, buffer], returns: i32 } as const;\n",
    );
    // What the toolkit cannot call stays out, with the reason.
    assert.match(
      module,
      /\/\/ {3}shapes_scale \(.*shapes\.h:14\): long double \(or _Float128\) as a parameter/,
    );
    assert.doesNotMatch(module, /shapes_scale: \{/);
    assert.doesNotMatch(module, /unused|RED|GREEN/);
    assert.match(run.stderr, /macro SHAPES_NAME .*not an integer constant expression: "shapes"/);
    assert.match(run.stderr, /macro SHAPES_NONE .*a pointer constant, not an integer: \(\(void \*\)-1\)/);
    assert.match(readFileSync(join(dir, "t.c"), "utf8"), /_Static_assert\(offsetof\(box_t, corner\) == 0/);
    // Format-clean as written, with the repository's line width.
    execFileSync(join(root, "node_modules/.bin/deno"), ["fmt", "--check", "--line-width", "110", out], {
      stdio: "pipe",
    });
    execFileSync("cc", ["-fsyntax-only", join(dir, "t.c")], { stdio: "pipe" });
    // The generated open() binds the functions and the variables, and they work.
    const shapes = await import(out) as Shapes;
    using opened = shapes.open();
    const s = opened.symbols;
    assert.deepEqual({ x: s.shapes_origin.x, y: s.shapes_origin.y }, { x: -3, y: 4 });
    s.shapes_count.value = 12;
    assert.equal(s.shapes_get_count(), 12);
    const text = s.shapes_printf([i32, f64, cstringArg], cstring("%d|%.1f|%s"), -5, 0.25, cstring("ok"));
    assert.equal(text, 9);
    assert.equal(readCString(s.shapes_last), "-5|0.2|ok");
    const everything = generate(parseArguments([header, "--import", "ffikit"]), "bindgen").module;
    assert.match(everything, /export const unused = struct/);
    assert.match(everything, /export const GREEN = 16;/);
    assert.match(everything, /^import \{ .* \} from "ffikit";$/m);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

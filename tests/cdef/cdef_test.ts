/**
 * `cdef()` construct by construct: each C snippet is read, and its layouts compared with what `cc` makes of
 * the same text (size, alignment, offsets, bit positions); constants with the values a C program prints.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compileC, runC, runtime, test } from "../harness.ts";
import { cdef, CSyntaxError, CUnsupportedError } from "../../cdef/mod.ts";
import { f64, i128, i32, int, pointer, u128 } from "../../structs/mod.ts";
import { buffer, cstringArg, functionPointer, void_ } from "../../ffi/types.ts";
import { checkLayouts } from "./_layout_check.ts";

type Ffi = typeof import("../../ffi/mod.ts");

/** Runs `body` with `ffi/` loaded (imported here, so that the tests that only read C need no runtime). */
async function withFfi(body: (ffi: Ffi) => void): Promise<void> {
  body(await import("../../ffi/mod.ts"));
}

/** Reads `source` and asserts that every struct and union in it agrees with cc; returns what cdef read. */
function agrees(source: string, atLeast: number): ReturnType<typeof cdef> {
  const c = cdef(source, { skip: ["variadic", "globals", "unbindable"] });
  const check = checkLayouts(source, c.types);
  assert.deepEqual(check.disagreements, []);
  assert.ok(check.checked >= atLeast, `checked ${check.checked} types, expected at least ${atLeast}`);
  return c;
}

/** The values cc gives integer constant expressions. */
function cValues(source: string, names: string[]): bigint[] {
  const out = runC(
    `${source}\nint main(void) {\n${
      names.map((n) => `__builtin_printf("%lld\\n", (long long)(${n}));`).join("\n")
    }\nreturn 0;\n}\n`,
    ["-w"],
  );
  return out.trim().split("\n").map(BigInt);
}

test("cdef() reads typedef chains, nested, anonymous and forward-declared records as cc lays them out", () => {
  const c = agrees(
    `
    struct later;
    typedef struct later later_t;
    typedef later_t *later_ptr;
    struct holder { later_ptr p; char tag; };
    struct later { char c; long l; struct { int a; union { short s; double d; }; } inner; };
    typedef struct { char x; struct later l; } anon_t;
    typedef anon_t alias_t, *alias_ptr, alias_array[3];
    struct outer { struct { int a, b; } named; union { int i; char bytes[4]; }; alias_array many; };
    `,
    4,
  );
  assert.equal(c.types["alias_t"], c.types["anon_t"]);
  assert.equal(c.types["later_t"], c.types["struct later"]);
  assert.equal(c.types["alias_ptr"], pointer);
  const outer = c.types["struct outer"];
  assert.ok(outer?.kind === "struct");
  assert.deepEqual(outer.fields.map((f) => f.name), ["named", "$anonymous0", "many"]);
});

test("cdef() reads bitfields, unnamed ones and :0 as cc places them", () => {
  agrees(
    `
    struct flags { unsigned a : 3; unsigned : 2; unsigned b : 7; int : 0; char c : 4; _Bool d : 1; };
    struct wide { unsigned long long page : 52; unsigned long long : 0; unsigned long long x : 12; signed s : 5; };
    enum color { RED, GREEN, BLUE };
    struct typed { enum color color : 2; unsigned char small : 1; short mid : 9; };
    union bits { unsigned a : 5; unsigned long long b : 40; };
    `,
    4,
  );
});

test("cdef() reads arrays of any dimension, flexible arrays, pointers and function pointers", () => {
  const c = agrees(
    `
    typedef int (*handler)(int, const char *);
    struct table { int grid[3][4][2]; char names[4][16]; handler handlers[3]; void (*(*nested)(int))(void);
                   const volatile int *restrict p; void *v[2]; };
    struct list { unsigned count; unsigned long long rows[]; };
    struct old { int n; char data[0]; };
    `,
    3,
  );
  const table = c.types["struct table"];
  assert.ok(table?.kind === "struct");
  const names = (table.read(new Uint8Array(table.size)) as Record<string, unknown>).names;
  assert.deepEqual(names, ["", "", "", ""]);
  assert.equal(c.types["handler"], pointer);
});

test("cdef() reads GNU attributes and #pragma pack in the positions GCC accepts", () => {
  agrees(
    `
    struct __attribute__((packed)) p1 { char a; int b; };
    struct p2 { char a; int b; } __attribute__((__packed__));
    struct p3 { char a; int b __attribute__((aligned(16))); };
    struct __attribute__((aligned(32))) p4 { char a; };
    typedef struct { char a; long b; } __attribute__((aligned(64))) p5;
    typedef struct { char a; } p6 __attribute__((aligned(8)));
    typedef int over_int __attribute__((aligned(8)));
    struct p7 { char a; over_int b; };
    #pragma pack(push, 2)
    struct p8 { char a; long b; int c : 3; };
    #pragma pack(push, 1)
    struct p9 { char a; long b; };
    #pragma pack(pop)
    struct p10 { char a; long b; };
    #pragma pack(pop)
    struct p11 { char a; long b; };
    union __attribute__((__transparent_union__)) tu { int *i; long *l; };
    __extension__ struct p12 { __extension__ union { int a; float f; }; _Alignas(16) char c; };
    `,
    12,
  );
});

test("cdef() represents 16-byte types and vectors as 16-aligned bytes, placed as cc places them", () => {
  const c = agrees(
    `
    typedef float v4sf __attribute__((vector_size(16)));
    typedef int v8si __attribute__((__vector_size__(32)));
    typedef short v2hi __attribute__((vector_size(4)));
    struct wide { char a; long double ld; __int128 i; unsigned __int128 u; _Float128 f; v4sf v; v2hi h;
                  long double arr[2]; _Complex double z; };
    typedef int tiny __attribute__((__mode__(__QI__)));
    struct modes { tiny t; int word __attribute__((mode(__DI__))); };
    `,
    2,
  );
  const wide = c.types["struct wide"];
  assert.ok(wide?.kind === "struct");
  assert.equal(wide.fields.find((f) => f.name === "ld")?.type.kind, "aligned");
  assert.deepEqual(c.unsupported.map((u) => [u.name, u.reason]), [[
    "v8si",
    "a vector of 32 bytes, wider than 16",
  ]]);
});

test("cdef() evaluates enum values with expressions, sizeof and _Alignof as cc does", () => {
  const source = `
    struct s { char c; double d; };
    enum e { A = 1 << 4, B, C = sizeof(struct s) * 2 - 1, D = _Alignof(struct s), E = ~0U, F = -3 % 2,
             G = (1 ? 5 : 6) + 'a' + '\\n', H = 0x7fffffff, I = (unsigned char)300, J = __builtin_offsetof(struct s, d),
             K = 10 / 3 << 2 | 1, L = !0 && (3 > 2), M = -1LL, N = 0xffffffffffffffffULL >> 1 };
    typedef char check[sizeof(enum e) == 8 ? 1 : -1];
    `;
  const names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N"];
  const c = cdef(source);
  const expected = cValues(source, names);
  assert.deepEqual(names.map((n) => BigInt(c.constants[n]!)), expected);
  assert.equal(c.types["enum e"]?.kind === "scalar" && c.types["enum e"].native, "i64");
});

test("cdef() counts enumerators on across negative, small and large values as cc does", () => {
  // The parser counts small values in numbers and the rest in bigints: every crossing between the two.
  const source = `
    enum u { P = -2, Q, R, S, T = 4094, U, V, W, X = 0x100000000LL, Y, Z };
    enum v { V0 = 4095, V1, V2 = -1, V3, V4 = 4096 - 2, V5, V6 };
    typedef char check_u[sizeof(enum u) == 8 ? 1 : -1];
    typedef char check_v[sizeof(enum v) == 4 ? 1 : -1];
    `;
  const names = [
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "V0",
    "V1",
    "V2",
    "V3",
    "V4",
    "V5",
    "V6",
  ];
  const c = cdef(source);
  assert.deepEqual(names.map((n) => BigInt(c.constants[n]!)), cValues(source, names));
  assert.equal(c.types["enum u"]?.kind === "scalar" && c.types["enum u"].native, "i64");
  assert.equal(c.types["enum v"]?.kind === "scalar" && c.types["enum v"].native, "i32");
});

test("cdef() reads function declarations into a symbol table that dlopen binds", async () => {
  const c = cdef(`
    typedef unsigned long size_t;
    extern size_t strlen(const char *s) __attribute__((__nothrow__)) __attribute__((__pure__));
    extern int abs(int n) __asm__("" "abs");
    void qsort(void *base, size_t n, size_t size, int (*compare)(const void *, const void *));
    static inline int twice(int x) { return x * 2; }
    _Static_assert(sizeof(int) == 4, "int");
    __typeof__(abs) labs_like;
  `);
  assert.deepEqual(Object.keys(c.functions), ["strlen", "abs", "qsort", "labs_like"]);
  assert.deepEqual(c.functions.strlen?.args, [cstringArg]);
  assert.equal(c.functions.abs?.symbol, "abs");
  assert.equal((c.functions.abs?.returns as typeof int).native, int.native);
  assert.deepEqual(c.functions.qsort?.args, [
    pointer,
    c.functions.strlen?.returns,
    c.functions.strlen?.returns,
    functionPointer,
  ]);
  assert.equal(c.functions.qsort?.returns, void_);
  assert.equal(i32.native, "i32");
  await withFfi(({ cstring, dlopen }) => {
    using libc = dlopen("libc.so.6", { strlen: c.functions.strlen!, abs: c.functions.abs! });
    assert.equal(libc.symbols.strlen(cstring("héllo")), 6n);
    assert.equal(libc.symbols.abs(-42), 42);
  });
});

test("cdef() declares variadic functions and globals, and leaves them out when skip names them", () => {
  const source =
    `# 1 "stdio.h"\nint printf(const char *format, ...);\nextern int counter;\nint puts(const char *s);\n`;
  const c = cdef(source);
  assert.deepEqual(Object.keys(c.functions), ["printf", "puts"]);
  assert.equal(c.functions.printf?.variadic, true);
  assert.deepEqual(c.functions.printf?.args, [cstringArg]);
  assert.equal(c.functions.puts?.variadic, undefined);
  assert.deepEqual(c.variables, { counter: { variable: true, type: i32 } });
  assert.deepEqual(c.skipped, []);
  const skipped = cdef(source, { skip: ["variadic", "globals"] });
  assert.deepEqual(Object.keys(skipped.functions), ["puts"]);
  assert.deepEqual(skipped.variables, {});
  assert.deepEqual(skipped.skipped.map((s) => [s.name, s.kind, s.line]), [["printf", "variadic", 1], [
    "counter",
    "globals",
    2,
  ]]);
  assert.throws(() => cdef(`# 1 "u.h"\nlong double x;\nvoid f(long double);`), (error: unknown) => {
    assert.ok(error instanceof CUnsupportedError);
    assert.equal(error.kind, "unbindable");
    assert.equal(error.declaration, "f");
    assert.equal(error.file, "u.h");
    assert.equal(error.line, 2);
    return true;
  });
  assert.throws(
    () => cdef("struct __attribute__((aligned(32))) a { int i; }; void f(int n, struct a, ...);"),
    {
      name: "CUnsupportedError",
      kind: "unbindable",
    },
  );
});

test(`cdef() on ${runtime}: variadic functions and globals from C text call and read libc`, async () => {
  const c = cdef(`
    typedef unsigned long size_t;
    typedef struct _IO_FILE FILE;
    struct counters { int a; long b; };
    extern FILE *stdout;
    extern char **environ;
    extern long timezone;
    extern const char some_array[];
    extern struct counters counters;
    int snprintf(char *str, size_t size, const char *format, ...);
    int fileno(FILE *stream);
  `);
  assert.deepEqual(c.variables.stdout, { variable: true, type: pointer });
  assert.deepEqual(c.variables.some_array, { variable: true });
  assert.equal(c.variables.counters?.type, c.types["struct counters"]);
  await withFfi(({ cstring, dlopen, readCString }) => {
    const { snprintf, fileno } = c.functions;
    const { stdout, environ, timezone } = c.variables;
    using libc = dlopen("libc.so.6", {
      snprintf: snprintf!,
      fileno: fileno!,
      stdout: stdout!,
      environ: environ!,
      timezone: timezone!,
    });
    const out = new Uint8Array(64);
    const snprintfOf = libc.symbols.snprintf as unknown as (...args: unknown[]) => number;
    assert.equal(
      snprintfOf([f64, i32, cstringArg], out, out.length, cstring("%.1f %d %s"), 2.5, 7, cstring("x")),
      7,
    );
    assert.equal(readCString(out), "2.5 7 x");
    const file = (libc.symbols.stdout as unknown as { value: unknown }).value;
    assert.equal((libc.symbols.fileno as unknown as (f: unknown) => number)(file), 1);
    assert.notEqual((libc.symbols.environ as unknown as { value: unknown }).value, null);
    assert.equal(typeof (libc.symbols.timezone as unknown as { value: unknown }).value, "bigint");
  });
});

test("cdef() names the header, line, column and token of a syntax error", () => {
  const source =
    `# 1 "first.h"\nint ok;\n# 40 "/usr/include/broken.h" 1\nstruct s {\n  int a\n  int b;\n};\n`;
  assert.throws(() => cdef(source, { skip: ["globals"] }), (error: unknown) => {
    assert.ok(error instanceof CSyntaxError);
    assert.equal(error.file, "/usr/include/broken.h");
    assert.equal(error.line, 42);
    assert.equal(error.column, 3);
    assert.equal(error.token, "int");
    assert.match(error.message, /^\/usr\/include\/broken\.h:42:3: .*found "int"$/);
    return true;
  });
  assert.throws(() => cdef("int x[unknown];"), {
    name: "CSyntaxError",
    token: "unknown",
    line: 1,
    column: 7,
  });
  assert.throws(() => cdef('char *s = "open;'), { name: "CSyntaxError" });
  assert.throws(() => cdef("struct { int a; "), { name: "CSyntaxError", token: "<end of input>" });
});

test("cdef() reports what the layout engine cannot express yet, per type, with the reason", () => {
  const c = cdef(`
    struct tail { int n; char data[]; };
    struct holds { int x; struct tail t; };
    union flex { int n; char data[]; };
    typedef unsigned long packed_ulong __attribute__((aligned(4)));
    typedef float wide_vector __attribute__((vector_size(32)));
    struct fine { int n; };
  `);
  assert.deepEqual(c.unsupported.map((u) => [u.name, u.reason]), [
    ["union flex", "a flexible array in a union"],
    ["wide_vector", "a vector of 32 bytes, wider than 16"],
  ]);
  assert.equal(c.types["struct tail"]?.kind, "struct");
  assert.equal((c.types["struct holds"] as { size?: number } | undefined)?.size, 8);
  assert.equal(c.types["packed_ulong"]?.kind, "aligned");
});

test("cdef() refuses unknown options and input that is not text", () => {
  assert.throws(() => cdef("int f(void);", { skipp: [] } as never), TypeError);
  assert.throws(() => cdef("int f(void);", { skip: ["everything"] } as never), /skip "everything"/);
  assert.throws(() => cdef(42 as never), TypeError);
});

test("cdef() binds pointers to complete types as buffers the call fills, and handles as pointers", async () => {
  const c = cdef(
    `struct utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };
     int uname(struct utsname *name);
     typedef struct handle handle_t;
     handle_t *open_handle(const char *name);
     void close_handle(handle_t *h);
     char *strcpy(char *dest, const char *src);`,
  );
  assert.deepEqual(c.functions.uname?.args, [buffer]);
  assert.deepEqual(c.functions.close_handle?.args, [pointer]);
  assert.deepEqual(c.functions.open_handle?.returns, pointer);
  assert.deepEqual(c.functions.strcpy?.args, [buffer, cstringArg]);
  const utsname = c.types["struct utsname"];
  assert.ok(utsname?.kind === "struct");
  const bytes = new Uint8Array(utsname.size);
  await withFfi(({ dlopen }) => {
    using libc = dlopen("libc.so.6", { uname: c.functions.uname! });
    assert.equal(libc.symbols.uname(bytes), 0);
  });
  const release = (utsname.cast(bytes) as Record<string, unknown>).release;
  assert.equal(release, readFileSync("/proc/sys/kernel/osrelease", "utf8").trim());
});

test(`cdef() on ${runtime}: a by-value struct is its struct type`, () => {
  const c = cdef("typedef struct { int quot; int rem; } div_t; div_t div(int a, int b);");
  assert.equal(c.functions.div?.returns, c.types["div_t"]);
});

test("cdef() refuses by-value types dlopen would refuse, with its reason: _Complex, long double, packed, aligned", () => {
  const c = cdef(
    `double cabs(_Complex double z); long double fabsl(long double x);
     struct __attribute__((packed)) p { char c; int i; }; void takes_packed(struct p v);
     struct p gives_packed(void);
     struct __attribute__((aligned(16))) a { int i; }; void takes_aligned(struct a v);
     union u { int i; }; void takes_union(union u v);`,
    { skip: ["unbindable"] },
  );
  assert.deepEqual(c.skipped.map((s) => [s.name, s.reason]), [
    ["cabs", "a _Complex value as a parameter"],
    ["fabsl", "long double (or _Float128) as a parameter"],
    [
      "takes_packed",
      "a struct passed by value (struct p): it has a 4-byte member at byte 1 (unaligned), so it is passed in " +
      "memory at 5 bytes, which neither runtime's types can express here (only a call's result can be)",
    ],
    [
      "takes_aligned",
      'a struct passed by value (struct a): "struct a" is aligned to 16: alignment above 8 is not implemented ' +
      "by value",
    ],
  ]);
  // A packed result is fine (the caller hands over the buffer), and so is a union.
  assert.deepEqual(Object.keys(c.functions), ["gives_packed", "takes_union"]);
  assert.equal(c.functions.takes_union?.args[0], c.types["union u"]);
});

test(`cdef() on ${runtime}: a union by value is its union type, and calls agree with C`, async () => {
  const source = `union number { int i; double d; };
    double number_sum(union number a, union number b, int doubles);
    union number number_half(union number n);`;
  const library = compileC(
    `${source}
    double number_sum(union number a, union number b, int doubles) { return doubles ? a.d + b.d : a.i + b.i; }
    union number number_half(union number n) { union number r; r.d = n.d / 2; return r; }`,
  );
  const c = cdef(source);
  assert.equal(c.functions.number_sum?.args[0], c.types["union number"]);
  await withFfi(({ dlopen }) => {
    using lib = dlopen(library, c.functions);
    const sum = lib.symbols.number_sum as (a: object, b: object, doubles: number) => number;
    const half = lib.symbols.number_half as (n: object) => { d: number };
    assert.equal(sum({ d: 1.25 }, { d: 2.5 }, 1), 3.75);
    assert.equal(sum({ i: 40 }, { i: 2 }, 0), 42);
    assert.equal(half({ d: 5 }).d, 2.5);
  });
});

test("cdef() names an expression that ends early instead of overflowing the stack", () => {
  for (const source of ["enum { A = - };", "enum { A = ~", "int a[1 +];"]) {
    assert.throws(() => cdef(source), (error: unknown) => {
      assert.ok(error instanceof CSyntaxError, String(error));
      assert.match(error.message, /^<input>:1:\d+: Expected a constant expression, found "/);
      return true;
    });
  }
});

test("cdef() reads __int128 as i128 and a struct ending in a flexible array as a member, as cc lays them out", () => {
  const source = `
    typedef __int128 s128;
    struct q { char c; unsigned __int128 u; s128 s; };
    struct tail { int n; char data[]; };
    struct holds { char c; struct tail t; struct tail ts[2]; };
    typedef unsigned long packed_ulong __attribute__((aligned(4)));
    struct lowered { char c; packed_ulong v; short w __attribute__((packed)); };`;
  const c = cdef(source);
  assert.equal(c.types["s128"], i128);
  const q = c.types["struct q"] as unknown as { read(b: Uint8Array): { u: bigint; s: bigint }; size: number };
  const bytes = new Uint8Array(q.size);
  bytes.fill(0xff, 16, 32);
  assert.equal(q.read(bytes).u, 2n ** 128n - 1n);
  assert.equal((c.types["struct q"] as unknown as { fields: { type: unknown }[] }).fields[1]!.type, u128);
  assert.deepEqual(c.unsupported, []);
  const check = checkLayouts(source, c.types);
  assert.deepEqual(check.disagreements, []);
  assert.equal(check.checked, 4);
});

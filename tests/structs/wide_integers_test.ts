/**
 * 64-bit integers and JavaScript numbers, against the C compiler: every write path takes a safe integer number
 * as a 64-bit call argument does (and refuses an unsafe one with `UnsafeIntegerError`), `asNumber()` reads as a
 * number what is safe and names what is not, and `long_lp64`/`ulong_lp64` are C's `long` on this LP64 machine,
 * typed exactly (the arithmetic below is checked by `deno check`).
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { bothPaths } from "./_both_paths.ts";
import { cBytes, cLayouts, cValues } from "./_c.ts";
import {
  array,
  asNumber,
  bits,
  i128,
  i64,
  type Infer,
  type long,
  long_lp64,
  off_t,
  offsetOf,
  pointer,
  size_t,
  ssize_t,
  struct,
  u128,
  u32,
  u64,
  u64be,
  u8,
  ulong_lp64,
  UnsafeIntegerError,
} from "../../structs/mod.ts";
import { sysinfo } from "../../linux/layouts.ts";

const PRELUDE = `#include <stdint.h>
#include <sys/types.h>
#include <stddef.h>
struct wide {
  uint64_t u; int64_t i; size_t size; ssize_t ssize; off_t off; uint64_t n; int64_t s;
  uint64_t big_endian; uint64_t page : 40; uint64_t rest : 24; uint64_t row[2];
};`;

const fields = {
  u: u64,
  i: i64,
  size: size_t,
  ssize: ssize_t,
  off: off_t,
  n: asNumber(u64),
  s: asNumber(i64),
  big_endian: u64be,
  page: bits(u64, 40),
  rest: bits(u64, 24),
  row: array(u64, 2),
} as const;

const LOADS: [string, "u" | "i"][] = [
  ["x.u", "u"],
  ["x.i", "i"],
  ["x.size", "u"],
  ["x.ssize", "i"],
  ["x.off", "i"],
  ["x.n", "u"],
  ["x.s", "i"],
  ["__builtin_bswap64(x.big_endian)", "u"],
  ["x.page", "u"],
  ["x.rest", "u"],
  ["x.row[0]", "u"],
  ["x.row[1]", "u"],
];

const MAX = Number.MAX_SAFE_INTEGER;

bothPaths("64-bit fields take safe integer numbers through every write path, and C reads them", (make) => {
  const Wide = make(() => struct(fields, { name: "wide" }));
  const c = cLayouts(PRELUDE, { "struct wide": [] }).get("struct wide")!;
  assert.equal(Wide.size, c.size);
  const value = {
    u: MAX,
    i: -MAX,
    size: 10,
    ssize: -1,
    off: 2 ** 40 + 3,
    n: 4294967296,
    s: -4294967297,
    big_endian: 258,
    page: 2 ** 40 - 1,
    rest: 7,
    row: [0, MAX],
  };
  const expected = [MAX, -MAX, 10, -1, 2 ** 40 + 3, 4294967296, -4294967297, 258, 2 ** 40 - 1, 7, 0, MAX].map(
    String,
  );
  // encode, and write into bytes that held other values.
  assert.deepEqual(cValues(PRELUDE, "struct wide", Wide.encode(value), LOADS), expected);
  const used = new Uint8Array(Wide.size).fill(0xa5);
  Wide.write(used, value);
  assert.deepEqual(cValues(PRELUDE, "struct wide", used, LOADS), expected);
  // ArrayView.set, a view's setters, an array field's set and a column's set.
  const rowBytes = new Uint8Array(Wide.size * 2);
  const rows = Wide.array(rowBytes);
  rows.set(1, value);
  const view = rows.at(0);
  for (const key of ["u", "i", "size", "ssize", "off", "n", "s", "big_endian", "page", "rest"] as const) {
    (view as Record<string, unknown>)[key] = value[key];
  }
  view.row.set(1, MAX);
  rows.column("u").set(0, MAX);
  for (let i = 0; i < 2; i++) {
    const row = rowBytes.subarray(i * Wide.size, (i + 1) * Wide.size);
    assert.deepEqual(cValues(PRELUDE, "struct wide", row, LOADS), expected, `row ${i}`);
  }
  // Reads stay exact: bigints, but for asNumber's fields.
  assert.deepEqual(Wide.read(used).row, [0n, BigInt(MAX)]);
  assert.equal(Wide.read(used).n, 4294967296);
  assert.equal(Wide.read(used).s, -4294967297);
});

bothPaths(
  "a number that is not a safe integer is refused with UnsafeIntegerError on every write path",
  (make) => {
    const Wide = make(() => struct(fields, { name: "wide" }));
    const bytes = new Uint8Array(Wide.size);
    const rows = Wide.array(bytes);
    const unsafe = {
      name: "UnsafeIntegerError",
      message:
        /is not a safe integer, so it may not be the one meant for (u64|i64|size_t|u64 : 40); pass a bigint/,
    };
    assert.throws(() => Wide.encode({ u: 2 ** 53 }), unsafe);
    assert.throws(() => Wide.encode({ i: -(2 ** 53) }), unsafe);
    assert.throws(() => Wide.write(bytes, { size: 2 ** 64 }), unsafe);
    assert.throws(() => rows.set(0, { n: 1e300 }), unsafe);
    assert.throws(() => (rows.at(0).u = 2 ** 60 as never), unsafe);
    assert.throws(() => rows.at(0).row.set(0, 2 ** 53), unsafe);
    assert.throws(() => rows.column("u").set(0, 2 ** 53), unsafe);
    assert.throws(() => Wide.encode({ page: 2 ** 53 }), unsafe);
    try {
      Wide.encode({ u: 2 ** 53 });
    } catch (error) {
      assert.ok(error instanceof UnsafeIntegerError && error instanceof RangeError);
      assert.equal(error.value, 2 ** 53);
      assert.equal(error.type, "u64");
    }
    // Not integers, negative for an unsigned type, or past the width: a RangeError, as before.
    assert.throws(() => Wide.encode({ u: -1 }), {
      name: "RangeError",
      message: /value -1 is out of range for u64/,
    });
    assert.throws(() => Wide.encode({ u: 0.5 }), { name: "RangeError" });
    assert.throws(() => Wide.encode({ u: NaN }), { name: "RangeError" });
    assert.throws(() => Wide.encode({ page: 2 ** 40 }), { name: "RangeError" });
    assert.deepEqual([...bytes], new Array(Wide.size).fill(0), "nothing was written");
  },
);

bothPaths("asNumber() reads what C wrote as a number, and an unsafe value as UnsafeIntegerError", (make) => {
  const Wide = make(() => struct(fields, { name: "wide" }));
  const bytes = cBytes(PRELUDE, "struct wide", "x.n = 9007199254740991ULL; x.s = -9007199254740991LL;");
  const value = Wide.read(bytes);
  const sum: number = value.n + value.s + 1; // a number: this line is checked by deno check
  assert.equal(sum, 1);
  assert.equal(Wide.view(bytes).n, MAX);
  assert.deepEqual(Wide.array(bytes).toArray()[0]!.s, -MAX);
  // A column reads the machine type, as its typed array does.
  assert.equal(Wide.array(bytes).column("n").at(0), BigInt(MAX));
  for (
    const [fill, exact] of [
      ["x.n = 9007199254740992ULL;", 9007199254740992n],
      ["x.n = 18446744073709551615ULL;", 18446744073709551615n],
      ["x.s = -9007199254740992LL;", -9007199254740992n],
      ["x.s = INT64_MIN;", -(2n ** 63n)],
    ] as const
  ) {
    const unsafe = cBytes(PRELUDE, "struct wide", fill);
    const field = fill.startsWith("x.n") ? "n" : "s";
    for (const read of [() => Wide.read(unsafe), () => Wide.view(unsafe)[field]]) {
      assert.throws(read, (error: unknown) => {
        assert.ok(error instanceof UnsafeIntegerError, String(error));
        assert.equal(error.value, exact);
        assert.equal(error.type, field === "n" ? "u64" : "i64");
        assert.match(error.message, /^Cannot read (u64|i64) as a number: -?\d+ is not a safe integer/);
        return true;
      });
    }
  }
  assert.throws(() => asNumber(u32 as never), {
    name: "TypeError",
    message: 'Cannot read "u32" as a number: expected a 64-bit integer scalar',
  });
});

test("asNumber() keeps the type's size, alignment, name and byte order", () => {
  const n = asNumber(size_t);
  assert.deepEqual([n.size, n.align, n.name, n.native, n.endian, n.reads], [
    8,
    8,
    "size_t",
    "usize",
    "native",
    "number",
  ]);
  const iovec = struct({ iov_base: pointer, iov_len: asNumber(size_t) });
  const vectors = iovec.array(new Uint8Array(iovec.size * 2));
  vectors.set(0, { iov_base: null, iov_len: 10 });
  vectors.set(1, { iov_base: null, iov_len: 22 });
  const total: number = vectors.at(0).iov_len + vectors.at(1).iov_len;
  assert.equal(total, 32);
  assert.equal(asNumber(u64be).endian, "big");
});

test("long_lp64 and ulong_lp64 are C's long on this LP64 machine, typed bigint; long stays number | bigint", () => {
  const c = runSizes();
  assert.deepEqual(c, [8, 8, 8, 8]);
  assert.equal(long_lp64.size, 8);
  assert.equal(ulong_lp64.native, "u64");
  // Typed exactly: bigint arithmetic with no BigInt()/Number() around the fields (checked by deno check).
  const L = struct({ a: long_lp64, b: ulong_lp64 });
  const v = L.read(L.encode({ a: -3, b: 5n }));
  const product: bigint = v.a * v.b;
  assert.equal(product, -15n);
  const wide: Infer<typeof long> = 1n;
  assert.equal(typeof wide, "bigint");
});

function runSizes(): number[] {
  const layouts = cLayouts("", { "long": [], "unsigned long": [] });
  return [layouts.get("long")!.size, layouts.get("long")!.align, layouts.get("unsigned long")!.size, 8];
}

test("sysinfo's fields are bigint on Linux: total RAM computes as C computes it", () => {
  const prelude = "#include <sys/sysinfo.h>";
  const bytes = cBytes(prelude, "struct sysinfo", "sysinfo(&x);");
  const si = sysinfo.read(bytes);
  const total: bigint = si.totalram * BigInt(si.mem_unit); // was a type error: number | bigint
  const [expected] = cValues(prelude, "struct sysinfo", bytes, [[
    "(unsigned long long)x.totalram * x.mem_unit",
    "u",
  ]]);
  assert.equal(String(total), expected);
  assert.ok(total > 0n);
});

const PRELUDE_128 = `#include <stdint.h>
struct big { uint8_t tag; __int128 s; unsigned __int128 u; __int128 xs[2]; };`;

bothPaths("i128 and u128 read and write __int128 as C does: 16 bytes aligned to 16, as bigints", (make) => {
  const Big = make(() => struct({ tag: u8, s: i128, u: u128, xs: array(i128, 2) }, { name: "big" }));
  const c = cLayouts(PRELUDE_128, { "struct big": ["s", "u", "xs"] }).get("struct big")!;
  assert.deepEqual([Big.size, Big.align, offsetOf(Big, "s"), offsetOf(Big, "u"), offsetOf(Big, "xs")], [
    c.size,
    c.align,
    c.offsets.get("s"),
    c.offsets.get("u"),
    c.offsets.get("xs"),
  ]);
  const bytes = cBytes(
    PRELUDE_128,
    "struct big",
    "x.tag = 1; x.s = -((__int128)1 << 100) - 7; x.u = ~(unsigned __int128)0; x.xs[1] = (__int128)1 << 64;",
  );
  const value = Big.read(bytes);
  const exact: bigint = value.s; // typed bigint (deno check)
  assert.equal(exact, -(2n ** 100n) - 7n);
  assert.equal(value.u, 2n ** 128n - 1n);
  assert.deepEqual(value.xs, [0n, 2n ** 64n]);
  assert.equal(Big.view(bytes).u, 2n ** 128n - 1n);
  // Written by us, read by C as two 64-bit halves.
  const ours = Big.encode({ tag: 2, s: -(2n ** 127n), u: 5, xs: [-1, 2n ** 70n] });
  const halves = (e: string): [string, "u"][] => [
    [`(unsigned long long)((unsigned __int128)(${e}) >> 64)`, "u"],
    [`(unsigned long long)(${e})`, "u"],
  ];
  assert.deepEqual(
    cValues(PRELUDE_128, "struct big", ours, [
      ...halves("x.s"),
      ...halves("x.u"),
      ...halves("x.xs[0]"),
      ...halves("x.xs[1]"),
    ]),
    [String(2n ** 63n), "0", "0", "5", String(2n ** 64n - 1n), String(2n ** 64n - 1n), "64", "0"],
  );
  assert.throws(() => Big.encode({ s: 2n ** 127n }), {
    name: "RangeError",
    message: `Cannot write "big.s": value ${2n ** 127n}n is out of range for __int128`,
  });
  assert.throws(() => Big.encode({ u: -1 }), { name: "RangeError" });
  assert.throws(() => Big.encode({ u: 2 ** 60 }), { name: "UnsafeIntegerError" });
  assert.throws(() => Big.encode({ u: "1" as never }), {
    name: "TypeError",
    message: 'Cannot write "big.u": expected a bigint or a safe integer for unsigned __int128, got "1"',
  });
});

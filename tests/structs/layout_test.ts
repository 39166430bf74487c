/**
 * The C compiler is the judge: synthetic torture structs (mixed sizes, nesting, unions, bitfields, packed,
 * `#pragma pack`, aligned fields, arrays of structs, flexible arrays) laid out by `struct()` must agree with
 * `cc` on size, alignment and every offset; values C wrote must read back equal, and values we wrote must read
 * back equal in C. Every check runs on both the generated and the plain code path.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { onPath } from "./_both_paths.ts";
import {
  aligned,
  ANY_SIZE,
  array,
  bits,
  bool,
  char,
  double,
  f32,
  FLEXIBLE,
  i16,
  i64,
  i8,
  int,
  longlong,
  pointer,
  pointerCodec,
  short,
  size_t,
  struct,
  u16,
  u16be,
  u32be,
  u64,
  u8,
  uint,
  union,
} from "../../structs/mod.ts";
import { assertSameLayout, cBytes, cLayouts, cValues, pathsOf } from "./_c.ts";

const PRELUDE = `
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <arpa/inet.h>
struct mixed { char a; double b; short c; int d; char e; long long f; char g[3]; };
struct inner { char c; int i; };
struct outer {
  char head;
  struct inner in[3];
  short y;
  union { int i; char c[5]; double d; } u;
  struct { char a; short b; } anon;
  char z;
};
union small { char c[7]; short s; int i; };
struct bf {
  unsigned a : 3; unsigned b : 7; int c : 5; unsigned char d : 4; unsigned short e : 12;
  unsigned long long f : 30; unsigned g : 31; signed char h : 3; unsigned : 0; unsigned i : 2;
};
struct bf2 { char a; unsigned b : 30; unsigned c : 4; long long d : 20; char e; short f : 9; };
struct __attribute__((packed)) pk { char a; int b; short c; long long d; struct inner in; };
struct __attribute__((packed)) pkb { char a; unsigned b : 3; unsigned c : 10; int d; unsigned e : 20; };
#pragma pack(push, 2)
struct p2 { char a; int b; char c; double d; short e; struct inner in; };
struct p2b { char a; unsigned b : 12; unsigned c : 12; short d; unsigned e : 20; long long f : 32; };
#pragma pack(pop)
#pragma pack(push, 4)
struct p4 { char a; long long b; char c; };
#pragma pack(pop)
struct al { char a; char b __attribute__((aligned(8))); int c; char d __attribute__((aligned(16))); };
struct __attribute__((aligned(16))) al16 { char a; int b; };
/* #pragma pack caps aligned members and aligned types alike; packed leaves a member's aligned(n) at exactly n
   and brings an aligned type down to 1; the struct's own aligned attribute is not capped. */
typedef int aint8 __attribute__((aligned(8)));
#pragma pack(push, 1)
struct p1al { char a; int b __attribute__((aligned(8))); };
struct p1al_type { char a; aint8 b; struct al16 c; };
#pragma pack(pop)
#pragma pack(push, 4)
struct p4al { char a; int b __attribute__((aligned(8))); char c __attribute__((aligned(2))); struct al16 d;
  char e; struct al16 f __attribute__((aligned(32))); };
struct __attribute__((packed)) p4pkal { char a; long long b __attribute__((aligned(8))); short c __attribute__((aligned(2))); };
#pragma pack(pop)
struct __attribute__((packed)) pkal { char a; int b __attribute__((aligned(2))); char c; long long d __attribute__((aligned(8))); char e; struct al16 f; };
#pragma pack(push, 2)
struct __attribute__((aligned(8))) p2al8 { char a; int b; };
#pragma pack(pop)
struct flex { int n; short s; struct inner rows[]; };
struct flex8 { long long n; char c; int rows[]; };
struct anysize { int n; short s; struct inner rows[1]; };
struct anysize8 { long long n; char c; short rows[1]; };
struct net { uint16_t port; uint32_t addr; uint16_t local; };
struct misc { bool b; float f; void *p; double d; size_t z; int8_t s8; int16_t s16; uint64_t u64; int64_t s64; };
struct named { int id; char name[8]; unsigned char raw[3]; };
struct empty_tail { int n; char pad[0]; };
`;

function define() {
  const inner = struct({ c: char, i: int }, { name: "inner" });
  const mixed = struct({ a: char, b: double, c: short, d: int, e: char, f: longlong, g: array(char, 3) }, {
    name: "mixed",
  });
  const outer = struct({
    head: char,
    in: array(inner, 3),
    y: short,
    u: union({ i: int, c: array(char, 5), d: double }),
    anon: struct({ a: char, b: short }),
    z: char,
  }, { name: "outer" });
  const small = union({ c: array(char, 7), s: short, i: int }, { name: "small" });
  const bf = struct({
    a: bits(uint, 3),
    b: bits(uint, 7),
    c: bits(int, 5),
    d: bits(u8, 4),
    e: bits(u16, 12),
    f: bits(u64, 30),
    g: bits(uint, 31),
    h: bits(i8, 3),
    _: bits(uint, 0),
    i: bits(uint, 2),
  }, { name: "bf" });
  const bf2 = struct({
    a: char,
    b: bits(uint, 30),
    c: bits(uint, 4),
    d: bits(i64, 20),
    e: char,
    f: bits(i16, 9),
  }, {
    name: "bf2",
  });
  const pk = struct({ a: char, b: int, c: short, d: longlong, in: inner }, { name: "pk", packed: true });
  const pkb = struct({ a: char, b: bits(uint, 3), c: bits(uint, 10), d: int, e: bits(uint, 20) }, {
    name: "pkb",
    packed: true,
  });
  const p2 = struct({ a: char, b: int, c: char, d: double, e: short, in: inner }, { name: "p2", pack: 2 });
  const p2b = struct({
    a: char,
    b: bits(uint, 12),
    c: bits(uint, 12),
    d: short,
    e: bits(uint, 20),
    f: bits(i64, 32),
  }, {
    name: "p2b",
    pack: 2,
  });
  const p4 = struct({ a: char, b: longlong, c: char }, { name: "p4", pack: 4 });
  const al = struct({ a: char, b: aligned(char, 8), c: int, d: aligned(char, 16) }, { name: "al" });
  const al16 = struct({ a: char, b: int }, { name: "al16", align: 16 });
  const p1al = struct({ a: char, b: aligned(int, 8) }, { name: "p1al", pack: 1 });
  // A typedef with an aligned attribute is an aligned() member under a pack; a struct type declared with
  // `align` is one with an aligned attribute.
  const p1al_type = struct({ a: char, b: aligned(int, 8), c: al16 }, { name: "p1al_type", pack: 1 });
  const p4al = struct({
    a: char,
    b: aligned(int, 8),
    c: aligned(char, 2),
    d: al16,
    e: char,
    f: aligned(al16, 32),
  }, { name: "p4al", pack: 4 });
  const p4pkal = struct({ a: char, b: aligned(longlong, 8), c: aligned(short, 2) }, {
    name: "p4pkal",
    pack: 4,
    packed: true,
  });
  const pkal = struct({ a: char, b: aligned(int, 2), c: char, d: aligned(longlong, 8), e: char, f: al16 }, {
    name: "pkal",
    packed: true,
  });
  const p2al8 = struct({ a: char, b: int }, { name: "p2al8", pack: 2, align: 8 });
  const flex = struct({ n: int, s: short, rows: array(inner, FLEXIBLE, { count: "n" }) }, { name: "flex" });
  const flex8 = struct({ n: longlong, c: char, rows: array(int, FLEXIBLE) }, { name: "flex8" });
  const anysize = struct({ n: int, s: short, rows: array(inner, ANY_SIZE, { count: "n" }) }, {
    name: "anysize",
  });
  const anysize8 = struct({ n: longlong, c: char, rows: array(short, ANY_SIZE) }, { name: "anysize8" });
  const net = struct({ port: u16be, addr: u32be, local: u16 }, { name: "net" });
  const misc = struct({
    b: bool,
    f: f32,
    p: pointer,
    d: double,
    z: size_t,
    s8: i8,
    s16: i16,
    u64: u64,
    s64: i64,
  }, {
    name: "misc",
  });
  const named = struct({ id: int, name: array(char, 8, { string: true }), raw: array(u8, 3) }, {
    name: "named",
  });
  const empty_tail = struct({ n: int, pad: array(char, 0) }, { name: "empty_tail" });
  return {
    inner,
    mixed,
    outer,
    small,
    bf,
    bf2,
    pk,
    pkb,
    p2,
    p2b,
    p4,
    al,
    al16,
    p1al,
    p1al_type,
    p4al,
    p4pkal,
    pkal,
    p2al8,
    flex,
    flex8,
    anysize,
    anysize8,
    net,
    misc,
    named,
    empty_tail,
  };
}

for (const mode of ["generated", "plain"] as const) {
  const L = onPath(mode === "generated", define);
  const suffix = ` (${mode} code)`;

  test(`struct() matches cc: size, alignment and offsets of torture structs${suffix}`, () => {
    const types: Record<string, string[]> = {};
    const cName = (name: string) => name === "small" ? "union small" : `struct ${name}`;
    for (const layout of Object.values(L)) types[cName(layout.name)] = pathsOf(layout);
    const c = cLayouts(PRELUDE, types);
    for (const layout of Object.values(L)) assertSameLayout(layout, c.get(cName(layout.name)));
  });

  test(`struct() matches cc: bitfield placement, by values C wrote${suffix}`, () => {
    const bytes = cBytes(
      PRELUDE,
      "struct bf",
      "x.a = 5; x.b = 100; x.c = -9; x.d = 13; x.e = 4000; x.f = 999999999; x.g = 2000000000; x.h = -3; x.i = 2;",
    );
    assert.deepEqual(L.bf.read(bytes), {
      a: 5,
      b: 100,
      c: -9,
      d: 13,
      e: 4000,
      f: 999999999,
      g: 2000000000,
      h: -3,
      _: 0,
      i: 2,
    });
    const bytes2 = cBytes(
      PRELUDE,
      "struct bf2",
      "x.a = 'q'; x.b = 1073741823; x.c = 9; x.d = -524288; x.e = 7; x.f = -200;",
    );
    assert.deepEqual(L.bf2.read(bytes2), { a: 113, b: 1073741823, c: 9, d: -524288, e: 7, f: -200 });
    const bytes4 = cBytes(
      PRELUDE,
      "struct p2b",
      "x.a = 1; x.b = 4095; x.c = 2049; x.d = -3; x.e = 1048575; x.f = -2147483648LL;",
    );
    assert.deepEqual(L.p2b.read(bytes4), { a: 1, b: 4095, c: 2049, d: -3, e: 1048575, f: -2147483648 });
    const bytes3 = cBytes(PRELUDE, "struct pkb", "x.a = 1; x.b = 6; x.c = 1000; x.d = -5; x.e = 1048575;");
    assert.deepEqual(L.pkb.read(bytes3), { a: 1, b: 6, c: 1000, d: -5, e: 1048575 });
  });

  test(`struct() matches cc: bitfields we wrote read back equal in C${suffix}`, () => {
    const bytes = L.bf2.encode({ a: 1, b: 123456789, c: 15, d: -1000, e: -2, f: 255 });
    assert.deepEqual(
      cValues(PRELUDE, "struct bf2", bytes, [["x.a", "i"], ["x.b", "u"], ["x.c", "u"], ["x.d", "i"], [
        "x.e",
        "i",
      ], [
        "x.f",
        "i",
      ]]),
      ["1", "123456789", "15", "-1000", "-2", "255"],
    );
    const bytes2 = L.bf.encode({ a: 7, b: 1, c: -16, d: 15, e: 1, f: 1 << 29, g: 1, h: 3, _: 0, i: 3 });
    const view = L.bf.view(bytes2);
    view.b = 127;
    view.c = 15;
    view.h = -4;
    assert.deepEqual(
      cValues(PRELUDE, "struct bf", bytes2, [
        ["x.a", "u"],
        ["x.b", "u"],
        ["x.c", "i"],
        ["x.d", "u"],
        ["x.e", "u"],
        ["x.f", "u"],
        ["x.g", "u"],
        ["x.h", "i"],
        ["x.i", "u"],
      ]),
      ["7", "127", "15", "15", "1", String(1 << 29), "1", "-4", "3"],
    );
  });

  test(`struct() matches cc: nested structs, unions, arrays and packing, by values C wrote${suffix}`, () => {
    const bytes = cBytes(
      PRELUDE,
      "struct outer",
      `x.head = 1; for (int i = 0; i < 3; i++) { x.in[i].c = 10 + i; x.in[i].i = -100 * i; }
       x.y = -2; x.u.d = 2.5; x.anon.a = 3; x.anon.b = 300; x.z = 9;`,
    );
    const o = L.outer.read(bytes);
    assert.deepEqual(o.in, [{ c: 10, i: 0 }, { c: 11, i: -100 }, { c: 12, i: -200 }]);
    assert.equal(o.y, -2);
    assert.equal(o.u.d, 2.5);
    assert.equal(o.anon.b, 300);
    assert.equal(o.z, 9);
    const view = L.outer.view(bytes);
    assert.equal(view.in.at(2).i, -200);
    assert.equal(view.u.d, 2.5);
    const pk = cBytes(
      PRELUDE,
      "struct pk",
      "x.a = 1; x.b = -7; x.c = 3; x.d = -123456789012345LL; x.in.c = 4; x.in.i = 5;",
    );
    assert.deepEqual(L.pk.read(pk), { a: 1, b: -7, c: 3, d: -123456789012345n, in: { c: 4, i: 5 } });
    const p2 = cBytes(PRELUDE, "struct p2", "x.a = 1; x.b = 2; x.c = 3; x.d = 0.25; x.e = 5; x.in.i = 6;");
    assert.deepEqual(L.p2.read(p2), { a: 1, b: 2, c: 3, d: 0.25, e: 5, in: { c: 0, i: 6 } });
    const al = cBytes(PRELUDE, "struct al", "x.a = 1; x.b = 2; x.c = 3; x.d = 4;");
    assert.deepEqual(L.al.read(al), { a: 1, b: 2, c: 3, d: 4 });
    const p4al = cBytes(
      PRELUDE,
      "struct p4al",
      "x.a = 1; x.b = -2; x.c = 3; x.d.b = 4; x.e = 5; x.f.a = 6; x.f.b = 7;",
    );
    assert.deepEqual(L.p4al.read(p4al), {
      a: 1,
      b: -2,
      c: 3,
      d: { a: 0, b: 4 },
      e: 5,
      f: { a: 6, b: 7 },
    });
    const pkal = cBytes(PRELUDE, "struct pkal", "x.a = 1; x.b = -2; x.c = 3; x.d = -4; x.e = 5; x.f.b = 6;");
    assert.deepEqual(L.pkal.read(pkal), { a: 1, b: -2, c: 3, d: -4n, e: 5, f: { a: 0, b: 6 } });
  });

  test(`struct() matches cc: values we wrote read back equal in C${suffix}`, () => {
    const bytes = L.outer.encode({
      head: -1,
      in: [{ c: 1, i: 2 }, { c: 3, i: 4 }, { c: 5, i: -6 }],
      y: 7,
      u: { d: -0.125 },
      anon: { a: 8, b: -9 },
      z: 10,
    });
    assert.deepEqual(
      cValues(PRELUDE, "struct outer", bytes, [
        ["x.head", "i"],
        ["x.in[2].i", "i"],
        ["x.in[1].c", "i"],
        ["x.y", "i"],
        ["x.u.d", "f"],
        ["x.anon.b", "i"],
        ["x.z", "i"],
      ]),
      ["-1", "-6", "3", "7", "-0.125", "-9", "10"],
    );
    const misc = L.misc.encode({
      b: true,
      f: 1.5,
      p: pointerCodec().fromAddress(0x1234n),
      d: Math.PI,
      z: 2n ** 63n,
      s8: -128,
      s16: -32768,
      u64: 2n ** 64n - 1n,
      s64: -(2n ** 63n),
    });
    assert.deepEqual(
      cValues(PRELUDE, "struct misc", misc, [
        ["x.b", "u"],
        ["x.f", "f"],
        ["(uintptr_t)x.p", "u"],
        ["x.d", "f"],
        ["x.z", "u"],
        ["x.s8", "i"],
        ["x.s16", "i"],
        ["x.u64", "u"],
        ["x.s64", "i"],
      ]),
      [
        "1",
        "1.5",
        String(0x1234),
        "3.1415926535897931",
        String(2n ** 63n),
        "-128",
        "-32768",
        String(2n ** 64n - 1n),
        String(-(2n ** 63n)),
      ],
    );
    const pk = L.pk.encode({ a: 1, b: -7, c: 3, d: 1n << 40n, in: { c: 4, i: 5 } });
    assert.deepEqual(cValues(PRELUDE, "struct pk", pk, [["x.b", "i"], ["x.d", "i"], ["x.in.i", "i"]]), [
      "-7",
      String(1n << 40n),
      "5",
    ]);
  });

  test(`struct() matches cc: misc scalars, strings and network byte order, by values C wrote${suffix}`, () => {
    const misc = L.misc.read(
      cBytes(
        PRELUDE,
        "struct misc",
        "x.b = true; x.f = -2.75f; x.p = (void *)0xdeadbeefULL; x.d = 1e300; x.z = 12345; x.s8 = -1; x.s16 = -300; x.u64 = 18446744073709551615ULL; x.s64 = -5;",
      ),
    );
    assert.equal(misc.b, true);
    assert.equal(misc.f, -2.75);
    assert.equal(pointerCodec().toAddress(misc.p), 0xdeadbeefn);
    assert.equal(misc.d, 1e300);
    assert.equal(misc.z, 12345n);
    assert.equal(misc.s8, -1);
    assert.equal(misc.s16, -300);
    assert.equal(misc.u64, 2n ** 64n - 1n);
    assert.equal(misc.s64, -5n);
    const net = cBytes(
      PRELUDE,
      "struct net",
      "x.port = htons(8080); x.addr = htonl(0x7f000001); x.local = 443;",
    );
    assert.deepEqual(L.net.read(net), { port: 8080, addr: 0x7f000001, local: 443 });
    assert.deepEqual(
      cValues(PRELUDE, "struct net", L.net.encode({ port: 22, addr: 0x0a000001, local: 80 }), [
        ["ntohs(x.port)", "u"],
        ["ntohl(x.addr)", "u"],
        ["x.local", "u"],
      ]),
      ["22", String(0x0a000001), "80"],
    );
    const named = cBytes(PRELUDE, "struct named", 'x.id = 3; strcpy(x.name, "lo"); x.raw[2] = 200;');
    assert.deepEqual(L.named.read(named), { id: 3, name: "lo", raw: [0, 0, 200] });
    assert.equal(L.named.view(named).name, "lo");
    assert.deepEqual(
      cValues(PRELUDE, "struct named", L.named.encode({ id: 1, name: "eth0", raw: [1, 2, 3] }), [
        ["x.name", "s"],
        ["x.raw[1]", "u"],
      ]),
      ["eth0", "2"],
    );
  });

  test(`struct() matches cc: flexible arrays by count and by remaining bytes${suffix}`, () => {
    const bytes = cBytes(
      PRELUDE,
      "struct flex",
      "x.n = 3; x.s = -1; for (int i = 0; i < 4; i++) { x.rows[i].c = i; x.rows[i].i = 1000 * i; }",
      "sizeof(struct flex) + 4 * sizeof(struct inner)",
    );
    // The buffer holds four rows, the count says three: the count wins.
    const table = L.flex.read(bytes);
    assert.equal(table.n, 3);
    assert.deepEqual(table.rows, [{ c: 0, i: 0 }, { c: 1, i: 1000 }, { c: 2, i: 2000 }]);
    // A fourth row past the count is more than the struct: `prefix` accepts it, a plain cast does not.
    assert.throws(() => L.flex.cast(bytes), { name: "LayoutError", message: /expected 32 bytes, .* got 40/ });
    const view = L.flex.cast(bytes, { prefix: true });
    assert.equal(view.rows.length, 3);
    assert.equal(view.rows.at(-1).i, 2000);
    const bytes8 = cBytes(
      PRELUDE,
      "struct flex8",
      "x.n = 9; for (int i = 0; i < 2; i++) x.rows[i] = -i - 1;",
      "offsetof(struct flex8, rows) + 2 * sizeof(int)",
    );
    assert.deepEqual(L.flex8.read(bytes8).rows, [-1, -2]);
    const ours = L.flex.encode({ n: 2, s: 5, rows: [{ c: 7, i: 8 }, { c: 9, i: -10 }] });
    assert.equal(ours.length, 4 + 2 + 2 + 16);
    assert.deepEqual(
      cValues(PRELUDE, "struct flex", ours, [["x.n", "i"], ["x.rows[1].c", "i"], ["x.rows[1].i", "i"]]),
      [
        "2",
        "9",
        "-10",
      ],
    );
  });

  test(`struct() matches cc: ANY_SIZE counts one element in sizeof, and 0 to n rows read${suffix}`, () => {
    // struct anysize { int n; short s; struct inner rows[1]; }: sizeof 16, offsetof(rows) 8 (sizes above).
    assert.deepEqual([L.anysize.size, L.anysize.fields[2]!.size, L.flex.size], [16, 8, 8]);
    const bytes = cBytes(
      PRELUDE,
      "struct anysize",
      "x.n = 3; x.s = -1; for (int i = 0; i < 3; i++) { x.rows[i].c = i; x.rows[i].i = 1000 * i; }",
      "offsetof(struct anysize, rows) + 3 * sizeof(struct inner)",
    );
    assert.equal(bytes.length, 32);
    assert.deepEqual(L.anysize.read(bytes).rows, [{ c: 0, i: 0 }, { c: 1, i: 1000 }, { c: 2, i: 2000 }]);
    assert.equal(L.anysize.cast(bytes).rows.at(-1).i, 2000);
    // No rows: FIELD_OFFSET(T, rows[0]) bytes cast, and encode() gives sizeof bytes, as C allocates one.
    const none = cBytes(PRELUDE, "struct anysize", "x.n = 0; x.s = 4;", "offsetof(struct anysize, rows)");
    assert.equal(none.length, 8);
    assert.deepEqual(L.anysize.cast(none).rows.toArray(), []);
    assert.deepEqual(L.anysize.read(none), { n: 0, s: 4, rows: [] });
    const encoded = L.anysize.encode({ n: 0, s: 4, rows: [] });
    assert.equal(encoded.length, 16);
    assert.deepEqual(cValues(PRELUDE, "struct anysize", encoded, [["x.n", "i"], ["x.s", "i"]]), ["0", "4"]);
    // Without a count: the rows fill the bytes, so C's sizeof bytes hold one row.
    const one = cBytes(PRELUDE, "struct anysize8", "x.n = 1; x.c = 2; x.rows[0] = -7;");
    assert.equal(one.length, 16);
    assert.deepEqual(L.anysize8.read(one).rows, [-7, 0, 0]);
    assert.deepEqual(L.anysize8.read(one.subarray(0, 12)).rows, [-7]);
  });
}

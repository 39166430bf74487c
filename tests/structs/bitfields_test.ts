/**
 * Bitfields against the C compiler, bit for bit: wide ones (33 to 64 bits, read as `bigint`) under GCC's
 * rules, and `{ bitfields: "msvc" }` against GCC's `__attribute__((ms_struct))`, which lays bitfields out as
 * Visual C++ does. Every struct is declared twice, once for `cc` and once with `struct()`. Size, alignment and
 * the offset of every other field must agree, and so must the exact bits of every bitfield: C sets one field
 * to all ones in a zeroed struct and prints the bytes, we encode the same value and compare. The zero-width
 * cases come from the rules GCC documents for `ms_struct` (a `T : 0` counts only right after a bitfield with
 * bits). The `#pragma pack` and packed cases are the ones an earlier review found wrong: under any pack GCC
 * lets bitfields straddle their units, a `T : 0` moves to T's boundary even when packed, and a union of
 * bitfields takes their bytes, not their declared types'.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "../harness.ts";
import { runC } from "../harness.ts";
import { onPath } from "./_both_paths.ts";
import {
  bits,
  char,
  type FieldInfo,
  fieldsOf,
  i16,
  i32,
  i64,
  i64be,
  i8,
  type Infer,
  type InferInput,
  offsetOf,
  padding,
  struct,
  u16,
  u16be,
  u16le,
  u32,
  u64,
  u8,
  union,
  type View,
} from "../../structs/mod.ts";
import { assertSameLayout, cBytes, cLayouts, cValues, pathsOf } from "./_c.ts";
import { hex } from "./_generated_layouts.ts";

const PRELUDE = `
#include <stdint.h>
#define MS __attribute__((ms_struct))
/* Shaped like PSAPI_WORKING_SET_BLOCK on x64 (ULONG_PTR bitfields). */
struct wsblock { uint64_t protection : 5; uint64_t share_count : 3; uint64_t shared : 1; uint64_t reserved : 3; uint64_t virtual_page : 52; };
struct wide2 { uint32_t a : 7; int64_t b : 40; uint64_t c : 33; int64_t d : 64; uint8_t e; };
struct wide3 { char head; uint64_t a : 60; int64_t b : 36; uint16_t c : 9; };
struct __attribute__((packed)) wide_pk { char x; uint64_t a : 50; int64_t b : 33; uint8_t c : 3; };
struct MS ms_wide2 { uint32_t a : 7; int64_t b : 40; uint64_t c : 33; int64_t d : 64; uint8_t e; };
struct MS ms_one { int32_t d; uint8_t a; uint16_t b : 7; char c; };
struct MS ms_two { int32_t d; uint8_t a; uint32_t b : 7; char c; };
struct MS ms_three { int16_t d; uint16_t a : 3; uint16_t b : 9; uint8_t c : 7; };
struct MS ms_four { uint16_t a : 3; uint16_t b : 9; uint32_t : 0; uint8_t c : 7; };
struct MS ms_five { char a; int32_t : 0; char b; char c; };
struct MS ms_six { char a : 8; int32_t : 0; char b; char c; };
struct MS ms_types { int32_t a : 1; int16_t b : 1; };
struct MS ms_zeros { char foo : 4; int64_t : 0; int16_t : 0; char bar; };
struct MS ms_zeros2 { char foo : 4; int16_t : 0; int64_t : 0; char bar : 7; };
struct MS ms_lead { int64_t : 0; char bar; };
struct MS ms_trail { char foo : 6; int64_t : 0; };
struct MS ms_wide { uint64_t a : 30; uint64_t b : 30; uint32_t c : 4; uint8_t d; int64_t e : 20; };
struct MS ms_full { uint32_t a : 20; uint32_t b : 20; };
struct MS ms_signs { int32_t a : 5; uint32_t b : 5; int32_t c : 22; int32_t d : 1; };
struct MS ms_mixed { int8_t a : 3; uint8_t b : 5; int16_t c : 4; uint32_t d : 31; uint16_t e : 16; int64_t f : 32; uint8_t g; };
union MS ms_union { uint8_t a : 3; uint32_t b : 20; uint16_t c; };
struct __attribute__((packed)) MS ms_packed { char x; uint32_t a : 3; uint8_t b : 2; int16_t c; };
#pragma pack(push, 1)
struct MS ms_p1 { char x; uint32_t a : 3; uint8_t b : 2; };
struct MS ms_p1_tail { char x; uint16_t a : 3; uint32_t b : 3; };
#pragma pack(pop)
#pragma pack(push, 2)
struct MS ms_p2 { char a; uint32_t b : 12; uint32_t c : 12; int16_t d; uint32_t e : 20; int64_t f : 32; int64_t : 0; char g; };
#pragma pack(pop)
union MS ms_union_zero { uint64_t : 0; int32_t a; };
union MS ms_union_zero2 { uint8_t a; int32_t : 0; };
/* Under #pragma pack, whatever n, GCC never moves a bitfield to avoid straddling its unit. */
#pragma pack(push, 1)
struct p1_straddle { char a; int32_t b : 31; int32_t c : 2; };
struct p1_zero { char a; int64_t : 0; char c; };
union p1_union { int32_t a : 3; };
#pragma pack(pop)
#pragma pack(push, 2)
struct p2_straddle { char a; int32_t b : 20; int32_t c : 20; };
union p2_union { int64_t a : 33; uint8_t b : 2; };
#pragma pack(pop)
#pragma pack(push, 4)
struct p4_straddle { char a; int64_t b : 40; int64_t c : 30; };
/* Packed too: the bitfield's type still counts toward the alignment, capped by the pack. */
struct __attribute__((packed)) p4_packed { char a; uint32_t b : 3; };
#pragma pack(pop)
#pragma pack(push, 8)
struct p8_straddle { int32_t a : 20; int32_t b : 20; uint64_t c : 60; };
#pragma pack(pop)
/* A T : 0 still moves to T's boundary in a packed struct (and adds no alignment). */
struct __attribute__((packed)) pk_zero { char a : 3; int32_t : 0; char c : 2; int16_t : 0; char d; };
struct __attribute__((packed)) pk_zero_tail { uint8_t a : 6; uint16_t : 0; };
union __attribute__((packed)) pk_union { int32_t a : 13; char c; };
union zero_union { uint16_t a : 16; int64_t : 0; int16_t b; };
union wide_union { int64_t a : 3; };
/* Unnamed bitfields: placed as named ones, but GCC leaves them out of the alignment (ms_struct does not). */
struct un_one { char a; uint32_t : 3; };
struct un_two { char a; uint32_t : 3; uint32_t b : 4; char c; };
struct un_straddle { char a; uint32_t : 30; uint8_t b : 3; char c; };
struct un_wide { uint8_t a : 5; uint64_t : 40; int16_t b : 9; char c; };
struct un_zero { char a; uint32_t : 0; char b; };
struct un_only { uint16_t : 9; };
struct un_mixed { int16_t a; uint8_t : 2; uint64_t : 7; char c; };
struct __attribute__((packed)) un_pk { char a; uint32_t : 30; uint8_t b : 5; char c; };
#pragma pack(push, 1)
struct un_p1 { char a; uint32_t : 13; int32_t b : 7; char c; };
#pragma pack(pop)
#pragma pack(push, 2)
struct un_p2 { char a; uint64_t : 30; char b; };
#pragma pack(pop)
#pragma pack(push, 4)
struct un_p4 { char a; uint64_t : 40; uint8_t b : 4; };
#pragma pack(pop)
union un_union { char a; uint32_t : 20; };
union un_union2 { uint8_t a : 3; uint64_t : 60; };
struct MS ms_un_one { char a; uint32_t : 3; char b; };
struct MS ms_un_two { uint32_t a : 3; uint16_t : 3; uint16_t b : 4; char c; };
struct MS ms_un_tail { char a; uint64_t : 3; };
union MS ms_un_union { char a; uint32_t : 20; };
struct __attribute__((packed)) MS ms_un_pk { char a; uint64_t : 3; uint8_t b : 2; };
#pragma pack(push, 2)
struct MS ms_un_p2 { char a; uint32_t : 3; char b; };
#pragma pack(pop)
`;

function define() {
  const msvc = (name: string) => ({ name, bitfields: "msvc" as const });
  const wide2 = { a: bits(u32, 7), b: bits(i64, 40), c: bits(u64, 33), d: bits(i64, 64), e: u8 };
  return [
    struct({
      protection: bits(u64, 5),
      share_count: bits(u64, 3),
      shared: bits(u64, 1),
      reserved: bits(u64, 3),
      virtual_page: bits(u64, 52),
    }, { name: "wsblock" }),
    struct(wide2, { name: "wide2" }),
    struct({ head: char, a: bits(u64, 60), b: bits(i64, 36), c: bits(u16, 9) }, { name: "wide3" }),
    struct({ x: char, a: bits(u64, 50), b: bits(i64, 33), c: bits(u8, 3) }, {
      name: "wide_pk",
      packed: true,
    }),
    struct(wide2, msvc("ms_wide2")),
    struct({ d: i32, a: u8, b: bits(u16, 7), c: char }, msvc("ms_one")),
    struct({ d: i32, a: u8, b: bits(u32, 7), c: char }, msvc("ms_two")),
    struct({ d: i16, a: bits(u16, 3), b: bits(u16, 9), c: bits(u8, 7) }, msvc("ms_three")),
    struct({ a: bits(u16, 3), b: bits(u16, 9), z: bits(u32, 0), c: bits(u8, 7) }, msvc("ms_four")),
    struct({ a: char, z: bits(i32, 0), b: char, c: char }, msvc("ms_five")),
    struct({ a: bits(i8, 8), z: bits(i32, 0), b: char, c: char }, msvc("ms_six")),
    struct({ a: bits(i32, 1), b: bits(i16, 1) }, msvc("ms_types")),
    struct({ foo: bits(i8, 4), z1: bits(i64, 0), z2: bits(i16, 0), bar: char }, msvc("ms_zeros")),
    struct({ foo: bits(i8, 4), z1: bits(i16, 0), z2: bits(i64, 0), bar: bits(i8, 7) }, msvc("ms_zeros2")),
    struct({ z: bits(i64, 0), bar: char }, msvc("ms_lead")),
    struct({ foo: bits(i8, 6), z: bits(i64, 0) }, msvc("ms_trail")),
    struct({ a: bits(u64, 30), b: bits(u64, 30), c: bits(u32, 4), d: u8, e: bits(i64, 20) }, msvc("ms_wide")),
    struct({ a: bits(u32, 20), b: bits(u32, 20) }, msvc("ms_full")),
    struct({ a: bits(i32, 5), b: bits(u32, 5), c: bits(i32, 22), d: bits(i32, 1) }, msvc("ms_signs")),
    struct({
      a: bits(i8, 3),
      b: bits(u8, 5),
      c: bits(i16, 4),
      d: bits(u32, 31),
      e: bits(u16, 16),
      f: bits(i64, 32),
      g: u8,
    }, msvc("ms_mixed")),
    union({ a: bits(u8, 3), b: bits(u32, 20), c: u16 }, msvc("ms_union")),
    struct({ x: char, a: bits(u32, 3), b: bits(u8, 2), c: i16 }, { ...msvc("ms_packed"), packed: true }),
    struct({ x: char, a: bits(u32, 3), b: bits(u8, 2) }, { ...msvc("ms_p1"), pack: 1 }),
    struct({ x: char, a: bits(u16, 3), b: bits(u32, 3) }, { ...msvc("ms_p1_tail"), pack: 1 }),
    struct({
      a: char,
      b: bits(u32, 12),
      c: bits(u32, 12),
      d: i16,
      e: bits(u32, 20),
      f: bits(i64, 32),
      z: bits(i64, 0),
      g: char,
    }, { ...msvc("ms_p2"), pack: 2 }),
    union({ z: bits(u64, 0), a: i32 }, msvc("ms_union_zero")),
    union({ a: u8, z: bits(i32, 0) }, msvc("ms_union_zero2")),
    struct({ a: char, b: bits(i32, 31), c: bits(i32, 2) }, { name: "p1_straddle", pack: 1 }),
    struct({ a: char, z: bits(i64, 0), c: char }, { name: "p1_zero", pack: 1 }),
    union({ a: bits(i32, 3) }, { name: "p1_union", pack: 1 }),
    struct({ a: char, b: bits(i32, 20), c: bits(i32, 20) }, { name: "p2_straddle", pack: 2 }),
    union({ a: bits(i64, 33), b: bits(u8, 2) }, { name: "p2_union", pack: 2 }),
    struct({ a: char, b: bits(i64, 40), c: bits(i64, 30) }, { name: "p4_straddle", pack: 4 }),
    struct({ a: char, b: bits(u32, 3) }, { name: "p4_packed", pack: 4, packed: true }),
    struct({ a: bits(i32, 20), b: bits(i32, 20), c: bits(u64, 60) }, { name: "p8_straddle", pack: 8 }),
    struct({ a: bits(i8, 3), z: bits(i32, 0), c: bits(i8, 2), z2: bits(i16, 0), d: char }, {
      name: "pk_zero",
      packed: true,
    }),
    struct({ a: bits(u8, 6), z: bits(u16, 0) }, { name: "pk_zero_tail", packed: true }),
    union({ a: bits(i32, 13), c: char }, { name: "pk_union", packed: true }),
    union({ a: bits(u16, 16), z: bits(i64, 0), b: i16 }, { name: "zero_union" }),
    union({ a: bits(i64, 3) }, { name: "wide_union" }),
    struct({ a: char, _: padding(u32, 3) }, { name: "un_one" }),
    struct({ a: char, _: padding(u32, 3), b: bits(u32, 4), c: char }, { name: "un_two" }),
    struct({ a: char, _: padding(u32, 30), b: bits(u8, 3), c: char }, { name: "un_straddle" }),
    struct({ a: bits(u8, 5), _: padding(u64, 40), b: bits(i16, 9), c: char }, { name: "un_wide" }),
    struct({ a: char, _: padding(u32, 0), b: char }, { name: "un_zero" }),
    struct({ _: padding(u16, 9) }, { name: "un_only" }),
    struct({ a: i16, _1: padding(u8, 2), _2: padding(u64, 7), c: char }, { name: "un_mixed" }),
    struct({ a: char, _: padding(u32, 30), b: bits(u8, 5), c: char }, { name: "un_pk", packed: true }),
    struct({ a: char, _: padding(u32, 13), b: bits(i32, 7), c: char }, { name: "un_p1", pack: 1 }),
    struct({ a: char, _: padding(u64, 30), b: char }, { name: "un_p2", pack: 2 }),
    struct({ a: char, _: padding(u64, 40), b: bits(u8, 4) }, { name: "un_p4", pack: 4 }),
    union({ a: char, _: padding(u32, 20) }, { name: "un_union" }),
    union({ a: bits(u8, 3), _: padding(u64, 60) }, { name: "un_union2" }),
    struct({ a: char, _: padding(u32, 3), b: char }, msvc("ms_un_one")),
    struct({ a: bits(u32, 3), _: padding(u16, 3), b: bits(u16, 4), c: char }, msvc("ms_un_two")),
    struct({ a: char, _: padding(u64, 3) }, msvc("ms_un_tail")),
    union({ a: char, _: padding(u32, 20) }, msvc("ms_un_union")),
    struct({ a: char, _: padding(u64, 3), b: bits(u8, 2) }, { ...msvc("ms_un_pk"), packed: true }),
    struct({ a: char, _: padding(u32, 3), b: char }, { ...msvc("ms_un_p2"), pack: 2 }),
  ];
}

const cType = (layout: { kind: string; name: string }) => `${layout.kind} ${layout.name}`;
const withBits = (layout: { fields: readonly FieldInfo[] }) =>
  layout.fields.filter((f) => f.bitWidth !== undefined && f.bitWidth > 0);

/** For every bitfield of every layout: the bytes of a zeroed struct with only that field set to all ones. */
function cBitPatterns(layouts: ReturnType<typeof define>): Map<string, string> {
  const lines: string[] = [];
  for (const layout of layouts) {
    const type = cType(layout);
    for (const field of withBits(layout)) {
      lines.push(`{ ${type} x; memset(&x, 0, sizeof x); x.${field.name} = -1;
  const unsigned char *p = (const unsigned char *)&x; printf("%s.%s|", ${JSON.stringify(layout.name)}, ${
        JSON.stringify(field.name)
      });
  for (size_t i = 0; i < sizeof x; i++) printf("%02x", p[i]); printf("\\n"); }`);
    }
  }
  const out = runC(
    `${PRELUDE}\n#include <stdio.h>\n#include <string.h>\nint main(void) {\n${
      lines.join("\n")
    }\nreturn 0;\n}\n`,
  );
  return new Map(out.trim().split("\n").map((line) => line.split("|") as [string, string]));
}

interface Layout {
  read(bytes: Uint8Array): Record<string, unknown>;
  encode(value: Record<string, unknown>): Uint8Array;
  view(bytes: Uint8Array): Record<string, unknown>;
}

const isWide = (field: FieldInfo) => (field.bitWidth ?? 0) > 32;
const signedBits = (field: FieldInfo) =>
  (field.type as { storage: { native: string } }).storage.native.startsWith("i");

/** A field's value with every bit set: -1 when signed. */
function allOnes(field: FieldInfo): number | bigint {
  const width = field.bitWidth!;
  if (isWide(field)) return signedBits(field) ? -1n : 2n ** BigInt(width) - 1n;
  return signedBits(field) ? -1 : 2 ** width - 1;
}

/** A field's zero: `0n` for wide bitfields and 64-bit scalars. */
function zero(field: FieldInfo): number | bigint {
  if (field.bitWidth !== undefined) return isWide(field) ? 0n : 0;
  return /^[iu](64|size)$/.test((field.type as { native?: string }).native ?? "") ? 0n : 0;
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

for (const mode of ["generated", "plain"] as const) {
  const layouts = onPath(mode === "generated", define);
  const suffix = ` (${mode} code)`;

  test(`struct() with bitfields matches cc (GCC's rules and ms_struct): size, alignment, offsets${suffix}`, () => {
    const types: Record<string, string[]> = {};
    for (const layout of layouts) types[cType(layout)] = pathsOf(layout);
    const c = cLayouts(PRELUDE, types);
    for (const layout of layouts) assertSameLayout(layout, c.get(cType(layout)));
  });

  test(`struct() with bitfields matches cc (GCC's rules and ms_struct): every bitfield's bits${suffix}`, () => {
    const patterns = cBitPatterns(layouts);
    let checked = 0;
    for (const layout of layouts) {
      for (const field of withBits(layout)) {
        const ones = allOnes(field);
        // A union writes the members present, so it gets only this one.
        const value = layout.kind === "union"
          ? { [field.name]: ones }
          : Object.fromEntries(layout.fields.map((f) => [f.name, f.name === field.name ? ones : zero(f)]));
        const ours = (layout.encode as (value: object) => Uint8Array)(value);
        const key = `${layout.name}.${field.name}`;
        assert.equal(hex(ours), patterns.get(key), `the bits of ${key}`);
        // And back: the bytes C wrote read as all ones in that field and zero in every other.
        const read = (layout.read as (bytes: Uint8Array) => Record<string, unknown>)(ours);
        for (const other of layout.kind === "union" ? [field] : withBits(layout)) {
          assert.equal(
            read[other.name],
            other === field ? ones : zero(other),
            `${key}: ${other.name} read back`,
          );
        }
        checked++;
      }
    }
    assert.equal(checked, 92);
  });

  test(`bits() wider than 32 bits reads and writes bigints that C agrees with${suffix}`, () => {
    const [wsblock, wide2, wide3] = layouts as unknown as Layout[];
    const bytes = cBytes(
      PRELUDE,
      "struct wide2",
      "x.a = 100; x.b = -549755813888LL; x.c = 8589934591ULL; x.d = INT64_MIN; x.e = 9;",
    );
    assert.deepEqual(wide2!.read(bytes), {
      a: 100,
      b: -(2n ** 39n),
      c: 2n ** 33n - 1n,
      d: -(2n ** 63n),
      e: 9,
    });
    const page = cBytes(
      PRELUDE,
      "struct wsblock",
      "x.protection = 21; x.shared = 1; x.virtual_page = 0xABCDE12345678ULL;",
    );
    assert.deepEqual(wsblock!.read(page), {
      protection: 21,
      share_count: 0,
      shared: 1,
      reserved: 0,
      virtual_page: 0xABCDE12345678n,
    });
    const ours = wide3!.encode({ head: 7, a: 2n ** 60n - 2n, b: -12345678901n, c: 300 });
    const view = wide3!.view(ours);
    view.b = (view.b as bigint) - 1n;
    assert.deepEqual(
      cValues(PRELUDE, "struct wide3", ours, [["x.head", "i"], ["x.a", "u"], ["x.b", "i"], ["x.c", "u"]]),
      ["7", String(2n ** 60n - 2n), "-12345678902", "300"],
    );
    // A safe integer number is taken as a 64-bit field takes one; an unsafe one, a value one past the width,
    // and a narrow field given a bigint are refused.
    assert.equal(wide3!.read(wide3!.encode({ head: 0, a: 1, b: -2, c: 0 })).b, -2n);
    assert.throws(
      () => wide3!.encode({ head: 0, a: 2 ** 53, b: 0n, c: 0 }),
      {
        name: "UnsafeIntegerError",
        message: /9007199254740992 is not a safe integer.*u64 : 60; pass a bigint/,
      },
    );
    assert.throws(
      () => wide3!.encode({ head: 0, a: "1" as never, b: 0n, c: 0 }),
      /expected a bigint or a safe integer for u64 : 60, got "1"/,
    );
    assert.throws(() => wide3!.encode({ head: 0, a: 2n ** 60n, b: 0n, c: 0 }), RangeError);
    assert.throws(() => wide3!.encode({ head: 0, a: 0n, b: -(2n ** 35n) - 1n, c: 0 }), RangeError);
    assert.throws(() => wide3!.encode({ head: 0, a: 0n, b: 0n, c: 1n }), TypeError);
  });
}

test('struct() checks its options, and bitfields: "msvc" changes the layout', () => {
  // GCC's rules for the same declaration: a and b share a byte, and nothing takes a whole unit.
  const fields = { x: char, a: bits(u32, 3), b: bits(u8, 2) };
  assert.equal(struct(fields, { pack: 1 }).size, 2);
  assert.equal(struct(fields, { pack: 1, bitfields: "msvc" }).size, 6);
  assert.throws(
    () => struct({ a: u8 }, { bitfields: "gcc" as never }),
    /bitfields "gcc" is not "sysv" or "msvc"/,
  );
  assert.throws(
    () => struct({ a: u8 }, { packd: true } as never),
    /unknown option "packd" \(expected name, packed, pack, align, bitfields, maxRows\)/,
  );
  assert.throws(() => union({ a: u8 }, { bitfield: "msvc" } as never), /unknown option "bitfield"/);
  // Big-endian declared types are refused by name; explicit little-endian ones are the host's order.
  assert.throws(
    () => bits(u16be, 12),
    /Cannot declare a bitfield of "u16be": bitfields are laid out little-endian/,
  );
  assert.throws(() => bits(i64be, 3), TypeError);
  const le = struct({ lo: bits(u16le, 12), hi: bits(u16le, 4) });
  assert.deepEqual(le.read(new Uint8Array([0x12, 0x34])), { lo: 0x412, hi: 3 });
  // Widths stop at the declared type's.
  assert.throws(() => bits(u32, 33), /width 33 is not between 0 and 32/);
  assert.throws(() => bits(i64, 65), /width 65 is not between 0 and 64/);
  // Values beyond the field's width are refused, as for GCC's rules.
  const s = struct({ a: bits(u16, 3), b: bits(i64, 20) }, { bitfields: "msvc" });
  assert.throws(() => s.encode({ a: 8, b: 0 }), RangeError);
  assert.equal(s.read(s.encode({ a: 7, b: -(2 ** 19) })).b, -(2 ** 19));
});

test("padding() is an unnamed bitfield: placed, but not a field", () => {
  // struct { uint8_t a; uint32_t : 3; uint16_t b : 4; int8_t c; } under GCC's rules: the unnamed bits sit at
  // 8..10, b at 11..14, c at byte 2, and only b's declared type counts toward the alignment.
  const T = struct({ a: u8, _: padding(u32, 3), b: bits(u16, 4), c: i8 }, { name: "T" });
  assert.deepEqual([T.size, T.align], [4, 2]);
  assert.deepEqual(T.fields.map((f) => [f.name, f.offset, f.bitOffset]), [
    ["a", 0, undefined],
    ["b", 1, 11],
    ["c", 2, undefined],
  ]);
  assert.deepEqual(fieldsOf(T).map((f) => f.name), ["a", "b", "c"]);
  assert.throws(() => offsetOf(T, "_" as never), /_/);
  const bytes = T.encode({ a: 1, b: 15, c: -1 });
  assert.deepEqual(Array.from(bytes), [1, 0b0111_1000, 0xff, 0]);
  // The unnamed bits are neither read nor written: set them, and they stay set and unseen.
  bytes[1]! |= 0b111;
  const value = T.read(bytes);
  assert.deepEqual(value, { a: 1, b: 15, c: -1 });
  const view = T.view(bytes);
  assert.equal("_" in view, false);
  assert.equal(JSON.stringify(view), '{"a":1,"b":15,"c":-1}');
  view.b = 2;
  assert.equal(bytes[1], 0b0001_0111);
  assert.doesNotMatch(inspect(view), /_/);
  // Its key is not a member: a union refuses it, and the types leave it out.
  const U = union({ a: u8, _: padding(u32, 20) }, { name: "U" });
  assert.deepEqual([U.size, U.align], [3, 1]);
  assert.throws(() => U.encode({ _: 1 } as never), /U has no member "_" \(its members: a\)/);
  const keysOk: Equal<keyof Infer<typeof T>, "a" | "b" | "c"> = true;
  const inputOk: Equal<keyof InferInput<typeof T>, "a" | "b" | "c"> = true;
  const viewOk: Equal<keyof View<typeof T>, "a" | "b" | "c"> = true;
  const unionOk: Equal<InferInput<typeof U>, { a?: number }> = true;
  assert.ok(keysOk && inputOk && viewOk && unionOk);
  // @ts-expect-error an unnamed bitfield takes no value
  T.encode({ a: 1, b: 2, c: 3, _: 0 });
  // Its declared type and width are checked as bits() checks them.
  assert.throws(() => padding(u16be, 3), /Cannot declare a bitfield of "u16be"/);
  assert.throws(() => padding(u32, 33), /width 33 is not between 0 and 32/);
  // A zero width is bits(T, 0) without the field: it moves to T's boundary and adds no alignment.
  const Z = struct({ a: u8, _: padding(u32, 0), b: u8 });
  const Zb = struct({ a: u8, z: bits(u32, 0), b: u8 });
  assert.deepEqual([Z.size, Z.align, Z.fields.map((f) => f.offset)], [Zb.size, Zb.align, [0, 4]]);
  assert.deepEqual(Zb.read(new Uint8Array(5)), { a: 0, z: 0, b: 0 });
  assert.deepEqual(Z.read(new Uint8Array(5)), { a: 0, b: 0 });
});

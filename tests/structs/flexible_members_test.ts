/**
 * What GCC accepts beyond standard C, read and written against the compiler: a struct ending in a flexible array
 * as a member, an array element or a union member (at its `sizeof`, the array holding the elements `sizeof`
 * counts), an aligned flexible array, and `aligned(T, n, { exact: true })` (a typedef's alignment, lowered too,
 * and a member's own `packed`). The layouts of many more are in `gcc_layout_test.ts`.
 */
import assert from "node:assert/strict";
import { bothPaths } from "./_both_paths.ts";
import { cBytes, cLayouts, cValues } from "./_c.ts";
import {
  aligned,
  ANY_SIZE,
  array,
  FLEXIBLE,
  offsetOf,
  struct,
  u16,
  u32,
  u64,
  u8,
  union,
} from "../../structs/mod.ts";

const PRELUDE = `#include <stdint.h>
struct tail { uint16_t n; uint8_t tag; uint32_t rows[]; };
struct holds { uint8_t a; struct tail t; uint8_t b; };
struct many { struct tail ts[2]; uint8_t z; };
union either { struct tail t; uint64_t word; };
struct wide_rows { uint8_t n; uint64_t rows[] __attribute__((aligned(16))); };
typedef uint64_t u64_a4 __attribute__((aligned(4)));
struct lowered { uint8_t c; u64_a4 v; uint16_t w __attribute__((packed)); uint8_t d; };
struct __attribute__((packed)) packed_typedef { uint8_t c; u64_a4 v; };`;

function layouts(make: <T>(f: () => T) => T) {
  return make(() => {
    const Tail = struct({ n: u16, tag: u8, rows: array(u32, FLEXIBLE, { count: "n" }) }, { name: "tail" });
    return {
      Tail,
      Holds: struct({ a: u8, t: Tail, b: u8 }, { name: "holds" }),
      Many: struct({ ts: array(Tail, 2), z: u8 }, { name: "many" }),
      Either: union({ t: Tail, word: u64 }, { name: "either" }),
      WideRows: struct({ n: u8, rows: aligned(array(u64, FLEXIBLE), 16) }, { name: "wide_rows" }),
      Lowered: struct({
        c: u8,
        v: aligned(u64, 4, { exact: true }),
        w: aligned(u16, 1, { exact: true }),
        d: u8,
      }, { name: "lowered" }),
      PackedTypedef: struct({ c: u8, v: aligned(u64, 4, { exact: true }) }, {
        name: "packed_typedef",
        packed: true,
      }),
    };
  });
}

bothPaths("the extensions' layouts agree with cc", (make) => {
  const l = layouts(make);
  const c = cLayouts(PRELUDE, {
    "struct holds": ["t", "t.rows", "b"],
    "struct many": ["ts", "z"],
    "union either": ["t", "word"],
    "struct wide_rows": ["rows"],
    "struct lowered": ["v", "w", "d"],
    "struct packed_typedef": ["v"],
  });
  const check = (layout: { size: number; align: number }, name: string, fields: [string, number][]) => {
    const expected = c.get(name)!;
    assert.deepEqual([layout.size, layout.align], [expected.size, expected.align], name);
    for (const [path, offset] of fields) assert.equal(offset, expected.offsets.get(path), `${name}.${path}`);
  };
  check(l.Holds, "struct holds", [["t", offsetOf(l.Holds, "t")], ["b", offsetOf(l.Holds, "b")]]);
  check(l.Many, "struct many", [["z", offsetOf(l.Many, "z")]]);
  check(l.Either, "union either", []);
  check(l.WideRows, "struct wide_rows", [["rows", offsetOf(l.WideRows, "rows")]]);
  check(
    l.Lowered,
    "struct lowered",
    [["v", 4], ["w", 12], ["d", 14]].map(([k, v]) => {
      assert.equal(offsetOf(l.Lowered, k as never), v);
      return [k as string, v as number];
    }),
  );
  check(l.PackedTypedef, "struct packed_typedef", [["v", offsetOf(l.PackedTypedef, "v")]]);
  assert.equal(offsetOf(l.PackedTypedef, "v"), 1, "packed overrides a typedef's alignment");
});

bothPaths("a struct ending in a flexible array reads as a member, an element and a union member", (make) => {
  const l = layouts(make);
  const bytes = cBytes(PRELUDE, "struct holds", "x.a = 1; x.t.n = 7; x.t.tag = 9; x.b = 2;");
  // Embedded, the array holds what sizeof counts: nothing (its count field is data like any other).
  assert.deepEqual(l.Holds.read(bytes), { a: 1, t: { n: 7, tag: 9, rows: [] }, b: 2 });
  assert.equal(l.Holds.view(bytes).t.rows.length, 0);
  const many = cBytes(PRELUDE, "struct many", "x.ts[0].n = 3; x.ts[1].tag = 4; x.z = 5;");
  assert.deepEqual(l.Many.read(many), {
    ts: [{ n: 3, tag: 0, rows: [] }, { n: 0, tag: 4, rows: [] }],
    z: 5,
  });
  const either = cBytes(PRELUDE, "union either", "x.t.n = 0x0102; x.t.tag = 3;");
  assert.equal(l.Either.read(either).word, 0x030102n);
  // Written back, C reads the same.
  const ours = l.Holds.encode({ a: 1, t: { n: 7, tag: 9 }, b: 2 });
  assert.deepEqual(cValues(PRELUDE, "struct holds", ours, [["x.t.n", "u"], ["x.t.tag", "u"], ["x.b", "u"]]), [
    "7",
    "9",
    "2",
  ]);
  // Rows it cannot hold there are refused; the struct itself still reads its rows.
  assert.throws(() => l.Holds.encode({ t: { n: 1, rows: [5] } }), {
    name: "RangeError",
    message: 'Cannot write "holds.t.rows": expected 0 elements for u32[0], got 1',
  });
  assert.deepEqual(l.Tail.read(l.Tail.encode({ n: 1, rows: [5] })).rows, [5]);
  // An [ANY_SIZE] array embedded holds the one element the SDK's sizeof counts.
  const Table = make(() => struct({ count: u32, rows: array(u16, ANY_SIZE, { count: "count" }) }));
  const Outer = make(() => struct({ table: Table, after: u8 }));
  assert.deepEqual(Outer.read(Outer.encode({ table: { count: 1, rows: [6] }, after: 1 })).table.rows, [6]);
});

bothPaths("an aligned flexible array reads the rows C wrote after its alignment", (make) => {
  const l = layouts(make);
  const bytes = cBytes(
    PRELUDE,
    "struct wide_rows",
    "x.n = 2; x.rows[0] = 11; x.rows[1] = 12;",
    "sizeof(struct wide_rows) + 2 * sizeof(uint64_t)",
  );
  assert.deepEqual(l.WideRows.read(bytes), { n: 2, rows: [11n, 12n] });
  const ours = l.WideRows.encode({ n: 1, rows: [99] });
  assert.equal(ours.length, 24);
  assert.deepEqual(cValues(PRELUDE, "struct wide_rows", ours, [["x.rows[0]", "u"]]), ["99"]);
});

bothPaths("aligned() checks its options", (make) => {
  make(() => {
    assert.throws(() => aligned(u8, 4, { exct: true } as never), {
      name: "TypeError",
      message: /unknown option "exct"/,
    });
    assert.throws(() => aligned(u8, 4, { exact: 1 } as never), {
      name: "TypeError",
      message: "Cannot align a field to 4 bytes: exact must be a boolean, got 1",
    });
    assert.throws(() => aligned(u8, 3, { exact: true }), RangeError);
  });
});

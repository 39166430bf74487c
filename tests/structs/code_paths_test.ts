/**
 * The generated and the plain code paths agree: every random layout of the cc cross-check
 * (`_generated_layouts.ts`) is made on both paths and read, written, viewed, walked and taken apart in columns on
 * both, field by field, over the same random bytes. Also: each object keeps the path chosen when it was made,
 * and a column keeps the index check the engine hint chose when its plan was made.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { engineHints, setEngineHints } from "../../structs/_engine_hints.ts";
import { generatedCode } from "../../structs/_codegen.ts";
import {
  array,
  bool,
  f32,
  type FieldInfo,
  i64,
  type Scalar,
  struct,
  u16,
  u16be,
  u32,
  u8,
} from "../../structs/mod.ts";
import {
  type Case,
  COUNT,
  generate,
  generator,
  nestedTypes,
  SEED,
  UNNAMED_COUNT,
} from "./_generated_layouts.ts";
import { onPath } from "./_both_paths.ts";
import { withOpaquePointers } from "./_opaque_pointers.ts";

type Layout = Case["layout"];
type AnyView = Record<string, unknown>;

function casesOn(generated: boolean): Case[] {
  return onPath(generated, () => {
    const nested = nestedTypes();
    return [
      ...generate(SEED, COUNT, 0, 0, undefined, nested),
      ...generate(SEED ^ 0x0a11, UNNAMED_COUNT, COUNT, 0.3, undefined, nested),
    ];
  });
}

/** A value as plain data: views and arrays copied out (`toJSON`), everything else as it is. */
function plain(value: unknown): unknown {
  const toJSON = (value as { toJSON?: () => unknown } | null)?.toJSON;
  return typeof toJSON === "function" ? toJSON.call(value) : value;
}

const placement = (f: FieldInfo) => [f.name, f.offset, f.size, f.align, f.bitOffset, f.bitWidth];
/** Fields read and written through a view's setter: scalars and bitfields with bits. */
const settable = (f: FieldInfo) =>
  f.bitWidth !== undefined ? f.bitWidth > 0 : (f.type as { kind?: string }).kind === "scalar";
/** Fields a column can be made of: numeric scalars. */
const columnable = (f: FieldInfo) =>
  (f.type as Scalar).kind === "scalar" && (f.type as Scalar).native !== "pointer";

/** Checks one layout on both paths; returns what disagrees. */
function disagreements(g: Layout, p: Layout, random: () => number): string[] {
  const wrong: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    try {
      assert.deepEqual(a, b);
    } catch {
      wrong.push(what);
    }
  };
  same("placement", [g.size, g.align, g.fields.map(placement)], [p.size, p.align, p.fields.map(placement)]);
  if (g.size !== p.size || g.size === 0) return wrong;
  const rows = 3;
  // One spare byte at the start, for arrays whose rows are not aligned (DataView columns).
  const bytes = Uint8Array.from({ length: g.size * rows + 1 }, () => Math.floor(random() * 256));
  const read = (t: Layout, o: number) => (t.read as (b: Uint8Array, o: number) => AnyView)(bytes, o);
  const view = (t: Layout, b: Uint8Array, o: number) =>
    (t.view as (b: Uint8Array, o: number) => AnyView)(b, o);
  for (let o = 0; o <= 1; o++) same(`read at ${o}`, read(g, o), read(p, o));
  const gv = view(g, bytes, 0);
  const pv = view(p, bytes, 0);
  for (const f of g.fields) same(`view.${f.name}`, plain(gv[f.name]), plain(pv[f.name]));
  // Writes: a copy of the second row's values into the first row, by `write` and by each view setter.
  const values = read(g, g.size);
  const gw = bytes.slice();
  const pw = bytes.slice();
  (g.write as (b: Uint8Array, v: unknown) => void)(gw, values);
  (p.write as (b: Uint8Array, v: unknown) => void)(pw, values);
  same("write", gw, pw);
  const gs = bytes.slice();
  const ps = bytes.slice();
  const gsv = view(g, gs, 0);
  const psv = view(p, ps, 0);
  for (const f of g.fields.filter(settable)) {
    gsv[f.name] = values[f.name];
    psv[f.name] = values[f.name];
  }
  same("view setters", gs, ps);
  // Arrays: aligned at 0 and shifted by a byte, through at(i), toArray, for...of, a cursor and columns.
  for (const byteOffset of [0, 1]) {
    const ga = g.array(bytes, { byteOffset, count: rows - byteOffset });
    const pa = p.array(bytes, { byteOffset, count: rows - byteOffset });
    const at = `array at ${byteOffset}`;
    same(`${at}: length`, ga.length, pa.length);
    same(
      `${at}: at(i)`,
      [...Array(ga.length).keys()].map((i) => plain(ga.at(i))),
      [
        ...Array(pa.length).keys(),
      ].map((i) => plain(pa.at(i))),
    );
    same(`${at}: toArray`, ga.toArray(), pa.toArray());
    same(`${at}: for...of`, [...ga].map(plain), [...pa].map(plain));
    const walk = (rows: typeof ga) => {
      const cursor = rows.cursor();
      const out: unknown[] = [];
      while (cursor.next()) out.push([cursor.index, plain(cursor.row)]);
      out.push(plain(cursor.seek(-1)));
      return out;
    };
    same(`${at}: cursor`, walk(ga), walk(pa));
    for (const f of g.fields.filter(columnable)) {
      const gc = (ga.column as (name: string) => ReturnType<typeof ga.column>)(f.name);
      const pc = (pa.column as (name: string) => ReturnType<typeof pa.column>)(f.name);
      same(`${at}: column ${f.name}`, [
        [...gc],
        [...Array(gc.length).keys()].map((i) => gc.at(i)),
        gc.toTypedArray(),
        gc.toJSON(),
      ], [
        [...pc],
        [...Array(pc.length).keys()].map((i) => pc.at(i)),
        pc.toTypedArray(),
        pc.toJSON(),
      ]);
    }
  }
  return wrong;
}

test("the generated and the plain path agree field by field on the random layouts", () =>
  withOpaquePointers(() => {
    const generated = casesOn(true);
    const plainCases = casesOn(false);
    assert.equal(generated.length, plainCases.length);
    const random = generator(SEED ^ 0xc0de);
    const failures: string[] = [];
    for (let i = 0; i < generated.length; i++) {
      const wrong = disagreements(generated[i]!.layout, plainCases[i]!.layout, random);
      if (wrong.length) failures.push(`${generated[i]!.decl}\n  ${wrong.join(", ")}`);
    }
    assert.deepEqual(
      failures.slice(0, 12),
      [],
      `${failures.length} layouts read differently on the two paths`,
    );
  }));

test("read() and toArray() copy arrays of scalars into fresh arrays on both paths", () => {
  // u8[20] is past the length the generated path writes out element by element.
  const fields = {
    a: array(u8, 4),
    b: array(u16be, 3),
    c: array(i64, 2),
    d: array(f32, 2),
    e: array(bool, 2),
  };
  const fieldsLong = { ...fields, f: array(u8, 20) };
  const size = 4 + 6 + 6 + 16 + 8 + 2 + 20 + 2; // i64 aligns c to 16; the struct to 8
  const bytes = Uint8Array.from({ length: size * 2 }, (_, i) => (i * 37 + 11) & 0xff);
  const dv = new DataView(bytes.buffer);
  // The expected values, read here byte by byte at the offsets C gives.
  const row = (o: number) => ({
    a: [0, 1, 2, 3].map((i) => dv.getUint8(o + i)),
    b: [0, 1, 2].map((i) => dv.getUint16(o + 4 + 2 * i, false)),
    c: [0, 1].map((i) => dv.getBigInt64(o + 16 + 8 * i, true)),
    d: [0, 1].map((i) => dv.getFloat32(o + 32 + 4 * i, true)),
    e: [0, 1].map((i) => dv.getUint8(o + 40 + i) !== 0),
    f: Array.from({ length: 20 }, (_, i) => dv.getUint8(o + 42 + i)),
  });
  for (const generated of [true, false]) {
    onPath(generated, () => {
      const T = struct(fieldsLong, { name: "Arrays" });
      assert.equal(T.size, size);
      assert.deepEqual(T.read(bytes, size), row(size));
      const first = T.read(bytes) as { a: number[] };
      first.a[0] = -1;
      assert.deepEqual(T.read(bytes), row(0), "a read gives arrays of its own");
      assert.deepEqual(T.array(bytes).toArray(), [row(0), row(size)]);
      const { f: _, ...short } = row(0);
      assert.deepEqual(struct(fields, { name: "Short" }).read(bytes), short);
    });
  }
});

/** The iterator class an array walks with, found from its prototype. */
function walkerOf(rows: Iterable<unknown>): object {
  return Object.getPrototypeOf(rows[Symbol.iterator]());
}

test("for...of keeps the code path its array or column was made with", () => {
  const make = () =>
    [struct({ a: u32, b: u16 }, { name: "A" }), struct({ x: u8, y: u32 }, { name: "B" })] as const;
  const [A, B] = onPath(false, make);
  const bytes = new Uint8Array(48).map((_, i) => i);
  const a = A.array(bytes);
  const b = B.array(bytes);
  // Made on the plain path, walked after generated code is back on: the one plain iterator for all of them.
  assert.equal(walkerOf(a), walkerOf(b));
  assert.equal(walkerOf(a.column("a")), walkerOf(b.column("y")));
  assert.equal(walkerOf(a), walkerOf(a.column("b")));
  assert.deepEqual([...a].map(plain), a.toArray());
  assert.deepEqual([...a.column("a")], Array.from(a, (row) => (row as { a: number }).a));
  if (!generatedCode()) return; // FFIKIT_NO_CODEGEN=1: nothing is generated
  const [G, H] = make();
  // Made on the generated path: an iterator compiled for each layout's array class and column class.
  assert.notEqual(walkerOf(G.array(bytes)), walkerOf(H.array(bytes)));
  assert.notEqual(walkerOf(G.array(bytes)), walkerOf(a));
  assert.notEqual(walkerOf(G.array(bytes).column("a")), walkerOf(a.column("a")));
});

test("a column keeps the index check the engine hint chose when its plan was made", () => {
  const previous = engineHints();
  const bytes = new Uint32Array([5, 10, 2, 20, 7, 30]);
  try {
    for (const integerTestIsFree of [false, true]) {
      setEngineHints({ integerTestIsFree });
      const Row = struct({ state: u32, pid: u32 }, { name: `Row${integerTestIsFree}` });
      const pids = Row.array(bytes).column("pid");
      setEngineHints({ integerTestIsFree: !integerTestIsFree });
      assert.deepEqual([pids.at(0), pids.at(2), pids.at(-1)], [10, 30, 30]);
      assert.throws(() => pids.at(0.5), RangeError);
      assert.throws(() => pids.at(3), RangeError);
      assert.throws(() => pids.at("1" as unknown as number), TypeError);
      assert.throws(() => pids.at(1n as unknown as number), TypeError);
      // A column whose typed array ends short of the rows' end (rows of 6 bytes, a u16 field at 4).
      const Odd = struct({ a: u32, b: u16 }, { name: `Odd${integerTestIsFree}`, packed: true });
      setEngineHints({ integerTestIsFree });
      const b = Odd.array(new Uint8Array(12).fill(1)).column("b");
      assert.deepEqual([b.at(0), b.at(1)], [257, 257]);
      assert.throws(() => b.at(2), RangeError);
    }
  } finally {
    setEngineHints(previous);
  }
});

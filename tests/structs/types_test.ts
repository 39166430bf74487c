/**
 * Type-level expectations: each assignment below fails `deno check` if the derived types change, and each
 * `@ts-expect-error` fails it if a wrong use stops being an error.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import {
  ANY_SIZE,
  array,
  type ArrayView,
  bits,
  bool,
  char,
  type Column,
  f64,
  i64,
  type Infer,
  type InferInput,
  type Pointer,
  pointer,
  struct,
  u16,
  u32,
  u32be,
  u64,
  u8,
  union,
  type View,
} from "../../structs/mod.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

const Inner = struct({ a: u8, b: u64 });
const T = struct({
  n: u32,
  port: u32be,
  big: i64,
  flag: bool,
  x: f64,
  p: pointer,
  name: array(char, 8, { string: true }),
  nums: array(u16, 2),
  inner: Inner,
  u: union({ i: u32, d: f64 }),
  bit: bits(u32, 3),
  rows: array(Inner, ANY_SIZE, { count: "n" }),
});

test("Infer<> derives the plain value type of a layout", () => {
  const ok: Equal<Infer<typeof T>, {
    n: number;
    port: number;
    big: bigint;
    flag: boolean;
    x: number;
    p: Pointer | null;
    name: string;
    nums: number[];
    inner: { a: number; b: bigint };
    u: { i: number; d: number };
    bit: number;
    rows: { a: number; b: bigint }[];
  }> = true;
  assert.equal(ok, true);
  const value: Infer<typeof Inner> = Inner.read(new Uint8Array(16));
  // @ts-expect-error u64 fields are bigint
  const wrong: Infer<typeof Inner> = { a: 1, b: 2 };
  assert.ok(value && wrong);
});

test("Infer<> reads bitfields above 32 bits as bigint, and says so when the width is not a literal", () => {
  const width: number = 40;
  const W = struct({
    narrow: bits(u64, 30),
    wide: bits(u64, 52),
    signed: bits(i64, 64),
    unknown: bits(u64, width),
  });
  const ok: Equal<
    Infer<typeof W>,
    { narrow: number; wide: bigint; signed: bigint; unknown: number | bigint }
  > = true;
  const view = W.view(new Uint8Array(W.size));
  const viewOk: Equal<typeof view.wide, bigint> = true;
  assert.ok(ok && viewOk);
  // A wide bitfield takes a safe integer number too, as a 64-bit field does; not a string.
  const input: InferInput<typeof W> = { narrow: 1, wide: 2, signed: 3n, unknown: 4n };
  // @ts-expect-error a 52-bit field takes a bigint or a number
  const wrong: InferInput<typeof W> = { wide: "2" };
  assert.ok(input && wrong);
});

test("InferInput<> lets a union take any subset of its members", () => {
  const input: InferInput<typeof T>["u"] = { d: 1.5 };
  const ok: Equal<NonNullable<InferInput<typeof T>["u"]>, { i?: number; d?: number }> = true;
  assert.ok(input && ok);
});

test("InferInput<> lets a struct take any of its fields, 64-bit ones as numbers too, and no other key", () => {
  const ok: Equal<InferInput<typeof Inner>, { a?: number; b?: bigint | number }> = true;
  const partial: InferInput<typeof Inner> = { a: 1 };
  const nested: InferInput<typeof T> = { inner: { b: 5 }, u: {} };
  // @ts-expect-error a key that is not a field
  const misspelt: InferInput<typeof Inner> = { a: 1, bb: 2 };
  // @ts-expect-error a u64 field takes no string
  const wrong: InferInput<typeof Inner> = { b: "5" };
  assert.ok(ok && partial && nested && misspelt && wrong);
});

test("View<> makes scalars read-write and nested fields read-only views", () => {
  const view = T.view(T.encode({
    n: 0,
    port: 0,
    big: 0n,
    flag: false,
    x: 0,
    p: null,
    name: "",
    nums: [0, 0],
    inner: { a: 0, b: 0n },
    u: { i: 0 },
    bit: 0,
    rows: [],
  }));
  const same: Equal<typeof view, View<typeof T>> = true;
  const nums: ArrayView<typeof u16> = view.nums;
  const rows: ArrayView<typeof Inner> = view.rows;
  const b: bigint = view.inner.b;
  view.n = 0;
  view.name = "x";
  view.bit = 1;
  assert.throws(() => {
    // @ts-expect-error nested views cannot be replaced
    view.inner = { a: 1, b: 2n };
  }, TypeError);
  assert.throws(() => {
    // @ts-expect-error a u32 field holds numbers
    view.n = 1n;
  }, TypeError);
  assert.ok(same && nums && rows.length === 0 && b === 0n);
});

test("ArrayView.column() accepts only numeric scalar fields and types the column", () => {
  const rows = Inner.array(new Uint8Array(32));
  const a: Column<"u8"> = rows.column("a");
  const typed: BigUint64Array = rows.column("b").toTypedArray();
  assert.throws(() => {
    // @ts-expect-error no such field
    rows.column("zz");
  }, TypeError);
  const withNested = T.array;
  assert.ok(a && typed && withNested);
  assert.equal(rows.length, 2);
});

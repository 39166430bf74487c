import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { ANY_SIZE, array, castOneOf, LayoutError, struct, u16, u32, u64 } from "../../structs/mod.ts";

const Pair = struct({ a: u32, b: u32 }, { name: "pair" });

test("T.cast() views bytes of exactly the layout's size", () => {
  const bytes = new Uint32Array([1, 2]);
  const view = Pair.cast(bytes);
  assert.equal(view.b, 2);
  view.a = 9;
  assert.equal(bytes[0], 9);
});

test("T.cast() throws a LayoutError naming expected and actual sizes", () => {
  for (const length of [7, 9, 0]) {
    assert.throws(() => Pair.cast(new Uint8Array(length)), (error: unknown) => {
      assert.ok(error instanceof LayoutError);
      assert.equal(error.name, "LayoutError");
      assert.equal(error.expected, 8);
      assert.equal(error.actual, length);
      assert.equal(error.layout, "pair");
      assert.equal(error.message, `Cannot cast to "pair": expected 8 bytes, got ${length}`);
      return true;
    });
  }
});

test("T.cast() with prefix accepts longer bytes and views their start", () => {
  assert.equal(Pair.cast(new Uint32Array([1, 2, 3]), { prefix: true }).b, 2);
  assert.throws(() => Pair.cast(new Uint8Array(7), { prefix: true }), {
    name: "LayoutError",
    message: 'Cannot cast to "pair": expected at least 8 bytes, got 7',
  });
});

test("T.cast() of a struct with a counted flexible array checks that the rows fit", () => {
  const Table = struct({ n: u32, rows: array(u16, ANY_SIZE, { count: "n" }) }, { name: "table" });
  assert.deepEqual(Table.cast(new Uint16Array([3, 0, 7, 8, 9])).rows.toArray(), [7, 8, 9]);
  assert.throws(() => Table.cast(new Uint16Array([4, 0, 7, 8, 9])), {
    name: "LayoutError",
    message: /"n" is 4, so it needs 8 bytes/,
  });
  assert.throws(() => Table.cast(new Uint8Array(2)), LayoutError);
});

test("castOneOf() picks the layout of the bytes' size", () => {
  const v1 = struct({ version: u16, a: u16 }, { name: "v1" });
  const v2 = struct({ version: u16, a: u16, b: u32, c: u64 }, { name: "v2" });
  const small = castOneOf(new Uint16Array([1, 5]), [v2, v1]);
  assert.equal(small.version, 1);
  assert.equal(small.a, 5);
  const big = castOneOf(new Uint16Array([2, 6, 0, 0, 0, 0, 0, 0]), [v2, v1]);
  assert.equal(big.version, 2);
  assert.equal("c" in big && big.c, 0n);
  assert.throws(() => castOneOf(new Uint8Array(6), [v2, v1]), {
    name: "LayoutError",
    message: 'Cannot cast to "v2 | v1": expected one of 16, 4 bytes, got 6',
  });
});

test("new LayoutError() takes one options object, and the old positional form still works", () => {
  const cause = new Error("short read");
  const error = new LayoutError({ layout: "pair", expected: [8, 16], actual: 3, cause });
  assert.equal(error.name, "LayoutError");
  assert.equal(error.layout, "pair");
  assert.deepEqual(error.expected, [8, 16]);
  assert.equal(error.actual, 3);
  assert.equal(error.cause, cause);
  assert.equal(error.message, `Cannot cast to "pair": expected one of 8, 16 bytes, got 3`);
  assert.equal(new LayoutError({ layout: "pair", expected: 8, actual: 3, message: "m" }).message, "m");
  assert.ok(!("cause" in new LayoutError({ layout: "pair", expected: 8, actual: 3 })));
  const old = new LayoutError("pair", 8, 3, undefined, { cause });
  assert.deepEqual(
    [old.name, old.layout, old.expected, old.actual, old.message, old.cause],
    ["LayoutError", "pair", 8, 3, `Cannot cast to "pair": expected 8 bytes, got 3`, cause],
  );
});

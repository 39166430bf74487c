/**
 * The row limit (`maxRows`, `structs/_row_limit.ts`): a count read from four bytes must not make 2^32 rows of no
 * bytes, and a count the bytes cannot hold is refused before any row is made, on every path that takes a count.
 */
import assert from "node:assert/strict";
import { bothPaths } from "./_both_paths.ts";
import { ANY_SIZE, array, LayoutError, struct, u16, u32, u8 } from "../../structs/mod.ts";

const LIMIT = /"n" is 4294967295, more than the 65536 rows maxRows allows/;

/** Runs `f` and says how long it took, in milliseconds. */
function timed(f: () => void): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

bothPaths("a count of rows of no bytes past maxRows is refused by read, view, cast and toJSON", (make) => {
  const Empty = make(() => struct({}, { name: "E" }));
  const T = make(() => struct({ n: u32, rows: array(Empty, ANY_SIZE, { count: "n" }) }, { name: "T" }));
  const bytes = new Uint32Array([0xffffffff]);
  // Before the limit this took 43 s and 2.5 GB on Deno: now it fails at once.
  const ms = timed(() => {
    assert.throws(() => T.read(bytes), { name: "RangeError", message: /^Cannot read "T\.rows": / });
    assert.throws(() => T.read(bytes), { message: LIMIT });
    const view = T.view(bytes);
    assert.throws(() => view.rows, { name: "RangeError", message: LIMIT });
    assert.throws(() => JSON.stringify(view), { name: "RangeError", message: LIMIT });
    // Not a layout mismatch: cast says it as read does.
    assert.throws(() => T.cast(bytes), { name: "RangeError", message: LIMIT });
    assert.throws(() => T.encode({ n: 0xffffffff, rows: { length: 0xffffffff } as never }), {
      name: "RangeError",
      message: /^Cannot write "T\.rows": it has 4294967295 rows, more than the 65536 rows maxRows allows/,
    });
  });
  assert.ok(ms < 1000, `took ${ms} ms`);
  // At the limit, the rows are there.
  assert.equal(T.read(new Uint32Array([2 ** 16])).rows.length, 2 ** 16);
  assert.throws(() => T.read(new Uint32Array([2 ** 16 + 1])), {
    message: /"n" is 65537, more than the 65536 rows/,
  });
  assert.equal(T.cast(new Uint32Array([3])).rows.length, 3);
});

bothPaths("maxRows is the layout's default and T.array()'s per-call option", (make) => {
  const Empty = make(() => struct({}, { name: "E" }));
  const Small = make(() =>
    struct({ n: u32, rows: array(Empty, ANY_SIZE, { count: "n" }) }, { name: "S", maxRows: 10 })
  );
  assert.equal(Small.read(new Uint32Array([10])).rows.length, 10);
  assert.throws(() => Small.read(new Uint32Array([11])), {
    name: "RangeError",
    message: 'Cannot read "S.rows": "n" is 11, more than the 10 rows maxRows allows',
  });
  assert.throws(() => Empty.array(new Uint8Array(0), { count: 2 ** 32 }), {
    name: "RangeError",
    message: 'Cannot make an array of "E": count 4294967296, more than the 65536 rows maxRows allows',
  });
  assert.equal(Empty.array(new Uint8Array(0), { count: 2 ** 32, maxRows: Infinity }).length, 2 ** 32);
  const Few = make(() => struct({}, { name: "F", maxRows: 3 }));
  assert.equal(Few.array(new Uint8Array(0), { count: 3 }).length, 3);
  assert.throws(() => Few.array(new Uint8Array(0), { count: 4 }), {
    message: /count 4, more than the 3 rows/,
  });
  // Rows that take bytes have no default limit beyond the bytes, and take one when asked.
  const Byte = make(() => struct({ a: u8 }, { name: "B" }));
  assert.equal(Byte.array(new Uint8Array(5000)).length, 5000);
  assert.throws(() => Byte.array(new Uint8Array(10), { maxRows: 5 }), {
    message: /count 10, more than the 5/,
  });
  const Bounded = make(() => struct({ rows: array(u8, ANY_SIZE) }, { name: "N", maxRows: 2 }));
  assert.deepEqual(Bounded.read(new Uint8Array(2)).rows, [0, 0]);
  assert.throws(() => Bounded.read(new Uint8Array(3)), { message: /the bytes hold 3, more than the 2 rows/ });
});

bothPaths("maxRows must be a non-negative integer or Infinity", (make) => {
  assert.throws(() => make(() => struct({}, { maxRows: "9" as never })), {
    name: "TypeError",
    message: 'Cannot lay out "struct": maxRows must be a number, got "9"',
  });
  for (const bad of [-1, 1.5, NaN, -Infinity]) {
    assert.throws(() => make(() => struct({}, { maxRows: bad })), {
      name: "RangeError",
      message: /maxRows .* is not a non-negative integer or Infinity/,
    });
  }
  const E = make(() => struct({}, { name: "E" }));
  assert.throws(() => E.array(new Uint8Array(0), { maxRows: -1 }), RangeError);
});

bothPaths("a count the bytes cannot hold is refused before any row is made, on every path", (make) => {
  const T = make(() => struct({ n: u32, rows: array(u16, ANY_SIZE, { count: "n" }) }, { name: "T" }));
  const bytes = new Uint32Array([0xffffffff, 0]);
  const needs = /"n" is 4294967295, so it needs 8589934590 bytes at offset 4 but the buffer ends at 8/;
  const ms = timed(() => {
    assert.throws(() => T.read(bytes), { name: "RangeError", message: needs });
    const view = T.view(bytes);
    assert.throws(() => view.rows, { name: "RangeError", message: needs });
    assert.throws(() => JSON.stringify(view), { name: "RangeError", message: needs });
    assert.throws(() => T.cast(bytes), { name: "LayoutError", message: needs });
    assert.throws(() => T.cast(bytes), LayoutError);
    const Row = make(() => struct({ a: u16 }, { name: "R" }));
    assert.throws(() => Row.array(bytes, { count: 0xffffffff }), {
      name: "RangeError",
      message: /^Cannot make an array of 4294967295 "R": it needs 8589934590 bytes/,
    });
  });
  assert.ok(ms < 1000, `took ${ms} ms`);
});

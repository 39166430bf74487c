/**
 * Bad and unusual input found by the misuse battery of issue 17: values read as own properties, shrunk and
 * detached buffers said in the toolkit's words, string fields that would not read back, extra bytes after a
 * counted flexible array, and valid input that failed.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { bothPaths } from "./_both_paths.ts";
import { ANY_SIZE, array, char, FLEXIBLE, LayoutError, struct, u32, u8, union } from "../../structs/mod.ts";

/** A resizable buffer of `length` bytes that may grow to 64. */
function resizableBuffer(length: number): ArrayBuffer & { resize(n: number): void } {
  return new (ArrayBuffer as unknown as new (
    n: number,
    o: object,
  ) => ArrayBuffer & { resize(n: number): void })(
    length,
    { maxByteLength: 64 },
  );
}

/** A buffer that was detached (transferred away). */
function detached(bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

bothPaths("members named like Object.prototype's properties are read as own properties", (make) => {
  const U = make(() => union({ toString: u32, a: u8 }, { name: "U" }));
  assert.deepEqual([...U.encode({ a: 1 } as never)], [1, 0, 0, 0]);
  assert.deepEqual([...U.encode({ toString: 2 } as never)], [2, 0, 0, 0]);
  const S = make(() => struct({ valueOf: u32, constructor: u8, hasOwnProperty: u8 }, { name: "S" }));
  // `{}` leaves every member out: they are zeros, not Object.prototype's functions.
  assert.deepEqual(S.read(S.encode({})), { valueOf: 0, constructor: 0, hasOwnProperty: 0 });
  const value = { valueOf: 7, constructor: 8, hasOwnProperty: 9 };
  assert.deepEqual(S.read(S.encode(value as never)), value);
  // Other names may still come from a prototype: a view is a value like any other.
  const Inner = make(() => struct({ a: u32 }, { name: "I" }));
  const Outer = make(() => struct({ inner: Inner, toString: u8 }, { name: "O" }));
  const inner = Inner.view(new Uint32Array([42]));
  assert.deepEqual(Outer.read(Outer.encode({ inner, toString: 1 } as never)), {
    inner: { a: 42 },
    toString: 1,
  });
  assert.deepEqual(Outer.read(Outer.encode({ inner } as never)), { inner: { a: 42 }, toString: 0 });
});

bothPaths("a typed array whose resizable buffer shrank below it is not taken for an empty one", (make) => {
  const Row = make(() => struct({ a: u32, b: u32 }, { name: "Row" }));
  const rab = resizableBuffer(16);
  const fixed = new Uint8Array(rab, 8, 8);
  const tracking = new Uint8Array(rab, 8);
  rab.resize(4);
  for (const bytes of [fixed, tracking]) {
    const shrunk =
      /^Cannot (make an array of|read|view|cast to) "Row": the buffer is shorter than the view now$/;
    assert.throws(() => Row.array(bytes), { name: "TypeError", message: shrunk });
    assert.throws(() => Row.read(bytes), { name: "TypeError", message: shrunk });
    assert.throws(() => Row.view(bytes), { name: "TypeError", message: shrunk });
    assert.throws(() => Row.cast(bytes), { name: "TypeError", message: shrunk });
  }
  // An empty typed array in bounds is still empty.
  assert.equal(Row.array(new Uint8Array(rab, 4)).length, 0);
});

bothPaths("a detached or out-of-bounds DataView gets the toolkit's error", (make) => {
  const Row = make(() => struct({ a: u32, b: u32 }, { name: "Row" }));
  const rab = resizableBuffer(16);
  const outside = new DataView(rab, 8, 8);
  rab.resize(4);
  const gone = new DataView(new ArrayBuffer(8));
  structuredClone(gone.buffer, { transfer: [gone.buffer] });
  const cases: [DataView, string][] = [[outside, "shorter than the view now"], [gone, "detached"]];
  for (const [dv, why] of cases) {
    assert.throws(() => Row.read(dv), {
      name: "TypeError",
      message: `Cannot read "Row": the buffer is ${why}`,
    });
    assert.throws(() => Row.view(dv), {
      name: "TypeError",
      message: `Cannot view "Row": the buffer is ${why}`,
    });
    assert.throws(() => Row.cast(dv), {
      name: "TypeError",
      message: `Cannot cast to "Row": the buffer is ${why}`,
    });
    assert.throws(() => Row.array(dv), {
      name: "TypeError",
      message: `Cannot make an array of "Row": the buffer is ${why}`,
    });
    assert.throws(() => Row.write(dv, { a: 1, b: 2 }), {
      message: `Cannot write "Row": the buffer is ${why}`,
    });
  }
  assert.throws(() => Row.read(detached(8)), { message: 'Cannot read "Row": the buffer is detached' });
});

bothPaths("cast of a counted flexible struct refuses bytes past its rows unless prefix", (make) => {
  const T = make(() => struct({ n: u32, rows: array(u8, FLEXIBLE, { count: "n" }) }, { name: "T" }));
  assert.deepEqual(T.cast(new Uint8Array([1, 0, 0, 0, 9])).rows.toArray(), [9]);
  assert.throws(() => T.cast(new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0])), {
    name: "LayoutError",
    message: 'Cannot cast to "T": expected 5 bytes, where its rows end, got 8 (prefix accepts more)',
  });
  assert.deepEqual(T.cast(new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0]), { prefix: true }).rows.toArray(), [9]);
  // sizeof with its tail padding, as encode() makes it, is exact too.
  const P = make(() => struct({ n: u32, tag: u8, rows: array(u8, FLEXIBLE, { count: "n" }) }, { name: "P" }));
  assert.equal(P.size, 8);
  assert.equal(P.cast(P.encode({ n: 0, tag: 3, rows: [] })).tag, 3);
  assert.equal(P.cast(new Uint8Array([1, 0, 0, 0, 3, 4])).rows.length, 1);
  assert.throws(() => P.cast(new Uint8Array(9)), LayoutError);
  // The SDK's [ANY_SIZE] counts one row in sizeof: 8 bytes for one u8 row is sizeof, so exact; 9 is not.
  const A = make(() => struct({ n: u32, rows: array(u8, ANY_SIZE, { count: "n" }) }, { name: "A" }));
  assert.equal(A.size, 8);
  assert.deepEqual(A.cast(new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0])).rows.toArray(), [9]);
  assert.throws(() => A.cast(new Uint8Array(9)), LayoutError);
});

bothPaths("char[] string fields refuse a NUL and a lone surrogate, as cstring() does", (make) => {
  const S = make(() => struct({ name: array(char, 8, { string: true }) }, { name: "S" }));
  assert.throws(() => S.encode({ name: "a\0b" }), {
    name: "TypeError",
    message: 'Cannot write "S.name": the string has a NUL at index 1',
  });
  for (const [text, at] of [["a\ud800", 1], ["\udc00", 0], ["ab\ud83d", 2]] as const) {
    assert.throws(() => S.encode({ name: text }), {
      name: "TypeError",
      message: `Cannot write "S.name": the string has a lone surrogate at index ${at}`,
    });
  }
  const view = S.view(new Uint8Array(8));
  assert.throws(() => (view.name = "x\0"), TypeError);
  assert.equal(S.read(S.encode({ name: "é😀" })).name, "é😀");
});

bothPaths(
  "valid input at the edges works: no rows at the end, empty shared buffers, tracking arrays",
  (make) => {
    const Row = make(() => struct({ a: u32, b: u32 }, { name: "Row" }));
    // A column of no rows at the buffer's very end.
    const column = Row.array(new Uint8Array(8), { byteOffset: 8, count: 0 }).column("b");
    assert.equal(column.length, 0);
    assert.deepEqual([...column.toTypedArray()], []);
    assert.throws(() => column.at(0), RangeError);
    // A SharedArrayBuffer of no bytes is empty, not detached.
    assert.equal(Row.array(new SharedArrayBuffer(0)).length, 0);
    assert.deepEqual(make(() => struct({})).read(new SharedArrayBuffer(0)), {});
    // A length-tracking array over a resizable buffer: a shrink that leaves the rows whole leaves them readable.
    const rab = resizableBuffer(17);
    new Uint32Array(rab, 0, 4).set([1, 2, 3, 4]);
    const rows = Row.array(new Uint8Array(rab));
    rab.resize(16);
    assert.deepEqual(rows.toArray(), [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    assert.equal(rows.at(1).b, 4);
    assert.deepEqual([...rows.column("a")], [1, 3]);
    rab.resize(15);
    assert.throws(() => rows.at(1), { name: "TypeError", message: /shorter than the rows now/ });
    // Where the rows were is the toolkit's error once they are gone (it was the engine's, found by the fuzzer).
    const atFour = Row.array(new Uint8Array(rab, 4, 8));
    assert.equal(atFour.byteOffset, 4);
    rab.resize(6);
    assert.throws(() => atFour.byteOffset, {
      name: "TypeError",
      message: 'Cannot read the offset of "Row[]": the buffer is shorter than the rows now',
    });
    assert.deepEqual([atFour.byteLength, atFour.length], [8, 1]);
  },
);

bothPaths(
  "encode() of rows whose length is no count, or too many bytes, says so in the toolkit's words",
  (make) => {
    const T = make(() => struct({ n: u32, rows: array(u32, ANY_SIZE, { count: "n" }) }, { name: "T" }));
    for (const length of [-5, NaN, 1.5]) {
      assert.throws(() => T.encode({ n: 0, rows: { length } as never }), {
        name: "TypeError",
        message: `Cannot write "T.rows": expected an array of rows, its length is ${length}`,
      });
    }
    assert.throws(() => T.encode({ n: 0, rows: { length: 2 ** 40 } as never }), {
      name: "RangeError",
      message: 'Cannot encode "T": 4398046511108 bytes cannot be allocated',
    });
  },
);

bothPaths("T.array() refuses a null byteOffset instead of taking it for 0", (make) => {
  const Row = make(() => struct({ a: u32 }, { name: "Row" }));
  assert.throws(() => Row.array(new Uint32Array(2), { byteOffset: null as never }), {
    name: "TypeError",
    message: 'Cannot make an array of "Row": byte offset must be a number, got null',
  });
});

bothPaths(
  "a view over a typed array of a resizable buffer says so in the toolkit's words once it shrinks",
  (make) => {
    const Row = make(() => struct({ a: u32, b: u32 }, { name: "Row" }));
    const rab = resizableBuffer(17);
    new Uint32Array(rab, 0, 2).set([1, 2]);
    // The view keeps the typed array's 17 bytes: a shrink past the view's 8 still takes them away.
    const view = Row.view(new Uint8Array(rab));
    rab.resize(16);
    assert.throws(() => JSON.stringify(view), {
      name: "TypeError",
      message: 'Cannot read "Row": the buffer is shorter than the view now',
    });
    assert.match(inspect(view), /^Row \(its buffer is detached or shorter than the view now\)$/);
    // Made again from the same typed array, at its length now, it reads.
    assert.deepEqual(Row.read(new Uint8Array(rab)), { a: 1, b: 2 });
  },
);

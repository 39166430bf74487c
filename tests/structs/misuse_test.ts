/**
 * Misuse of `structs/`: every wrong input gets an error that names what was wrong (a `TypeError`,
 * `RangeError` or `LayoutError` of the toolkit's own), never an engine-internal error, a crash or a silent
 * wrong answer, and reading outside a buffer's bytes is impossible through the API. Each case runs on the
 * generated path and on the plain one.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { runC, runtime, test } from "../harness.ts";
import { bothPaths, onPath } from "./_both_paths.ts";
import {
  alignOf,
  ANY_SIZE,
  array,
  castOneOf,
  char,
  FLEXIBLE,
  i16,
  i32,
  i64,
  LayoutError,
  long,
  sizeOf,
  struct,
  u16,
  u16be,
  u32,
  u64,
  u8,
  ulong,
  union,
} from "../../structs/mod.ts";

/** An index whose property key ("0") and number (2) disagree. */
function twoFaced(key: string, value: number): never {
  return { toString: () => key, valueOf: () => value } as never;
}

bothPaths("at(), seek() and column at() refuse an index that is not a number", (make) => {
  const Rec = make(() => struct({ xs: array(u32, 2), secret: u32 }, { name: "Rec" }));
  const Row = make(() => struct({ a: u32, port: u16be, pad: u16 }, { name: "Row" }));
  // Three rows of bytes; the array is made over the first two, so row 2 is outside it but inside the buffer.
  const words = new Uint32Array([10, 0, 20, 0, 0xcafe, 0xbabe]);
  const xs = Rec.view(new Uint32Array([1, 2, 0xdeadbeef])).xs;
  const rows = Row.array(words, { count: 2 });
  const cursor = rows.cursor();
  const typed = rows.column("a");
  const viewed = rows.column("port"); // big-endian: read through the DataView
  const reads: Record<string, (i: never) => unknown> = {
    "scalar array at()": (i) => xs.at(i),
    "struct array at()": (i) => rows.at(i),
    "cursor seek()": (i) => cursor.seek(i),
    "typed column at()": (i) => typed.at(i),
    "DataView column at()": (i) => viewed.at(i),
    "scalar array set()": (i) => xs.set(i, 1),
    "typed column set()": (i) => typed.set(i, 1),
  };
  for (const [name, read] of Object.entries(reads)) {
    for (
      const index of [
        twoFaced("0", 2),
        twoFaced("1", 0),
        0n,
        1n,
        "1",
        "0",
        true,
        null,
        undefined,
        {},
        Symbol("i"),
      ]
    ) {
      assert.throws(() => read(index as never), {
        name: "TypeError",
        message:
          /^Cannot access (an element|a row)( of "[^"]+"| of column "\w+")?: an index must be a number, got /,
      }, `${name} with ${inspect(index)}`);
    }
  }
  // Numbers still work, negative ones from the end.
  assert.equal(xs.at(1), 2);
  assert.equal(rows.at(-1).a, 20);
  assert.equal(cursor.seek(1).a, 20);
  assert.equal(typed.at(-2), 10);
  assert.equal(viewed.at(0), 0);
});

bothPaths("options with an unknown key, or null, are refused", (make) => {
  const S = make(() => struct({ a: u32 }, { name: "S" }));
  const bytes = new Uint32Array([1, 2, 3, 4]);
  assert.throws(() => S.array(bytes, { count: 1, byteoffset: 8 } as never), {
    name: "TypeError",
    message: 'Cannot make an array of "S": unknown option "byteoffset" (expected count, byteOffset, maxRows)',
  });
  assert.throws(() => S.cast(bytes, { prefx: true } as never), {
    name: "TypeError",
    message: 'Cannot cast to "S": unknown option "prefx" (expected prefix)',
  });
  for (const bad of [null, 5, "prefix"]) {
    assert.throws(() => S.array(bytes, bad as never), {
      name: "TypeError",
      message: /^Cannot make an array of "S": options must be an object, got /,
    });
    assert.throws(() => S.cast(bytes, bad as never), {
      name: "TypeError",
      message: /^Cannot cast to "S": options must be an object, got /,
    });
  }
  assert.throws(() => S.cast(bytes, { prefix: "yes" } as never), {
    name: "TypeError",
    message: 'Cannot cast to "S": prefix must be a boolean, got "yes"',
  });
  // Still fine: no options, empty options, undefined values.
  assert.equal(S.array(bytes).length, 4);
  assert.equal(S.array(bytes, {}).length, 4);
  assert.equal(S.array(bytes, { count: undefined, byteOffset: 4 } as never).length, 3);
  assert.equal(S.cast(bytes, { prefix: true }).a, 1);
});

test("array() refuses unknown options, and the options of the other kind of array", () => {
  assert.throws(() => array(u8, 4, { strng: true } as never), {
    name: "TypeError",
    message: 'Cannot declare an array of "u8": unknown option "strng" (expected string)',
  });
  assert.throws(() => array(u8, 4, { count: "n" } as never), {
    name: "TypeError",
    message: 'Cannot declare an array of "u8": unknown option "count" (expected string)',
  });
  for (const length of [ANY_SIZE, FLEXIBLE] as const) {
    assert.throws(() => array(u8, length, { string: true } as never), {
      name: "TypeError",
      message: 'Cannot declare a flexible array of "u8": unknown option "string" (expected count)',
    });
  }
  assert.throws(() => array(u8, 4, null as never), {
    name: "TypeError",
    message: 'Cannot declare an array of "u8": options must be an object, got null',
  });
  assert.throws(() => array(char, 4, { string: 1 } as never), {
    name: "TypeError",
    message: 'Cannot declare an array of "char": string must be a boolean, got 1',
  });
  assert.equal(array(char, 4, { string: true }).string, true);
});

test("sizeOf(), alignOf() and castOneOf() name what they were given instead of failing in the engine", () => {
  for (const bad of [undefined, null, 5, "u32", {}]) {
    assert.throws(() => sizeOf(bad as never), {
      name: "TypeError",
      message: /^Cannot take the size of .*: expected a scalar, array, struct or union type$/,
    }, inspect(bad));
    assert.throws(() => alignOf(bad as never), {
      name: "TypeError",
      message: /^Cannot take the alignment of .*: expected a scalar, array, struct or union type$/,
    }, inspect(bad));
  }
  const S = struct({ a: u32 }, { name: "S" });
  for (const bad of [undefined, null, S, [S, undefined], [u32]]) {
    assert.throws(() => castOneOf(new Uint8Array(4), bad as never), {
      name: "TypeError",
      message: /^Cannot cast to one of several layouts: expected an array of struct or union types, got /,
    }, inspect(bad));
  }
});

bothPaths("a flexible array without a count round-trips through encode() and read()", (make) => {
  // struct F { uint64_t a; uint8_t b; uint8_t tail[]; }: sizeof 16, offsetof(tail) 9 (cc, below).
  const F = make(() => struct({ a: u64, b: u8, tail: array(u8, FLEXIBLE) }, { name: "F" }));
  const W = make(() => struct({ n: u8, tail: array(u16, FLEXIBLE) }, { name: "W" })); // offsetof 2, sizeof 2
  assert.deepEqual([F.size, F.fields[2]!.offset], [16, 9]);
  for (const tail of [[], [1], [1, 2, 3], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]) {
    const value = { a: 5n, b: 6, tail };
    const bytes = F.encode(value);
    // The elements end the bytes: their number is what the bytes' length says.
    assert.equal(bytes.length, 9 + tail.length);
    assert.deepEqual(F.read(bytes), value, `${tail.length} elements`);
    assert.deepEqual(F.view(bytes).tail.toArray(), tail);
    assert.deepEqual(F.cast(bytes).tail.toArray(), tail);
  }
  assert.deepEqual(W.read(W.encode({ n: 1, tail: [7, 8] })), { n: 1, tail: [7, 8] });
  // Fewer bytes than the fixed members take are still refused.
  assert.throws(() => F.read(new Uint8Array(8)), {
    name: "RangeError",
    message: 'Cannot read "F": it needs 9 bytes at offset 0 but the buffer has 8',
  });
  assert.throws(() => F.cast(new Uint8Array(8)), {
    name: "LayoutError",
    message: 'Cannot cast to "F": expected at least 9 bytes, got 8',
  });
});

bothPaths(
  "a counted flexible array needs offsetof(array) + n * sizeof(element) bytes, as C allocates it",
  (make) => {
    // struct G { uint64_t n; uint8_t tag; uint16_t rows[]; }: sizeof 16, offsetof(rows) 10.
    const G = make(() =>
      struct({ n: u64, tag: u8, rows: array(u16, FLEXIBLE, { count: "n" }) }, { name: "G" })
    );
    assert.deepEqual([G.size, G.fields[2]!.offset], [16, 10]);
    const record = (n: number, length: number) => {
      const bytes = new Uint8Array(length);
      const dv = new DataView(bytes.buffer);
      dv.setBigUint64(0, BigInt(n), true);
      bytes[8] = 7;
      for (let i = 0; i < n && 10 + 2 * i + 2 <= length; i++) dv.setUint16(10 + 2 * i, 100 + i, true);
      return bytes;
    };
    // Two rows end at byte 14: malloc(offsetof(struct G, rows) + 2 * sizeof(uint16_t)).
    assert.deepEqual(G.cast(record(2, 14)).rows.toArray(), [100, 101]);
    assert.deepEqual(G.read(record(2, 14)), { n: 2n, tag: 7, rows: [100, 101] });
    assert.deepEqual(G.view(record(2, 14)).rows.toArray(), [100, 101]);
    assert.deepEqual(G.cast(record(0, 10)).rows.toArray(), []);
    assert.deepEqual(G.cast(record(4, 18)).rows.toArray(), [100, 101, 102, 103]);
    // One byte short of the last row.
    assert.throws(() => G.cast(record(2, 13)), (error: unknown) => {
      assert.ok(error instanceof LayoutError);
      assert.equal(error.expected, 14);
      assert.equal(error.actual, 13);
      assert.match(error.message, /^Cannot cast to "G": "n" is 2, so it needs 4 bytes at offset 10/);
      return true;
    });
    assert.throws(() => G.read(record(2, 13)), {
      name: "RangeError",
      message: /"n" is 2, so it needs 4 bytes/,
    });
    // Fewer bytes than the fixed members.
    assert.throws(() => G.cast(new Uint8Array(9)), {
      name: "LayoutError",
      message: 'Cannot cast to "G": expected at least 10 bytes, got 9',
    });
    // encode() writes at least sizeof bytes (tail padding included) and round-trips.
    const encoded = G.encode({ n: 2n, tag: 7, rows: [100, 101] });
    assert.equal(encoded.length, 16);
    assert.deepEqual(G.read(encoded), { n: 2n, tag: 7, rows: [100, 101] });
  },
);

test("the flexible-array sizes match what cc says", () => {
  const out = runC(`#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
struct F { uint64_t a; uint8_t b; uint8_t tail[]; };
struct G { uint64_t n; uint8_t tag; uint16_t rows[]; };
int main(void) {
  /* The exact allocation of two rows, as FIELD_OFFSET(G, rows[2]) sizes it on Windows. */
  struct G *g = malloc(offsetof(struct G, rows) + 2 * sizeof(uint16_t));
  g->n = 2; g->rows[0] = 100; g->rows[1] = 101;
  printf("%zu %zu %zu %zu %zu %u", sizeof(struct F), offsetof(struct F, tail), sizeof(struct G),
    offsetof(struct G, rows), offsetof(struct G, rows) + 2 * sizeof(uint16_t), g->rows[0] + g->rows[1]);
  free(g);
  return 0;
}
`);
  assert.equal(out.trim(), "16 9 16 10 14 201");
});

bothPaths("JSON.stringify() of views, arrays and columns gives what read() gives", (make) => {
  const Inner = make(() => struct({ x: u8, y: i16 }, { name: "Inner" }));
  const S = make(() =>
    struct({
      pid: u32,
      state: u8,
      name: array(char, 8, { string: true }),
      xs: array(u16, 3),
      inner: Inner,
      word: union({ v: u32, b: array(u8, 4) }),
    }, { name: "S" })
  );
  const value = {
    pid: 42,
    state: 5,
    name: "eth0",
    xs: [1, 2, 3],
    inner: { x: 1, y: -2 },
    word: { v: 0x01020304 },
  };
  const bytes = new Uint8Array(S.size * 2);
  S.write(bytes, value);
  S.write(bytes, { ...value, pid: 43 }, S.size);
  const view = S.view(bytes);
  assert.equal(JSON.stringify(view), JSON.stringify(S.read(bytes)));
  assert.deepEqual(JSON.parse(JSON.stringify(view)).inner, { x: 1, y: -2 });
  assert.equal(JSON.stringify(view.xs), "[1,2,3]");
  assert.equal(JSON.stringify(view.inner), '{"x":1,"y":-2}');
  const rows = S.array(bytes);
  assert.equal(JSON.stringify(rows), JSON.stringify(rows.toArray()));
  assert.equal(JSON.stringify(rows.column("pid")), "[42,43]");
  assert.equal(JSON.stringify({ rows: rows.column("state") }), '{"rows":[5,5]}');
  // 64-bit integers are bigints, which JSON.stringify refuses as it refuses them in read()'s copy; a replacer
  // that turns them into strings works on views, arrays and columns alike.
  const B = make(() => struct({ big: u64, n: u32 }, { name: "B" }));
  const big = B.encode({ big: 2n ** 60n, n: 1 });
  const text = (_key: string, v: unknown) => typeof v === "bigint" ? String(v) : v;
  assert.throws(() => JSON.stringify(B.view(big)), TypeError);
  assert.throws(() => JSON.stringify(B.read(big)), TypeError);
  assert.throws(() => JSON.stringify(B.array(big).column("big")), TypeError);
  assert.equal(JSON.stringify(B.view(big), text), '{"big":"1152921504606846976","n":1}');
  assert.equal(JSON.stringify(B.array(big), text), '[{"big":"1152921504606846976","n":1}]');
  assert.equal(JSON.stringify(B.array(big).column("big"), text), '["1152921504606846976"]');
});

bothPaths(
  "bytes of a resizable buffer are read at their length now, and a shrink is said clearly",
  (make) => {
    const S = make(() => struct({ a: u32, b: u32, s: array(char, 8, { string: true }) }, { name: "S" }));
    const P = make(() => struct({ a: u32, b: u32 }, { name: "P" }));
    // A length-tracking typed array: T.read must not keep a DataView of its old length.
    const ab = new ArrayBuffer(8, { maxByteLength: 64 });
    const tracking = new Uint8Array(ab);
    new Uint32Array(ab).set([1, 2]);
    assert.deepEqual(P.read(tracking, 0), { a: 1, b: 2 });
    ab.resize(16);
    new Uint32Array(ab).set([3, 4], 2);
    assert.deepEqual(P.read(tracking, 8), { a: 3, b: 4 });
    assert.equal(P.view(tracking, 8).b, 4);
    assert.equal(P.array(tracking).length, 2);
    ab.resize(4);
    for (
      const read of [
        () => P.read(tracking, 0),
        () => P.view(tracking, 0),
        () => P.write(tracking, { a: 0, b: 0 }),
      ]
    ) {
      assert.throws(read, {
        name: "RangeError",
        message: /it needs 8 bytes at offset 0 but the buffer has 4$/,
      });
    }
    ab.resize(16); // grown back with zeros
    new Uint32Array(ab).set([5, 6], 2);
    assert.deepEqual(P.read(tracking, 8), { a: 5, b: 6 });

    // Arrays, their copies, cursors and columns after the buffer shrinks under them, or is detached.
    const buffer = new ArrayBuffer(32, { maxByteLength: 64 });
    S.view(buffer).s = "abcdefgh";
    const rows = S.array(buffer); // 2 rows of 16 bytes
    const xs = make(() => struct({ xs: array(u32, 8) })).view(buffer).xs;
    const view = S.view(buffer);
    const cursor = rows.cursor();
    buffer.resize(6);
    const shrunk = { name: "TypeError", message: /the buffer is shorter than the rows now$/ };
    assert.throws(() => rows.toArray(), shrunk);
    assert.throws(() => xs.toArray(), shrunk);
    assert.throws(() => rows.cursor(), shrunk);
    assert.throws(() => rows.column("a"), shrunk);
    assert.throws(() => JSON.stringify(rows), shrunk);
    assert.throws(() => cursor.seek(0), shrunk);
    // A view prints as such, and its JSON says so.
    assert.match(inspect(view), /^S \(its buffer is detached or shorter than the view now\)$/);
    assert.throws(() => JSON.stringify(view), {
      name: "TypeError",
      message: 'Cannot read "S": the buffer is shorter than the view now',
    });
    // A field read through the view is refused by the engine's bounds check: never an out-of-bounds read.
    assert.throws(() => view.b);
    buffer.resize(32);
    view.s = "xyz"; // grown back with zeros: the same view reads and writes again
    assert.equal(view.s, "xyz");
    assert.equal(rows.toArray().length, 2);
    const gone = S.array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    assert.throws(() => gone.toArray(), { name: "TypeError", message: /the buffer is detached$/ });
    assert.match(inspect(view), /its buffer is detached/);
    assert.throws(() => JSON.stringify(view), {
      name: "TypeError",
      message: 'Cannot read "S": the buffer is detached',
    });
  },
);

bothPaths("a column says the buffer shrank even when only the last row's tail is gone", (make) => {
  // Field a is not the last of its row: cutting row 1's field b leaves a's bytes in the buffer.
  const S = make(() => struct({ a: u32, b: u32 }, { name: "S" }));
  const misaligned = make(() => struct({ c: u16, a: u32, d: u16 }, { name: "M", pack: 2 }));
  const ab = new ArrayBuffer(16, { maxByteLength: 64 });
  new Uint32Array(ab).set([1, 2, 3, 4]);
  const a = S.array(ab).column("a");
  assert.ok(a.strided());
  ab.resize(14);
  const shrunk = { name: "TypeError", message: /the buffer is shorter than the rows now$/ };
  assert.throws(() => a.at(0), shrunk);
  assert.throws(() => a.at(1), shrunk);
  assert.throws(() => [...a], shrunk);
  assert.throws(() => a.toTypedArray(), shrunk);
  ab.resize(16);
  assert.deepEqual([...a], [1, 3]);
  // Rows at byte 2 of a 4-aligned buffer: field a is aligned, the rows' end is not (the array of a's ends
  // two bytes before the rows do).
  const mb = new ArrayBuffer(18, { maxByteLength: 64 });
  const m = misaligned.array(mb, { byteOffset: 2 }).column("a");
  assert.ok(m.strided());
  assert.equal(m.length, 2);
  mb.resize(17);
  assert.throws(() => m.at(1), shrunk);
  assert.throws(() => m.at(0), shrunk);
});

test("a byte offset past 4 GiB is accepted where the buffer reaches it (generated and plain code)", () => {
  let big: Uint8Array;
  try {
    big = new Uint8Array(2 ** 32 + 16); // e.g. a mapped file; untouched pages cost nothing
  } catch (error) {
    // JavaScriptCore caps a buffer below 4 GiB: nothing to test there.
    assert.ok(error instanceof RangeError, String(error));
    return;
  }
  for (const generated of [true, false]) {
    const S = onPath(generated, () => struct({ a: u32 }, { name: "S" }));
    const offset = 2 ** 32 + 4;
    new DataView(big.buffer).setUint32(offset, 42, true);
    assert.deepEqual(S.read(big, offset), { a: 42 });
    assert.equal(S.view(big, offset).a, 42);
    assert.equal(S.array(big, { byteOffset: offset, count: 1 }).at(0).a, 42);
    S.write(big, { a: 43 }, offset);
    assert.equal(S.array(big).at(2 ** 30 + 1).a, 43);
    assert.equal(S.array(big).column("a").at(2 ** 30 + 1), 43);
    assert.throws(() => S.read(big, 2 ** 32 + 13), {
      name: "RangeError",
      message: `Cannot read "S": it needs 4 bytes at offset ${2 ** 32 + 13} but the buffer has ${
        2 ** 32 + 16
      }`,
    });
    assert.throws(() => S.read(big, 2 ** 53), {
      name: "RangeError",
      message: /is not a non-negative integer/,
    });
  }
});

bothPaths(
  "a bigint for a field of 32 bits or fewer, or for an offset or index, is a clear TypeError",
  (make) => {
    const S = make(() => struct({ a: u8, b: i16, c: u16, d: i32, e: u32, xs: array(u32, 2) }, { name: "S" }));
    const bytes = new Uint8Array(S.size);
    const view = S.view(bytes);
    for (const [field, type] of [["a", "u8"], ["b", "i16"], ["c", "u16"], ["d", "i32"], ["e", "u32"]]) {
      assert.throws(() => (view as unknown as Record<string, unknown>)[field!] = 5n, {
        name: "TypeError",
        message: `Cannot write "S.${field}": expected a number for ${type}, got 5n`,
      });
    }
    assert.throws(() => S.write(bytes, { a: 0, b: 0, c: 0, d: 0, e: 5n as never, xs: [0, 0] }), {
      name: "TypeError",
      message: 'Cannot write "S.e": expected a number for u32, got 5n',
    });
    assert.throws(() => view.xs.set(0, 5n as never), {
      name: "TypeError",
      message: 'Cannot write "u32[2][0]": expected a number for u32, got 5n',
    });
    assert.throws(() => S.array(bytes).column("e").set(0, 5n as never), {
      name: "TypeError",
      message: 'Cannot write "e[0]": expected a number for u32, got 5n',
    });
    for (const use of [() => S.read(bytes, 0n as never), () => S.view(bytes, 0n as never)]) {
      assert.throws(use, { name: "TypeError", message: /: byte offset must be a number, got 0n$/ });
    }
    assert.throws(() => S.write(bytes, S.read(bytes), 0n as never), {
      name: "TypeError",
      message: 'Cannot write "S": byte offset must be a number, got 0n',
    });
    assert.throws(() => S.array(bytes, { byteOffset: 0n as never }), {
      name: "TypeError",
      message: 'Cannot make an array of "S": byte offset must be a number, got 0n',
    });
    assert.throws(() => S.array(bytes).at(0n as never), {
      name: "TypeError",
      message: /an index must be a number/,
    });
    // The other way, a 64-bit field takes a bigint or a safe integer number, as a 64-bit argument does.
    const W = make(() => struct({ v: i64 }, { name: "W" }));
    const wide = W.view(new Uint8Array(8));
    wide.v = -5 as never;
    assert.equal(wide.v, -5n);
    assert.throws(() => wide.v = 2 ** 53 as never, {
      name: "UnsafeIntegerError",
      message: 'Cannot write "W.v": 9007199254740992 is not a safe integer, so it may not be the one meant ' +
        "for i64; pass a bigint",
    });
    assert.throws(() => wide.v = "5" as never, {
      name: "TypeError",
      message: 'Cannot write "W.v": expected a bigint or a safe integer for i64, got "5"',
    });
  },
);

bothPaths("fields named like Object.prototype members work; names a view needs are refused", (make) => {
  const S = make(() =>
    struct(
      { constructor: u32, toString: u32, valueOf: u32, hasOwnProperty: u32, isPrototypeOf: u8 } as never,
      {
        name: "S",
      },
    )
  );
  const bytes = new Uint32Array([1, 2, 3, 4, 5]);
  const view = S.view(bytes) as Record<string, unknown>;
  assert.deepEqual(
    [view.constructor, view.toString, view.valueOf, view.hasOwnProperty, view.isPrototypeOf],
    [1, 2, 3, 4, 5],
  );
  const copy = { constructor: 1, toString: 2, valueOf: 3, hasOwnProperty: 4, isPrototypeOf: 5 };
  assert.deepEqual({ ...S.read(bytes) as object }, copy);
  assert.match(inspect(view), /constructor: 1,/);
  assert.match(inspect(S.array(bytes)), /^S\[\] \(1\) \[/);
  assert.equal(JSON.stringify(view), JSON.stringify(copy));
  assert.ok(Reflect.set(view, "constructor", 9));
  assert.equal(bytes[0], 9);
  assert.throws(() => make(() => struct({ toJSON: u32 } as never, { name: "J" })), {
    name: "TypeError",
    message: 'Cannot lay out "J": a field may not be named "toJSON": views use it for JSON.stringify',
  });
  assert.throws(() => make(() => struct({ a: u32, [Symbol("b")]: u32 } as never, { name: "Y" })), {
    name: "TypeError",
    message: 'Cannot lay out "Y": field Symbol(b) is a symbol; field names are strings',
  });
  // Integer-like keys come first in a JavaScript object whatever their place, so their order would be lost.
  assert.throws(() => make(() => struct({ b: u8, 0: u32 } as never, { name: "N" })), {
    name: "TypeError",
    message: 'Cannot lay out "N": field "0" is an array index, which JavaScript lists before the other keys',
  });
  assert.throws(() => make(() => union({ ["__proto__"]: u32 } as never, { name: "U" })), {
    name: "TypeError",
    message: /a field may not be named "__proto__"/,
  });
});

bothPaths("rows of no bytes with a huge count cost no memory for their index check", (make) => {
  // Past the default row limit, which this test lifts: the index check itself must cost nothing per row.
  const Empty = make(() => struct({}, { name: "E", maxRows: Infinity }));
  const rows = Empty.array(new Uint8Array(0), { count: 2 ** 40 });
  assert.equal(rows.length, 2 ** 40);
  assert.ok(rows.at(2 ** 40 - 1));
  assert.ok(rows.at(-1));
  assert.throws(() => rows.at(2 ** 40), RangeError);
  const cursor = rows.cursor();
  assert.ok(cursor.seek(2 ** 39));
  assert.equal(cursor.index, 2 ** 39);
  assert.throws(() => cursor.seek(2 ** 40), RangeError);
  assert.match(inspect(rows), /^E\[\] \(1099511627776\) \[/);
  const Holder = make(() => struct({ n: u8, many: array(Empty, 2 ** 40) }, { name: "H" }));
  assert.equal(Holder.size, 1);
  assert.equal(Holder.view(new Uint8Array(1)).many.length, 2 ** 40);
});

test("long and ulong are 64-bit bigints on LP64 and 32-bit numbers on LLP64, as their JSDoc says", () => {
  const S = struct({ l: long, u: ulong });
  const value = S.read(new Uint8Array(S.size));
  if (runtime === "deno" && Deno.build.os === "windows") assert.equal(typeof value.l, "number");
  else assert.equal(typeof value.l, "bigint");
  assert.equal(typeof value.u, typeof value.l);
});

bothPaths("a union refuses a value with a key that is none of its members", (make) => {
  const U = make(() => union({ value: u32, bytes: array(u8, 4) }, { name: "U" }));
  const S = make(() => struct({ tag: u8, u: U }, { name: "S" }));
  assert.throws(() => U.encode({ valeu: 5 } as never), {
    name: "TypeError",
    message: 'Cannot write "U": U has no member "valeu" (its members: value, bytes)',
  });
  const bytes = S.encode({ tag: 1, u: { value: 7 } });
  assert.throws(() => S.write(bytes, { tag: 2, u: { value: 8, bites: [] } } as never), {
    name: "TypeError",
    message: 'Cannot write "S.u": U has no member "bites" (its members: value, bytes)',
  });
  assert.deepEqual(S.read(bytes).u.value, 7);
  assert.deepEqual([...U.encode({ value: 0x01020304 })], [4, 3, 2, 1]);
  assert.deepEqual([...U.encode({})], [0, 0, 0, 0]);
});

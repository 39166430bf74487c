import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "../harness.ts";
import { onPath } from "./_both_paths.ts";
import {
  ANY_SIZE,
  array,
  bits,
  bool,
  char,
  DWORD,
  f64,
  FLEXIBLE,
  i16,
  i64,
  offsetOf,
  pointer,
  pointerCodec,
  size_t,
  struct,
  u16,
  u32,
  u32be,
  u64,
  u8,
  union,
} from "../../structs/mod.ts";

function define() {
  const Row = struct({
    dwState: u32,
    dwLocalAddr: u32,
    dwLocalPort: u32be,
    dwRemoteAddr: u32,
    dwRemotePort: u32be,
    dwOwningPid: u32,
  }, { name: "MIB_TCPROW_OWNER_PID" });
  const Rec = struct({
    tag: u8,
    big: u64,
    neg: i16,
    flag: bool,
    x: f64,
    ptr: pointer,
    name: array(char, 6, { string: true }),
    nums: array(u16, 3),
    inner: struct({ a: u8, b: u32 }),
    word: union({ v: u32, b: array(u8, 4) }),
    bits: bits(u32, 5),
  }, { name: "rec" });
  return { Row, Rec };
}

const value = {
  tag: 1,
  big: 2n ** 64n - 2n,
  neg: -2,
  flag: true,
  x: 1.25,
  ptr: null,
  name: "abc",
  nums: [1, 2, 3],
  inner: { a: 4, b: 5 },
  word: { v: 0x11223344 },
  bits: 17,
};

for (const mode of ["generated", "plain"] as const) {
  const { Row, Rec } = onPath(mode === "generated", define);
  const suffix = ` (${mode} code)`;

  test(`T.read() decodes each field at its offset, in its byte order${suffix}`, () => {
    const dv = new DataView(new ArrayBuffer(24));
    dv.setUint32(0, 5, true);
    dv.setUint32(8, 443, false);
    dv.setUint32(16, 0x1234, false);
    dv.setUint32(20, 0xfffffffe, true);
    assert.deepEqual(Row.read(dv), {
      dwState: 5,
      dwLocalAddr: 0,
      dwLocalPort: 443,
      dwRemoteAddr: 0,
      dwRemotePort: 0x1234,
      dwOwningPid: 0xfffffffe,
    });
  });

  test(`T.encode() and T.read() round-trip every kind of field${suffix}`, () => {
    const bytes = Rec.encode(value);
    assert.equal(bytes.length, Rec.size);
    const back = Rec.read(bytes);
    assert.deepEqual({ ...back, word: { v: back.word.v } }, value);
    assert.deepEqual(back.word.b, [0x44, 0x33, 0x22, 0x11]);
    const dv = new DataView(bytes.buffer);
    assert.equal(dv.getBigUint64(8, true), 2n ** 64n - 2n);
    assert.equal(dv.getInt16(16, true), -2);
  });

  test(`T.write() writes at a byte offset and leaves other bytes alone${suffix}`, () => {
    const bytes = new Uint8Array(40).fill(0xaa);
    Row.write(bytes, {
      dwState: 1,
      dwLocalAddr: 2,
      dwLocalPort: 3,
      dwRemoteAddr: 4,
      dwRemotePort: 5,
      dwOwningPid: 6,
    }, 8);
    assert.deepEqual([...bytes.subarray(0, 8)], new Array(8).fill(0xaa));
    assert.deepEqual([...bytes.subarray(32)], new Array(8).fill(0xaa));
    const dv = new DataView(bytes.buffer);
    assert.equal(dv.getUint32(8 + 8, false), 3);
    assert.equal(dv.getUint32(8 + 20, true), 6);
  });

  test(`T.write() rejects wrong types with TypeError and out-of-range values with RangeError${suffix}`, () => {
    const bytes = new Uint8Array(Rec.size);
    assert.throws(() => Rec.write(bytes, { ...value, tag: 256 }), {
      name: "RangeError",
      message: 'Cannot write "rec.tag": value 256 is out of range for u8',
    });
    assert.throws(() => Rec.write(bytes, { ...value, neg: 1.5 }), { name: "RangeError" });
    assert.throws(() => Rec.write(bytes, { ...value, big: "1" } as never), {
      name: "TypeError",
      message: 'Cannot write "rec.big": expected a bigint or a safe integer for u64, got "1"',
    });
    assert.throws(() => Rec.write(bytes, { ...value, big: -1 }), {
      name: "RangeError",
      message: 'Cannot write "rec.big": value -1 is out of range for u64',
    });
    assert.throws(() => Rec.write(bytes, { ...value, big: 0.5 }), { name: "RangeError" });
    assert.throws(() => Rec.write(bytes, { ...value, big: -1n }), { name: "RangeError" });
    assert.throws(() => Rec.write(bytes, { ...value, flag: 1 } as never), { name: "TypeError" });
    assert.throws(() => Rec.write(bytes, { ...value, name: "toolong" }), {
      name: "RangeError",
      message: 'Cannot write "rec.name": the string takes 7 bytes but char[6] holds 6',
    });
    assert.throws(() => Rec.write(bytes, { ...value, nums: [1, 2] }), { name: "RangeError" });
    assert.throws(() => Rec.write(bytes, { ...value, inner: null } as never), { name: "TypeError" });
    assert.throws(() => Rec.write(bytes, { ...value, bits: 32 }), {
      name: "RangeError",
      message: 'Cannot write "rec.bits": value 32 is out of range for uint32 : 5'.replace("uint32", "u32"),
    });
    assert.throws(() => Rec.write(bytes, null as never), { name: "TypeError" });
  });

  test(`T.view() reads and writes the underlying bytes in place${suffix}`, () => {
    const bytes = Rec.encode(value);
    const view = Rec.view(bytes);
    assert.equal(view.big, 2n ** 64n - 2n);
    view.tag = 200;
    view.inner.b = 77;
    view.nums.set(1, 9);
    view.name = "xy";
    view.word.v = 0x01020304;
    view.bits = 31;
    const dv = new DataView(bytes.buffer);
    assert.equal(dv.getUint8(0), 200);
    assert.equal(Rec.read(bytes).inner.b, 77);
    assert.equal(view.nums.at(1), 9);
    assert.deepEqual(view.nums.toArray(), [1, 9, 3]);
    assert.equal(view.name, "xy");
    assert.equal(view.word.b.at(0), 4);
    assert.equal(view.bits, 31);
    assert.throws(() => {
      view.tag = -1;
    }, { name: "RangeError", message: 'Cannot write "rec.tag": value -1 is out of range for u8' });
    assert.throws(() => {
      (view as { inner: unknown }).inner = {};
    }, TypeError);
  });

  test(`T.view() prints as a plain copy of its fields${suffix}`, () => {
    const view = Row.view(new Uint8Array(24));
    assert.match(inspect(view), /dwOwningPid: 0/);
    assert.match(inspect(view), /^\{/);
  });

  test(`T.view() and T.read() accept every kind of bytes, at their own offsets${suffix}`, () => {
    const buffer = new ArrayBuffer(64);
    new DataView(buffer).setUint32(16 + 20, 99, true);
    assert.equal(Row.view(buffer, 16).dwOwningPid, 99);
    assert.equal(Row.read(new Uint8Array(buffer, 16)).dwOwningPid, 99);
    assert.equal(Row.read(new Uint32Array(buffer, 8), 8).dwOwningPid, 99);
    assert.equal(Row.read(new DataView(buffer, 4), 12).dwOwningPid, 99);
    const shared = new SharedArrayBuffer(24);
    new DataView(shared).setUint32(20, 5, true);
    assert.equal(Row.view(shared).dwOwningPid, 5);
    assert.throws(() => Row.read("bytes" as never), {
      name: "TypeError",
      message:
        'Cannot read "MIB_TCPROW_OWNER_PID": expected an ArrayBuffer, SharedArrayBuffer, typed array or DataView, got "bytes"',
    });
  });

  test(`T.view() checks bounds when it is made, so no read can pass the buffer${suffix}`, () => {
    assert.throws(() => Row.view(new Uint8Array(30), 8), {
      name: "RangeError",
      message: 'Cannot view "MIB_TCPROW_OWNER_PID": it needs 24 bytes at offset 8 but the buffer has 30',
    });
    assert.throws(() => Row.read(new Uint8Array(30), -1), { name: "RangeError" });
    assert.throws(() => Row.read(new Uint8Array(30), 0.5), { name: "RangeError" });
    assert.throws(() => Row.read(new Uint8Array(30), "0" as never), { name: "TypeError" });
    // A typed array's window is the limit, not its whole buffer.
    assert.throws(() => Row.view(new Uint8Array(new ArrayBuffer(48), 0, 23)), RangeError);
  });

  test(`T.view() and T.read() say clearly that a buffer is detached${suffix}`, () => {
    const buffer = new ArrayBuffer(24);
    const view = Row.view(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    assert.throws(() => Row.read(buffer), {
      name: "TypeError",
      message: 'Cannot read "MIB_TCPROW_OWNER_PID": the buffer is detached',
    });
    assert.throws(() => Row.view(new Uint8Array(buffer)), { name: "TypeError", message: /detached/ });
    // A view made before the detach, or a DataView of the detached buffer, fails with the engine's TypeError.
    assert.throws(() => view.dwOwningPid, TypeError);
    const dv = new DataView(new ArrayBuffer(24));
    structuredClone(dv.buffer, { transfer: [dv.buffer] });
    assert.throws(() => Row.read(dv), TypeError);
    assert.throws(() => Row.cast(dv), { name: "TypeError", message: /detached/ });
  });

  test(`T.read() of the bytes it read last still checks offsets and detaching${suffix}`, () => {
    const buffer = new ArrayBuffer(48);
    const bytes = new Uint8Array(buffer);
    new DataView(buffer).setUint32(44, 7, true);
    assert.equal(Row.read(bytes, 24).dwOwningPid, 7);
    assert.equal(Row.read(bytes, 24).dwOwningPid, 7);
    assert.throws(() => Row.read(bytes, 25), { name: "RangeError" });
    assert.throws(() => Row.read(bytes, -24), { name: "RangeError" });
    assert.throws(() => Row.read(bytes, "24" as never), { name: "TypeError" });
    assert.equal(Row.read(buffer, 24).dwOwningPid, 7);
    structuredClone(buffer, { transfer: [buffer] });
    for (const detached of [buffer, bytes]) {
      assert.throws(() => Row.read(detached), {
        name: "TypeError",
        message: 'Cannot read "MIB_TCPROW_OWNER_PID": the buffer is detached',
      });
    }
  });

  test(`T.read() of a pointer field gives null for 0 and an opaque pointer otherwise${suffix}`, () => {
    const bytes = Rec.encode(value);
    assert.equal(Rec.read(bytes).ptr, null);
    new DataView(bytes.buffer).setBigUint64(offsetOf(Rec, "ptr"), 0xabcdn, true);
    const p = Rec.read(bytes).ptr;
    assert.notEqual(p, null);
    assert.equal(typeof p, "object");
    assert.equal(pointerCodec().toAddress(p), 0xabcdn);
  });
}

test("struct() rejects malformed field lists", () => {
  assert.throws(() => struct({ a: 5 } as never, { name: "s" }), {
    name: "TypeError",
    message: 'Cannot lay out "s": field "a" has no field type (5)',
  });
  for (const length of [ANY_SIZE, FLEXIBLE] as const) {
    assert.throws(() => struct({ rows: array(u8, length), after: u8 }, { name: "s" }), {
      name: "TypeError",
      message: 'Cannot lay out "s": field "after" follows a flexible array, which must be last',
    });
    assert.throws(() => struct({ rows: array(u8, length, { count: "n" }), n: u8 }), TypeError);
    assert.throws(() => struct({ n: f64, rows: array(u8, length, { count: "n" }) }), TypeError);
    assert.throws(() => union({ n: u8, rows: array(u8, length) }), TypeError);
    // A struct ending in a flexible array is a member or an element at its sizeof (GCC's extension):
    // tests/structs/flexible_members_test.ts.
    const Flex = struct({ n: u8, rows: array(u8, length) });
    assert.equal(struct({ inner: Flex, after: u8 }).size, Flex.size + 1);
    assert.equal(array(Flex, 2).size, Flex.size * 2);
  }
  assert.throws(() => struct({ a: u8 }, { pack: 3 }), RangeError);
  assert.throws(() => array(u8, -1), RangeError);
  // 1-, 2- and 4-byte integer arrays read as strings (UTF-8, UTF-16, UTF-32); wider or float elements do not.
  assert.throws(() => array(f64, 4, { string: true } as never), TypeError);
  assert.throws(() => bits(u8, 9), RangeError);
  assert.throws(() => bits(f64 as never, 1), TypeError);
  assert.throws(() => struct({ ["__proto__"]: u8 } as never), TypeError);
});

test("struct() with a count field writes and reads a flexible array, checking count against rows", () => {
  const Table = struct({ n: u16, rows: array(i64, FLEXIBLE, { count: "n" }) }, { name: "table" });
  const bytes = Table.encode({ n: 2, rows: [-1n, 2n] });
  assert.equal(bytes.length, 8 + 16);
  assert.deepEqual(Table.read(bytes), { n: 2, rows: [-1n, 2n] });
  assert.throws(() => Table.encode({ n: 3, rows: [1n] }), {
    name: "RangeError",
    message: 'Cannot write "table.rows": it has 1 rows but "n" is 3',
  });
  // The count says more rows than the bytes hold: reading fails instead of passing the buffer.
  new DataView(bytes.buffer).setUint16(0, 5, true);
  assert.throws(() => Table.read(bytes), { name: "RangeError", message: /"n" is 5, so it needs 40 bytes/ });
  const view = Table.view(bytes);
  assert.throws(() => view.rows, RangeError);
});

test("union() lays out members at offset 0 and writes only the members given", () => {
  const U = union({ a: u8, b: u32, c: array(u16, 3) });
  assert.equal(U.size, 8);
  assert.equal(U.align, 4);
  const bytes = U.encode({ c: [1, 2, 3] });
  assert.deepEqual(U.read(bytes).c, [1, 2, 3]);
  assert.equal(U.read(bytes).b, 0x00020001);
  assert.equal(U.read(bytes).a, 1);
});

test("T.write() names the expected JavaScript type by machine type, not by scalar name", () => {
  const S = struct({ size: size_t, count: DWORD }, { name: "s" });
  assert.throws(() => S.encode({ size: "1" as never, count: 0 }), {
    name: "TypeError",
    message: 'Cannot write "s.size": expected a bigint or a safe integer for size_t, got "1"',
  });
  assert.throws(() => S.encode({ size: 1n, count: -1 }), {
    name: "RangeError",
    message: 'Cannot write "s.count": value -1 is out of range for DWORD',
  });
  assert.throws(() => {
    S.view(new Uint8Array(16)).size = null as never;
  }, {
    name: "TypeError",
    message: 'Cannot write "s.size": expected a bigint or a safe integer for size_t, got null',
  });
});

test("T.read(), T.view() and T.write() refuse missing bytes with the toolkit's error", () => {
  const Pair = struct({ a: u32, b: u32 }, { name: "Pair" });
  for (const bytes of [undefined, null, 42, "bytes"]) {
    assert.throws(() => Pair.read(bytes as never), /Cannot read "Pair"/, String(bytes));
    assert.throws(() => Pair.view(bytes as never), /Cannot view "Pair"/, String(bytes));
    assert.throws(() => Pair.write(bytes as never, { a: 1, b: 2 }), /Cannot write "Pair"/, String(bytes));
  }
});

/**
 * Array fields read in place: the view of `row.addr` (a class of the field's own on the generated path, an
 * `ArrayView` with its index probe made on first need on the plain one) reads its own row's bytes, and refuses
 * a bad index, a detached buffer and a buffer shorter than the field with the toolkit's errors.
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { bothPaths } from "./_both_paths.ts";
import { array, ArrayView, bool, char, i64, struct, u16be, u32, u8 } from "../../structs/mod.ts";

function define(make: <T>(f: () => T) => T) {
  return make(() =>
    struct({
      pid: u32,
      name: array(char, 4),
      ports: array(u16be, 3),
      big: array(i64, 2),
      flags: array(bool, 2),
      addr: array(u8, 4), // last: a shrink of one byte cuts its last element only
    }, { name: "Row" })
  );
}

/** Two rows written with plain DataView calls, the independent source here. */
function rowsBytes(buffer: ArrayBuffer = new ArrayBuffer(2 * 40)): Uint8Array {
  const dv = new DataView(buffer);
  for (let r = 0; r < 2; r++) {
    const o = r * 40;
    dv.setUint32(o, 100 + r, true);
    for (let i = 0; i < 3; i++) dv.setUint8(o + 4 + i, 0x61 + r + i); // "abc", "bcd"
    for (let i = 0; i < 3; i++) dv.setUint16(o + 8 + 2 * i, 1000 * (r + 1) + i, false);
    dv.setBigInt64(o + 16, -5n - BigInt(r), true);
    dv.setBigInt64(o + 24, 1n << 40n, true);
    dv.setUint8(o + 32, 1);
    for (let i = 0; i < 4; i++) dv.setUint8(o + 34 + i, 10 * (r + 1) + i);
  }
  return new Uint8Array(buffer);
}

bothPaths("an array field's view reads its own row's elements in place", (make) => {
  const Row = define(make);
  assert.equal(Row.size, 40); // 38 bytes, aligned to the i64s' 8
  const rows = Row.array(rowsBytes());
  const first = rows.at(0);
  const addr = first.addr;
  assert.ok(addr instanceof ArrayView);
  assert.equal(addr.length, 4);
  assert.deepEqual([addr.at(0), addr.at(3), addr.at(-1), addr.at(-4)], [10, 13, 13, 10]);
  assert.deepEqual([first.ports.at(0), first.ports.at(2)], [1000, 1002]);
  assert.deepEqual([first.big.at(0), first.big.at(1)], [-5n, 1n << 40n]);
  assert.deepEqual([first.flags.at(0), first.flags.at(1)], [true, false]);
  assert.equal(first.name.readString(), "abc");
  // The other methods are the full view's.
  assert.deepEqual(addr.toArray(), [10, 11, 12, 13]);
  assert.deepEqual([...addr], [10, 11, 12, 13]);
  assert.equal(JSON.stringify(addr), "[10,11,12,13]");
  assert.deepEqual([addr.stride, addr.byteOffset, addr.byteLength], [1, 34, 4]);
  assert.match(inspect(addr), /^u8\[4\] \(4\) \[ 10, 11, 12, 13 \]$/);
  addr.set(1, 99);
  assert.equal(rows.at(0).addr.at(1), 99);
  // A kept field view reads its own row, whichever row the cursor moves to.
  const cursor = rows.cursor();
  cursor.next();
  const kept = cursor.row.addr;
  cursor.next();
  assert.deepEqual([kept.at(0), cursor.row.addr.at(0), cursor.row.ports.at(1)], [10, 20, 2001]);
});

bothPaths("an array field's at(i) refuses a bad index with the toolkit's errors", (make) => {
  const Row = define(make);
  const addr = Row.array(rowsBytes()).at(1).addr;
  for (const bad of [4, -5, 1.5, NaN, Infinity, 2 ** 32]) {
    assert.throws(() => addr.at(bad), {
      name: "RangeError",
      message: `Cannot access element "${bad}" of "u8[4]": it has 4 elements`,
    });
  }
  const sly = { valueOf: () => 0, toString: () => "0" };
  for (const bad of ["0", sly, 0n, undefined]) {
    assert.throws(() => addr.at(bad as unknown as number), {
      name: "TypeError",
      message: /^Cannot access an element of "u8\[4\]": an index must be a number, got /,
    });
  }
});

bothPaths("an array field's at(i) says so when the buffer shrinks under the field or is detached", (make) => {
  const Row = define(make);
  const buffer = new ArrayBuffer(80, { maxByteLength: 128 });
  rowsBytes(buffer);
  // A length-tracking DataView: a shrink that leaves the first elements in the buffer leaves the view over them.
  const row = Row.view(new DataView(buffer, 40));
  const addr = row.addr;
  const ports = row.ports;
  buffer.resize(77); // row 1's addr[3] (byte 77) is gone, addr[0] is not
  const shrunk = {
    name: "TypeError",
    message: 'Cannot access element "0" of "u8[4]": the buffer is shorter than the rows now',
  };
  assert.throws(() => addr.at(0), shrunk);
  assert.throws(() => row.addr.at(0), shrunk);
  assert.throws(() => addr.toArray(), { name: "TypeError", message: /shorter than the rows now$/ });
  assert.equal(ports.at(0), 2000); // the ports are all in the buffer
  buffer.resize(128); // grown back: the same views read again
  assert.deepEqual([addr.at(0), row.addr.at(3)], [20, 0]); // grown back with zeros
  const own = new ArrayBuffer(80);
  const view = Row.view(rowsBytes(own));
  const kept = view.addr;
  structuredClone(own, { transfer: [own] });
  const detached = { name: "TypeError", message: /the buffer is detached$/ };
  assert.throws(() => kept.at(0), detached);
  assert.throws(() => view.addr.at(2), detached); // a field view made after the buffer went
  assert.throws(() => view.addr.toArray(), detached);
  assert.match(inspect(view.addr), /its buffer is detached/);
});

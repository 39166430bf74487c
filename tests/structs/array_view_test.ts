import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "../harness.ts";
import { onPath } from "./_both_paths.ts";
import {
  ANY_SIZE,
  array,
  bool,
  char,
  Cursor,
  f32,
  f64be,
  i16,
  i32,
  i64,
  i8,
  struct,
  u16be,
  u32,
  u32be,
  u64,
  u8,
} from "../../structs/mod.ts";

/** Rows of MIB_TCPROW_OWNER_PID written with plain DataView calls, the independent source here. */
function table(n: number, byteOffset = 0): { bytes: Uint8Array; dv: DataView } {
  const bytes = new Uint8Array(byteOffset + 4 + n * 24 + 5);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(byteOffset, n, true);
  for (let i = 0; i < n; i++) {
    const o = byteOffset + 4 + i * 24;
    dv.setUint32(o, i % 3 === 0 ? 5 : 2, true);
    dv.setUint32(o + 8, 1000 + i, false);
    dv.setUint32(o + 20, 100 * i + 7, true);
  }
  return { bytes, dv };
}

function define() {
  const Row = struct({
    dwState: u32,
    dwLocalAddr: u32,
    dwLocalPort: u32be,
    dwRemoteAddr: u32,
    dwRemotePort: u32be,
    dwOwningPid: u32,
  }, { name: "MIB_TCPROW_OWNER_PID" });
  const Table = struct({ dwNumEntries: u32, table: array(Row, ANY_SIZE, { count: "dwNumEntries" }) }, {
    name: "MIB_TCPTABLE_OWNER_PID",
  });
  return { Row, Table };
}

for (const mode of ["generated", "plain"] as const) {
  const { Row, Table } = onPath(mode === "generated", define);
  const suffix = ` (${mode} code)`;

  test(`T.array() views rows in place: length, at(), negative indexes, iteration${suffix}`, () => {
    const { bytes } = table(10);
    const rows = Row.array(bytes, { byteOffset: 4, count: 10 });
    assert.equal(rows.length, 10);
    assert.equal(rows.stride, 24);
    assert.equal(rows.at(3).dwOwningPid, 307);
    assert.equal(rows.at(-1).dwOwningPid, 907);
    assert.equal(rows.at(4).dwLocalPort, 1004);
    assert.deepEqual([...rows].map((r) => r.dwOwningPid), [7, 107, 207, 307, 407, 507, 607, 707, 807, 907]);
    rows.at(2).dwOwningPid = 1;
    assert.equal(new DataView(bytes.buffer).getUint32(4 + 2 * 24 + 20, true), 1);
    // Without a count: as many whole rows as fit after the offset (245 bytes -> 10 rows, 1 byte left).
    assert.equal(Row.array(bytes, { byteOffset: 4 }).length, 10);
  });

  test(`ArrayView.at() refuses indexes outside the rows${suffix}`, () => {
    const rows = Row.array(table(3).bytes, { byteOffset: 4, count: 3 });
    for (const bad of [3, -4, 1.5, NaN, 2 ** 32]) {
      assert.throws(() => rows.at(bad), {
        name: "RangeError",
        message: `Cannot access element "${bad}" of "MIB_TCPROW_OWNER_PID[]": it has 3 elements`,
      });
    }
    assert.throws(() => Row.array(table(3).bytes, { byteOffset: 4, count: 4 }), {
      name: "RangeError",
      message:
        'Cannot make an array of 4 "MIB_TCPROW_OWNER_PID": it needs 96 bytes at offset 4 but the buffer has 81',
    });
  });

  test(`ArrayView.cursor() walks every row with one reused view${suffix}`, () => {
    const { bytes, dv } = table(50);
    const rows = Table.cast(bytes, { prefix: true }).table;
    assert.equal(rows.length, 50);
    const cursor = rows.cursor();
    const first = cursor.row;
    let sum = 0;
    let expected = 0;
    let count = 0;
    while (cursor.next()) {
      assert.equal(cursor.row, first);
      assert.equal(cursor.index, count);
      sum += cursor.row.dwOwningPid;
      expected += dv.getUint32(4 + count * 24 + 20, true);
      count++;
    }
    assert.equal(count, 50);
    assert.equal(sum, expected);
    assert.equal(cursor.next(), false);
    assert.equal(cursor.index, 50);
    assert.equal(cursor.length, 50);
    // The generated path's cursor class is its own, linked to Cursor's prototype; neither can be made by hand.
    assert.ok(cursor instanceof Cursor);
    const Made = cursor.constructor as new (...args: unknown[]) => unknown;
    assert.throws(() => new Made(Symbol("internal"), null, dv, 0, 1, 24, bytes), {
      name: "TypeError",
      message: "Cannot construct a Cursor directly: use rows.cursor()",
    });
    assert.equal(cursor.seek(7).dwLocalPort, 1007);
    assert.equal(cursor.next(), true);
    assert.equal(cursor.row.dwLocalPort, 1008);
    assert.throws(() => cursor.seek(50), RangeError);
    cursor.reset();
    assert.equal(cursor.next(), true);
    assert.equal(cursor.row.dwOwningPid, 7);
  });

  test(`ArrayView.cursor() stays after the last row, also over rows of no bytes${suffix}`, () => {
    // Empty is GCC's empty struct: no bytes, so every row is at the same offset
    const [Empty, Pair] = onPath(mode === "generated", () => [struct({}), struct({ a: u8, b: u8 })] as const);
    assert.equal(Empty.size, 0);
    interface Walker {
      next(): boolean;
      readonly index: number;
      readonly row: unknown;
      seek(i: number): unknown;
      reset(): void;
    }
    const walk = (cursor: Walker, length: number, row: () => unknown): unknown[] => {
      const seen: unknown[] = [];
      assert.equal(cursor.index, -1);
      // Bounded, so that a cursor that never ends fails here instead of hanging the suite.
      while (seen.length <= length && cursor.next()) {
        assert.equal(cursor.index, seen.length);
        seen.push(row());
      }
      assert.equal(seen.length, length);
      for (let k = 0; k < 3; k++) {
        assert.equal(cursor.next(), false);
        assert.equal(cursor.index, length);
      }
      if (length > 0) {
        assert.equal(cursor.seek(-1), cursor.row);
        assert.equal(cursor.index, length - 1);
        assert.equal(cursor.next(), false);
        assert.equal(cursor.index, length);
      }
      cursor.reset();
      assert.equal(cursor.index, -1);
      return seen;
    };
    for (const length of [0, 1, 3]) {
      const empty = Empty.array(new Uint8Array(0), { count: length }).cursor();
      assert.equal(walk(empty, length, () => empty.row).length, length);
      const pairs = Pair.array(new Uint8Array([1, 2, 3, 4, 5, 6]).subarray(0, 2 * length)).cursor();
      assert.deepEqual(walk(pairs, length, () => pairs.row.a), [1, 3, 5].slice(0, length));
    }
  });

  test(`ArrayView.at(), cursor() and toArray() agree over rows deep inside a buffer${suffix}`, () => {
    // The table at byte 13 of the buffer, seen through a subarray that starts there: the rows start 4 bytes
    // into the bytes given and 17 bytes into the buffer, at no alignment.
    const { bytes } = table(6, 13);
    const rows = Table.cast(bytes.subarray(13), { prefix: true }).table;
    const copied = rows.toArray().map((r) => r.dwOwningPid);
    assert.deepEqual(copied, [7, 107, 207, 307, 407, 507]);
    assert.deepEqual(Array.from({ length: 6 }, (_, i) => rows.at(i).dwOwningPid), copied);
    const cursor = rows.cursor();
    const walked: number[] = [];
    while (cursor.next()) walked.push(cursor.row.dwOwningPid);
    assert.deepEqual(walked, copied);
    assert.equal(cursor.seek(-1).dwOwningPid, 507);
    assert.equal(cursor.index, 5);
    assert.equal(cursor.seek(-6).dwLocalPort, 1000);
    cursor.row.dwOwningPid = 99;
    assert.equal(new DataView(bytes.buffer).getUint32(13 + 4 + 20, true), 99);
    assert.equal(rows.at(0).dwOwningPid, 99);
  });

  test(`ArrayView.column() reads one field across all rows, typed or strided${suffix}`, () => {
    const { bytes, dv } = table(20);
    const rows = Row.array(bytes, { byteOffset: 4, count: 20 });
    const pids = rows.column("dwOwningPid");
    const expected = Uint32Array.from({ length: 20 }, (_, i) => dv.getUint32(4 + i * 24 + 20, true));
    assert.deepEqual(pids.toTypedArray(), expected);
    assert.deepEqual([...pids], [...expected]);
    assert.equal(pids.at(-1), expected[19]);
    const strided = pids.strided();
    assert.ok(strided);
    assert.equal(strided.array[strided.start + 5 * strided.stride], expected[5]);
    pids.set(5, 12345);
    assert.equal(dv.getUint32(4 + 5 * 24 + 20, true), 12345);
    assert.throws(() => pids.at(20), RangeError);
    // A big-endian column is read through the DataView, and has no strided form.
    const ports = rows.column("dwLocalPort");
    assert.equal(ports.strided(), undefined);
    assert.deepEqual([...ports.toTypedArray()].slice(0, 3), [1000, 1001, 1002]);
    assert.equal(ports.at(19), 1019);
    // Rows starting at an unaligned offset: the typed path is not possible, the DataView path is.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const odd = Row.array(shifted, { byteOffset: 5, count: 20 }).column("dwOwningPid");
    assert.equal(odd.strided(), undefined);
    assert.deepEqual(odd.toTypedArray(), Uint32Array.from(expected, (v, i) => (i === 5 ? 12345 : v)));
    assert.throws(() => rows.column("nope" as never), TypeError);
  });

  test(`ArrayView.column() of every scalar kind reads what DataView reads, aligned or not${suffix}`, () => {
    // Each field's DataView getter and byte order, the independent reading here.
    const kinds = {
      a: [i8, "getInt8", true],
      b: [i16, "getInt16", true],
      c: [u16be, "getUint16", false],
      d: [i32, "getInt32", true],
      e: [f32, "getFloat32", true],
      f: [f64be, "getFloat64", false],
      g: [i64, "getBigInt64", true],
      h: [u64, "getBigUint64", true],
      k: [bool, "getUint8", true],
      m: [u32be, "getUint32", false],
    } as const;
    const Mixed = struct(
      Object.fromEntries(Object.entries(kinds).map(([name, [type]]) => [name, type])) as {
        [K in keyof typeof kinds]: (typeof kinds)[K][0];
      },
    );
    const n = 37;
    const bytes = new Uint8Array(Mixed.size * n + 9);
    let seed = 0x9e3779b9;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const dv = new DataView(bytes.buffer);
    // Offsets 0 and 8: every host-order field is aligned, so read through a typed array. Offsets 1 and 5: only
    // one-byte fields are, the others are read through the DataView; one layout's columns take both paths.
    for (const byteOffset of [0, 1, 8, 5]) {
      const rows = Mixed.array(bytes, { byteOffset, count: n });
      for (const info of Mixed.fields) {
        const [, getter, little] = kinds[info.name as keyof typeof kinds];
        const column = rows.column(info.name as keyof typeof kinds);
        const read = (i: number) => {
          const v = (dv[getter] as (o: number, le: boolean) => number | bigint)(
            byteOffset + i * Mixed.size + info.offset,
            little,
          );
          return info.name === "k" ? v !== 0 : v;
        };
        const where = `field ${info.name} at byte offset ${byteOffset}`;
        const expected = Array.from({ length: n }, (_, i) => read(i));
        assert.deepEqual(Array.from({ length: n }, (_, i) => column.at(i)), expected, where);
        assert.deepEqual([...column], expected, where);
        assert.deepEqual(column.at(-1), expected[n - 1], where);
        assert.deepEqual(column.at(-n), expected[0], where);
        for (const bad of [n, -n - 1, 1.5, NaN]) assert.throws(() => column.at(bad), RangeError, where);
        // Strided over a typed array: host order, not bool, and aligned (fields are aligned within a row).
        const typed = !["c", "f", "m", "k"].includes(info.name) && (byteOffset % 8 === 0 || info.size === 1);
        assert.equal(column.strided() !== undefined, typed, where);
      }
    }
    // The last row's field ends where the buffer does.
    const tight = struct({ x: u8, y: u32be }).array(Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 2)).column("y");
    assert.equal(tight.at(0), 0x0102);
    // Made before the buffer is detached, read after: the error says so.
    const buffer = bytes.slice().buffer;
    const own = Mixed.array(buffer, { count: n });
    const columns = [own.column("d"), own.column("m")];
    for (const column of columns) assert.equal(typeof column.at(0), "number");
    structuredClone(buffer, { transfer: [buffer] });
    for (const column of columns) {
      assert.throws(() => column.at(0), { name: "TypeError", message: /detached/ });
    }
  });

  test(`rows, columns and cursors say so when their buffer is detached or shrinks under them${suffix}`, () => {
    const { bytes } = table(8);
    const buffer = new ArrayBuffer(bytes.length, { maxByteLength: bytes.length * 2 });
    new Uint8Array(buffer).set(bytes);
    const rows = Row.array(buffer, { byteOffset: 4, count: 8 });
    const pids = rows.column("dwOwningPid");
    const ports = rows.column("dwLocalPort");
    const cursor = rows.cursor();
    const reads = {
      "at()": () => rows.at(7).dwOwningPid,
      "column at()": () => pids.at(7),
      "DataView column at()": () => ports.at(7),
      "column toTypedArray()": () => pids.toTypedArray()[7],
      "cursor seek()": () => cursor.seek(7).dwOwningPid,
      "for...of": () => [...rows][7]!.dwOwningPid,
      "column for...of": () => [...pids][7],
      "DataView column for...of": () => [...ports][7],
    };
    for (const read of Object.values(reads)) assert.ok([707, 1007].includes(read() as number));
    // One byte off the last row: every read of any row is refused, not answered from what is left.
    buffer.resize(4 + 8 * 24 - 1);
    for (const [name, read] of Object.entries(reads)) {
      assert.throws(read, { name: "TypeError", message: /the buffer is shorter than the rows now/ }, name);
    }
    assert.throws(() => pids.at(0), { name: "TypeError", message: /shorter than the rows/ });
    // Grown back, the same objects read again.
    buffer.resize(buffer.maxByteLength);
    for (const read of Object.values(reads)) assert.ok([707, 1007].includes(read() as number));
    // Walks begun before the buffer went away stop at their next step.
    const walks = [rows[Symbol.iterator](), pids[Symbol.iterator](), ports[Symbol.iterator]()];
    for (const walk of walks) assert.equal(walk.next().done, false);
    structuredClone(buffer, { transfer: [buffer] });
    for (const [name, read] of Object.entries(reads)) {
      assert.throws(read, { name: "TypeError", message: /the buffer is detached/ }, name);
    }
    for (const walk of walks) assert.throws(() => walk.next(), { name: "TypeError", message: /detached/ });
  });

  test(`for...of walks rows and columns: a fresh view per row, iterator helpers, walks of their own${suffix}`, () => {
    const { bytes, dv } = table(6);
    const rows = Row.array(bytes, { byteOffset: 4, count: 6 });
    const views = [...rows];
    assert.equal(views.length, 6);
    assert.notEqual(views[0], views[1]);
    views.forEach((view, i) => assert.equal(view.dwOwningPid, dv.getUint32(4 + i * 24 + 20, true)));
    const pids = rows.column("dwOwningPid");
    const ports = rows.column("dwLocalPort"); // network byte order: read through the DataView
    assert.deepEqual([...pids], [7, 107, 207, 307, 407, 507]);
    assert.deepEqual([...ports], [1000, 1001, 1002, 1003, 1004, 1005]);
    // Two walks of one array do not share a position, and a walk is its own iterable.
    const first = rows[Symbol.iterator]();
    first.next();
    assert.equal([...rows[Symbol.iterator]()].length, 6);
    assert.equal(first[Symbol.iterator](), first);
    assert.equal([...first].length, 5);
    assert.deepEqual(first.next(), { value: undefined, done: true });
    // The walks are the engine's iterators, with its helpers, as a generator's were.
    assert.deepEqual(pids[Symbol.iterator]().map((pid) => pid + 1).toArray(), [8, 108, 208, 308, 408, 508]);
    const listening = rows[Symbol.iterator]().filter((row) => row.dwState === 5).map((row) =>
      row.dwOwningPid
    );
    assert.deepEqual(listening.toArray(), [7, 307]);
    const empty = Row.array(bytes, { byteOffset: 4, count: 0 });
    assert.deepEqual([...empty], []);
    assert.deepEqual([...empty.column("dwState")], []);
  });

  test(`rows, columns and cursors print their rows${suffix}`, () => {
    const { bytes } = table(150);
    const rows = Row.array(bytes, { byteOffset: 4, count: 150 });
    const shown = inspect(rows);
    assert.match(shown, /^MIB_TCPROW_OWNER_PID\[\] \(150\) \[/);
    assert.match(shown, /dwOwningPid: 9807/); // row 98, the last one shown
    assert.doesNotMatch(shown, /dwOwningPid: 9907/); // row 99
    assert.match(shown, /\.\.\. 51 more\n\]$/);
    assert.equal(
      inspect(Row.array(bytes, { byteOffset: 4, count: 2 }).column("dwOwningPid")),
      'Column "dwOwningPid" (2) [ 7, 107 ]',
    );
    const cursor = Row.array(bytes, { byteOffset: 4, count: 2 }).cursor();
    assert.equal(inspect(cursor), "Cursor (before the first of 2 rows)");
    cursor.next();
    assert.match(inspect(cursor), /^Cursor \(row 0 of 2\) \{\s+dwState: 5,/);
    cursor.next();
    cursor.next();
    assert.equal(inspect(cursor), "Cursor (after the last of 2 rows)");
    // A detached buffer prints as such instead of throwing.
    const own = bytes.slice();
    const gone = Row.array(own, { byteOffset: 4, count: 2 });
    const column = gone.column("dwLocalPort");
    structuredClone(own.buffer, { transfer: [own.buffer] });
    assert.match(inspect(gone), /\(2\) \(its buffer is detached or shorter than the rows now\)$/);
    assert.match(inspect(column), /^Column "dwLocalPort" \(2\) \(its buffer is detached/);
  });

  test(`ArrayView.toArray() copies every row out as plain objects${suffix}`, () => {
    const { bytes } = table(4);
    const copies = Table.cast(bytes, { prefix: true }).table.toArray();
    assert.deepEqual(copies[1], {
      dwState: 2,
      dwLocalAddr: 0,
      dwLocalPort: 1001,
      dwRemoteAddr: 0,
      dwRemotePort: 0,
      dwOwningPid: 107,
    });
    // Copies do not follow later writes.
    new DataView(bytes.buffer).setUint32(4 + 24 + 20, 0, true);
    assert.equal(copies[1]!.dwOwningPid, 107);
  });

  test(`ArrayView.toArray() copies big arrays too (their own allocation site)${suffix}`, () => {
    // 64 fields a row: from 2^21 / 64 = 32768 rows the generated path copies through its bulk function.
    const Wide = struct(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`f${i}`, u32])));
    for (const n of [32767, 32768, 32771]) {
      const words = new Uint32Array(n * 64);
      for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761) >>> 0;
      const copies = Wide.array(words).toArray() as Record<string, number>[];
      assert.equal(copies.length, n);
      for (const row of [0, n >> 1, n - 1]) {
        for (const field of [0, 17, 63]) assert.equal(copies[row]![`f${field}`], words[row * 64 + field]);
      }
      assert.equal(Object.keys(copies[n - 1]!).length, 64);
    }
  });

  test(`ArrayView.readString() reads a char array up to its NUL${suffix}`, () => {
    const S = struct({ name: array(char, 8), wide: array(u16be, 2) });
    const bytes = new Uint8Array(12);
    bytes.set(new TextEncoder().encode("héllo"));
    const view = S.view(bytes);
    assert.equal(view.name.readString(), "héllo");
    assert.equal(view.wide.readString(), ""); // UTF-16BE code units (tests/structs/wide_string_fields_test.ts)
    assert.throws(() => view.wide.cursor(), TypeError);
  });
}

test("T.array() of 64-bit scalars inside structs gives bigint columns", () => {
  const S = struct({ a: u8, v: i64 });
  const bytes = new Uint8Array(32);
  const dv = new DataView(bytes.buffer);
  dv.setBigInt64(8, -5n, true);
  dv.setBigInt64(24, 6n, true);
  const column = S.array(bytes).column("v");
  assert.deepEqual([...column.toTypedArray()], [-5n, 6n]);
  assert.ok(column.toTypedArray() instanceof BigInt64Array);
});

/**
 * CallBatch against a C library that sums what it is handed: one call per batch gives the totals that one call
 * per record gives, the memory stays put, and native code may keep its pointer between calls.
 */
import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import { cLayouts } from "../structs/_c.ts";
import {
  buffer,
  ClosedError,
  dlopen,
  f64,
  pointerEquals,
  size_t,
  struct,
  u32,
  u64,
  void_,
} from "../../mod.ts";
import { CallBatch } from "../../linux/mod.ts";

const C_SOURCE = `
#include <stddef.h>
#include <stdint.h>
struct record { uint32_t id; double value; };
static double total; static uint64_t ids; static uint64_t calls;
static const struct record *kept; static size_t kept_count;
void record_one(uint32_t id, double value) { total += value; ids += id; calls++; }
void record_batch(const struct record *r, size_t n) {
  for (size_t i = 0; i < n; i++) { total += r[i].value; ids += r[i].id; }
  calls++;
}
double total_value(void) { return total; }
uint64_t total_ids(void) { return ids; }
uint64_t call_count(void) { return calls; }
void reset(void) { total = 0; ids = 0; calls = 0; }
void keep(const struct record *r, size_t n) { kept = r; kept_count = n; }
double sum_kept(void) { double s = 0; for (size_t i = 0; i < kept_count; i++) s += kept[i].value; return s; }
`;

const Record = struct({ id: u32, value: f64 }, { name: "record" });

function open() {
  return dlopen(compileC(C_SOURCE), {
    record_one: { args: [u32, f64], returns: void_ },
    record_batch: { args: [buffer, size_t], returns: void_ },
    total_value: { args: [], returns: f64 },
    total_ids: { args: [], returns: u64 },
    call_count: { args: [], returns: u64 },
    reset: { args: [], returns: void_ },
    keep: { args: [buffer, size_t], returns: void_ },
    sum_kept: { args: [], returns: f64 },
  });
}

test("the batch record layout matches cc", () => {
  const c = cLayouts(C_SOURCE, { "struct record": ["id", "value"] }).get("struct record")!;
  assert.equal(Record.size, c.size);
  assert.equal(Record.fields[1]!.offset, c.offsets.get("value"));
});

test("CallBatch.push() and flush() hand every record over in one call per batch, as separate calls would", () => {
  using lib = open();
  const { record_one, record_batch, total_value, total_ids, call_count, reset } = lib.symbols;
  const values = Array.from({ length: 1000 }, (_, i) => ({ id: i, value: i * 0.25 }));
  for (const r of values) record_one(r.id, r.value);
  const separate = { total: total_value(), ids: total_ids(), calls: call_count() };
  assert.equal(separate.calls, 1000n);
  reset();
  using batch = new CallBatch(Record, {
    capacity: 64,
    flush: (memory, count) => record_batch(memory, BigInt(count)),
  });
  const pointer = batch.memory.pointer;
  for (const r of values) batch.push(r);
  assert.equal(batch.length, 1000 % 64);
  assert.equal(batch.flush(), 1000 % 64);
  assert.equal(batch.flush(), 0, "nothing left to hand over");
  assert.equal(total_value(), separate.total);
  assert.equal(total_ids(), separate.ids);
  assert.equal(call_count(), BigInt(Math.ceil(1000 / 64)), "one call per batch");
  assert.ok(pointerEquals(batch.memory.pointer, pointer), "the buffer never moved");
});

test("CallBatch memory may be kept by native code between calls", () => {
  using lib = open();
  using batch = new CallBatch(Record, { capacity: 8 });
  lib.symbols.keep(batch.memory, 8n);
  for (let i = 0; i < 8; i++) batch.push({ id: i, value: 1 });
  assert.equal(lib.symbols.sum_kept(), 8);
  batch.clear();
  for (let i = 0; i < 8; i++) batch.push({ id: i, value: 2 });
  // C reads through the pointer it kept from the first call: the same memory, now holding the new records.
  assert.equal(lib.symbols.sum_kept(), 16);
  assert.deepEqual(batch.records().toArray().map((r) => r.value), new Array(8).fill(2));
});

test("CallBatch refuses a full buffer without a flush call, a bad capacity and use after close", () => {
  const batch = new CallBatch(Record, { capacity: 2 });
  batch.push({ id: 1, value: 1 });
  batch.push({ id: 2, value: 2 });
  assert.throws(() => batch.push({ id: 3, value: 3 }), RangeError);
  assert.throws(() => batch.flush(), TypeError);
  const view = batch.records();
  assert.equal(view.length, 2);
  assert.equal(view.at(1).id, 2);
  batch.close();
  assert.throws(() => batch.push({ id: 1, value: 1 }), (error: unknown) => {
    assert.ok(error instanceof ClosedError && error instanceof ReferenceError);
    assert.deepEqual([error.name, error.action, error.resource], [
      "ClosedError",
      "push to a call batch",
      "the batch",
    ]);
    assert.equal(error.message, "Cannot push to a call batch: the batch is closed");
    return true;
  });
  assert.throws(() => batch.reserve(), {
    name: "ClosedError",
    message: /^Cannot reserve a record in a call batch/,
  });
  assert.throws(() => new CallBatch(Record, { capacity: 0 }), RangeError);
});

test("CallBatch.push() that throws adds no record: the next flush hands over only the good ones", () => {
  const flushed: { id: number; value: number }[] = [];
  using batch = new CallBatch(Record, {
    capacity: 4,
    flush: (memory, count) => {
      for (let i = 0; i < count; i++) flushed.push(Record.read(memory.bytes, i * Record.size));
    },
  });
  // -1 is out of range for u32: the write throws.
  assert.throws(() => batch.push({ id: -1, value: 2 }), RangeError);
  assert.equal(batch.length, 0, "a failed push on an empty batch leaves it empty");
  batch.push({ id: 100, value: 1 });
  batch.flush();
  // Slot 0 still holds id 100: a failed push that took it would have the next flush send it again.
  assert.throws(() => batch.push({ id: -1, value: 2 }), RangeError);
  assert.equal(batch.length, 0);
  assert.equal(batch.records().length, 0);
  batch.push({ id: 7, value: 7 });
  assert.equal(batch.flush(), 1);
  assert.deepEqual(flushed, [{ id: 100, value: 1 }, { id: 7, value: 7 }]);
  // A field that fails after an earlier one was written (id, then value): nothing of it is counted either.
  batch.push({ id: 1, value: 1 });
  assert.throws(() => batch.push({ id: 2, value: 2n as unknown as number }), TypeError);
  assert.deepEqual(batch.records().toArray().map((r) => r.id), [1]);
});

/**
 * The one record per machine type (`structs/_machine_types.ts`) against cc (sizes, alignments and limits of
 * the C types each stands for) and against what it names in JavaScript (the `DataView` methods, the typed
 * arrays), and the scalars derived from it.
 */
import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import { MACHINE_TYPES } from "../../structs/_machine_types.ts";
import { type NativeType, scalar } from "../../structs/mod.ts";

const C_TYPES: Record<NativeType, [string, string, string]> = {
  i8: ["int8_t", "INT8_MIN", "INT8_MAX"],
  u8: ["uint8_t", "0", "UINT8_MAX"],
  i16: ["int16_t", "INT16_MIN", "INT16_MAX"],
  u16: ["uint16_t", "0", "UINT16_MAX"],
  i32: ["int32_t", "INT32_MIN", "INT32_MAX"],
  u32: ["uint32_t", "0", "UINT32_MAX"],
  i64: ["int64_t", "INT64_MIN", "INT64_MAX"],
  u64: ["uint64_t", "0", "UINT64_MAX"],
  isize: ["intptr_t", "INTPTR_MIN", "INTPTR_MAX"],
  usize: ["size_t", "0", "SIZE_MAX"],
  f32: ["float", "0", "0"],
  f64: ["double", "0", "0"],
  bool: ["_Bool", "0", "1"],
  pointer: ["void *", "0", "0"],
};

test("MACHINE_TYPES matches cc: size, alignment, signedness and range of each machine type", () => {
  const names = Object.keys(C_TYPES) as NativeType[];
  const lines = names.map((n) => {
    const [type, min, max] = C_TYPES[n];
    return `printf("${n} %zu %zu %d %s %s\\n", sizeof(${type}), _Alignof(${type}), (${type})-1 < (${type})0, ` +
      `i128(${min}), u128(${max}));`;
  });
  const out = runC(`#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
static char buf[64][32]; static int next;
static const char *i128(long long v) { char *b = buf[next++ % 64]; snprintf(b, 32, "%lld", v); return b; }
static const char *u128(unsigned long long v) { char *b = buf[next++ % 64]; snprintf(b, 32, "%llu", v); return b; }
int main(void) {
${lines.join("\n")}
return 0;
}
`);
  for (const line of out.trim().split("\n")) {
    const [name, size, align, signed, min, max] = line.split(" ") as [NativeType, ...string[]];
    const record = MACHINE_TYPES[name];
    assert.deepEqual([record.size, record.align], [Number(size), Number(align)], name);
    if (record.range === undefined) continue;
    assert.equal(record.signed, signed === "1", name);
    assert.deepEqual(record.range.map(String), [min, max], name);
  }
});

test("MACHINE_TYPES names DataView methods and typed arrays of the right size", () => {
  const dv = new DataView(new ArrayBuffer(8));
  for (const [name, record] of Object.entries(MACHINE_TYPES)) {
    assert.equal(typeof dv[record.get], "function", name);
    assert.equal(typeof dv[record.set], "function", name);
    assert.equal(record.get.slice(3), record.set.slice(3), name);
    if (record.typedArray) assert.equal(record.typedArray.BYTES_PER_ELEMENT, record.size, name);
    if (record.range) {
      // The range's ends survive the DataView round trip; one past them does not.
      const [min, max] = record.range;
      for (const v of [min, max]) {
        (dv[record.set] as (o: number, v: number | bigint) => void).call(dv, 0, v);
        assert.equal((dv[record.get] as (o: number) => number | bigint).call(dv, 0), v, name);
      }
      const past = typeof max === "bigint" ? max + 1n : max + 1;
      (dv[record.set] as (o: number, v: number | bigint) => void).call(dv, 0, past);
      assert.notEqual((dv[record.get] as (o: number) => number | bigint).call(dv, 0), past, name);
    }
    assert.equal(scalar("t", name as NativeType).size, record.size, name);
  }
});

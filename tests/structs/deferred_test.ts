/**
 * The toolkit's own layouts are placed on first use (`structs/_deferred.ts`, issue 24): every one of them places
 * without error, and before its placement a deferred layout answers every method, error included, as the same
 * declaration given to `struct()` does.
 */
import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { bothPaths } from "./_both_paths.ts";
import { CompositeLayout } from "../../structs/_composite.ts";
import { deferredStruct, deferredUnion } from "../../structs/_deferred.ts";
import { array, FLEXIBLE, struct, u16, u32, u8, union } from "../../structs/mod.ts";
import * as cdef from "../../cdef/mod.ts";
import * as ffi from "../../ffi/mod.ts";
import * as linux from "../../linux/mod.ts";
import * as windows from "../../windows/mod.ts";

/** What a placed layout says of itself. */
function placement(layout: { size: number; align: number; flexible: boolean; fields: readonly unknown[] }) {
  return JSON.stringify({
    size: layout.size,
    align: layout.align,
    flexible: layout.flexible,
    fields: layout.fields,
  });
}

test("every layout linux/, windows/, ffi/ and cdef/ export places without error", () => {
  const layouts = [linux, windows, ffi, cdef].flatMap((m) => Object.entries(m))
    .filter(([, v]) => v instanceof CompositeLayout) as [string, CompositeLayout][];
  assert.ok(layouts.length >= 30, `${layouts.length} layouts`);
  for (const [name, layout] of layouts) {
    assert.ok(layout.size > 0 && layout.align > 0, `${name}: size ${layout.size}, align ${layout.align}`);
    assert.equal(layout.fields.length, Object.keys(layout.declaration).length, name);
    // Placed means usable: a value of zeros reads back.
    assert.equal(typeof layout.read(new Uint8Array(layout.size)), "object", name);
  }
});

const declaration = { tag: u8, count: u16, values: array(u32, 3) };

bothPaths("a deferred layout places as struct() does, on any first use", (make) => {
  const uses: [string, (T: CompositeLayout) => unknown][] = [
    ["size", (T) => T.size],
    ["read", (T) => T.read(new Uint8Array(16))],
    ["write", (T) => T.write(new Uint8Array(16), { tag: 1 })],
    ["encode", (T) => T.encode({ tag: 1 })],
    ["view", (T) => (T.view(new Uint8Array(16)) as { tag: number }).tag],
    ["cast", (T) => (T.cast(new Uint8Array(16)) as { tag: number }).tag],
    ["array", (T) => T.array(new Uint8Array(32)).length],
    ["nested", (T) => struct({ head: T as never, tail: u8 }).size],
  ];
  const eager = make(() => struct(declaration, { name: "row" })) as unknown as CompositeLayout;
  for (const [use, f] of uses) {
    const T = make(() => deferredStruct(declaration, { name: "row" })) as unknown as CompositeLayout;
    assert.deepEqual(f(T), f(eager), use);
    assert.equal(placement(T), placement(eager), use);
  }
  const U = make(() => deferredUnion({ a: u32, b: array(u8, 6) })) as unknown as CompositeLayout;
  assert.equal(placement(U), placement(union({ a: u32, b: array(u8, 6) }) as unknown as CompositeLayout));
});

bothPaths("before its placement a deferred layout refuses too few bytes as struct() does", (make) => {
  const short = new Uint8Array(8);
  const eager = make(() => struct(declaration, { name: "row" })) as unknown as CompositeLayout;
  const uses: [string, (T: CompositeLayout) => unknown][] = [
    ["read", (T) => T.read(short)],
    ["read at an offset", (T) => T.read(new Uint8Array(20), 8)],
    ["write", (T) => T.write(short, { tag: 1 })],
    ["view", (T) => T.view(short)],
    ["cast", (T) => T.cast(short)],
    ["array", (T) => T.array(short, { count: 1 })],
  ];
  for (const [use, f] of uses) {
    const T = make(() => deferredStruct(declaration, { name: "row" })) as unknown as CompositeLayout;
    let expected: unknown;
    assert.throws(() => f(eager), (error) => (expected = error, true), use);
    assert.throws(() => f(T), (error: Error) => {
      assert.equal(error.constructor, (expected as Error).constructor, use);
      assert.equal(error.message, (expected as Error).message, use);
      return true;
    }, use);
  }
  // A flexible array's required bytes end at the array, not at `sizeof`.
  const flexible = { n: u32, tag: u8, rows: array(u16, FLEXIBLE, { count: "n" }) };
  const F = make(() => deferredStruct(flexible, { name: "flex" })) as unknown as CompositeLayout;
  assert.throws(() => F.read(new Uint8Array(4)), /Cannot read "flex"/);
  assert.deepEqual(F.read(new Uint8Array([1, 0, 0, 0, 7, 0, 9, 0])), { n: 1, tag: 7, rows: [9] });
});

test("a deferred layout is frozen once placed, as struct()'s", () => {
  const T = deferredStruct(declaration, { name: "row" }) as unknown as CompositeLayout;
  void T.size;
  assert.throws(() => {
    (T as { size: number }).size = 1;
  }, TypeError);
  assert.equal(T.size, 16);
  assert.ok(!Object.isExtensible(T));
});

test("a deferred layout holds nothing of its own placement until its first use", () => {
  // ~40 are declared at import: their getters are the prototype's, shared, not defined on each layout.
  const T = deferredStruct(declaration, { name: "row" }) as unknown as CompositeLayout;
  for (const key of ["size", "align", "fields", "flexible"]) assert.ok(!Object.hasOwn(T, key), key);
  assert.deepEqual(Object.keys(T), ["kind", "name", "declaration"]);
  assert.equal(T.align, 4);
  assert.deepEqual(Object.keys(T), Object.keys(struct(declaration, { name: "row" })));
  assert.ok(Object.hasOwn(T, "size"));
});

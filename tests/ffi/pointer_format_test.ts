/** Pointers as text: `formatPointer`, `pointerReplacer`, and Bun's pointers printing as their address. */
import assert from "node:assert/strict";
import { runtime, test } from "../harness.ts";
import {
  alloc,
  formatPointer,
  i32,
  pointer,
  pointerReplacer,
  struct,
  unsafeOffsetPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
} from "../../mod.ts";

test("formatPointer() writes a pointer's address in hexadecimal, NULL for null, and says when it was revoked", () => {
  const memory = alloc(16);
  const p = memory.pointer;
  const hex = `0x${unsafePointerAddress(p).toString(16)}`;
  assert.match(hex, /^0x[0-9a-f]+$/);
  assert.equal(formatPointer(p), hex);
  assert.equal(formatPointer(unsafePointerFromAddress(0x1234n)), "0x1234");
  assert.equal(formatPointer(null), "NULL");
  assert.throws(() => formatPointer({} as never), {
    name: "TypeError",
    message: "Cannot format object as a pointer: expected a Pointer or null",
  });
  const derived = unsafeOffsetPointer(p, 8);
  memory.close();
  assert.equal(formatPointer(p), "(revoked pointer)");
  assert.equal(formatPointer(derived), "(revoked pointer)");
});

test("pointerReplacer writes pointers in JSON as their address, where Deno's pointers would be {}", () => {
  using memory = alloc(16);
  const Node = struct({ value: i32, next: pointer });
  Node.write(memory.bytes, { value: 1, next: memory.pointer });
  const node = Node.read(memory.bytes);
  const hex = formatPointer(memory.pointer);
  assert.equal(JSON.stringify(node, pointerReplacer), `{"value":1,"next":"${hex}"}`);
  assert.equal(JSON.stringify([null, memory.pointer], pointerReplacer), `[null,"${hex}"]`);
});

test("a pointer prints as its address on Bun; on Deno the runtime's pointer object cannot be given a way to", () => {
  using memory = alloc(16);
  const p = memory.pointer;
  const hex = formatPointer(p);
  if (runtime === "bun") {
    const bun = (globalThis as unknown as { Bun: { inspect(value: unknown): string } }).Bun;
    assert.equal(bun.inspect(p), `Pointer ${hex}`);
    assert.equal(JSON.stringify({ p }), `{"p":"${hex}"}`);
  } else {
    // Why Deno cannot: the runtime makes the object, frozen and with a null prototype, so no toJSON or custom
    // inspection can be put on it or on its prototype. If that changes, this fails, and parity is possible.
    assert.equal(Object.getPrototypeOf(p), null);
    assert.equal(Object.isFrozen(p), true);
    assert.throws(() => Object.defineProperty(p, "toJSON", { value: () => hex }), TypeError);
    assert.equal(JSON.stringify({ p }), `{"p":{}}`);
  }
});

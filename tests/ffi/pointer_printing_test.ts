/** Views, arrays and cursors print their pointer fields as addresses on both runtimes (structs/_printing.ts). */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { test } from "../harness.ts";
import {
  alloc,
  array,
  formatPointer,
  i32,
  pointer,
  struct,
  unsafeOffsetPointer,
  unsafeView,
} from "../../mod.ts";

// Deno's own console and Bun's, where there is one: what `console.log` shows.
function shown(value: unknown): string[] {
  const runtimes = globalThis as unknown as {
    Deno?: { inspect(value: unknown): string };
    Bun?: { inspect(value: unknown): string };
  };
  const native = runtimes.Deno?.inspect ?? runtimes.Bun?.inspect;
  return [inspect(value), ...(native ? [native(value)] : [])];
}

test("a view, its nested structs and pointer arrays, rows and cursors print pointers as their address", () => {
  const Node = struct({ value: i32, next: pointer, more: array(pointer, 2), inner: struct({ p: pointer }) });
  using memory = alloc(Node.size * 2);
  const view = unsafeView(memory.pointer, Node);
  const second = unsafeOffsetPointer(memory.pointer, Node.size);
  view.value = 7;
  view.next = second;
  view.more.set(1, memory.pointer);
  view.inner.p = second;
  const [here, there] = [formatPointer(memory.pointer), formatPointer(second)];
  for (const text of shown(view)) {
    assert.match(text, new RegExp(`next: ${there}\\b`));
    assert.match(text, new RegExp(`more: \\[ null, ${here} \\]`));
    assert.match(text, new RegExp(`p: ${there}\\b`));
    assert.doesNotMatch(text, /\{\}/);
  }
  const rows = Node.array(memory.bytes);
  for (const text of shown(rows)) assert.match(text, new RegExp(`next: ${there}\\b[^]*next: null`));
  for (const text of shown(view.more)) assert.match(text, new RegExp(`\\[ null, ${here} \\]`));
  const cursor = rows.cursor();
  cursor.next();
  for (const text of shown(cursor)) {
    assert.match(text, new RegExp(`Cursor \\(row 0 of 2\\) [^]*next: ${there}\\b`));
  }
  // The view itself still hands out the pointer, not text.
  assert.equal(formatPointer(view.next), there);
});

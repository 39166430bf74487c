// A struct passed by value to a real DLL, on Windows (run under Wine by windows/wine/run.sh): user32's
// PtInRect takes its POINT by value, which the x64 calling convention passes in a register (8 bytes).
import assert from "node:assert/strict";
import process from "node:process";
import { runtime, test } from "../harness.ts";
import { BOOL, buffer, dlopen, LONG, struct } from "../../mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

// typedef struct tagRECT { LONG left, top, right, bottom; } RECT;
const RECT = struct({ left: LONG, top: LONG, right: LONG, bottom: LONG }, { name: "RECT" });
// typedef struct tagPOINT { LONG x, y; } POINT;
const POINT = struct({ x: LONG, y: LONG }, { name: "POINT" });

const table = {
  PtInRect: { args: [buffer, POINT], returns: BOOL }, // BOOL PtInRect(const RECT *lprc, POINT pt)
} as const;

test("PtInRect() takes its POINT by value (Deno; a clear error on Bun)", () => {
  if (runtime === "bun") {
    assert.throws(() => dlopen("user32.dll", table, { systemOnly: true }), {
      name: "ByValueUnsupportedError",
      message: /argument 1 of "PtInRect" as "POINT" by value: Bun's FFI has no struct-by-value calls/,
    });
    return;
  }
  using user32 = dlopen("user32.dll", table, { systemOnly: true });
  const rect = RECT.encode({ left: -10, top: 20, right: 30, bottom: 40 });
  const inside = (x: number, y: number) => user32.symbols.PtInRect(rect, { x, y }) !== 0;
  // The documented rule: the left and top edges are inside, the right and bottom edges are not.
  assert.equal(inside(-10, 20), true);
  assert.equal(inside(29, 39), true);
  assert.equal(inside(30, 25), false);
  assert.equal(inside(0, 40), false);
  assert.equal(inside(-11, 25), false);
  assert.equal(inside(0, 19), false);
}, { ignore });

// Variadic calls on Windows x64 (run under Wine by windows/wine/run.sh): a variadic callee reads a double from
// the integer register's home slot, so the toolkit passes an extra f64 as its bits in a u64.
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import { buffer, cstring, dlopen, f32, f64, i32, i64, readCString } from "../../mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

test("sprintf() from msvcrt reads variadic doubles in registers and on the stack", () => {
  using crt = dlopen("msvcrt.dll", {
    sprintf: { args: [buffer, buffer], returns: i32, variadic: true }, // int sprintf(char *, const char *, ...)
  });
  const out = new Uint8Array(128);
  // 1.5 and 42 travel in r8 and r9; the rest on the stack.
  const n = crt.symbols.sprintf(
    [f64, i32, f64, buffer, i64, f32],
    out,
    cstring("%.2f|%d|%.3f|%s|%lld|%.1f"),
    1.5,
    42,
    -2.25,
    cstring("x"),
    -(2n ** 40n),
    0.5,
  );
  assert.equal(readCString(out), "1.50|42|-2.250|x|-1099511627776|0.5");
  assert.equal(n, readCString(out).length);
}, { ignore });

test("sprintf() reads a double as the first variadic argument, through shape()", () => {
  using crt = dlopen("msvcrt.dll", { sprintf: { args: [buffer, buffer], returns: i32, variadic: true } });
  const format = crt.symbols.sprintf.shape(f64, f64, f64);
  const out = new Uint8Array(64);
  for (let round = 0; round < 2000; round++) {
    format(out, cstring("%g %g %g"), 0.25, round, 1e300);
    if (readCString(out) !== `0.25 ${round} 1e+300`) assert.fail(`round ${round}: ${readCString(out)}`);
  }
}, { ignore });

// Proves the Wine pipeline with the runtime's own FFI, independent of the toolkit: kernel32's
// GetCurrentProcessId must equal the process id the runtime reports.
import assert from "node:assert/strict";
import process from "node:process";
import { runtime, test } from "../harness.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

test("GetCurrentProcessId() equals the runtime's pid (raw dlopen)", async () => {
  if (runtime === "deno") {
    const lib = Deno.dlopen("kernel32.dll", { GetCurrentProcessId: { parameters: [], result: "u32" } });
    try {
      assert.equal(lib.symbols.GetCurrentProcessId(), Deno.pid);
    } finally {
      lib.close();
    }
  } else {
    const specifier = "bun:ffi";
    const ffi = await import(specifier);
    const lib = ffi.dlopen("kernel32.dll", { GetCurrentProcessId: { args: [], returns: "u32" } });
    try {
      assert.equal(lib.symbols.GetCurrentProcessId(), process.pid);
    } finally {
      lib.close();
    }
  }
}, { ignore });

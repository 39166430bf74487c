// The built package (build/) on Windows, for real under Wine (windows/wine/run.sh): the runtime's own package,
// built on Linux by `npm ci` or `deno task build`, calls kernel32 and reads a Job Object's accounting.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtime, test } from "../harness.ts";

type Toolkit = typeof import("../../mod.ts");

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";
const entry = new URL(`../../dist/${runtime}/mod.js`, import.meta.url);

/** The runtime's built package; an error saying how to make it when there is none. */
async function builtPackage(): Promise<Toolkit> {
  if (!existsSync(fileURLToPath(entry))) {
    throw new Error(`${fileURLToPath(entry)} is missing: build the packages first (deno task build)`);
  }
  return await import(entry.href) as Toolkit;
}

test("the built package calls kernel32 and queries a Job Object, as the sources do", async () => {
  const { createJobObject, dlopen, u32 } = await builtPackage();
  using kernel32 = dlopen("kernel32.dll", { GetCurrentProcessId: { args: [], returns: u32 } });
  assert.equal(kernel32.symbols.GetCurrentProcessId(), process.pid);
  using job = createJobObject(`ffikit-package-${process.pid}-${Date.now().toString(36)}`);
  const accounting = job.queryBasicAccounting();
  assert.equal(accounting.ActiveProcesses, 0);
  assert.equal(typeof accounting.TotalUserTime, "bigint");
}, { ignore });

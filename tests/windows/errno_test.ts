// GetLastError captured as part of the call, on Windows (run under Wine by windows/wine/run.sh).
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import {
  BOOL,
  buffer,
  dlopen,
  DWORD,
  errnoCapture,
  errnoName,
  HANDLE,
  LPCSTR,
  SyscallError,
  void_,
} from "../../mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

function kernel32() {
  return dlopen("kernel32.dll", {
    SetLastError: { args: [DWORD], returns: void_, errno: true },
    CloseHandle: { args: [HANDLE], returns: BOOL, fails: 0 },
    GetFileAttributesA: { args: [LPCSTR], returns: DWORD, errno: true },
    GetLastError: { args: [], returns: DWORD },
  }, { systemOnly: true });
}

test("errnoCapture() reads the thread block's last-error cell directly", () => {
  assert.equal(errnoCapture(), "teb-cell");
}, { ignore });

test("errno: true returns GetLastError() of that very call", () => {
  using k = kernel32();
  assert.deepEqual(k.symbols.SetLastError(183), { value: undefined, errno: 183 });
  assert.equal(k.symbols.GetLastError(), 183, "the cell the toolkit reads is the one GetLastError reads");
  const missing = new TextEncoder().encode("C:\\no\\such\\file.txt\0");
  const { value, errno } = k.symbols.GetFileAttributesA(missing);
  assert.equal(value, 0xffffffff); // INVALID_FILE_ATTRIBUTES
  assert.ok(errno === 2 || errno === 3, `ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND, got ${errno}`);
  void buffer;
}, { ignore });

test("fails: 0 throws SyscallError with the Windows error name", () => {
  using k = kernel32();
  assert.throws(() => k.symbols.CloseHandle(null), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.syscall, "CloseHandle");
    assert.equal(error.errno, 6);
    assert.equal(error.code, "ERROR_INVALID_HANDLE");
    assert.match(error.description, /handle/i);
    return true;
  });
  assert.equal(errnoName(183), "ERROR_ALREADY_EXISTS");
}, { ignore });

test("GetLastError capture holds under garbage-collection pressure", async () => {
  using k = kernel32();
  let garbage: unknown[] = [];
  let mismatches = 0;
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 2000; i++) {
      const code = 1 + ((i * 7 + round) % 1000);
      garbage.push({ i, text: `row ${i}` });
      if (k.symbols.SetLastError(code).errno !== code) mismatches++;
    }
    garbage = [];
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(mismatches, 0);
}, { ignore });

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
  errnoMessage,
  errnoName,
  HANDLE,
  LPCSTR,
  SyscallError,
  void_,
  WindowsError,
} from "../../mod.ts";
import { underWine } from "./_helpers.ts";

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

test("errnoName() names the common Windows error codes, and says 'Windows error N' for the others", () => {
  // Each was reported as "ERROR_<code>", a name Windows does not have.
  assert.equal(errnoName(206), "ERROR_FILENAME_EXCED_RANGE");
  assert.equal(errnoName(32), "ERROR_SHARING_VIOLATION");
  assert.equal(errnoName(258), "WAIT_TIMEOUT");
  assert.equal(errnoName(998), "ERROR_NOACCESS");
  assert.equal(errnoName(1460), "ERROR_TIMEOUT");
  // Bit 29 marks application-defined codes: Windows has no name for them, and the toolkit invents none.
  assert.equal(errnoName(0x2000_0001), "Windows error 536870913");
  const error = new SyscallError("F", 0x2000_0001, errnoName(0x2000_0001), errnoMessage(0x2000_0001));
  assert.equal(error.code, "Windows error 536870913");
  assert.equal(
    error.message,
    "F failed: Windows error 536870913 (536870913): the system has no text for this code",
  );
}, { ignore });

// The codes of WindowsError that Wine 10's message table has no text for (Windows has one for each).
const NO_TEXT_UNDER_WINE = [222, 223, 225, 226, 229, 258, 302, 303, 318, 577, 740];

test("WindowsError holds real system error codes: FormatMessageW has a text for each", () => {
  const missing = Object.values(WindowsError).filter((code) =>
    errnoMessage(code) === "the system has no text for this code"
  );
  assert.deepEqual(missing, underWine() ? NO_TEXT_UNDER_WINE : []);
  // And the names are unique per code.
  const codes = Object.values(WindowsError);
  assert.equal(new Set(codes).size, codes.length);
}, { ignore });

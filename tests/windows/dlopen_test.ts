// dlopen's systemOnly loading on Windows (run under Wine by windows/wine/run.sh): the system directory is the
// one Windows reports, never what the environment says.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "../harness.ts";
import {
  buffer,
  dlopen,
  DWORD,
  LibraryNotFoundError,
  LPCWSTR,
  readWString,
  systemLibraryDirectories,
  UINT,
  wstring,
} from "../../mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

/** GetSystemDirectoryW, bound without systemOnly so that the check does not use what it checks. */
function systemDirectory(): string {
  using k = dlopen("kernel32.dll", {
    // UINT GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize);
    GetSystemDirectoryW: { args: [buffer, UINT], returns: UINT, fails: 0 },
  });
  const units = new Uint16Array(1024);
  k.symbols.GetSystemDirectoryW(units, units.length);
  return readWString(units);
}

/** Runs `body` with %SystemRoot% (and %windir%) pointing at `root`, as a hostile parent process could. */
function withSystemRoot<T>(root: string, body: () => T): T {
  const saved = { SystemRoot: process.env.SystemRoot, windir: process.env.windir };
  process.env.SystemRoot = root;
  process.env.windir = root;
  try {
    return body();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

test("dlopen() with systemOnly does not load a DLL planted under a fake %SystemRoot%", () => {
  const real = systemDirectory();
  const root = mkdtempSync(join(tmpdir(), "ffikit-root-"));
  const planted = `ffikit-planted-${process.pid}.dll`;
  try {
    mkdirSync(join(root, "System32"));
    // A working DLL under a name the real system directory does not have: loading it would succeed.
    copyFileSync(`${real}\\version.dll`, join(root, "System32", planted));
    const table = {
      // DWORD GetFileVersionInfoSizeW(LPCWSTR lptstrFilename, LPDWORD lpdwHandle);
      GetFileVersionInfoSizeW: { args: [LPCWSTR, buffer], returns: DWORD },
    } as const;
    withSystemRoot(root, () => {
      assert.throws(() => dlopen(planted, table, { systemOnly: true }), (error: unknown) => {
        assert.ok(error instanceof LibraryNotFoundError, String(error));
        assert.deepEqual(error.searched, [real]);
        return true;
      });
      assert.deepEqual(systemLibraryDirectories(), [real]);
      // The real system DLL of that name still loads, from the real directory.
      using version = dlopen("version.dll", table, { systemOnly: true });
      assert.equal(version.path.toLowerCase(), `${real}\\version.dll`.toLowerCase());
      assert.ok(version.symbols.GetFileVersionInfoSizeW(wstring(`${real}\\kernel32.dll`), null) > 0);
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, { ignore });

test("dlopen() with systemOnly loads system DLLs from GetSystemDirectoryW's directory", () => {
  const real = systemDirectory();
  assert.deepEqual(systemLibraryDirectories(), [real]);
  using iphlpapi = dlopen("iphlpapi.dll", {
    GetExtendedTcpTable: { args: [buffer, buffer, UINT, UINT, UINT, UINT], returns: DWORD },
  }, { systemOnly: true, lazy: true });
  assert.equal(iphlpapi.path.toLowerCase(), `${real}\\iphlpapi.dll`.toLowerCase());
  const size = new Uint32Array(1);
  assert.equal(iphlpapi.symbols.GetExtendedTcpTable(null, size, 0, 2, 5, 0), 122);
  assert.throws(
    () => dlopen("ffikit-no-such-library.dll", {}, { systemOnly: true }),
    (error: unknown) => error instanceof LibraryNotFoundError && error.searched[0] === real,
  );
}, { ignore });

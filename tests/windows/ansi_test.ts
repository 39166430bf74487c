// What LPCSTR and LPSTR document, checked on Windows (run under Wine by windows/wine/run.sh): an "A" function
// reads and writes the ANSI code page, while cstring() writes and readCString() reads UTF-8.
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import {
  BOOL,
  cstring,
  dlopen,
  DWORD,
  LPCSTR,
  LPCWSTR,
  LPSTR,
  LPWSTR,
  readCString,
  readWString,
  UINT,
  wstring,
} from "../../mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

test(
  "LPCSTR and LPSTR: only ASCII reads the same through an ANSI function; other text needs the W one",
  () => {
    using k = dlopen("kernel32.dll", {
      GetACP: { args: [], returns: UINT }, // UINT GetACP(void);
      SetEnvironmentVariableA: { args: [LPCSTR, LPCSTR], returns: BOOL, fails: 0 },
      SetEnvironmentVariableW: { args: [LPCWSTR, LPCWSTR], returns: BOOL, fails: 0 },
      GetEnvironmentVariableA: { args: [LPCSTR, LPSTR, DWORD], returns: DWORD, fails: 0 },
      GetEnvironmentVariableW: { args: [LPCWSTR, LPWSTR, DWORD], returns: DWORD, fails: 0 },
    }, { systemOnly: true });
    const roundTrip = (text: string) => {
      k.symbols.SetEnvironmentVariableA(cstring("FFIKIT_ANSI"), cstring(text));
      const wide = new Uint16Array(64);
      k.symbols.GetEnvironmentVariableW(wstring("FFIKIT_ANSI"), wide, wide.length);
      k.symbols.SetEnvironmentVariableW(wstring("FFIKIT_ANSI"), wstring(text));
      const narrow = new Uint8Array(64);
      k.symbols.GetEnvironmentVariableA(cstring("FFIKIT_ANSI"), narrow, narrow.length);
      return { wide: readWString(wide), narrow: readCString(narrow) };
    };
    assert.deepEqual(roundTrip("plain ASCII ~ 123"), {
      wide: "plain ASCII ~ 123",
      narrow: "plain ASCII ~ 123",
    });
    if (k.symbols.GetACP() === 1252) {
      // UTF-8's two bytes of é read as two 1252 characters, and 1252's one byte of é is not UTF-8.
      assert.deepEqual(roundTrip("café"), { wide: "cafÃ©", narrow: "caf\ufffd" });
    }
    // The W functions carry any text.
    k.symbols.SetEnvironmentVariableW(wstring("FFIKIT_ANSI"), wstring("café 名前 🙂"));
    const wide = new Uint16Array(64);
    k.symbols.GetEnvironmentVariableW(wstring("FFIKIT_ANSI"), wide, wide.length);
    assert.equal(readWString(wide), "café 名前 🙂");
  },
  { ignore },
);

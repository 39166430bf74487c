/**
 * Where a library is looked for: the system library directories, the Windows system directory, and the list of
 * places a `LibraryNotFoundError` names.
 *
 * @module
 */
import { backend } from "./_backend.ts";
import { envVar, requireSystem } from "./_system.ts";
import { errnoName } from "./errno.ts";
import { LibraryNotFoundError } from "./errors.ts";
import { wstring } from "./strings.ts";

/**
 * `path.resolve` of a name with a separator, without `node:path` (not loaded on Deno: see `Backend.exists`):
 * the current directory in front of a relative path, `.` and `..` steps taken.
 */
function absolutePath(name: string): string {
  const windows = backend.os === "windows";
  const rooted = windows ? /^([A-Za-z]:)?[\\/]|^\\\\/.test(name) : name.startsWith("/");
  const full = rooted ? name : `${backend.cwd()}${windows ? "\\" : "/"}${name}`;
  const parts = full.split(windows ? /[\\/]/ : "/");
  const out: string[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === "." || (part === "" && i > 0 && i < parts.length)) continue;
    if (part === ".." && out.length > 1) out.pop();
    else if (part !== "..") out.push(part);
  }
  return out.length === 1 && out[0] === "" ? "/" : out.join(windows ? "\\" : "/");
}

function linuxTriplet(): string {
  return backend.arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
}

// LoadLibraryExW's flag: look for the DLL and the DLLs it imports in the system directory only (libloaderapi.h).
const LOAD_LIBRARY_SEARCH_SYSTEM32 = 0x800;
let windowsSystemDirectoryFound: string | undefined;

/**
 * The Windows system directory, as kernel32's `GetSystemDirectoryW` reports it. Not `%SystemRoot%`: the
 * environment is whatever the parent process chose, and a DLL planted under a fake SystemRoot was loaded
 * (tests/windows/dlopen_test.ts). kernel32.dll is bound by its bare name, which cannot be redirected: it is one
 * of the Known DLLs, mapped into every process before its code runs, and a bare name resolves to the module
 * already loaded (Microsoft's "Dynamic-link library search order").
 */
function windowsSystemDirectory(): string {
  if (windowsSystemDirectoryFound !== undefined) return windowsSystemDirectoryFound;
  const get = requireSystem("kernel32.dll", "GetSystemDirectoryW", {
    args: ["buffer", "u32"],
    returns: "u32",
  });
  let units = new Uint16Array(261);
  let length = get(units, units.length) as number;
  // A result larger than the buffer is the size needed, counting the terminating NUL.
  if (length > units.length) {
    units = new Uint16Array(length);
    length = get(units, units.length) as number;
  }
  if (length === 0 || length >= units.length) {
    throw new Error(`Cannot find the Windows system directory: GetSystemDirectoryW returned ${length}`);
  }
  return windowsSystemDirectoryFound = String.fromCharCode(...units.subarray(0, length));
}

// The system libraries mapped with LOAD_LIBRARY_SEARCH_SYSTEM32 (lower-case paths).
const mappedFromSystem = new Set<string>();

/**
 * Maps a library of the Windows system directory as Go's `NewLazySystemDLL` does: `LoadLibraryExW` with
 * `LOAD_LIBRARY_SEARCH_SYSTEM32`, so that the DLLs it imports are looked for in the system directory only, not
 * in the executable's directory, the current directory or `PATH`. The runtime's own load of the same path then
 * finds it mapped. This reference is never released: the library stays mapped for the life of the process.
 */
export function mapFromSystemDirectory(path: string, name: string): void {
  const key = path.toLowerCase();
  if (mappedFromSystem.has(key)) return;
  const load = requireSystem("kernel32.dll", "LoadLibraryExW", {
    args: ["buffer", "pointer", "u32"],
    returns: "pointer",
  });
  // Bound before the call, so that nothing runs between the failure and reading its code.
  const lastError = requireSystem("kernel32.dll", "GetLastError", { args: [], returns: "u32" });
  if (load(wstring(path), null, LOAD_LIBRARY_SEARCH_SYSTEM32) === null) {
    const code = lastError() as number;
    throw new LibraryNotFoundError(name, [windowsSystemDirectory()], {
      reason: `LoadLibraryExW(LOAD_LIBRARY_SEARCH_SYSTEM32) failed: ${errnoName(code)} (${code})`,
    });
  }
  mappedFromSystem.add(key);
}

/**
 * The directories `systemOnly` loading searches, in order: the platform's system library directories.
 *
 * @returns Absolute directory paths; on Windows, the one `GetSystemDirectoryW` reports.
 */
export function systemLibraryDirectories(): string[] {
  if (backend.os === "windows") return [windowsSystemDirectory()];
  if (backend.os === "darwin") return ["/usr/lib", "/System/Library/Frameworks"];
  const triplet = linuxTriplet();
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];
}

/** Where the loader looks for a library by this name or path, for a `LibraryNotFoundError`. */
export function defaultSearch(name: string): string[] {
  if (/[\\/]/.test(name)) return [absolutePath(name)];
  if (backend.os === "windows") {
    return ["the executable's directory", ...systemLibraryDirectories(), "the current directory", "PATH"];
  }
  const variable = backend.os === "darwin" ? "DYLD_LIBRARY_PATH" : "LD_LIBRARY_PATH";
  const fromEnv = (envVar(variable) ?? "").split(":").filter(Boolean).map((d) => `${variable} ${d}`);
  const cache = backend.os === "linux" ? ["/etc/ld.so.cache"] : [];
  return [...fromEnv, ...cache, ...systemLibraryDirectories()];
}

/** The path of a `systemOnly` library: the first system library directory that holds it. */
export function locateSystemLibrary(name: string): string {
  // A drive-relative "C:x.dll" is a path on Windows too (Go's isBaseName refuses ':' as well).
  if (/[\\/]/.test(name) || (backend.os === "windows" && name.includes(":"))) {
    throw new TypeError(`Cannot load "${name}" with systemOnly: expected a bare library name, not a path`);
  }
  const directories = systemLibraryDirectories();
  for (const directory of directories) {
    const candidate = backend.os === "windows" ? `${directory}\\${name}` : `${directory}/${name}`;
    if (backend.exists(candidate)) return candidate;
  }
  throw new LibraryNotFoundError(name, directories);
}

/** The backend's error for a library it could not load, with where the loader looked added. */
export function withSearch(error: unknown, searched: string[]): unknown {
  if (!(error instanceof LibraryNotFoundError)) return error;
  const options = error.reason === undefined
    ? { cause: error.cause }
    : { cause: error.cause, reason: error.reason };
  return new LibraryNotFoundError(error.library, searched, options);
}

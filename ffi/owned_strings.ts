/**
 * Results the caller must free: a string C allocated for the caller (`strdup`, `realpath(path, NULL)`,
 * `getcwd(NULL, 0)`, `sqlite3_mprintf`, `FormatMessageW` with `FORMAT_MESSAGE_ALLOCATE_BUFFER`), read into a
 * JavaScript string and then handed to the deallocator the declaration names, in the same call, so that the
 * pointer never reaches JavaScript (koffi's disposable types).
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";

/** How an owned string's characters are stored. */
export type OwnedStringEncoding = "utf8" | "utf16" | "wchar";

/** A deallocator: a symbol of the same library, by its C name, or a function that takes the pointer. */
export type Deallocator = string | ((pointer: Pointer) => unknown);

/** A result type: a `char *` (or `wchar_t *` on Windows) the caller must free, read as a string. */
export interface OwnedStringType {
  /** Tells an owned string from the other result types. */
  readonly kind: "owned";
  /** The name shown in errors, e.g. `"char * freed by free"`. */
  readonly name: string;
  /** How the characters are stored. */
  readonly encoding: OwnedStringEncoding;
  /** What frees the memory once it is read. */
  readonly free: Deallocator;
}

function checkDeallocator(free: unknown, what: string): void {
  if (typeof free === "function") return;
  if (typeof free !== "string" || free === "" || free.includes("\0")) {
    throw new TypeError(
      `Cannot declare ${what}: expected a deallocator, a C symbol name ("free") or a function, got ${
        typeof free === "string" ? JSON.stringify(free) : typeof free
      }`,
    );
  }
}

function owned(encoding: OwnedStringEncoding, free: Deallocator, c: string): OwnedStringType {
  checkDeallocator(free, `a ${c} result`);
  const by = typeof free === "string" ? free : free.name || "a function";
  return Object.freeze({ kind: "owned", name: `${c} freed by ${by}`, encoding, free });
}

/**
 * The result type of a `char *` the caller must free: the call returns the UTF-8 string (or `null` for a NULL
 * result) and has already passed the pointer to `free`, which never runs for NULL. A symbol name is bound from
 * the same library when the function is (so a missing one fails `dlopen`); a function is called as it is, e.g.
 * another library's `free`.
 *
 * @param free The deallocator: `"free"`, `"sqlite3_free"`, or a function taking the pointer.
 * @returns The result type.
 * @throws {TypeError} When `free` is neither a C symbol name nor a function.
 *
 * @example strdup's copy, read and freed
 * ```ts
 * import { cstring, cstringArg, dlopen, ownedCString } from "../mod.ts";
 * using libc = dlopen("libc.so.6", {
 *   strdup: { args: [cstringArg], returns: ownedCString("free") }, // char *strdup(const char *s)
 * });
 * console.log(libc.symbols.strdup(cstring("héllo"))); // "héllo"
 * ```
 */
export function ownedCString(free: Deallocator): OwnedStringType {
  return owned("utf8", free, "char *");
}

/**
 * The result type of a NUL-terminated UTF-16 string (Windows `LPWSTR`, `char16_t *`) the caller must free, as
 * `ownedCString` for `char *`: `FormatMessageW`'s buffer freed by `LocalFree`, `StringFromCLSID`'s by
 * `CoTaskMemFree`.
 *
 * @param free The deallocator: `"LocalFree"`, or a function taking the pointer.
 * @returns The result type.
 * @throws {TypeError} When `free` is neither a C symbol name nor a function.
 */
export function ownedWString(free: Deallocator): OwnedStringType {
  return owned("utf16", free, "UTF-16 string");
}

/**
 * The result type of a NUL-terminated `wchar_t` string (UTF-32 on Linux and macOS, UTF-16 on Windows) the
 * caller must free, as `ownedCString` for `char *`: `wcsdup`'s copy freed by `free`.
 *
 * @param free The deallocator: `"free"`, or a function taking the pointer.
 * @returns The result type.
 * @throws {TypeError} When `free` is neither a C symbol name nor a function.
 */
export function ownedWcharString(free: Deallocator): OwnedStringType {
  return owned("wchar", free, "wchar_t *");
}

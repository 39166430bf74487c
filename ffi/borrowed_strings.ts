/**
 * Results the library keeps: a `const char *` that stays the library's (`sqlite3_column_text`, `strerror`,
 * `getenv`, `dlerror`, `zlibVersion`), read into a JavaScript string in the call, so that the pointer never
 * reaches JavaScript (koffi's `const char *` result, `bun:ffi`'s `cstring`). The string is copied at once: what
 * the library does with its memory after the call (the next `sqlite3_step`) cannot change it.
 *
 * @module
 */

/** A result type: a `const char *` the library keeps, read as a string in the call. */
export interface BorrowedStringType {
  /** Tells a borrowed string from the other result types. */
  readonly kind: "borrowed";
  /** The name shown in errors: `"const char *"`. */
  readonly name: string;
}

/**
 * The result type of a `const char *` the library keeps: the call returns the UTF-8 string as `readCString`
 * would read it, or `null` for a NULL result, and makes no pointer. Reading the string in the call spares the
 * pointer object a `pointer` result makes (on Bun a box per call: bench/probes/sqlite_select_rounds.ts). A
 * string the caller must free is `ownedCString("free")` instead.
 *
 * @example strerror's text
 * ```ts
 * import { borrowedCString, dlopen, int } from "../mod.ts";
 * using libc = dlopen("libc.so.6", {
 *   strerror: { args: [int], returns: borrowedCString }, // char *strerror(int errnum)
 * });
 * console.log(libc.symbols.strerror(2)); // "No such file or directory"
 * ```
 */
export const borrowedCString: BorrowedStringType = Object.freeze({ kind: "borrowed", name: "const char *" });

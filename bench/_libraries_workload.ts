/**
 * The work of the libraries suite, shared by its three kinds of contestant (the toolkit, a raw runtime binding
 * of the same system library, the runtime's built-in driver): the rows inserted into SQLite and the bytes
 * given to zlib, each contestant's interface, and the checks of their answers.
 *
 * @module
 */

/** The system libraries bound by the toolkit and by the raw bindings (Debian's libsqlite3-0 and zlib1g). */
export const SQLITE_LIBRARY = "libsqlite3.so.0";
export const ZLIB_LIBRARY = "libz.so.1";

/** The group titles, used by the summary and the dashboard too. */
export const LIBRARY_GROUPS = Object.freeze({
  sqliteInsert: "sqlite3: prepared inserts in one transaction",
  sqliteSelect: "sqlite3: select all rows, read two text columns",
  zlibCompress: "zlib: compress",
  zlibDecompress: "zlib: decompress",
});

/** Rows inserted and selected, and bytes compressed, per mode. */
export const LIBRARY_SIZES: Readonly<Record<"quick" | "full", { rows: number; bytes: number }>> = {
  quick: { rows: 1000, bytes: 64 * 1024 },
  full: { rows: 10_000, bytes: 1 << 20 },
};

/** zlib's default level, which `node:zlib` uses too. */
export const ZLIB_LEVEL = 6;

/** The table every sqlite contestant fills, and its statements. */
export const SQL = Object.freeze({
  create: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)",
  insert: "INSERT INTO people (id, name, email) VALUES (?, ?, ?)",
  select: "SELECT name, email FROM people ORDER BY id",
});

/** Row `i`'s name: one in seven is not ASCII, so that every reader decodes UTF-8. */
export function nameOf(i: number): string {
  return i % 7 === 0 ? `Zoë Ångström ${i}` : `user ${i}`;
}

/** Row `i`'s e-mail address. */
export function emailOf(i: number): string {
  return `user${i}@example.org`;
}

/** An in-memory database with the `people` table, as one contestant binds SQLite. */
export interface SqliteContestant {
  /**
   * Empties the table and inserts rows 0 to `n - 1` (id, name, email) through one prepared statement, in
   * one transaction.
   *
   * @returns The rows inserted.
   */
  insert(n: number): number;
  /** Selects every row in id order; returns the names and e-mails, alternating. */
  selectAll(): string[];
  close(): void;
}

/** zlib as one contestant binds it: zlib-format streams (`compress2`, `uncompress`, `deflateSync`). */
export interface ZlibContestant {
  compress(input: Uint8Array): Uint8Array;
  /** Decompresses a stream whose original size the caller knows, as a file format would record it. */
  decompress(compressed: Uint8Array, size: number): Uint8Array;
  close(): void;
}

/**
 * Deterministic, compressible text of `size` bytes: words drawn by a linear congruential generator, so that
 * zlib has real matching to do (neither all zeros nor noise).
 */
export function zlibInput(size: number): Uint8Array<ArrayBuffer> {
  const words = ["struct", "pointer", "layout", "offset", "runtime", "deno", "bun", "buffer", "row", "call"];
  const out = new Uint8Array(size);
  let state = 12345;
  let at = 0;
  while (at < size) {
    state = (state * 1103515245 + 12345) >>> 0;
    const word = words[state % words.length]!;
    for (let i = 0; i < word.length && at < size; i++) out[at++] = word.charCodeAt(i);
    if (at < size) out[at++] = (state >>> 8) % 11 === 0 ? 10 : 32;
  }
  return out;
}

/**
 * Checks a select's answer: every row, in order, with both text columns as inserted.
 *
 * @returns A message when it is wrong.
 */
export function checkRows(result: unknown, rows: number): string | undefined {
  if (!Array.isArray(result)) return `${typeof result}, expected an array of names and e-mails`;
  if (result.length !== 2 * rows) return `${result.length / 2} rows, expected ${rows}`;
  for (let i = 0; i < rows; i++) {
    if (result[2 * i] !== nameOf(i)) return `row ${i} has name ${JSON.stringify(result[2 * i])}`;
    if (result[2 * i + 1] !== emailOf(i)) return `row ${i} has e-mail ${JSON.stringify(result[2 * i + 1])}`;
  }
  return undefined;
}

/**
 * Checks compressed bytes: a zlib stream (header 0x78) well smaller than the input and not absurdly small.
 * That they decompress to the input is checked by the decompress group, which each contestant feeds with its
 * own compressed bytes.
 *
 * @returns A message when it is wrong.
 */
export function checkCompressed(result: unknown, size: number): string | undefined {
  if (!(result instanceof Uint8Array)) return `${typeof result}, expected a Uint8Array`;
  if (result[0] !== 0x78) return `the stream starts with ${result[0]}, expected a zlib header (0x78)`;
  // The words above compress to about a third; 1/100 would mean bytes were lost, 1/2 that nothing matched.
  if (result.length >= size / 2 || result.length <= size / 100) {
    return `${result.length} compressed bytes for ${size}, expected between ${size / 100} and ${size / 2}`;
  }
  return undefined;
}

/**
 * Checks decompressed bytes against the input.
 *
 * @returns A message when it is wrong.
 */
export function checkRoundTrip(result: unknown, input: Uint8Array): string | undefined {
  if (!(result instanceof Uint8Array)) return `${typeof result}, expected a Uint8Array`;
  if (result.length !== input.length) return `${result.length} bytes, expected ${input.length}`;
  for (let i = 0; i < input.length; i++) {
    if (result[i] !== input[i]) return `byte ${i} is ${result[i]}, expected ${input[i]}`;
  }
  return undefined;
}

/** SQLite's result codes the contestants test for. */
export const SQLITE_OK = 0;
export const SQLITE_ROW = 100;
export const SQLITE_DONE = 101;
/** `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`. */
export const SQLITE_OPEN_FLAGS = 0x2 | 0x4;
/** `SQLITE_TRANSIENT`, `(sqlite3_destructor_type)-1`: SQLite copies the text before the call returns. */
export const SQLITE_TRANSIENT = -1n;

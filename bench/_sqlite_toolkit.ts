/**
 * SQLite bound with the toolkit's `dlopen`, as a user of ffikit would write it: the symbol table as data with
 * the C declarations beside it, `cstring()` for SQL, `readCString()` for text results. The bound values are
 * encoded as the raw binding encodes them (`encodeInto()` one reused buffer, the length passed), so that the
 * two differ only in the binding; `cstring()` per value cost Bun about 80 ns more per value (issue 22's report).
 * The loops repeat `_sqlite_raw.ts`'s on purpose: one loop shared by both bindings would share the engine's type
 * feedback too, and time both through a polymorphic call site that neither hand-written binding has.
 *
 * @module
 */
import {
  borrowedCString,
  buffer,
  cstring,
  cstringArg,
  dlopen,
  functionPointer,
  int,
  isize,
  type Library,
  type Pointer,
  pointer,
  readCString,
  unsafePointerFromAddress,
} from "../mod.ts";
import {
  emailOf,
  nameOf,
  SQL,
  SQLITE_DONE,
  SQLITE_LIBRARY,
  SQLITE_OK,
  SQLITE_OPEN_FLAGS,
  SQLITE_ROW,
  SQLITE_TRANSIENT,
  type SqliteContestant,
} from "./_libraries_workload.ts";

const symbols = {
  // int sqlite3_open_v2(const char *filename, sqlite3 **ppDb, int flags, const char *zVfs)
  sqlite3_open_v2: { args: [cstringArg, buffer, int, cstringArg], returns: int },
  sqlite3_close_v2: { args: [pointer], returns: int }, // int sqlite3_close_v2(sqlite3 *)
  sqlite3_errmsg: { args: [pointer], returns: pointer }, // const char *sqlite3_errmsg(sqlite3 *)
  // int sqlite3_exec(sqlite3 *, const char *sql, int (*callback)(void *, int, char **, char **), void *, char **errmsg)
  sqlite3_exec: { args: [pointer, cstringArg, functionPointer, pointer, buffer], returns: int },
  // int sqlite3_prepare_v2(sqlite3 *db, const char *zSql, int nByte, sqlite3_stmt **ppStmt, const char **pzTail)
  sqlite3_prepare_v2: { args: [pointer, cstringArg, int, buffer, buffer], returns: int },
  sqlite3_bind_int: { args: [pointer, int, int], returns: int }, // int sqlite3_bind_int(sqlite3_stmt *, int, int)
  // int sqlite3_bind_text(sqlite3_stmt *, int, const char *, int nBytes, void (*destructor)(void *)); the
  // destructor as an integer, since SQLITE_TRANSIENT is the address -1
  sqlite3_bind_text: { args: [pointer, int, buffer, int, isize], returns: int },
  sqlite3_step: { args: [pointer], returns: int }, // int sqlite3_step(sqlite3_stmt *)
  sqlite3_reset: { args: [pointer], returns: int }, // int sqlite3_reset(sqlite3_stmt *)
  sqlite3_finalize: { args: [pointer], returns: int }, // int sqlite3_finalize(sqlite3_stmt *)
  // const unsigned char *sqlite3_column_text(sqlite3_stmt *, int iCol): SQLite's own until the next step, read in
  // the call (a text column is never NULL here: NOT NULL)
  sqlite3_column_text: { args: [pointer, int], returns: borrowedCString },
} as const;

// The text column as a pointer read by readCString(), as the binding read it before borrowedCString:
// bench/probes/sqlite_select_rounds.ts sets the two against each other.
const columnTextPointer = {
  sqlite3_column_text_pointer: { symbol: "sqlite3_column_text", args: [pointer, int], returns: pointer },
} as const;

let library: Library<typeof symbols & typeof columnTextPointer> | undefined;

/**
 * Opens an in-memory database with the `people` table, through the toolkit.
 *
 * @param text How the select reads its text columns: `borrowedCString` results (the suite's), or pointers read
 * with `readCString()` (for bench/probes/sqlite_select_rounds.ts).
 * @returns The contestant.
 * @throws {Error} With SQLite's message when a call fails.
 */
export function openToolkitSqlite(text: "borrowed" | "pointer" = "borrowed"): SqliteContestant {
  library ??= dlopen(SQLITE_LIBRARY, { ...symbols, ...columnTextPointer });
  const s = library.symbols;
  const out = new BigUint64Array(1);
  const encoder = new TextEncoder();
  const scratch = new Uint8Array(4096);
  const ok = (rc: number, what: string): void => {
    if (rc !== SQLITE_OK) {
      throw new Error(`Cannot ${what}: SQLite says ${rc} (${readCString(s.sqlite3_errmsg(db)!)})`);
    }
  };
  const rc = s.sqlite3_open_v2(cstring(":memory:"), out, SQLITE_OPEN_FLAGS, null);
  const db = unsafePointerFromAddress(out[0]!);
  if (rc !== SQLITE_OK || db === null) throw new Error(`Cannot open an in-memory SQLite database: ${rc}`);
  const exec = (sql: string): void => ok(s.sqlite3_exec(db, cstring(sql), null, null, null), sql);
  const prepare = (sql: string): Pointer => {
    ok(s.sqlite3_prepare_v2(db, cstring(sql), -1, out, null), `prepare ${sql}`);
    return unsafePointerFromAddress(out[0]!)!;
  };
  exec(SQL.create);
  const { sqlite3_bind_int, sqlite3_bind_text, sqlite3_step, sqlite3_reset, sqlite3_column_text } = s;
  return {
    insert(n) {
      exec("BEGIN");
      exec("DELETE FROM people");
      const statement = prepare(SQL.insert);
      let inserted = 0;
      for (let i = 0; i < n; i++) {
        sqlite3_bind_int(statement, 1, i);
        // SQLITE_TRANSIENT: SQLite copies the text during the call, so one scratch buffer serves both.
        sqlite3_bind_text(
          statement,
          2,
          scratch,
          encoder.encodeInto(nameOf(i), scratch).written,
          SQLITE_TRANSIENT,
        );
        sqlite3_bind_text(
          statement,
          3,
          scratch,
          encoder.encodeInto(emailOf(i), scratch).written,
          SQLITE_TRANSIENT,
        );
        if (sqlite3_step(statement) === SQLITE_DONE) inserted++;
        sqlite3_reset(statement);
      }
      s.sqlite3_finalize(statement);
      exec("COMMIT");
      return inserted;
    },
    selectAll() {
      const statement = prepare(SQL.select);
      const rows: string[] = [];
      while (sqlite3_step(statement) === SQLITE_ROW) {
        if (text === "borrowed") {
          rows.push(sqlite3_column_text(statement, 0)!, sqlite3_column_text(statement, 1)!);
        } else {
          rows.push(
            readCString(s.sqlite3_column_text_pointer(statement, 0)!),
            readCString(s.sqlite3_column_text_pointer(statement, 1)!),
          );
        }
      }
      s.sqlite3_finalize(statement);
      return rows;
    },
    close() {
      s.sqlite3_close_v2(db);
    },
  };
}

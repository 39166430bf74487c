/**
 * The generated sqlite3 module at work: open `:memory:`, prepare, step and read columns, with every function
 * from the symbol table bindgen wrote from `sqlite3.h`; the values are SQLite's own arithmetic and text.
 */
import assert from "node:assert/strict";
import { cstring, type Pointer, pointer, readCString, struct } from "../../mod.ts";
import { test } from "../harness.ts";
import { EXAMPLES, missingHeader } from "./_examples.ts";

const missing = missingHeader(EXAMPLES.find((e) => e.name === "sqlite3")!);
// `sqlite3 **` and `sqlite3_stmt **`: one pointer that the call fills.
const out = struct({ value: pointer });

if (missing) {
  test("the generated sqlite3 module", () => {}, { ignore: missing });
} else {
  const sqlite = await import("../../examples/sqlite3/sqlite3.ts");

  test("the generated sqlite3 module opens :memory:, prepares, steps and reads columns", () => {
    using library = sqlite.open();
    const s = library.symbols;
    const handle = new Uint8Array(out.size);
    assert.equal(s.sqlite3_open(cstring(":memory:"), handle), sqlite.SQLITE_OK);
    const db = out.read(handle).value as Pointer;
    try {
      const statement = new Uint8Array(out.size);
      const sql = "select 40 + 2, upper('bindgen'), 1 << 40";
      assert.equal(s.sqlite3_prepare_v2(db, cstring(sql), -1, statement, null), sqlite.SQLITE_OK);
      const stmt = out.read(statement).value as Pointer;
      try {
        assert.equal(s.sqlite3_column_count(stmt), 3);
        assert.equal(s.sqlite3_step(stmt), sqlite.SQLITE_ROW);
        assert.equal(s.sqlite3_column_int(stmt, 0), 42);
        assert.equal(s.sqlite3_column_type(stmt, 0), sqlite.SQLITE_INTEGER);
        assert.equal(readCString(s.sqlite3_column_text(stmt, 1)!), "BINDGEN");
        assert.equal(s.sqlite3_column_int64(stmt, 2), 1n << 40n);
        assert.equal(s.sqlite3_step(stmt), sqlite.SQLITE_DONE);
      } finally {
        s.sqlite3_finalize(stmt);
      }
      assert.equal(
        s.sqlite3_prepare_v2(db, cstring("select nope"), -1, statement, null),
        sqlite.SQLITE_ERROR,
      );
      assert.match(readCString(s.sqlite3_errmsg(db)!), /no such column: nope/);
    } finally {
      assert.equal(s.sqlite3_close(db), sqlite.SQLITE_OK);
    }
    assert.equal(s.sqlite3_libversion_number(), sqlite.SQLITE_VERSION_NUMBER);
  });
}

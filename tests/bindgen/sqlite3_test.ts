/**
 * The generated sqlite3 module at work: open `:memory:`, prepare, step and read columns, with every function
 * from the symbol table bindgen wrote from `sqlite3.h`; the values are SQLite's own arithmetic and text. Its
 * variadic functions (`sqlite3_mprintf`, `sqlite3_snprintf`) format as C's printf does (and as `%q` is
 * documented), and its global `sqlite3_version` is the text `sqlite3_libversion()` returns.
 */
import assert from "node:assert/strict";
import { cstring, cstringArg, f64, i32, i64, type Pointer, pointer, readCString, struct } from "../../mod.ts";
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

  test("the generated sqlite3 module calls variadic sqlite3_mprintf and sqlite3_snprintf as printf formats", () => {
    using library = sqlite.open();
    const s = library.symbols;
    const formatted = s.sqlite3_mprintf(
      [i32, cstringArg, f64, i64, cstringArg],
      cstring("%d %s %.3f %lld %q"),
      -42,
      cstring("bindgen"),
      2.5,
      1n << 40n,
      cstring("it's"),
    );
    assert.ok(formatted !== null);
    try {
      assert.equal(readCString(formatted), "-42 bindgen 2.500 1099511627776 it''s");
    } finally {
      s.sqlite3_free(formatted);
    }
    // Nine doubles: more than the eight vector registers, so the last goes on the stack.
    const nine = s.sqlite3_snprintf.shape(f64, f64, f64, f64, f64, f64, f64, f64, f64);
    const buffer = new Uint8Array(64);
    nine(buffer.length, buffer, cstring("%g %g %g %g %g %g %g %g %g"), 1, 2, 3, 4.5, 5, 6, 7, 8, 9.25);
    assert.equal(readCString(buffer), "1 2 3 4.5 5 6 7 8 9.25");
    // sqlite3_snprintf truncates to the size given, NUL included.
    nine(8, buffer, cstring("%g %g %g %g %g %g %g %g %g"), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assert.equal(readCString(buffer), "1 2 3 4");
  });

  test("the generated sqlite3 module reads the global sqlite3_version and sqlite3_temp_directory", () => {
    using library = sqlite.open();
    const s = library.symbols;
    const version = readCString(s.sqlite3_version);
    assert.match(version, /^3\.\d+\.\d+$/);
    assert.equal(version, readCString(s.sqlite3_libversion()!));
    const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
    assert.equal(major * 1_000_000 + minor * 1000 + patch, s.sqlite3_libversion_number());
    // A `char *` global is a view: SQLite leaves it NULL until an application sets it.
    assert.equal(s.sqlite3_temp_directory.value, null);
  });
}

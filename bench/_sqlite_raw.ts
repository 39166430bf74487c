/**
 * SQLite bound by hand with the runtime's own FFI (`Deno.dlopen`, `bun:ffi`), as a competent user writes it
 * without the toolkit: the same calls as `_sqlite_toolkit.ts`, text encoded with `TextEncoder.encodeInto()`
 * into one reused buffer (its length passed, so no NUL is needed: the careful way, as the calls suite's
 * strlen baseline; a fresh `encode()` per value cost about 1 µs on Deno) and read with the runtime's C string
 * reader (`Deno.UnsafePointerView.getCString`, `bun:ffi`'s `CString`).
 *
 * @module
 */
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

/** The calls, with each runtime's pointer: a `Deno.PointerObject` or a `bun:ffi` number. */
interface RawSqlite<P> {
  open(filename: Uint8Array, out: BigUint64Array, flags: number): number;
  close(db: P): number;
  errmsg(db: P): string;
  exec(db: P, sql: Uint8Array): number;
  prepare(db: P, sql: Uint8Array, out: BigUint64Array): number;
  pointerOf(address: bigint): P;
  bindInt(statement: P, index: number, value: number): number;
  bindText(statement: P, index: number, text: Uint8Array, length: number): number;
  step(statement: P): number;
  reset(statement: P): number;
  finalize(statement: P): number;
  columnText(statement: P, column: number): string;
}

interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
    symbols: Record<string, (...args: unknown[]) => unknown>;
  };
  CString: new (address: number) => { toString(): string };
}

// A specifier in a variable, so that `deno check` does not try to resolve Bun's built-in module.
const bunFfiSpecifier = "bun:ffi";

let deno: RawSqlite<Deno.PointerObject> | undefined;
let bun: RawSqlite<number> | undefined;

function bindDeno(): RawSqlite<Deno.PointerObject> {
  const { symbols: s } = Deno.dlopen(SQLITE_LIBRARY, {
    sqlite3_open_v2: { parameters: ["buffer", "buffer", "i32", "pointer"], result: "i32" },
    sqlite3_close_v2: { parameters: ["pointer"], result: "i32" },
    sqlite3_errmsg: { parameters: ["pointer"], result: "pointer" },
    sqlite3_exec: { parameters: ["pointer", "buffer", "pointer", "pointer", "pointer"], result: "i32" },
    sqlite3_prepare_v2: { parameters: ["pointer", "buffer", "i32", "buffer", "pointer"], result: "i32" },
    sqlite3_bind_int: { parameters: ["pointer", "i32", "i32"], result: "i32" },
    sqlite3_bind_text: { parameters: ["pointer", "i32", "buffer", "i32", "isize"], result: "i32" },
    sqlite3_step: { parameters: ["pointer"], result: "i32" },
    sqlite3_reset: { parameters: ["pointer"], result: "i32" },
    sqlite3_finalize: { parameters: ["pointer"], result: "i32" },
    sqlite3_column_text: { parameters: ["pointer", "i32"], result: "pointer" },
  });
  const getCString = Deno.UnsafePointerView.getCString;
  return {
    open: (filename, out, flags) => s.sqlite3_open_v2(filename, out, flags, null),
    close: (db) => s.sqlite3_close_v2(db),
    errmsg: (db) => getCString(s.sqlite3_errmsg(db)!),
    exec: (db, sql) => s.sqlite3_exec(db, sql, null, null, null),
    prepare: (db, sql, out) => s.sqlite3_prepare_v2(db, sql, -1, out, null),
    pointerOf: (address) => Deno.UnsafePointer.create(address)!,
    bindInt: s.sqlite3_bind_int,
    bindText: (statement, index, text, length) =>
      s.sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT),
    step: s.sqlite3_step,
    reset: s.sqlite3_reset,
    finalize: s.sqlite3_finalize,
    columnText: (statement, column) => getCString(s.sqlite3_column_text(statement, column)!),
  };
}

async function bindBun(): Promise<RawSqlite<number>> {
  const ffi: BunFfi = await import(bunFfiSpecifier);
  const { symbols: s } = ffi.dlopen(SQLITE_LIBRARY, {
    sqlite3_open_v2: { args: ["ptr", "ptr", "i32", "ptr"], returns: "i32" },
    sqlite3_close_v2: { args: ["ptr"], returns: "i32" },
    sqlite3_errmsg: { args: ["ptr"], returns: "ptr" },
    sqlite3_exec: { args: ["ptr", "ptr", "ptr", "ptr", "ptr"], returns: "i32" },
    sqlite3_prepare_v2: { args: ["ptr", "ptr", "i32", "ptr", "ptr"], returns: "i32" },
    sqlite3_bind_int: { args: ["ptr", "i32", "i32"], returns: "i32" },
    sqlite3_bind_text: { args: ["ptr", "i32", "ptr", "i32", "i64"], returns: "i32" },
    sqlite3_step: { args: ["ptr"], returns: "i32" },
    sqlite3_reset: { args: ["ptr"], returns: "i32" },
    sqlite3_finalize: { args: ["ptr"], returns: "i32" },
    sqlite3_column_text: { args: ["ptr", "i32"], returns: "ptr" },
  });
  type Call = (...args: unknown[]) => number;
  const call = (name: string): Call => s[name] as Call;
  const CString = ffi.CString;
  const bindText = call("sqlite3_bind_text");
  const columnText = call("sqlite3_column_text");
  return {
    open: (filename, out, flags) => call("sqlite3_open_v2")(filename, out, flags, null),
    close: call("sqlite3_close_v2"),
    errmsg: (db) => new CString(call("sqlite3_errmsg")(db)).toString(),
    exec: (db, sql) => call("sqlite3_exec")(db, sql, null, null, null),
    prepare: (db, sql, out) => call("sqlite3_prepare_v2")(db, sql, -1, out, null),
    pointerOf: (address) => Number(address),
    bindInt: call("sqlite3_bind_int"),
    bindText: (statement, index, text, length) => bindText(statement, index, text, length, SQLITE_TRANSIENT),
    step: call("sqlite3_step"),
    reset: call("sqlite3_reset"),
    finalize: call("sqlite3_finalize"),
    columnText: (statement, column) => new CString(columnText(statement, column)).toString(),
  };
}

function open<P>(raw: RawSqlite<P>): SqliteContestant {
  const encoder = new TextEncoder();
  const out = new BigUint64Array(1);
  const scratch = new Uint8Array(4096);
  if (raw.open(encoder.encode(":memory:\0"), out, SQLITE_OPEN_FLAGS) !== SQLITE_OK || out[0] === 0n) {
    throw new Error("Cannot open an in-memory SQLite database");
  }
  const db = raw.pointerOf(out[0]!);
  const ok = (rc: number, what: string): void => {
    if (rc !== SQLITE_OK) throw new Error(`Cannot ${what}: SQLite says ${rc} (${raw.errmsg(db)})`);
  };
  const exec = (sql: string): void => ok(raw.exec(db, encoder.encode(sql + "\0")), sql);
  const prepare = (sql: string): P => {
    ok(raw.prepare(db, encoder.encode(sql + "\0"), out), `prepare ${sql}`);
    return raw.pointerOf(out[0]!);
  };
  exec(SQL.create);
  const { bindInt, bindText, step, reset, columnText } = raw;
  return {
    insert(n) {
      exec("BEGIN");
      exec("DELETE FROM people");
      const statement = prepare(SQL.insert);
      let inserted = 0;
      for (let i = 0; i < n; i++) {
        bindInt(statement, 1, i);
        // SQLITE_TRANSIENT: SQLite copies the text during the call, so one scratch buffer serves both.
        bindText(statement, 2, scratch, encoder.encodeInto(nameOf(i), scratch).written);
        bindText(statement, 3, scratch, encoder.encodeInto(emailOf(i), scratch).written);
        if (step(statement) === SQLITE_DONE) inserted++;
        reset(statement);
      }
      raw.finalize(statement);
      exec("COMMIT");
      return inserted;
    },
    selectAll() {
      const statement = prepare(SQL.select);
      const rows: string[] = [];
      while (step(statement) === SQLITE_ROW) rows.push(columnText(statement, 0), columnText(statement, 1));
      raw.finalize(statement);
      return rows;
    },
    close() {
      raw.close(db);
    },
  };
}

/**
 * Opens an in-memory database with the `people` table, through the runtime's own FFI.
 *
 * @returns The contestant.
 * @throws {Error} With SQLite's message when a call fails.
 */
export async function openRawSqlite(): Promise<SqliteContestant> {
  if ("Bun" in globalThis) return open(bun ??= await bindBun());
  return open(deno ??= bindDeno());
}

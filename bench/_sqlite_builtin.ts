/**
 * SQLite through the runtime's built-in driver: `node:sqlite` on Deno, `bun:sqlite` on Bun. They embed their
 * own, newer SQLite rather than the system's, so they are a reference, not the baseline of the goal.
 *
 * @module
 */
import { emailOf, nameOf, SQL, type SqliteContestant } from "./_libraries_workload.ts";

/** What both drivers offer that the suite uses. */
interface Statement {
  run(...values: unknown[]): { changes: number | bigint };
  finalize?(): void;
}
interface Database {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): void;
}

// Specifiers in variables, so that `deno check` does not resolve Bun's module and Bun does not load Deno's.
const bunSqliteSpecifier = "bun:sqlite";
const nodeSqliteSpecifier = "node:sqlite";

/**
 * The built-in drivers, for the contestant's name: one name on both runtimes, so that a Deno run and a Bun
 * run pair their built-in contestants when compared.
 */
export const BUILTIN_SQLITE_NAME = "node:sqlite / bun:sqlite";

/**
 * Opens an in-memory database with the `people` table, through the runtime's built-in driver.
 *
 * @returns The contestant.
 */
export async function openBuiltinSqlite(): Promise<SqliteContestant> {
  const bun = "Bun" in globalThis;
  let db: Database;
  let selectAll: (db: Database) => string[];
  if (bun) {
    const { Database } = await import(bunSqliteSpecifier);
    db = new Database(":memory:");
    // values(): each row as an array, the driver's fastest way to read rows.
    selectAll = (db) => {
      const statement = db.prepare(SQL.select) as Statement & { values(): [string, string][] };
      const rows: string[] = [];
      for (const [name, email] of statement.values()) rows.push(name, email);
      statement.finalize?.();
      return rows;
    };
  } else {
    const { DatabaseSync } = await import(nodeSqliteSpecifier);
    db = new DatabaseSync(":memory:");
    selectAll = (db) => {
      const statement = db.prepare(SQL.select) as Statement & { all(): { name: string; email: string }[] };
      const rows: string[] = [];
      for (const row of statement.all()) rows.push(row.name, row.email);
      return rows;
    };
  }
  db.exec(SQL.create);
  return {
    insert(n) {
      db.exec("BEGIN");
      db.exec("DELETE FROM people");
      const statement = db.prepare(SQL.insert);
      let inserted = 0;
      for (let i = 0; i < n; i++) inserted += Number(statement.run(i, nameOf(i), emailOf(i)).changes);
      statement.finalize?.();
      db.exec("COMMIT");
      return inserted;
    },
    selectAll: () => selectAll(db),
    close: () => db.close(),
  };
}

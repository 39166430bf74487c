/**
 * Question: is the toolkit's select of 10,000 rows (two text columns read per row) within issue 22's 1.15× of
 * the raw binding of the same SQLite, when the two are timed interleaved in one process over many rounds? The
 * libraries suite's verdict on this task swings from run to run (0.98-1.16× on Deno and 0.66-1.62× on Bun in
 * four runs of `npm run bench -- --only=libraries --runtimes=deno,bun` on a quiet machine): each select makes
 * 20,000 strings, and where the collector runs decides the sample. Rounds interleaved in one process, read by
 * their best and median, say more.
 *
 * Contestants: the libraries suite's own (`bench/_sqlite_raw.ts`, `bench/_sqlite_toolkit.ts`), each over an
 * in-memory database of 10,000 rows inserted once, `selectAll()` timed in 41 rounds in rotating order
 * (`_interleaved.ts`); best, median and worst ms per select, and the toolkit's best and median over the raw
 * binding's.
 *
 * Found (a quiet machine, three runs each): with `sqlite3_column_text` declared as returning a `pointer` read by
 * `readCString`, the toolkit's select was 0.99-1.06 times the raw binding's by median on Deno and 1.12-1.17 on
 * Bun. The calls one at a time (a scratch loop over one row, 2e5 calls each, interleaved): on Deno the toolkit's
 * `sqlite3_column_text` 30.5 against 29.5 ns raw and `readCString` 64.2 against 62.6; on Bun
 * `sqlite3_column_text` 35.4 against 26.5, the pointer box it makes per call, and `readCString` 34.7 against
 * `CString`'s 33.6.
 *
 * Decided: a `const char *` result the library keeps can be declared `borrowedCString` (`ffi/borrowed_strings.ts`),
 * read in the call from the runtime's own result with no pointer made; the toolkit's sqlite binding does. Then:
 * best 1.02-1.06 (one outlier 1.39), median 0.79-1.06 on Deno; best 1.01-1.03, median 0.90-1.06 on Bun.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/sqlite_select_rounds.ts` and
 * `./node_modules/.bin/bun bench/probes/sqlite_select_rounds.ts`.
 *
 * @module
 */
import { openRawSqlite } from "../_sqlite_raw.ts";
import { openToolkitSqlite } from "../_sqlite_toolkit.ts";
import { timeInterleaved } from "./_interleaved.ts";
import { runtime } from "./_time.ts";

const ROWS = 10_000;
const raw = await openRawSqlite();
const toolkit = openToolkitSqlite();
for (const db of [raw, toolkit]) {
  if (db.insert(ROWS) !== ROWS) throw new Error(`the insert of ${ROWS} rows fell short`);
}
const expected = raw.selectAll();
if (expected.length !== 2 * ROWS || toolkit.selectAll().join("\n") !== expected.join("\n")) {
  throw new Error("the two bindings read different rows");
}

const timings = timeInterleaved({
  "raw runtime FFI (baseline)": { ops: 1, run: () => raw.selectAll() },
  "ffikit dlopen": { ops: 1, run: () => toolkit.selectAll() },
}, 41);
console.log(`Select ${ROWS} rows, two text columns, ms per select, 41 interleaved rounds (${runtime})`);
for (const t of timings) {
  console.log(
    `  ${t.name.padEnd(28)} best ${(t.best / 1e6).toFixed(2)}  median ${(t.median / 1e6).toFixed(2)}  worst ${
      (t.worst / 1e6).toFixed(2)
    }`,
  );
}
const [base, tk] = timings;
console.log(
  `  ffikit over raw: best ${(tk!.best / base!.best).toFixed(2)}x, median ${
    (tk!.median / base!.median).toFixed(2)
  }x`,
);
raw.close();
toolkit.close();

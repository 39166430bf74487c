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
 * (`_interleaved.ts`); the toolkit's twice, its text columns read as `borrowedCString` results (the suite's) and
 * as pointers read by `readCString()`; best, median and worst ms per select, and each toolkit form's best and
 * median over the raw binding's.
 *
 * Found (a quiet machine, three runs of this probe on each runtime; best and median over the raw binding's):
 * borrowed 1.05-1.10 and 1.03-1.05 on Deno, 0.98-1.02 and 0.99-1.03 on Bun; pointer and `readCString()`
 * 1.10-1.24 and 1.04-1.06 on Deno, 1.06-1.15 and 1.14-1.16 on Bun. On Bun the pointer form pays the box a
 * `pointer` result makes per call (by hand, one row, 2e5 calls: `sqlite3_column_text` 35.4 ns against 26.5 raw;
 * `readCString` 34.7 against `CString`'s 33.6).
 *
 * Decided: a `const char *` result the library keeps can be declared `borrowedCString` (`ffi/borrowed_strings.ts`),
 * read in the call from the runtime's own result with no pointer made; the libraries suite's binding does.
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
const toolkitPointer = openToolkitSqlite("pointer");
for (const db of [raw, toolkit, toolkitPointer]) {
  if (db.insert(ROWS) !== ROWS) throw new Error(`the insert of ${ROWS} rows fell short`);
}
const expected = raw.selectAll();
if (
  expected.length !== 2 * ROWS || toolkit.selectAll().join("\n") !== expected.join("\n") ||
  toolkitPointer.selectAll().join("\n") !== expected.join("\n")
) {
  throw new Error("the two bindings read different rows");
}

const timings = timeInterleaved({
  "raw runtime FFI (baseline)": { ops: 1, run: () => raw.selectAll() },
  "ffikit dlopen": { ops: 1, run: () => toolkit.selectAll() },
  "ffikit, pointer + readCString": { ops: 1, run: () => toolkitPointer.selectAll() },
}, 41);
console.log(`Select ${ROWS} rows, two text columns, ms per select, 41 interleaved rounds (${runtime})`);
for (const t of timings) {
  console.log(
    `  ${t.name.padEnd(32)} best ${(t.best / 1e6).toFixed(2)}  median ${(t.median / 1e6).toFixed(2)}  worst ${
      (t.worst / 1e6).toFixed(2)
    }`,
  );
}
const [base, ...ours] = timings;
for (const t of ours) {
  const best = (t.best / base!.best).toFixed(2), median = (t.median / base!.median).toFixed(2);
  console.log(`  ${t.name} over raw: best ${best}x, median ${median}x`);
}
raw.close();
toolkit.close();
toolkitPointer.close();

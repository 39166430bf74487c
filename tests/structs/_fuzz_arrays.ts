/**
 * The fuzz suite's checks of `T.array()`: `at`, `set`, `toArray`, `toJSON`, iteration, cursors and columns,
 * against the reference decoder, and after the buffer shrinks under the rows.
 */
import { inspect } from "node:util";
import type { ArrayView } from "../../structs/mod.ts";
import { attempt, below, type Context, guarded, normalize, reference, same } from "./_fuzz_operations.ts";

type Rows = ArrayView & {
  column(name: string): { at(i: number): unknown; toTypedArray(): unknown; length: number };
};

/** `T.array(bytes, { byteOffset, count })` and every way to read its rows. */
export function checkArray(c: Context, o: number, value: Record<string, unknown>, shrink: boolean): void {
  const { layout } = c.fuzz;
  const r = c.region;
  const size = layout.size;
  const fitting = size === 0 ? 4 : Math.max(0, Math.floor((r.length - o) / size));
  const count = c.random() < 0.5 ? undefined : below(c.random, fitting + 2);
  const n = count ?? (size === 0 ? 0 : fitting);
  const ok = r.live && !layout.flexible && o <= r.length && o + n * size <= r.length;
  const options = count === undefined ? { byteOffset: o } : { byteOffset: o, count };
  const rows = attempt(c, `array(${JSON.stringify(options)})`, ok, () => layout.array(r.bytes, options)) as
    | Rows
    | undefined;
  if (!rows) return;
  same(c, "array length", rows.length, n);
  const row = (i: number) => reference(layout, r.whole, r.start + o + i * size, r.start + r.length);
  const expected = Array.from({ length: Math.min(n, 64) }, (_, i) => row(i));
  for (const i of [0, n - 1, below(c.random, Math.max(n, 1)), -1]) {
    if (n === 0) break;
    const at = attempt(c, `at(${i})`, true, () => rows.at(i));
    if (at !== undefined && n <= 64) same(c, `at(${i})`, normalize(at), expected[i < 0 ? n + i : i]);
  }
  for (const bad of [n, -n - 1, 0.5, "0", 0n, NaN]) {
    attempt(c, `at(${String(bad)})`, false, () => rows.at(bad as number));
  }
  if (n <= 64) {
    same(c, "toArray()", normalize(attempt(c, "toArray()", true, () => rows.toArray())), expected);
    same(c, "toJSON()", normalize(attempt(c, "toJSON()", true, () => rows.toJSON())), expected);
    same(c, "iteration", normalize(attempt(c, "iteration", true, () => [...rows])), expected);
    const walked: unknown[] = [];
    attempt(c, "cursor()", true, () => {
      const cursor = rows.cursor();
      while (cursor.next()) walked.push(normalize(cursor.row));
    });
    same(c, "cursor walk", walked, expected);
    const scalars = layout.fields.filter((f) =>
      (f.type as { kind: string; native?: string }).kind === "scalar" &&
      (f.type as { native?: string }).native !== "pointer"
    );
    const f = scalars[below(c.random, Math.max(scalars.length, 1))];
    if (f) {
      const column = attempt(c, `column("${f.name}")`, true, () => rows.column(f.name));
      if (column) {
        same(
          c,
          `column("${f.name}")`,
          Array.from({ length: n }, (_, i) => column.at(i)),
          expected.map((e) => (e as Record<string, unknown>)[f.name]),
        );
        attempt(c, "column toTypedArray()", true, () => column.toTypedArray());
        attempt(c, `column at(${n})`, false, () => column.at(n));
      }
    }
  }
  if (n > 0 && layout.kind === "struct") {
    const i = below(c.random, n);
    const before = r.whole.slice();
    attempt(c, `set(${i})`, true, () => rows.set(i, value as never));
    guarded(c, `set(${i})`, before, r.whole, r.start + o + i * size, r.start + o + (i + 1) * size);
    same(c, `row ${i} after set`, row(i), normalize(value));
  }
  if (r.shrink && shrink) shrinkUnder(c, rows, o, n);
}

/** Shrinks the buffer: rows still whole keep working, and once any is cut, every access says so. */
function shrinkUnder(c: Context, rows: Rows, o: number, n: number): void {
  const { layout } = c.fuzz;
  const r = c.region;
  const keep = below(c.random, r.length + 1);
  r.shrink!(keep);
  // No rows, or rows of no bytes, cannot be cut.
  const whole = n === 0 || layout.size === 0 || o + n * layout.size <= keep;
  const what = `after a shrink to ${keep} (rows end at ${o + n * layout.size})`;
  if (n > 0) attempt(c, `at(0) ${what}`, whole, () => rows.at(0));
  if (n <= 64) {
    attempt(c, `toArray() ${what}`, whole, () => rows.toArray());
    if (n > 0) attempt(c, `cursor() ${what}`, whole, () => rows.cursor().next());
  }
  // Printing never throws (it says the rows are gone); `byteOffset` is the toolkit's error at worst.
  attempt(c, `printing rows ${what}`, true, () => inspect(rows));
  attempt(c, `rows.byteOffset ${what}`, undefined, () => rows.byteOffset + rows.byteLength + rows.length);
}

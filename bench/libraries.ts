/**
 * Real libraries: the same work through the toolkit, through a hand-written raw binding of the same system
 * library (`Deno.dlopen`, `bun:ffi`) and through the runtime's built-in driver: SQLite (prepared inserts in
 * one transaction; select every row, reading two text columns) and zlib (compress and decompress a buffer).
 *
 * The baseline of each group is the raw binding of the same library: the built-in drivers embed their own,
 * newer SQLite and zlib, so they are shown as a reference. Every contestant's answer is checked before it is
 * timed: the rows read back, the compressed stream's header and size, the round trip.
 *
 * @module
 */
import type { Contestant, GroupPlan, SuiteContext } from "./_harness.ts";
import {
  checkCompressed,
  checkRoundTrip,
  checkRows,
  LIBRARY_GROUPS,
  LIBRARY_SIZES,
  type SqliteContestant,
  type ZlibContestant,
  zlibInput,
} from "./_libraries_workload.ts";
import { BUILTIN_SQLITE_NAME, openBuiltinSqlite } from "./_sqlite_builtin.ts";
import { openRawSqlite } from "./_sqlite_raw.ts";
import { openToolkitSqlite } from "./_sqlite_toolkit.ts";
import { openBuiltinZlib } from "./_zlib_builtin.ts";
import { openRawZlib } from "./_zlib_raw.ts";
import { openToolkitZlib } from "./_zlib_toolkit.ts";

export { LIBRARY_GROUPS as GROUPS };

/**
 * The interleaved rounds each group is timed in (each round times every binding once, in turn): a select makes
 * 20,000 strings, and where the collector ran decided a lone sample, 0.66-1.62 times the raw binding from run to
 * run on Bun (bench/probes/sqlite_select_rounds.ts).
 */
export const LIBRARY_ROUNDS = { quick: 3, full: 5 };

/** The contestants' names: the toolkit, the raw binding (the baseline), the built-in driver. */
export const CONTESTANTS = Object.freeze({ toolkit: "ffikit dlopen", raw: "raw runtime FFI" });

/** Which binding a contestant is. */
type Kind = "toolkit" | "raw" | "builtin";
const KINDS: readonly Kind[] = ["toolkit", "raw", "builtin"];
const TECHNIQUES = { toolkit: "toolkit", raw: "baseline", builtin: "peer" } as const;

/** A group's data: each binding opened (or the reason it could not be), and what the work needs. */
interface Opened<C> {
  bindings: Map<Kind, C | { error: unknown }>;
  input: Uint8Array;
  compressed: Map<Kind, Uint8Array>;
}

async function openAll<C extends { close(): void }>(
  open: Record<Kind, () => C | Promise<C>>,
  prepare: (binding: C, kind: Kind) => void,
  input: Uint8Array = new Uint8Array(0),
): Promise<Opened<C>> {
  const data: Opened<C> = { bindings: new Map(), input, compressed: new Map() };
  for (const kind of KINDS) {
    try {
      const binding = await open[kind]();
      prepare(binding, kind);
      data.bindings.set(kind, binding);
    } catch (error) {
      data.bindings.set(kind, { error });
    }
  }
  return data;
}

function closeAll<C extends { close(): void }>(data: Opened<C>): void {
  for (const binding of data.bindings.values()) if (!("error" in binding)) binding.close();
}

function contestants<C extends object>(
  builtinName: string,
  work: (binding: C, data: Opened<C>, kind: Kind) => () => unknown,
): Contestant<Opened<C>>[] {
  const names = { ...CONTESTANTS, builtin: `built-in ${builtinName}` };
  return KINDS.map((kind) => ({
    name: names[kind],
    technique: TECHNIQUES[kind],
    make(data) {
      const binding = data.bindings.get(kind)!;
      // A binding that could not open fails its contestant with the reason (the recorder notes it).
      if ("error" in binding) throw binding.error;
      return work(binding as C, data, kind);
    },
  }));
}

const SQLITE: Record<Kind, () => SqliteContestant | Promise<SqliteContestant>> = {
  toolkit: openToolkitSqlite,
  raw: openRawSqlite,
  builtin: openBuiltinSqlite,
};
const ZLIB: Record<Kind, () => ZlibContestant | Promise<ZlibContestant>> = {
  toolkit: openToolkitZlib,
  raw: openRawZlib,
  builtin: openBuiltinZlib,
};

/**
 * The libraries suite's groups.
 *
 * @param context The worker's mode.
 * @returns The groups, in the order they run.
 */
export function plan(context: Pick<SuiteContext, "quick">): GroupPlan<unknown>[] {
  const { rows, bytes } = LIBRARY_SIZES[context.quick ? "quick" : "full"];
  const rounds = LIBRARY_ROUNDS[context.quick ? "quick" : "full"];
  const sqlite = BUILTIN_SQLITE_NAME;
  const groups: GroupPlan<Opened<SqliteContestant>>[] = [
    {
      suite: "libraries",
      rounds,
      group: LIBRARY_GROUPS.sqliteInsert,
      n: rows,
      setup: () => openAll(SQLITE, () => {}),
      check: (result) => result === rows ? undefined : `${result} rows inserted, expected ${rows}`,
      contestants: contestants<SqliteContestant>(sqlite, (db) => () => db.insert(rows)),
      teardown: closeAll,
    },
    {
      suite: "libraries",
      rounds,
      group: LIBRARY_GROUPS.sqliteSelect,
      n: rows,
      // Each binding reads the rows its own inserts wrote.
      setup: () => openAll(SQLITE, (db) => void db.insert(rows)),
      check: (result) => checkRows(result, rows),
      contestants: contestants<SqliteContestant>(sqlite, (db) => () => db.selectAll()),
      teardown: closeAll,
    },
  ];
  const zlib: GroupPlan<Opened<ZlibContestant>>[] = [
    {
      suite: "libraries",
      rounds,
      group: LIBRARY_GROUPS.zlibCompress,
      bytes,
      setup: () => openAll(ZLIB, () => {}, zlibInput(bytes)),
      check: (result) => checkCompressed(result, bytes),
      contestants: contestants<ZlibContestant>("node:zlib", (z, { input }) => () => z.compress(input)),
      teardown: closeAll,
    },
    {
      suite: "libraries",
      rounds,
      group: LIBRARY_GROUPS.zlibDecompress,
      bytes,
      // Each binding inflates what its own deflate wrote.
      setup: async () => {
        const input = zlibInput(bytes);
        const data = await openAll(ZLIB, () => {}, input);
        for (const [kind, z] of data.bindings) {
          if (!("error" in z)) data.compressed.set(kind, z.compress(input).slice());
        }
        return data;
      },
      check: (result, { input }) => checkRoundTrip(result, input),
      contestants: contestants<ZlibContestant>("node:zlib", (z, data, kind) => {
        const compressed = data.compressed.get(kind)!;
        return () => z.decompress(compressed, bytes);
      }),
      teardown: closeAll,
    },
  ];
  return [...groups, ...zlib] as GroupPlan<unknown>[];
}

/**
 * The readable summary of a run: per suite, a table of every contestant on every runtime, and the headline
 * ratios (in place against copy, the toolkit's call overhead over the raw FFI, where a view of native memory
 * starts beating a copy). Computed from result files only, so it works on any past run too.
 *
 * @module
 */
import type { Measurement, ResultFile } from "./schema.ts";
import { threadsSummary } from "./_threads_summary.ts";
import { CALL_GROUPS } from "./_workload.mjs";

/** The headline figures of a run, per runtime. */
export interface Headlines {
  /** Per runtime and row group at the largest N: best in-place ns/row over best copy ns/row, as a speed-up. */
  inPlaceOverCopy: {
    runtime: string;
    group: string;
    n: number;
    inPlace: string;
    inPlaceNsPerRow: number;
    copy: string;
    copyNsPerRow: number;
    speedUp: number;
  }[];
  /**
   * Per runtime and calls group: the toolkit's time over the fastest raw runtime call's, in percent, and the
   * goal's verdict (`CALL_GOAL`) as the spread of the interleaved rounds allows it.
   */
  callOverhead: CallGoal[];
  /** Per runtime, the batch group: each toolkit way against the raw separate calls and the hand-written floor. */
  batch: { runtime: string; name: string; ns: number; separateNs: number; floorNs: number }[];
  /** Per runtime and pair of contestants: the smallest block size at which the view beats the copy. */
  viewCrossover: { runtime: string; view: string; copy: string; bytes: number | null }[];
  /**
   * Per runtime and row group at the largest N: each toolkit contestant against the reference its speed goal
   * names (`ROW_GOALS`), as a ratio of times; `met` when `ratio <= goal`.
   */
  rowGoals: {
    runtime: string;
    group: string;
    n: number;
    contestant: string;
    nsPerRow: number;
    reference: string;
    referenceNsPerRow: number;
    ratio: number;
    goal: number;
    /** `true` when the ratio is the reference's time over ours and must reach the goal. */
    speedUp: boolean;
    met: boolean;
  }[];
  /**
   * Per runtime and libraries group: the toolkit's time over the raw binding's of the same system library
   * (`LIBRARY_GOAL`), with the range the samples' spread allows and the built-in driver's time as a reference.
   */
  libraryGoals: LibraryGoal[];
}

/** One calls goal line: a toolkit contestant against the fastest raw call of its group. */
export interface CallGoal {
  runtime: string;
  group: string;
  toolkit: string;
  toolkitNs: number;
  rawNs: number;
  overheadPercent: number;
  /**
   * The lowest and highest ratio of one round's toolkit time to the same round's raw time (interleaved rounds,
   * `Measurement.rounds`); the ratio itself when the file has no rounds.
   */
  low: number;
  high: number;
  goal: number;
  /** `met` when even the highest round's ratio is within the goal, `missed` when even the lowest is over it. */
  verdict: "met" | "missed" | "within noise";
}

/** The calls goal (issue 18): the toolkit's call within 1.15x of the raw runtime call. */
export const CALL_GOAL = 1.15;

/** The ratios of paired rounds (round i against round i), or the one ratio of the medians. */
function roundRatios(ours: Measurement, reference: Measurement): number[] {
  const a = ours.rounds, b = reference.rounds;
  if (!a || !b || a.length !== b.length) return [ours.nsPerOp / reference.nsPerOp];
  return a.map((ns, i) => ns / b[i]!);
}

/** One libraries goal line: the toolkit against the raw binding of the same library, in one group. */
export interface LibraryGoal {
  runtime: string;
  group: string;
  /** Rows (sqlite) or bytes (zlib) of the work. */
  size: string;
  toolkitNs: number;
  rawNs: number;
  /** The built-in driver's time, a reference outside the goal. */
  builtin?: { name: string; ns: number };
  ratio: number;
  /**
   * The ratio's range: over the interleaved rounds, each round's ratio; without rounds, from the samples'
   * quartiles (toolkit p25 / raw p75 to toolkit p75 / raw p25).
   */
  low: number;
  high: number;
  goal: number;
  met: boolean;
  /** The goal lies inside [low, high]: a verdict the noise of this run could turn. */
  withinSpread: boolean;
}

/** The libraries goal (issue 22): the toolkit within 1.15x of a hand-written raw binding of the same library. */
export const LIBRARY_GOAL = 1.15;

/** The best hand-written in-place loop: the faster of these two, in the same run. */
const IN_PLACE_LOOPS = ["DataView loop", "strided Uint32Array loop"];

/**
 * The rows speed goals (issue 3): in-place access against the best hand-written in-place loop, copies against
 * the hand-written fresh object per row, and `toArray` also against the hand-written copy into a `Row[]`,
 * which keeps every row alive as `toArray` does. The cursor is also set against its hand-written twins
 * (`next()` against a hand-written cursor whose `next()` moves its offset; `seek(i)` against the reused row
 * object, its offset set by the loop), and `at(i)` against its own, a fresh hand-written view per row: those
 * lines are the toolkit's own cost. A peer goal is a speed-up the other way: its time over ours.
 */
export const ROW_GOALS: readonly { contestant: string; reference: string; goal: number; speedUp?: true }[] = [
  { contestant: "toolkit cursor next()", reference: "best in-place loop", goal: 1.25 },
  { contestant: "toolkit cursor seek(i)", reference: "best in-place loop", goal: 1.25 },
  { contestant: "toolkit cursor next()", reference: "hand-written cursor next()", goal: 1.25 },
  { contestant: "toolkit cursor seek(i)", reference: "reused row object", goal: 1.25 },
  { contestant: "toolkit column at(i)", reference: "best in-place loop", goal: 1.25 },
  { contestant: "toolkit column strided()", reference: "best in-place loop", goal: 1.25 },
  { contestant: "toolkit at(i)", reference: "best in-place loop", goal: 2 },
  { contestant: "toolkit at(i)", reference: "fresh view per row", goal: 1.25 },
  { contestant: "toolkit read() per row", reference: "fresh object per row", goal: 1.3 },
  { contestant: "toolkit toArray()", reference: "fresh object per row", goal: 1.3 },
  { contestant: "toolkit toArray()", reference: "copy into Row[]", goal: 1.3 },
  { contestant: "toolkit read() per row", reference: "bun-ffi-structs unpackList", goal: 2, speedUp: true },
];

function by<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Nanoseconds in a short human unit. */
export function formatNs(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** Bytes in a short human unit. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

interface Tagged extends Measurement {
  runtime: string;
}

/** Issue 24's goal: importing ffikit adds at most 10 ms to an empty script. */
export const STARTUP_GOAL_NS = 10e6;
/** The start-up contestants the goal is judged on: the sources' `mod.ts`, and the built package (build/). */
export const STARTUP_GOAL_CONTESTANTS: readonly string[] = ["mod.ts", "ffikit package (built)"];

function tagged(files: readonly ResultFile[]): Tagged[] {
  return files.flatMap((f) => f.measurements.map((m) => ({ ...m, runtime: f.runtime.name })));
}

function best(list: readonly Tagged[], technique: Measurement["technique"]): Tagged | undefined {
  return list.filter((m) => m.technique === technique).sort((a, b) => a.nsPerOp - b.nsPerOp)[0];
}

/** mitata's p25 and p75 of a contestant, from the file's trials; the mean twice when they are missing. */
export function quartiles(file: ResultFile, m: Measurement): [number, number] {
  const suite = file.mitata[m.suite] as {
    benchmarks?: { alias?: string; group?: string; runs?: { stats?: { p25?: number; p75?: number } }[] }[];
  } | undefined;
  const stats = suite?.benchmarks?.find((b) => b.alias === m.name && b.group === m.group)?.runs?.[0]?.stats;
  return typeof stats?.p25 === "number" && typeof stats.p75 === "number"
    ? [stats.p25, stats.p75]
    : [m.nsPerOp, m.nsPerOp];
}

/**
 * The range of `ours ÷ raw`: over the interleaved rounds, each round's toolkit time over the raw binding's in
 * the same round, where the group ran in rounds; else from the samples' quartiles (toolkit p25 / raw p75 to
 * toolkit p75 / raw p25).
 */
function ratioSpread(file: ResultFile, ours: Measurement, raw: Measurement): [number, number] {
  if (ours.rounds && raw.rounds && ours.rounds.length === raw.rounds.length && ours.rounds.length > 1) {
    const ratios = ours.rounds.map((t, i) => t / raw.rounds![i]!);
    return [Math.min(...ratios), Math.max(...ratios)];
  }
  const [ours25, ours75] = quartiles(file, ours);
  const [raw25, raw75] = quartiles(file, raw);
  return [ours25 / raw75, ours75 / raw25];
}

function libraryGoals(files: readonly ResultFile[]): LibraryGoal[] {
  const out: LibraryGoal[] = [];
  for (const file of files) {
    const list = file.measurements.filter((m) => m.suite === "libraries");
    for (const [group, inGroup] of by(list, (m) => m.group)) {
      const ours = inGroup.find((m) => m.technique === "toolkit");
      const raw = inGroup.find((m) => m.technique === "baseline");
      if (!ours || !raw) continue;
      const builtin = inGroup.find((m) => m.technique === "peer");
      const ratio = ours.nsPerOp / raw.nsPerOp;
      const [low, high] = ratioSpread(file, ours, raw);
      const line: LibraryGoal = {
        runtime: file.runtime.name,
        group,
        size: ours.n !== undefined ? `${ours.n} rows` : formatBytes(ours.bytes ?? 0),
        toolkitNs: ours.nsPerOp,
        rawNs: raw.nsPerOp,
        ratio,
        low,
        high,
        goal: LIBRARY_GOAL,
        met: ratio <= LIBRARY_GOAL,
        withinSpread: low <= LIBRARY_GOAL && LIBRARY_GOAL <= high,
      };
      if (builtin) line.builtin = { name: builtin.name, ns: builtin.nsPerOp };
      out.push(line);
    }
  }
  return out;
}

/**
 * The headline ratios of a run.
 *
 * @param files The run's result files (one per runtime).
 * @returns In-place against copy at the largest N, call overhead, and view/copy crossovers.
 */
export function headlines(files: readonly ResultFile[]): Headlines {
  const all = tagged(files);
  const out: Headlines = {
    inPlaceOverCopy: [],
    callOverhead: [],
    batch: [],
    viewCrossover: [],
    rowGoals: [],
    libraryGoals: libraryGoals(files),
  };

  const rows = all.filter((m) => m.suite === "rows");
  for (const [key, list] of by(rows, (m) => `${m.runtime}\u0000${m.group}`)) {
    const [runtime, group] = key.split("\u0000") as [string, string];
    const n = Math.max(...list.map((m) => m.n ?? 0));
    const atN = list.filter((m) => m.n === n);
    // The toolkit's own pair when it is there; else the hand-written pair it stands for.
    const inPlace = best(atN, "in-place") ?? atN.find((m) => m.name === "DataView loop");
    const copy = best(atN, "copy") ?? atN.find((m) => m.name === "fresh object per row");
    if (inPlace && copy) {
      out.inPlaceOverCopy.push({
        runtime,
        group,
        n,
        inPlace: inPlace.name,
        inPlaceNsPerRow: inPlace.nsPerOp / n,
        copy: copy.name,
        copyNsPerRow: copy.nsPerOp / n,
        speedUp: copy.nsPerOp / inPlace.nsPerOp,
      });
    }
    const loops = atN.filter((m) => IN_PLACE_LOOPS.includes(m.name)).sort((a, b) => a.nsPerOp - b.nsPerOp);
    for (const goal of ROW_GOALS) {
      const ours = atN.find((m) => m.name === goal.contestant);
      const reference = goal.reference === "best in-place loop"
        ? loops[0]
        : atN.find((m) => m.name === goal.reference);
      if (!ours || !reference) continue;
      const ratio = goal.speedUp ? reference.nsPerOp / ours.nsPerOp : ours.nsPerOp / reference.nsPerOp;
      out.rowGoals.push({
        runtime,
        group,
        n,
        contestant: ours.name,
        nsPerRow: ours.nsPerOp / n,
        reference: reference.name,
        referenceNsPerRow: reference.nsPerOp / n,
        ratio,
        goal: goal.goal,
        speedUp: goal.speedUp === true,
        met: goal.speedUp ? ratio >= goal.goal : ratio <= goal.goal,
      });
    }
  }

  const calls = all.filter((m) => m.suite === "calls");
  for (const [key, list] of by(calls, (m) => `${m.runtime}\u0000${m.group}`)) {
    const [runtime, group] = key.split("\u0000") as [string, string];
    if (group === CALL_GROUPS.batch) {
      const separate = list.find((m) => m.technique === "baseline" && /separate/.test(m.name));
      const floor = list.find((m) => m.technique === "baseline" && !/separate/.test(m.name));
      if (!separate || !floor) continue;
      for (const m of list.filter((m) => m.technique === "toolkit")) {
        out.batch.push({
          runtime,
          name: m.name,
          ns: m.nsPerOp,
          separateNs: separate.nsPerOp,
          floorNs: floor.nsPerOp,
        });
      }
      continue;
    }
    // Against the fastest raw call (a BigInt where Deno's fast path wants one), so that no overhead hides.
    const raw = list.filter((m) => m.technique === "baseline").sort((a, b) => a.nsPerOp - b.nsPerOp)[0];
    if (!raw) continue;
    for (const toolkit of list.filter((m) => m.technique === "toolkit")) {
      const ratios = roundRatios(toolkit, raw);
      const low = Math.min(...ratios), high = Math.max(...ratios);
      out.callOverhead.push({
        runtime,
        group,
        toolkit: toolkit.name,
        toolkitNs: toolkit.nsPerOp,
        rawNs: raw.nsPerOp,
        overheadPercent: (toolkit.nsPerOp / raw.nsPerOp - 1) * 100,
        low,
        high,
        goal: CALL_GOAL,
        verdict: high <= CALL_GOAL ? "met" : low > CALL_GOAL ? "missed" : "within noise",
      });
    }
  }

  const memory = all.filter((m) => m.suite === "memory");
  for (const [runtime, list] of by(memory, (m) => m.runtime)) {
    const names = [...new Set(list.map((m) => m.name))];
    const views = names.filter((n) => /view/i.test(n) && !/copy/i.test(n));
    const copies = names.filter((n) => /copy/i.test(n));
    for (const view of views) {
      for (const copy of copies) {
        // Pair the raw view with the raw copy and the toolkit's with the toolkit's.
        if (/raw/.test(view) !== /raw/.test(copy)) continue;
        const sizes = [...new Set(list.map((m) => m.bytes ?? 0))].sort((a, b) => a - b);
        let crossover: number | null = null;
        for (const size of sizes) {
          const v = list.find((m) => m.name === view && m.bytes === size);
          const c = list.find((m) => m.name === copy && m.bytes === size);
          if (v && c && v.nsPerOp < c.nsPerOp) {
            crossover = size;
            break;
          }
        }
        out.viewCrossover.push({ runtime, view, copy, bytes: crossover });
      }
    }
  }
  return out;
}

/**
 * The summary text: one table per group (contestants down, runtimes across) and the headline ratios.
 *
 * @param files The run's result files.
 * @returns Plain text, for a terminal.
 */
export function summarize(files: readonly ResultFile[]): string {
  const all = tagged(files);
  const parts: string[] = [];
  const machine = files[0]?.machine;
  if (machine) {
    parts.push(
      `${files[0]!.mode} run ${files[0]!.date} on ${machine.cpu} (${machine.cores} cores, ${
        formatBytes(machine.memoryBytes)
      }), ${machine.os} ${machine.kernel} ${machine.arch}; ` +
        files.map((f) => `${f.runtime.name} ${f.runtime.version}`).join(", "),
    );
  }

  for (const [suite, list] of by(all, (m) => m.suite)) {
    parts.push(`\n== ${suite} ==`);
    const runtimes = [...new Set(list.map((m) => m.runtime))];
    for (const [, groupList] of by(list, (m) => `${m.group} | ${m.n ?? m.bytes ?? ""}`)) {
      const first = groupList[0]!;
      const size = first.n !== undefined
        ? `, n = ${first.n}`
        : first.bytes !== undefined
        ? `, ${formatBytes(first.bytes)}`
        : "";
      parts.push(`\n${first.group}${size}`);
      const names = [...new Set(groupList.map((m) => m.name))];
      const garbage = suite === "garbage";
      const header = [
        "contestant",
        "technique",
        ...runtimes.map((r) => garbage ? `${r} heap / GCs / allocated` : r),
      ];
      const rows = names.map((name) => {
        const cells = runtimes.map((runtime) => {
          const m = groupList.find((x) => x.name === name && x.runtime === runtime);
          if (!m) return "-";
          if (garbage) {
            const gc = m.gcCount === undefined ? "n/a" : String(m.gcCount);
            const allocated = m.allocatedBytes === undefined ? "n/a" : formatBytes(m.allocatedBytes);
            return `${formatBytes(m.heapBytes ?? 0)} / ${gc} / ${allocated}`;
          }
          if (suite === "startup" && m.overBaselineNs !== undefined) {
            // The median, the spread of the processes, and the median difference from the empty script.
            const over = m.technique === "baseline" ? "" : `, +${formatNs(Math.max(0, m.overBaselineNs))}`;
            return `${formatNs(m.nsPerOp)} (${formatNs(m.minNs ?? m.nsPerOp)}-${
              formatNs(m.maxNs ?? m.nsPerOp)
            }${over})`;
          }
          return m.nsPerRow !== undefined ? `${formatNs(m.nsPerRow)}/row` : formatNs(m.nsPerOp);
        });
        const technique = groupList.find((x) => x.name === name)!.technique;
        return [name, technique, ...cells];
      });
      parts.push(table(header, rows));
    }
  }

  const h = headlines(files);
  parts.push("\n== headlines ==");
  for (const r of h.inPlaceOverCopy) {
    parts.push(
      `${r.runtime}: ${r.group}, n = ${r.n}: ${r.inPlace} ${
        formatNs(r.inPlaceNsPerRow)
      }/row against ${r.copy} ${formatNs(r.copyNsPerRow)}/row: ${r.speedUp.toFixed(1)}x`,
    );
  }
  for (const r of h.callOverhead) {
    const sign = r.overheadPercent >= 0 ? "+" : "";
    const spread = r.low === r.high ? "" : `, rounds ${r.low.toFixed(2)}-${r.high.toFixed(2)}x`;
    parts.push(
      `${r.runtime}: ${r.group}: ${r.toolkit} ${formatNs(r.toolkitNs)} against the raw call's ${
        formatNs(r.rawNs)
      } (${sign}${r.overheadPercent.toFixed(0)}%${spread})`,
    );
  }
  for (const r of h.batch) {
    parts.push(
      `${r.runtime}: ${r.name}: ${formatNs(r.ns)}, ${
        (r.separateNs / r.ns).toFixed(1)
      }x the speed of separate raw calls (${formatNs(r.separateNs)}), ${
        (r.ns / r.floorNs).toFixed(1)
      }x the time of the hand-written floor (${formatNs(r.floorNs)})`,
    );
  }
  for (const r of h.viewCrossover) {
    parts.push(
      `${r.runtime}: ${r.view} beats ${r.copy} ${
        r.bytes === null ? "at no measured size" : `from ${formatBytes(r.bytes)}`
      }`,
    );
  }
  if (h.rowGoals.length) {
    parts.push("\n== rows speed goals (largest N) ==");
    // The goals are set for 1e6 rows; a group measured to fewer (every group of a quick run, and the wide
    // taskstats rows of a full one) is shown, and said to be no verdict.
    const largest = Math.max(...h.rowGoals.map((r) => r.n));
    if (largest < 1e6) {
      parts.push(
        `(the goals are set for 1e6 rows; this run went up to ${largest}, so these lines are not a verdict)`,
      );
    }
    for (const [key, list] of by(h.rowGoals, (r) => `${r.runtime}: ${r.group}, n = ${r.n}`)) {
      const short = list[0]!.n < 1e6 && largest >= 1e6 ? " (fewer than 1e6 rows: not a verdict)" : "";
      parts.push(`\n${key}${short}`);
      const lines = list.map((r) => [
        r.contestant,
        `${formatNs(r.nsPerRow)}/row`,
        `${r.reference} ${formatNs(r.referenceNsPerRow)}/row`,
        `${r.ratio.toFixed(2)}x`,
        `${r.speedUp ? ">=" : "<="} ${r.goal}x`,
        r.met ? "met" : "MISSED",
      ]);
      parts.push(table(["contestant", "time", "against", "ratio", "goal", ""], lines));
    }
  }
  if (h.callOverhead.length) {
    parts.push(
      `\n== calls goals (ffikit <= ${CALL_GOAL}x the fastest raw call; a verdict only where every round agrees) ==`,
    );
    const lines = h.callOverhead.map((r) => [
      r.runtime,
      r.group,
      r.toolkit,
      `${(r.toolkitNs / r.rawNs).toFixed(2)}x`,
      r.low === r.high ? "-" : `${r.low.toFixed(2)}-${r.high.toFixed(2)}x`,
      r.verdict === "missed" ? "MISSED" : r.verdict,
    ]);
    parts.push(table(["runtime", "group", "ffikit", "ratio", "rounds", ""], lines));
  }
  if (h.libraryGoals.length) {
    parts.push(`\n== libraries goals (ffikit <= ${LIBRARY_GOAL}x the raw binding of the same library) ==`);
    // The goal is set for the full work (10,000 rows, 1 MiB); a quick run's smaller work is no verdict.
    if (files.some((f) => f.mode === "quick")) {
      parts.push("(a quick run: smaller work than the goal is set for, so these lines are not a verdict)");
    }
    const lines = h.libraryGoals.map((r) => [
      r.runtime,
      `${r.group} (${r.size})`,
      formatNs(r.toolkitNs),
      formatNs(r.rawNs),
      `${r.ratio.toFixed(2)}x`,
      `${r.low.toFixed(2)}-${r.high.toFixed(2)}x`,
      r.builtin ? `${r.builtin.name} ${formatNs(r.builtin.ns)}` : "-",
      (r.met ? "met" : "MISSED") + (r.withinSpread ? " (within spread)" : ""),
    ]);
    parts.push(
      table(["runtime", "task", "ffikit", "raw", "ratio", "spread", "built-in (reference)", ""], lines),
    );
  }
  const startup = all.filter((m) => m.suite === "startup" && STARTUP_GOAL_CONTESTANTS.includes(m.name));
  if (startup.length) {
    parts.push(
      `\n== start-up goal (importing ffikit adds <= ${formatNs(STARTUP_GOAL_NS)} to an empty script) ==`,
    );
    for (const m of startup) {
      const over = m.overBaselineNs ?? 0;
      parts.push(
        `${m.runtime}: ${m.name}: +${formatNs(Math.max(0, over))} ${
          over <= STARTUP_GOAL_NS ? "met" : "MISSED"
        }`,
      );
    }
  }
  const threads = threadsSummary(files);
  if (threads) parts.push(threads);
  const notes = files.flatMap((f) => (f.notes ?? []).map((n) => `${f.runtime.name}: ${n}`));
  if (notes.length) parts.push("\n== skipped or failed ==", ...notes);
  return parts.join("\n");
}

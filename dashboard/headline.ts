/**
 * The headline at the top of the page, shaped on the server: for one run, each runtime side by side, the best
 * in-place technique against the best copy in ns per row at the largest N, their ratio and the C loop as the
 * floor, for each row type; and a sentence a person can quote.
 *
 * @module
 */
import { ROW_GROUPS } from "../bench/_workload.mjs";
import type { Measurement, Technique } from "../bench/schema.ts";
import { formatNs, formatSpeed, utc, wordList } from "./public/js/format.js";
import { byRuntime } from "./run_list.ts";
import type { NamedResult } from "./series.ts";

/** A row type the headline reads, and the row question that measures it. */
export interface RowType {
  /** As the page names it: the C struct, e.g. `taskstats`, and how it is read where one struct is read two ways. */
  name: string;
  /** Its size in bytes. */
  bytes: number;
  /** The rows group that scans it once, e.g. `MIB_TCPROW_OWNER_PID: sum owningPid`. */
  group: string;
  /** How the sentence names its rows, e.g. `MIB_TCPROW_OWNER_PID rows with u8[4] addresses`. */
  rows: string;
  /**
   * Whether the headline's run must have measured it: the newest run with every required row type is shown,
   * and an optional row type is shown when that run measured it (result files from before it was added lack it).
   */
  required: boolean;
}

/**
 * The row types of the headline: the narrow row and the wide one, required; the narrow row with arrays inside,
 * optional (added to the rows suite after the first result files were written).
 */
export const HEADLINE_ROW_TYPES: readonly RowType[] = [
  {
    name: "MIB_TCPROW_OWNER_PID",
    bytes: 24,
    group: ROW_GROUPS.tcpSum,
    rows: "MIB_TCPROW_OWNER_PID rows",
    required: true,
  },
  { name: "taskstats", bytes: 416, group: ROW_GROUPS.taskstatsSum, rows: "taskstats rows", required: true },
  {
    name: "MIB_TCPROW_OWNER_PID with u8[4] addresses",
    bytes: 24,
    group: ROW_GROUPS.tcpBytesSum,
    rows: "MIB_TCPROW_OWNER_PID rows with u8[4] addresses",
    required: false,
  },
];

/** A contestant of the headline and its time. */
export interface HeadlineContestant {
  /** E.g. `toolkit column at(i)`. */
  name: string;
  /** `in-place`, `copy`; on a runtime without the toolkit (Node) a `baseline` or `peer` stands in. */
  technique: Technique;
  /** Nanoseconds per row. */
  nsPerRow: number;
}

/** One runtime's figures for one row type. */
export interface HeadlineSide {
  /** E.g. `deno`. */
  runtime: string;
  /** E.g. `Deno 2.9.5`, or `Node 22.20.0 with koffi`. */
  title: string;
  /** The file the figures come from. */
  file: string;
  /** The largest N both contestants ran at. */
  n: number;
  /** The fastest in-place technique (on Node, the fastest hand-written loop); `null` when none ran. */
  inPlace: HeadlineContestant | null;
  /** The fastest copy (on Node, koffi's fastest decode); `null` when none ran. */
  copy: HeadlineContestant | null;
  /** `copy ÷ inPlace`, how many times faster reading in place is (below 1: slower); `null` without both. */
  ratio: number | null;
  /** The C loop through FFI, the floor; `null` when it did not run. */
  floor: HeadlineContestant | null;
}

/** The figures of one row type. */
export interface HeadlineRow extends RowType {
  /** One per runtime that measured this row type, Deno, Bun, Node. */
  sides: HeadlineSide[];
  /**
   * The quotable sentence, e.g. `Reading MIB_TCPROW_OWNER_PID rows (24 B) in place is 12× faster than …`;
   * where reading in place is the slower, it says `… in place is 5.0× slower than copying each row out …`.
   */
  sentence: string;
}

/** The answer of `GET /api/headline`. */
export interface Headline {
  /** The run the figures come from; `null` when no run measured rows. */
  run: { key: string; label: string; mode: string; files: string[] } | null;
  /** One per row type the run measured. */
  rows: HeadlineRow[];
  /** What the page says when there is nothing to show; else empty. */
  empty: string;
}

function titleOf(result: NamedResult): string {
  const { name, version } = result.runtime;
  const title = `${name[0]!.toUpperCase()}${name.slice(1)} ${version}`;
  return name === "node" ? `${title} with koffi` : title;
}

function fastest(list: readonly Measurement[]): HeadlineContestant | null {
  let best: HeadlineContestant | null = null;
  for (const m of list) {
    if (m.nsPerRow === undefined || (best && best.nsPerRow <= m.nsPerRow)) continue;
    best = { name: m.name, technique: m.technique, nsPerRow: m.nsPerRow };
  }
  return best;
}

/** The fastest of the first technique that ran: the toolkit's when it ran, else what stands in for it. */
function firstOf(atN: readonly Measurement[], techniques: readonly Technique[]): HeadlineContestant | null {
  for (const technique of techniques) {
    const found = fastest(atN.filter((m) => m.technique === technique));
    if (found) return found;
  }
  return null;
}

function sideOf(result: NamedResult, rowType: RowType): HeadlineSide | null {
  const rows = result.measurements.filter((m) =>
    m.suite === "rows" && m.group === rowType.group && m.nsPerRow !== undefined && m.n !== undefined
  );
  if (rows.length === 0) return null;
  const ns = [...new Set(rows.map((m) => m.n!))].sort((a, b) => b - a);
  const pick = (n: number) => {
    const atN = rows.filter((m) => m.n === n);
    return {
      n,
      inPlace: firstOf(atN, ["in-place", "baseline"]),
      copy: firstOf(atN, ["copy", "peer"]),
      floor: fastest(atN.filter((m) => m.technique === "native")),
    };
  };
  // The largest N where both ran; else the largest N.
  const chosen = ns.map(pick).find((p) => p.inPlace && p.copy) ?? pick(ns[0]!);
  return {
    runtime: result.runtime.name,
    title: titleOf(result),
    file: result.file,
    ...chosen,
    ratio: chosen.inPlace && chosen.copy ? chosen.copy.nsPerRow / chosen.inPlace.nsPerRow : null,
  };
}

/** Both times; the contestants named when they stand in for the toolkit (Node's loop and koffi's decode). */
function timesOf(side: HeadlineSide, withN: boolean): string {
  const [inPlace, copy] = [side.inPlace!, side.copy!];
  const named = inPlace.technique !== "in-place" || copy.technique !== "copy";
  const at = withN ? ` per row at N = ${side.n.toLocaleString("en")}` : "";
  return named
    ? `${inPlace.name} ${formatNs(inPlace.nsPerRow)} against ${copy.name} ${formatNs(copy.nsPerRow)}${at}`
    : `${formatNs(inPlace.nsPerRow)} against ${formatNs(copy.nsPerRow)}${at}`;
}

function sentenceOf(rowType: RowType, sides: readonly HeadlineSide[]): string {
  const compared = sides.filter((s) => s.ratio !== null && s.inPlace && s.copy);
  if (compared.length === 0) {
    return `${rowType.rows} (${rowType.bytes} B): no runtime measured both reading in place and copying.`;
  }
  const firstN = compared[0]!.n;
  const firstWord = formatSpeed(compared[0]!.ratio!).word;
  // Later runtimes repeat "faster" or "slower" only when it differs from the first's.
  const parts = compared.map((s, i) => {
    const { times, word } = formatSpeed(s.ratio!);
    const said = i === 0 ? ` ${word} than copying each row out` : word === firstWord ? "" : ` ${word}`;
    return `${times}${said} on ${s.title} (${timesOf(s, i === 0 || s.n !== firstN)})`;
  });
  const floors = sides.filter((s) => s.floor).map((s) =>
    `${formatNs(s.floor!.nsPerRow)} on ${s.title.split(" ")[0]}`
  );
  const floor = floors.length ? `; a C loop through FFI takes ${wordList(floors)}` : "";
  return `Reading ${rowType.rows} (${rowType.bytes} B) in place is ${wordList(parts)}${floor}.`;
}

/**
 * Shapes the headline of one run: for each row type, each runtime's best in-place technique and best copy at
 * the largest N, their ratio and the C loop.
 *
 * @param run The run's files (one per runtime); files of other runs are not told apart here.
 * @param key The run's key, as `GET /api/runs` gives it.
 * @returns The figures and sentences; `rows` is empty when no file measured a headline row type.
 */
export function shapeHeadline(run: readonly NamedResult[], key = ""): Headline {
  const files = byRuntime(run);
  const rows = HEADLINE_ROW_TYPES.flatMap((rowType) => {
    const sides = files.map((f) => sideOf(f, rowType)).filter((s): s is HeadlineSide => s !== null);
    return sides.length ? [{ ...rowType, sides, sentence: sentenceOf(rowType, sides) }] : [];
  });
  const first = files[0];
  if (!first || rows.length === 0) {
    return {
      run: null,
      rows: [],
      empty: "No run has measured rows yet: run the benchmark to see the headline.",
    };
  }
  const runtimes = wordList(files.map(titleOf));
  return {
    run: {
      key,
      label: `${first.mode} run of ${utc(first.date)} on ${first.machine.hostname}: ${runtimes}`,
      mode: first.mode,
      files: files.map((f) => f.file),
    },
    rows,
    empty: "",
  };
}

/**
 * The shape of a benchmark result file in `bench/results/`: one file per run and runtime.
 *
 * The bench runner writes it; the dashboard reads it. `measurements` is the flat, normalised list the charts
 * use; `mitata` keeps mitata's own result object (with its `context`) untouched, for anyone who wants more.
 *
 * @module
 */

/** Bumped when a field changes meaning; readers refuse files of another version. */
export const RESULT_SCHEMA_VERSION = 1;

/** The runtime a result file was measured on. */
export interface RuntimeInfo {
  name: "deno" | "bun" | "node";
  version: string;
}

/** The machine a result file was measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryBytes: number;
  os: string;
  kernel: string;
  arch: string;
  hostname: string;
}

/** The kind of technique a measurement belongs to; the dashboard colours and groups by it. */
export type Technique =
  /** The toolkit, copying rows out (`read`, `toArray`). */
  | "copy"
  /** The toolkit, reading in place (`view`, `at`, cursor, column). */
  | "in-place"
  /** A hand-written loop or the raw runtime API. */
  | "baseline"
  /** A C loop called once through FFI. */
  | "native"
  /** Another library a user might pick (bun-ffi-structs, restructure, koffi). */
  | "peer"
  /** The toolkit's call path (calls and memory suites). */
  | "toolkit";

/** One measured point. */
export interface Measurement {
  /** "rows", "calls", "memory", "libraries", "garbage", "startup" or "threads". */
  suite: string;
  /** The question being asked, e.g. "MIB_TCPROW_OWNER_PID: sum owningPid". */
  group: string;
  /** The contestant, e.g. "toolkit cursor" or "DataView loop". */
  name: string;
  technique: Technique;
  /** Rows for the rows and garbage suites. */
  n?: number;
  /** Block size for the memory suite. */
  bytes?: number;
  /**
   * Mean time of one operation (one whole scan, one call, one copy), in nanoseconds; for a group timed in
   * interleaved rounds, the median of `rounds`.
   */
  nsPerOp: number;
  /**
   * The mean time of each interleaved round, in order, for the groups timed so (the calls suite): the spread a
   * ratio between two contestants of the group must be judged by.
   */
  rounds?: number[];
  /** `nsPerOp / n` for row scans. */
  nsPerRow?: number;
  /** Heap growth during the measured work, in bytes (garbage suite). */
  heapBytes?: number;
  /** Garbage collections during the measured work (garbage suite), where the runtime reports them. */
  gcCount?: number;
  /**
   * Bytes allocated during the measured work (garbage suite): heap growth plus what each collection freed,
   * from the GC profiler's before/after heap sizes. Absent where the runtime reports no collections.
   */
  allocatedBytes?: number;
  /** Start-up suite: the fastest and slowest of the processes timed (`nsPerOp` is their median). */
  minNs?: number;
  maxNs?: number;
  /** Start-up suite: the processes timed. */
  runs?: number;
  /**
   * Start-up suite: the median, over the rounds, of this process's time less the empty script's in the same
   * round (signed: noise can make it negative).
   */
  overBaselineNs?: number;
}

/** A benchmark result file. */
export interface ResultFile {
  schema: typeof RESULT_SCHEMA_VERSION;
  /** Unique and file-name safe: `<date>-<runtime>`, e.g. `2026-11-21T10-00-00-000Z-deno`. */
  id: string;
  /** ISO 8601. */
  date: string;
  mode: "quick" | "full";
  runtime: RuntimeInfo;
  machine: MachineInfo;
  /** The flat list the dashboard charts. */
  measurements: Measurement[];
  /** mitata's `run()` results per suite, as mitata returned them (context included). */
  mitata: Record<string, unknown>;
  /** Skipped or failed contestants, each with its reason, in the order they were met. */
  notes?: string[];
  /** Where the garbage suite's numbers come from on this runtime. */
  garbageSources?: { heap: string; gcCount: string };
}

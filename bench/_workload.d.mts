/** Types of `_workload.mjs`. */
export declare const TCP_ROW_SIZE: 24;
export declare const TCP_OFFSETS: Readonly<{
  state: 0;
  localAddr: 4;
  localPort: 8;
  remoteAddr: 12;
  remotePort: 16;
  owningPid: 20;
}>;
export declare const TCP_FILTER_STATE: 5;
export type TaskstatsFieldType = "u8" | "u16" | "u32" | "u64" | "char";
export declare const TASKSTATS_FIELDS: ReadonlyArray<readonly [string, string, number?]>;
export declare const TASKSTATS_OFFSETS: Readonly<Record<string, number>> & {
  readonly ac_pid: number;
  readonly ac_exitcode: number;
  readonly ac_comm: number;
};
export declare const TASKSTATS_LAYOUT: ReadonlyArray<
  { name: string; type: TaskstatsFieldType; count: number; offset: number; size: number }
>;
export declare const TASKSTATS_SIZE: number;
export declare function swap16(value: number): number;
/** The hand-written DataView loop of the "sum owningPid" scan. */
export declare function dataViewPidSum(bytes: Uint8Array): number;
/** The hand-written DataView loop of the "collect localPort" scan. */
export declare function dataViewListenPorts(bytes: Uint8Array): number[];
/** The hand-written DataView loop of the taskstats "sum ac_pid" scan. */
export declare function dataViewAcPidSum(bytes: Uint8Array): number;
/** The hand-written DataView loop of the row with arrays inside: owningPid and each address's first byte. */
export declare function dataViewAddressSum(bytes: Uint8Array): number;
export declare function fillTcpRows(n: number): Uint8Array<ArrayBuffer>;
export declare function fillTaskstats(n: number): Uint8Array<ArrayBuffer>;
export declare function expectedPidSum(n: number): number;
export declare function expectedListenPorts(n: number): number[];
export declare function expectedAddressSum(n: number): number;
export declare function expectedAcPidSum(n: number): number;
export declare function portsFingerprint(ports: ArrayLike<number>): number;
export declare const ROW_GROUPS: Readonly<
  { tcpSum: string; tcpCollect: string; taskstatsSum: string; tcpBytesSum: string }
>;
export declare const ROW_COUNTS: Readonly<{ quick: readonly number[]; full: readonly number[] }>;
export declare const WIDE_ROW_LIMIT: number;
export declare const WIDE_ROW_COUNTS: Readonly<{ quick: readonly number[]; full: readonly number[] }>;
export declare function rowCountsOf(group: string, quick: boolean): readonly number[];
export declare function allRowCounts(quick: boolean): number[];
export declare const SUM_LENGTH: 64;
export declare const BATCH_SIZE: 1000;
export declare const BATCH_TOTAL: number;
export declare const CALL_GROUPS: Readonly<
  {
    add: string;
    getpid: string;
    syscall: string;
    sumNumber: string;
    sumBigInt: string;
    batch: string;
    strlen: string;
    memset: string;
    divStruct: string;
    fnPointer: string;
    variadic: string;
    callback: string;
    byteOrder: string;
    ownedString: string;
    globalVariable: string;
  }
>;
export declare const HTONS_PORT: 8080;
export declare const STRDUP_TEXT: string;
export declare const QSORT_COUNT: number;
export declare const DIV_ARGUMENTS: readonly [number, number];
export declare const STRLEN_TEXT: string;
/** A time budget; see `_workload.mjs`. */
export interface Budget {
  minCpuTime: number;
  minSamples: number;
  capTime: number;
  warmupTime: number;
  /** Calls made before measuring at least, where they fit in `warmupCap`. */
  warmupCalls: number;
  /** The most time (ns) the warm-up may take to make its `warmupCalls` calls. */
  warmupCap: number;
}
export declare const BUDGETS: Readonly<{ quick: Budget; full: Budget }>;
export declare function measureOptions(
  budget: Budget,
  firstNs: number,
): { min_cpu_time: number; min_samples: number; max_samples?: number };
/** mitata's stats of one contestant (see `timeContestant`). */
export interface ContestantStats {
  avg: number;
  samples: number[];
  single?: true;
  /** The number of samples mitata took, when more than `MAX_SAMPLES` (the file keeps that many). */
  sampleCount?: number;
  [key: string]: unknown;
}
export declare function timeContestant(
  fn: () => unknown,
  budget: Budget,
  firstNs: number,
  measure: (fn: () => unknown, options: Record<string, number>) => Promise<object>,
): Promise<ContestantStats>;
export declare const CONTEXT_COST_MS: Readonly<{ quick: number; full: number }>;
export declare function contestantCostMs(budget: Budget, n: number | undefined): number;
export declare const MAX_SAMPLES: number;

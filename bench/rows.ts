/**
 * Rows: copying every row out against reading in place, over a realistic row (`MIB_TCPROW_OWNER_PID`,
 * 24 bytes), the same row with arrays inside (its addresses as `u8[4]`) and a wide one (`struct taskstats`,
 * 416 bytes), N from 1e2 to 1e6 (the wide row to 1e5: see `WIDE_ROW_LIMIT`).
 *
 * Each group has hand-written baselines (a DataView loop, a strided typed-array loop, a fresh object per
 * row), a C reference (one foreign call over the same buffer), the npm peers, and the toolkit's copy and
 * in-place access. Every contestant's answer is checked before it is timed.
 *
 * @module
 */
import type { Contestant, GroupPlan, SuiteContext } from "./_harness.ts";
import { needsRaw } from "./_harness.ts";
import {
  bunTaskstats,
  bunTcpRow,
  restructureDecodeAll,
  restructureTaskstats,
  restructureTcpBytesRow,
  restructureTcpRow,
} from "./_peers.ts";
import {
  allRowCounts,
  dataViewAcPidSum,
  dataViewAddressSum,
  dataViewListenPorts,
  dataViewPidSum,
  expectedAcPidSum,
  expectedAddressSum,
  expectedListenPorts,
  expectedPidSum,
  fillTaskstats,
  fillTcpRows,
  portsFingerprint,
  ROW_COUNTS,
  ROW_GROUPS,
  rowCountsOf,
  swap16,
  TASKSTATS_LAYOUT,
  TASKSTATS_OFFSETS,
  TASKSTATS_SIZE,
  TCP_FILTER_STATE,
  TCP_ROW_SIZE,
} from "./_workload.mjs";
import { toolkitRowContestants } from "./_toolkit_rows.ts";

export { ROW_COUNTS };
/** The group titles, used by the summary too. */
export const GROUPS = ROW_GROUPS;

/** The data of one row group: the filled rows and the expected answer. */
export interface RowData {
  n: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The C reference of a sum: one foreign call over every row (`bench/native/rows.c`). */
function cLoop(
  context: SuiteContext,
  symbol: "tcp_sum_owning_pid" | "taskstats_sum_ac_pid" | "tcp_bytes_sum_owning_pid_and_addresses",
): Contestant<RowData> {
  return {
    name: "C loop (one FFI call)",
    technique: "native",
    make: needsRaw(context, (raw, { bytes, n }) => {
      const scan = raw.symbols[symbol];
      return () => scan(bytes, n);
    }),
  };
}

/** A plain object for one MIB_TCPROW_OWNER_PID row, as a hand-written copy makes it. */
interface TcpRowObject {
  state: number;
  localAddr: number;
  localPort: number;
  remoteAddr: number;
  remotePort: number;
  owningPid: number;
}

function readTcpRow(view: DataView, offset: number): TcpRowObject {
  return {
    state: view.getUint32(offset, true),
    localAddr: view.getUint32(offset + 4, true),
    localPort: view.getUint32(offset + 8, true),
    remoteAddr: view.getUint32(offset + 12, true),
    remotePort: view.getUint32(offset + 16, true),
    owningPid: view.getUint32(offset + 20, true),
  };
}

/** A plain object for one row with arrays inside, as a hand-written copy makes it: the arrays as array literals. */
interface TcpBytesRowObject {
  state: number;
  localAddr: number[];
  localPort: number;
  remoteAddr: number[];
  remotePort: number;
  owningPid: number;
}

function readTcpBytesRow(view: DataView, o: number): TcpBytesRowObject {
  return {
    state: view.getUint32(o, true),
    localAddr: [view.getUint8(o + 4), view.getUint8(o + 5), view.getUint8(o + 6), view.getUint8(o + 7)],
    localPort: view.getUint32(o + 8, true),
    remoteAddr: [view.getUint8(o + 12), view.getUint8(o + 13), view.getUint8(o + 14), view.getUint8(o + 15)],
    remotePort: view.getUint32(o + 16, true),
    owningPid: view.getUint32(o + 20, true),
  };
}

/** Every row copied into an array of plain objects, all kept: the hand-written `toArray()`. */
function copyTcpRows(bytes: Uint8Array, n: number): TcpRowObject[] {
  const view = new DataView(bytes.buffer);
  const rows: TcpRowObject[] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = readTcpRow(view, i * TCP_ROW_SIZE);
  return rows;
}

/**
 * A hand-written reused row object: one object whose offset the loop moves, with a getter per field. It is the
 * hand-written equivalent of the toolkit's cursor (the issue measured it at 1.1 ns per row on Deno 2.9).
 */
class ReusedTcpRow {
  offset = 0;
  constructor(readonly view: DataView) {}
  get state(): number {
    return this.view.getUint32(this.offset, true);
  }
  get localPort(): number {
    return this.view.getUint32(this.offset + 8, true);
  }
  get owningPid(): number {
    return this.view.getUint32(this.offset + 20, true);
  }
}

/**
 * A hand-written cursor: the reused row object moved by its own `next()`, so the row's offset is carried from
 * row to row in the object rather than in the loop. It is the hand-written equivalent of the toolkit's cursor
 * `next()` (the reused row object above is that of `seek(i)`).
 */
class TcpRowCursor {
  #view: DataView;
  #offset = -TCP_ROW_SIZE;
  #last = 0;
  constructor(view: DataView, n: number) {
    this.#view = view;
    this.#last = (n - 1) * TCP_ROW_SIZE;
  }
  // The fastest of the forms tried (/tmp probe, 1e6 rows): the offset stored first and the test returned, 2.0
  // ns per row on Deno and 1.2 on Bun, against 2.6-2.8 and 1.2 with a test before the store. Unlike the
  // toolkit's, its row reads past the last one after the walk ends.
  next(): boolean {
    const offset = this.#offset + TCP_ROW_SIZE;
    this.#offset = offset;
    return offset <= this.#last;
  }
  get state(): number {
    return this.#view.getUint32(this.#offset, true);
  }
  get localPort(): number {
    return this.#view.getUint32(this.#offset + 8, true);
  }
  get owningPid(): number {
    return this.#view.getUint32(this.#offset + 20, true);
  }
}

/**
 * A hand-written view: a fresh object per row whose getters read the bytes in place. It is the hand-written
 * equivalent of the toolkit's `at(i)`: when V8 removes the allocation (escape analysis) it costs little more
 * than the loop, and when it does not, each row is an object to collect.
 */
class TcpRowView {
  #view: DataView;
  #offset = 0;
  constructor(view: DataView, offset: number) {
    this.#view = view;
    this.#offset = offset;
  }
  get state(): number {
    return this.#view.getUint32(this.#offset, true);
  }
  get localPort(): number {
    return this.#view.getUint32(this.#offset + 8, true);
  }
  get owningPid(): number {
    return this.#view.getUint32(this.#offset + 20, true);
  }
}

/**
 * A decoder of a whole taskstats row into a fresh object, equivalent to writing out its 55 fields by hand
 * (which is what the baseline stands for); built from the layout so that it cannot drift from it.
 */
const readTaskstatsRow = new Function(
  "view",
  "bytes",
  "o",
  "return {" + TASKSTATS_LAYOUT.map((f) => {
    if (f.type === "char" || f.count > 1) {
      return `${f.name}: bytes.slice(o + ${f.offset}, o + ${f.offset + f.size})`;
    }
    const getter =
      { u8: "getUint8", u16: "getUint16", u32: "getUint32", u64: "getBigUint64", char: "getUint8" }[f.type];
    return `${f.name}: view.${getter}(o + ${f.offset}, true)`;
  }).join(", ") + "};",
) as (view: DataView, bytes: Uint8Array, offset: number) => { ac_pid: number };

/** The "sum owningPid" group at `n` rows; the garbage suite measures the same contestants. */
export function tcpSumGroup(context: SuiteContext, n: number): GroupPlan<RowData> {
  const expected = expectedPidSum(n);
  const contestants: Contestant<RowData>[] = [
    {
      name: "DataView loop",
      technique: "baseline",
      make: ({ bytes }) => () => dataViewPidSum(bytes),
    },
    {
      name: "strided Uint32Array loop",
      technique: "baseline",
      make: ({ bytes }) => () => {
        const words = new Uint32Array(bytes.buffer);
        let sum = 0;
        for (let i = 5; i < words.length; i += 6) sum += words[i]!;
        return sum;
      },
    },
    {
      name: "fresh object per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += readTcpRow(view, i * TCP_ROW_SIZE).owningPid;
        return sum;
      },
    },
    {
      name: "fresh view per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += new TcpRowView(view, i * TCP_ROW_SIZE).owningPid;
        return sum;
      },
    },
    {
      name: "reused row object",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const row = new ReusedTcpRow(new DataView(bytes.buffer));
        let sum = 0;
        for (let i = 0; i < n; i++) {
          row.offset = i * TCP_ROW_SIZE;
          sum += row.owningPid;
        }
        return sum;
      },
    },
    {
      name: "hand-written cursor next()",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const row = new TcpRowCursor(new DataView(bytes.buffer), n);
        let sum = 0;
        while (row.next()) sum += row.owningPid;
        return sum;
      },
    },
    {
      name: "copy into Row[]",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        let sum = 0;
        for (const row of copyTcpRows(bytes, n)) sum += row.owningPid;
        return sum;
      },
    },
    cLoop(context, "tcp_sum_owning_pid"),
    {
      name: "bun-ffi-structs unpackList",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const rows = bunTcpRow.unpackList(bytes.buffer, n);
        let sum = 0;
        for (const row of rows) sum += row.dwOwningPid;
        return sum;
      },
    },
    {
      name: "restructure Array decode",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const rows = restructureDecodeAll(restructureTcpRow, bytes, n) as { dwOwningPid: number }[];
        let sum = 0;
        for (const row of rows) sum += row.dwOwningPid;
        return sum;
      },
    },
    ...toolkitRowContestants("tcpSum"),
  ];
  return {
    suite: "rows",
    group: GROUPS.tcpSum,
    n,
    setup: () => ({ n, bytes: fillTcpRows(n) }),
    check: (result) => result === expected ? undefined : `sum ${String(result)}, expected ${expected}`,
    contestants,
  };
}

function tcpCollectGroup(context: SuiteContext, n: number): GroupPlan<RowData> {
  const expected = expectedListenPorts(n);
  const fingerprint = portsFingerprint(expected);
  const contestants: Contestant<RowData>[] = [
    {
      name: "DataView loop",
      technique: "baseline",
      make: ({ bytes }) => () => dataViewListenPorts(bytes),
    },
    {
      name: "strided Uint32Array loop",
      technique: "baseline",
      make: ({ bytes }) => () => {
        const words = new Uint32Array(bytes.buffer);
        const ports: number[] = [];
        for (let i = 0; i < words.length; i += 6) {
          if (words[i] === TCP_FILTER_STATE) ports.push(swap16(words[i + 2]! & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "fresh object per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          const row = readTcpRow(view, i * TCP_ROW_SIZE);
          if (row.state === TCP_FILTER_STATE) ports.push(swap16(row.localPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "fresh view per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          const row = new TcpRowView(view, i * TCP_ROW_SIZE);
          if (row.state === TCP_FILTER_STATE) ports.push(swap16(row.localPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "reused row object",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const row = new ReusedTcpRow(new DataView(bytes.buffer));
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          row.offset = i * TCP_ROW_SIZE;
          if (row.state === TCP_FILTER_STATE) ports.push(swap16(row.localPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "hand-written cursor next()",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const row = new TcpRowCursor(new DataView(bytes.buffer), n);
        const ports: number[] = [];
        while (row.next()) {
          if (row.state === TCP_FILTER_STATE) ports.push(swap16(row.localPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "copy into Row[]",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const ports: number[] = [];
        for (const row of copyTcpRows(bytes, n)) {
          if (row.state === TCP_FILTER_STATE) ports.push(swap16(row.localPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "C loop (one FFI call)",
      technique: "native",
      make: needsRaw(context, (raw, { bytes, n }) => {
        const scan = raw.symbols.tcp_collect_local_ports;
        const out = new Uint16Array(n);
        return () => out.subarray(0, Number(scan(bytes, n, TCP_FILTER_STATE, out)));
      }),
    },
    {
      name: "bun-ffi-structs unpackList",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const ports: number[] = [];
        for (const row of bunTcpRow.unpackList(bytes.buffer, n)) {
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
        }
        return ports;
      },
    },
    {
      name: "restructure Array decode",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const rows = restructureDecodeAll(restructureTcpRow, bytes, n) as {
          dwState: number;
          dwLocalPort: number;
        }[];
        const ports: number[] = [];
        for (const row of rows) {
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
        }
        return ports;
      },
    },
    ...toolkitRowContestants("tcpCollect"),
  ];
  return {
    suite: "rows",
    group: GROUPS.tcpCollect,
    n,
    setup: () => ({ n, bytes: fillTcpRows(n) }),
    check(result) {
      const got = portsFingerprint(result as ArrayLike<number>);
      return got === fingerprint
        ? undefined
        : `${(result as ArrayLike<number>).length} ports, expected ${expected.length}`;
    },
    contestants,
  };
}

function taskstatsSumGroup(context: SuiteContext, n: number): GroupPlan<RowData> {
  const expected = expectedAcPidSum(n);
  const pidOffset = TASKSTATS_OFFSETS.ac_pid;
  const contestants: Contestant<RowData>[] = [
    {
      name: "DataView loop",
      technique: "baseline",
      make: ({ bytes }) => () => dataViewAcPidSum(bytes),
    },
    {
      name: "strided Uint32Array loop",
      technique: "baseline",
      make: ({ bytes }) => () => {
        const words = new Uint32Array(bytes.buffer);
        const stride = TASKSTATS_SIZE / 4;
        let sum = 0;
        for (let i = pidOffset / 4; i < words.length; i += stride) sum += words[i]!;
        return sum;
      },
    },
    {
      name: "fresh object per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += readTaskstatsRow(view, bytes, i * TASKSTATS_SIZE).ac_pid;
        return sum;
      },
    },
    cLoop(context, "taskstats_sum_ac_pid"),
    {
      name: "bun-ffi-structs unpackList",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        let sum = 0;
        for (const row of bunTaskstats.unpackList(bytes.buffer, n)) sum += row.ac_pid as number;
        return sum;
      },
    },
    {
      name: "restructure Array decode",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const rows = restructureDecodeAll(restructureTaskstats, bytes, n) as { ac_pid: number }[];
        let sum = 0;
        for (const row of rows) sum += row.ac_pid;
        return sum;
      },
    },
    ...toolkitRowContestants("taskstatsSum"),
  ];
  return {
    suite: "rows",
    group: GROUPS.taskstatsSum,
    n,
    setup: () => ({ n, bytes: fillTaskstats(n) }),
    check: (result) => result === expected ? undefined : `sum ${String(result)}, expected ${expected}`,
    contestants,
  };
}

/**
 * The row with arrays inside: the same bytes as MIB_TCPROW_OWNER_PID, its addresses read as `u8[4]`. No
 * bun-ffi-structs contestant: it has no arrays inside a struct (see `_peers.ts`).
 */
export function tcpBytesSumGroup(context: SuiteContext, n: number): GroupPlan<RowData> {
  const expected = expectedAddressSum(n);
  const contestants: Contestant<RowData>[] = [
    {
      name: "DataView loop",
      technique: "baseline",
      make: ({ bytes }) => () => dataViewAddressSum(bytes),
    },
    {
      name: "strided typed-array loop",
      technique: "baseline",
      make: ({ bytes }) => () => {
        const words = new Uint32Array(bytes.buffer);
        let sum = 0;
        for (let i = 5, o = 0; i < words.length; i += 6, o += TCP_ROW_SIZE) {
          sum += words[i]! + bytes[o + 4]! + bytes[o + 12]!;
        }
        return sum;
      },
    },
    {
      name: "fresh object per row",
      technique: "baseline",
      make: ({ bytes, n }) => () => {
        const view = new DataView(bytes.buffer);
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const row = readTcpBytesRow(view, i * TCP_ROW_SIZE);
          sum += row.owningPid + row.localAddr[0]! + row.remoteAddr[0]!;
        }
        return sum;
      },
    },
    cLoop(context, "tcp_bytes_sum_owning_pid_and_addresses"),
    {
      name: "restructure Array decode",
      technique: "peer",
      make: ({ bytes, n }) => () => {
        const rows = restructureDecodeAll(restructureTcpBytesRow, bytes, n) as {
          dwLocalAddr: number[];
          dwRemoteAddr: number[];
          dwOwningPid: number;
        }[];
        let sum = 0;
        for (const row of rows) sum += row.dwOwningPid + row.dwLocalAddr[0]! + row.dwRemoteAddr[0]!;
        return sum;
      },
    },
    ...toolkitRowContestants("tcpBytesSum"),
  ];
  return {
    suite: "rows",
    group: GROUPS.tcpBytesSum,
    n,
    setup: () => ({ n, bytes: fillTcpRows(n) }),
    check: (result) => result === expected ? undefined : `sum ${String(result)}, expected ${expected}`,
    contestants,
  };
}

/**
 * The rows suite's groups: four scans at each row count.
 *
 * @param context The worker's mode and raw FFI.
 * @returns The groups, in the order they run.
 */
export function plan(context: SuiteContext): GroupPlan<RowData>[] {
  const groups: GroupPlan<RowData>[] = [];
  const makers = [
    [ROW_GROUPS.tcpSum, tcpSumGroup],
    [ROW_GROUPS.tcpCollect, tcpCollectGroup],
    [ROW_GROUPS.tcpBytesSum, tcpBytesSumGroup],
    [ROW_GROUPS.taskstatsSum, taskstatsSumGroup],
  ] as const;
  for (const n of allRowCounts(context.quick)) {
    for (const [group, make] of makers) {
      if (rowCountsOf(group, context.quick).includes(n)) groups.push(make(context, n));
    }
  }
  return groups;
}

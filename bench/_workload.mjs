// @ts-self-types="./_workload.d.mts"
/**
 * The row layouts, deterministic fills and expected answers shared by every runtime's row benchmarks,
 * including the Node peer (plain JavaScript, because the machine's Node cannot run TypeScript).
 *
 * @module
 */

/*
 * typedef struct _MIB_TCPROW_OWNER_PID {
 *   DWORD dwState; DWORD dwLocalAddr; DWORD dwLocalPort;
 *   DWORD dwRemoteAddr; DWORD dwRemotePort; DWORD dwOwningPid;
 * } MIB_TCPROW_OWNER_PID;
 */
export const TCP_ROW_SIZE = 24;
export const TCP_OFFSETS = Object.freeze({
  state: 0,
  localAddr: 4,
  localPort: 8,
  remoteAddr: 12,
  remotePort: 16,
  owningPid: 20,
});
/** The state the "collect localPort" workload filters on, as written in the issue. */
export const TCP_FILTER_STATE = 5;

/*
 * struct taskstats, version 13 (<linux/taskstats.h>): field name, type, and an explicit alignment where the
 * header has `__attribute__((aligned(8)))`. Offsets are computed below and checked against the C compiler's
 * `offsetof` when `cc` is available.
 */
export const TASKSTATS_FIELDS = Object.freeze([
  ["version", "u16"],
  ["ac_exitcode", "u32"],
  ["ac_flag", "u8"],
  ["ac_nice", "u8"],
  ["cpu_count", "u64", 8],
  ["cpu_delay_total", "u64"],
  ["blkio_count", "u64"],
  ["blkio_delay_total", "u64"],
  ["swapin_count", "u64"],
  ["swapin_delay_total", "u64"],
  ["cpu_run_real_total", "u64"],
  ["cpu_run_virtual_total", "u64"],
  ["ac_comm", "char[32]"],
  ["ac_sched", "u8", 8],
  ["ac_pad", "u8[3]"],
  ["ac_uid", "u32", 8],
  ["ac_gid", "u32"],
  ["ac_pid", "u32"],
  ["ac_ppid", "u32"],
  ["ac_btime", "u32"],
  ["ac_etime", "u64", 8],
  ["ac_utime", "u64"],
  ["ac_stime", "u64"],
  ["ac_minflt", "u64"],
  ["ac_majflt", "u64"],
  ["coremem", "u64"],
  ["virtmem", "u64"],
  ["hiwater_rss", "u64"],
  ["hiwater_vm", "u64"],
  ["read_char", "u64"],
  ["write_char", "u64"],
  ["read_syscalls", "u64"],
  ["write_syscalls", "u64"],
  ["read_bytes", "u64"],
  ["write_bytes", "u64"],
  ["cancelled_write_bytes", "u64"],
  ["nvcsw", "u64"],
  ["nivcsw", "u64"],
  ["ac_utimescaled", "u64"],
  ["ac_stimescaled", "u64"],
  ["cpu_scaled_run_real_total", "u64"],
  ["freepages_count", "u64"],
  ["freepages_delay_total", "u64"],
  ["thrashing_count", "u64"],
  ["thrashing_delay_total", "u64"],
  ["ac_btime64", "u64"],
  ["compact_count", "u64"],
  ["compact_delay_total", "u64"],
  ["ac_tgid", "u32"],
  ["ac_tgetime", "u64", 8],
  ["ac_exe_dev", "u64"],
  ["ac_exe_inode", "u64"],
  ["wpcopy_count", "u64"],
  ["wpcopy_delay_total", "u64"],
]);

const ELEMENT = { u8: 1, u16: 2, u32: 4, u64: 8, char: 1 };

function layoutOf(fields) {
  const offsets = {};
  const out = [];
  let offset = 0;
  let maxAlign = 1;
  for (const [name, type, aligned] of fields) {
    const match = /^(\w+)(?:\[(\d+)\])?$/.exec(type);
    const element = ELEMENT[match[1]];
    const count = match[2] === undefined ? 1 : Number(match[2]);
    const align = Math.max(element, aligned ?? 1);
    offset = Math.ceil(offset / align) * align;
    offsets[name] = offset;
    out.push({ name, type: match[1], count, offset, size: element * count });
    offset += element * count;
    maxAlign = Math.max(maxAlign, align);
  }
  return { offsets, fields: out, size: Math.ceil(offset / maxAlign) * maxAlign };
}

const taskstats = layoutOf(TASKSTATS_FIELDS);
export const TASKSTATS_OFFSETS = Object.freeze(taskstats.offsets);
export const TASKSTATS_LAYOUT = Object.freeze(taskstats.fields);
export const TASKSTATS_SIZE = taskstats.size;

/** Swaps the two bytes of a 16-bit value (network to host order on a little-endian machine). */
export function swap16(value) {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

/**
 * The hand-written DataView loops, the baseline of each row scan on every runtime (Node's peer too): sum
 * `owningPid`, collect `localPort` where `state == 5`, and sum taskstats' `ac_pid`.
 */
export function dataViewPidSum(bytes) {
  const view = new DataView(bytes.buffer);
  let sum = 0;
  for (let o = 20; o < bytes.length; o += TCP_ROW_SIZE) sum += view.getUint32(o, true);
  return sum;
}

/** See `dataViewPidSum`. */
export function dataViewListenPorts(bytes) {
  const view = new DataView(bytes.buffer);
  const ports = [];
  for (let o = 0; o < bytes.length; o += TCP_ROW_SIZE) {
    if (view.getUint32(o, true) === TCP_FILTER_STATE) {
      ports.push(swap16(view.getUint32(o + 8, true) & 0xffff));
    }
  }
  return ports;
}

/** See `dataViewPidSum`. */
export function dataViewAcPidSum(bytes) {
  const view = new DataView(bytes.buffer);
  let sum = 0;
  for (let o = TASKSTATS_OFFSETS.ac_pid; o < bytes.length; o += TASKSTATS_SIZE) {
    sum += view.getUint32(o, true);
  }
  return sum;
}

/**
 * The baseline of the row with arrays inside (MIB_TCPROW_OWNER_PID with its two addresses as `u8[4]`, over the
 * same bytes): sum `owningPid` and the first byte of each address.
 */
export function dataViewAddressSum(bytes) {
  const view = new DataView(bytes.buffer);
  let sum = 0;
  for (let o = 0; o < bytes.length; o += TCP_ROW_SIZE) {
    sum += view.getUint32(o + 20, true) + view.getUint8(o + 4) + view.getUint8(o + 12);
  }
  return sum;
}

/** Fills `n` MIB_TCPROW_OWNER_PID rows; the same `n` always gives the same bytes. */
export function fillTcpRows(n) {
  const bytes = new Uint8Array(n * TCP_ROW_SIZE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const o = i * TCP_ROW_SIZE;
    view.setUint32(o, (i * 7) % 12 + 1, true); // states 1..12
    view.setUint32(o + 4, (0x7f000001 + i) >>> 0, true);
    view.setUint32(o + 8, swap16(1024 + (i * 7919) % 60000), true); // port in network order, low 16 bits
    view.setUint32(o + 12, (0x0a000001 + i * 3) >>> 0, true);
    view.setUint32(o + 16, swap16(443 + (i % 3)), true);
    view.setUint32(o + 20, 1000 + (i * 31) % 50000, true);
  }
  return bytes;
}

/** Fills `n` taskstats rows: a byte pattern everywhere, then readable values in the fields the scans use. */
export function fillTaskstats(n) {
  const size = TASKSTATS_SIZE;
  const bytes = new Uint8Array(n * size);
  let seed = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  const view = new DataView(bytes.buffer);
  const o = TASKSTATS_OFFSETS;
  for (let i = 0; i < n; i++) {
    const base = i * size;
    view.setUint16(base + o.version, 13, true);
    view.setUint32(base + o.ac_exitcode, i % 7 === 0 ? 1 : 0, true);
    view.setUint32(base + o.ac_pid, 100 + (i % 4_000_000), true);
    view.setUint32(base + o.ac_ppid, 1, true);
    const comm = `proc${i}`;
    for (let c = 0; c < 32; c++) bytes[base + o.ac_comm + c] = c < comm.length ? comm.charCodeAt(c) : 0;
  }
  return bytes;
}

/** Sum of `dwOwningPid` over the first `n` rows of `fillTcpRows(n)`. */
export function expectedPidSum(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += 1000 + (i * 31) % 50000;
  return sum;
}

/** The ports the "collect localPort where state == 5" scan finds in `fillTcpRows(n)`, in host order. */
export function expectedListenPorts(n) {
  const ports = [];
  for (let i = 0; i < n; i++) {
    if ((i * 7) % 12 + 1 === TCP_FILTER_STATE) ports.push(1024 + (i * 7919) % 60000);
  }
  return ports;
}

/** What `dataViewAddressSum` gives over `fillTcpRows(n)`: the first address bytes are the addresses' low bytes. */
export function expectedAddressSum(n) {
  let sum = expectedPidSum(n);
  for (let i = 0; i < n; i++) sum += ((1 + i) & 0xff) + ((1 + i * 3) & 0xff);
  return sum;
}

/** Sum of `ac_pid` over `fillTaskstats(n)`. */
export function expectedAcPidSum(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += 100 + (i % 4_000_000);
  return sum;
}

/** A short, order-sensitive fingerprint of a list of ports, for checking a contestant's answer. */
export function portsFingerprint(ports) {
  let hash = ports.length;
  for (let i = 0; i < ports.length; i++) hash = (Math.imul(hash, 31) + ports[i]) | 0;
  return hash;
}

/** The rows suite's group titles, the same on every runtime (the summary and the dashboard join on them). */
export const ROW_GROUPS = Object.freeze({
  tcpSum: "MIB_TCPROW_OWNER_PID: sum owningPid",
  tcpCollect: "MIB_TCPROW_OWNER_PID: collect localPort where state == 5",
  taskstatsSum: "taskstats: sum ac_pid",
  tcpBytesSum: "MIB_TCPROW_OWNER_PID, addresses as u8[4]: sum owningPid and an address byte each",
});

/**
 * Row counts per mode, of the 24-byte rows. The quick run measures three sizes of every row question, so the
 * dashboard draws lines, within about a minute for Deno and Bun: its 1e3 rows of them cost 7 s of Deno's 26 s
 * of rows (each contestant's warm-up, samples and collection), so it skips them.
 */
export const ROW_COUNTS = Object.freeze({
  quick: Object.freeze([1e2, 1e4, 1e5]),
  full: Object.freeze([1e2, 1e3, 1e4, 1e5, 1e6]),
});

/**
 * The largest count of the wide row (`struct taskstats`, 416 bytes). A million of them is 416 MB of rows, and
 * copying them out as objects (55 fields, 45 of them BigInts) outgrows V8's default 4 GB heap: Deno died at
 * n = 1e6 in the first full run. The 24-byte row goes to a million.
 */
export const WIDE_ROW_LIMIT = 1e5;

/**
 * Row counts per mode of the wide row. In a quick run, the samples of 1e5 wide rows alone took 8 s on Deno and
 * 15 s for koffi's one-call decode (Node's part of the run fell from 34 s to 14 s without them), so a quick run
 * stops at 1e4, and keeps 1e3 for its third size.
 */
export const WIDE_ROW_COUNTS = Object.freeze({
  quick: Object.freeze([1e2, 1e3, 1e4]),
  full: Object.freeze([1e2, 1e3, 1e4, WIDE_ROW_LIMIT]),
});

/** The row counts a rows group is scanned at: the wide row's own, else the 24-byte rows'. */
export function rowCountsOf(group, quick) {
  return (group === ROW_GROUPS.taskstatsSum ? WIDE_ROW_COUNTS : ROW_COUNTS)[quick ? "quick" : "full"];
}

/** Every row count of a mode, ascending: the order the rows groups run in. */
export function allRowCounts(quick) {
  const mode = quick ? "quick" : "full";
  return [...new Set([...ROW_COUNTS[mode], ...WIDE_ROW_COUNTS[mode]])].sort((a, b) => a - b);
}

/** The length of the buffer passed to `sum_bytes`: short, so that the call dominates. */
export const SUM_LENGTH = 64;
/** Records per batch in the batch group: as many separate calls against one call over all of them. */
export const BATCH_SIZE = 1000;

/** The batch group's answer: the sum of `id + value` over records `{ id: i, value: i / 2 }`. */
export const BATCH_TOTAL = 1.5 * (BATCH_SIZE * (BATCH_SIZE - 1)) / 2;

/** How many ints the callback group's `qsort` sorts per operation (each a fresh copy of the same shuffle). */
export const QSORT_COUNT = 1000;

/** The calls suite's group titles, the same on every runtime. */
export const CALL_GROUPS = Object.freeze({
  add: "add(i32, i32)",
  getpid: "getpid()",
  syscall: "syscall(SYS_getpid)",
  sumNumber: "sum_bytes(buffer, usize): length as a number",
  sumBigInt: "sum_bytes(buffer, usize): length as a BigInt",
  batch: `batch of ${BATCH_SIZE} (u32, f64) records: separate calls against one call`,
  strlen: "strlen(const char *): the string encoded on every call",
  memset: "memset(pointer, int, size_t): a pointer argument",
  divStruct: "div(int, int): a div_t returned by value",
  fnPointer: "add(i32, i32) through a function pointer",
  variadic: "add_va(i32, ...): a variadic call with one extra i32",
  callback: `qsort() of ${QSORT_COUNT} ints: a comparator callback reading both ints`,
  byteOrder: "htons(u16): a network-order result swapped back",
  ownedString: "strdup(const char *): an owned string read, then freed",
  globalVariable: "stdout: a global variable's pointer read",
});

/** The port the byte-order group swaps to network order and back. */
export const HTONS_PORT = 8080;

/** The C string the owned-string group has strdup() copy (its length is the answer). */
export const STRDUP_TEXT = "/proc/self/status";

/** The division the struct-by-value group asks libc's `div()` for, and the answer as `quot * 1000 + rem`. */
export const DIV_ARGUMENTS = Object.freeze([1234567, 1000]);

/** The string the strlen group encodes on every call (ASCII, as paths and names mostly are). */
export const STRLEN_TEXT = "/proc/self/status";

/**
 * Time budgets per mode, for mitata's `measure()`: `minCpuTime` (ns) and `minSamples` are mitata's options;
 * above `capTime` (ns) expected for `minSamples` samples, a slow contestant takes fewer samples (at least 2).
 * `warmupTime` (ns) is spent calling the contestant before mitata measures it, and at least `warmupCalls`
 * calls are made where they fit in `warmupCap` (ns), so that even the quick mode's short budget measures
 * optimised code: a scan of 1e5 rows whose first call takes 15-20 ms (compiling) reaches its steady 0.3-0.5 ms
 * a call only after 3 to 25 more on Bun, the more the busier the machine, and Deno recompiles it after about
 * ten (bench/probes/warmup_calls.ts). The
 * quick mode is for smoke runs and the dashboard's run button.
 */
export const BUDGETS = Object.freeze({
  quick: Object.freeze({
    minCpuTime: 8e6,
    minSamples: 4,
    capTime: 1.5e8,
    warmupTime: 5e6,
    warmupCalls: 20,
    warmupCap: 1e8,
  }),
  full: Object.freeze({
    minCpuTime: 3e8,
    minSamples: 12,
    capTime: 2e9,
    warmupTime: 1e8,
    warmupCalls: 20,
    warmupCap: 1e9,
  }),
});

/** mitata `measure()` options for a contestant whose first call took `firstNs`, under `budget`. */
export function measureOptions(budget, firstNs) {
  const fits = Math.floor(budget.capTime / Math.max(firstNs, 1));
  if (fits >= budget.minSamples) return { min_cpu_time: budget.minCpuTime, min_samples: budget.minSamples };
  const samples = Math.max(2, fits);
  return { min_cpu_time: 0, min_samples: samples, max_samples: samples };
}

/**
 * Times one contestant whose first (checked) call took `firstNs`: warms it up, then measures it with mitata's
 * `measure()`. A contestant whose single call already exceeds the budget's `capTime` (a peer decoding a
 * million wide rows) is not called again: its one call is the measurement, in mitata's stats shape with one
 * sample and `single: true`.
 *
 * @param fn The contestant.
 * @param budget The mode's budget.
 * @param firstNs The duration of the first call.
 * @param measure mitata's `measure`.
 * @returns mitata's stats, without the generated loop source (`debug`).
 */
export async function timeContestant(fn, budget, firstNs, measure) {
  if (firstNs > budget.capTime) {
    return {
      kind: "fn",
      single: true,
      ticks: 1,
      samples: [firstNs],
      min: firstNs,
      max: firstNs,
      avg: firstNs,
      p25: firstNs,
      p50: firstNs,
      p75: firstNs,
      p99: firstNs,
      p999: firstNs,
    };
  }
  warmUp(fn, budget, firstNs);
  const { debug: _debug, ...stats } = await measure(fn, measureOptions(budget, firstNs));
  return thinSamples(stats);
}

/**
 * Calls `fn` for the budget's `warmupTime`, and for at least its `warmupCalls` calls where they fit in its
 * `warmupCap`; at most 1,000 calls. A contestant whose first call took half the cap or more is not warmed up.
 */
function warmUp(fn, budget, firstNs) {
  const start = performance.now();
  const least = start + budget.warmupTime / 1e6;
  const cap = start + budget.warmupCap / 1e6;
  if (budget.warmupTime === 0 || firstNs * 2 > budget.warmupCap) return;
  for (let i = 0; i < 1000; i++) {
    const now = performance.now();
    if (now >= cap || (now >= least && i >= budget.warmupCalls)) return;
    fn();
  }
}

/** The most samples a result file keeps per contestant. */
export const MAX_SAMPLES = 1000;

/**
 * Keeps at most `MAX_SAMPLES` of mitata's samples: evenly spaced order statistics of the sorted samples, so
 * the distribution's shape survives and a nanosecond call's hundred thousand samples do not bloat the file.
 * `sampleCount` keeps the original count.
 */
function thinSamples(stats) {
  const samples = stats.samples;
  if (samples.length <= MAX_SAMPLES) return stats;
  const kept = [];
  for (let i = 0; i < MAX_SAMPLES; i++) {
    kept.push(samples[Math.round((i * (samples.length - 1)) / (MAX_SAMPLES - 1))]);
  }
  return { ...stats, samples: kept, sampleCount: samples.length };
}

/**
 * What the mitata context takes to measure (its no-op calibration), in ms: a fixed cost per process. A quick
 * run calibrates with the quick budget (bench/_context.ts).
 */
export const CONTEXT_COST_MS = Object.freeze({ quick: 300, full: 4500 });

/**
 * The expected time of one contestant, in ms, for the progress line's time-left estimate: the budget, plus
 * a term for the rows it scans (slow peers and copies dominate at a million rows).
 */
export function contestantCostMs(budget, n) {
  return (budget.minCpuTime + budget.warmupTime) / 1e6 + (n ?? 0) * (budget.minCpuTime < 1e8 ? 3e-4 : 1.5e-3);
}

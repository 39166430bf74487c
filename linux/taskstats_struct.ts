/**
 * The kernel's `struct taskstats` in every version it may send (9 to 17): the seed's checked cast of a
 * `TASKSTATS_TYPE_STATS` payload to the version its size names, and its fields decoded into a typed object
 * whose field names carry their units.
 *
 * @module
 */
import { type InferFields, LayoutError, type StructType } from "../structs/mod.ts";
import {
  taskstats_v14,
  taskstats_v15,
  taskstats_v16,
  taskstats_v17,
  taskstats_v9,
} from "./_extra_layouts.ts";
import {
  taskstats_v10,
  taskstats_v11,
  taskstats_v12,
  taskstats_v13,
  type taskstatsV10Fields,
  type taskstatsV13Fields,
} from "./layouts.ts";

/** The newest `struct taskstats` version these bindings know field by field. */
export const TASKSTATS_KNOWN_VERSION = 17;

// Distinct sizes, tried by castOneOf; version 15 has version 16's size and is told apart by its version field.
const LAYOUTS_BY_SIZE = [
  taskstats_v9,
  taskstats_v10,
  taskstats_v11,
  taskstats_v12,
  taskstats_v13,
  taskstats_v14,
  taskstats_v16,
  taskstats_v17,
] as const;
// Read on the first error, not at import: reading a size places the layout (structs/_deferred.ts).
const knownSizes = (): readonly number[] => Object.freeze(LAYOUTS_BY_SIZE.map((layout) => layout.size));

/** One kind of delay: how many were recorded and how long they took in total. */
export interface TaskDelay {
  /** Number of delays recorded. */
  count: bigint;
  /** Their total, in nanoseconds (wraps to 0 on overflow, as the kernel's counter does). */
  totalNanoseconds: bigint;
  /** The longest single delay in nanoseconds (struct version 15 and later), else `undefined`. */
  maxNanoseconds: bigint | undefined;
  /** The shortest single delay in nanoseconds (struct version 15 and later), else `undefined`. */
  minNanoseconds: bigint | undefined;
}

/**
 * A task's statistics, decoded from `struct taskstats`. 64-bit counters are BigInts. Fields a struct version
 * does not have are `undefined`.
 *
 * Delay accounting (`delays`) counts only while the kernel has it on (`delayacct` on the command line or
 * `/proc/sys/kernel/task_delayacct`; see `delayAccountingEnabled()`), except CPU delays, which come from the
 * scheduler's statistics. For a thread group the kernel sums CPU times, delays and context switches over its
 * threads and leaves the identity fields (`pid`, `command`, `uid`, `waitStatus`, …) zero and `executable`
 * unknown; `tgid` is filled in from the task's own statistics.
 */
export interface Taskstats {
  /** `struct taskstats` version the kernel sent. */
  version: number;
  /** Process (task) id: `ac_pid`. */
  pid: number;
  /**
   * Thread-group id (the process id of a thread): `ac_tgid`, version 12 and later, else `undefined`. For a
   * thread group's statistics, the group's id even when it was asked for by the id of one of its other threads.
   */
  tgid: number | undefined;
  /** Parent process id: `ac_ppid`. */
  ppid: number;
  /** The command name (`comm`, at most 15 characters on Linux): `ac_comm`. */
  command: string;
  /** Real user id: `ac_uid`. */
  uid: number;
  /** Real group id: `ac_gid`. */
  gid: number;
  /**
   * The raw wait status (`ac_exitcode`), as `waitpid(2)` would report it: `_exit(7)` is 1792 (7 << 8), a kill
   * by `SIGTERM` is 15. The kernel fills it in only once the task is exiting (`PF_EXITING`), so a running task
   * reads 0, like one that exited with 0.
   */
  waitStatus: number;
  /**
   * The exit code when the task exited normally (`WIFEXITED`, then `WEXITSTATUS`), else `undefined`. Also 0 for
   * a task still running: see `waitStatus`.
   */
  exitCode: number | undefined;
  /** The signal that ended the task (`WIFSIGNALED`, then `WTERMSIG`), else `undefined`. */
  exitSignal: number | undefined;
  /** Accounting flags (`AFORK`, `ASU`, `ACORE`, `AXSIG`): `ac_flag`. */
  flags: number;
  /** Nice value: `ac_nice`. */
  nice: number;
  /** Scheduling discipline: `ac_sched`. */
  scheduler: number;
  /** When the task began, in seconds since 1970: `ac_btime64` (or `ac_btime` before version 10). */
  beginTimeSeconds: bigint;
  /** Time since the task began, in microseconds: `ac_etime`. */
  elapsedMicroseconds: bigint;
  /** CPU time. */
  cpu: {
    /** User CPU time in microseconds: `ac_utime`. */
    userMicroseconds: bigint;
    /** System CPU time in microseconds: `ac_stime`. */
    systemMicroseconds: bigint;
    /** User time scaled by CPU frequency, in microseconds: `ac_utimescaled`. */
    userScaledMicroseconds: bigint;
    /** System time scaled by CPU frequency, in microseconds: `ac_stimescaled`. */
    systemScaledMicroseconds: bigint;
    /** Wall-clock running time in nanoseconds: `cpu_run_real_total`. */
    runRealNanoseconds: bigint;
    /** Running time as the kernel saw it, in nanoseconds: `cpu_run_virtual_total`. */
    runVirtualNanoseconds: bigint;
    /** Scaled `runRealNanoseconds`: `cpu_scaled_run_real_total`. */
    scaledRunRealNanoseconds: bigint;
    /** Voluntary context switches: `nvcsw`. */
    voluntaryContextSwitches: bigint;
    /** Involuntary context switches: `nivcsw`. */
    involuntaryContextSwitches: bigint;
  };
  /** Delay accounting: time spent waiting, by cause. */
  delays: {
    /** Waiting for a CPU while runnable. */
    cpu: TaskDelay;
    /** Waiting for synchronous block I/O. */
    blockIo: TaskDelay;
    /** Waiting for swap-in page faults. */
    swapIn: TaskDelay;
    /** Waiting for memory reclaim. */
    freePages: TaskDelay;
    /** Waiting on thrashing pages. */
    thrashing: TaskDelay;
    /** Waiting for memory compaction (version 11 and later). */
    compaction: TaskDelay | undefined;
    /** Waiting for write-protect copies (version 13 and later). */
    writeProtectCopy: TaskDelay | undefined;
    /** Delayed by IRQ and softirq work (version 14 and later). */
    irq: TaskDelay | undefined;
  };
  /** Memory. */
  memory: {
    /** Minor page faults: `ac_minflt`. */
    minorFaults: bigint;
    /** Major page faults: `ac_majflt`. */
    majorFaults: bigint;
    /** Accumulated RSS usage, in megabyte-microseconds: `coremem`. */
    rssMegabyteMicroseconds: bigint;
    /** Accumulated virtual memory usage, in megabyte-microseconds: `virtmem`. */
    virtualMegabyteMicroseconds: bigint;
    /** Peak RSS, in kilobytes: `hiwater_rss`. */
    peakRssKilobytes: bigint;
    /** Peak virtual memory, in kilobytes: `hiwater_vm`. */
    peakVirtualKilobytes: bigint;
  };
  /**
   * I/O, as `/proc/<pid>/io` counts it — but the kernel rounds the first four down to a multiple of 1024
   * (`KB_MASK` in kernel/tsacct.c), so small counts read 0.
   */
  io: {
    /** Bytes read by `read`-like calls, rounded down to a multiple of 1024: `read_char`. */
    readCharBytes: bigint;
    /** Bytes written by `write`-like calls, rounded down to a multiple of 1024: `write_char`. */
    writeCharBytes: bigint;
    /** `read`-like system calls, rounded down to a multiple of 1024: `read_syscalls`. */
    readSyscalls: bigint;
    /** `write`-like system calls, rounded down to a multiple of 1024: `write_syscalls`. */
    writeSyscalls: bigint;
    /** Bytes fetched from storage: `read_bytes`. */
    storageReadBytes: bigint;
    /** Bytes sent to storage: `write_bytes`. */
    storageWriteBytes: bigint;
    /** Bytes whose write-back was cancelled: `cancelled_write_bytes`. */
    cancelledWriteBytes: bigint;
  };
  /**
   * The program's binary: device and inode of the executable (`ac_exe_dev`, `ac_exe_inode`). `undefined` for
   * struct versions below 12, and when the kernel reports none (both 0): a zombie, whose memory (and with it
   * its executable) is gone; a kernel thread; and thread-group statistics.
   */
  executable: { device: bigint; inode: bigint } | undefined;
}

/** The fields `struct taskstats` versions 14 to 17 add to version 13, as they read. */
export interface TaskstatsLaterFields {
  /** Version 14: the number of IRQ delays. */
  irq_count: bigint;
  /** Version 14: the total IRQ delay, in nanoseconds. */
  irq_delay_total: bigint;
  /** Version 16 (15 in another order): the longest `cpu` delay, in nanoseconds. */
  cpu_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `cpu` delay, in nanoseconds. */
  cpu_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `blkio` delay, in nanoseconds. */
  blkio_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `blkio` delay, in nanoseconds. */
  blkio_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `swapin` delay, in nanoseconds. */
  swapin_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `swapin` delay, in nanoseconds. */
  swapin_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `freepages` delay, in nanoseconds. */
  freepages_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `freepages` delay, in nanoseconds. */
  freepages_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `thrashing` delay, in nanoseconds. */
  thrashing_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `thrashing` delay, in nanoseconds. */
  thrashing_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `compact` delay, in nanoseconds. */
  compact_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `compact` delay, in nanoseconds. */
  compact_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `wpcopy` delay, in nanoseconds. */
  wpcopy_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `wpcopy` delay, in nanoseconds. */
  wpcopy_delay_min: bigint;
  /** Version 16 (15 in another order): the longest `irq` delay, in nanoseconds. */
  irq_delay_max: bigint;
  /** Version 16 (15 in another order): the shortest `irq` delay, in nanoseconds. */
  irq_delay_min: bigint;
  /** Version 17: when the longest `cpu` delay happened (`struct __kernel_timespec`). */
  cpu_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `blkio` delay happened (`struct __kernel_timespec`). */
  blkio_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `swapin` delay happened (`struct __kernel_timespec`). */
  swapin_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `freepages` delay happened (`struct __kernel_timespec`). */
  freepages_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `thrashing` delay happened (`struct __kernel_timespec`). */
  thrashing_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `compact` delay happened (`struct __kernel_timespec`). */
  compact_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `wpcopy` delay happened (`struct __kernel_timespec`). */
  wpcopy_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
  /** Version 17: when the longest `irq` delay happened (`struct __kernel_timespec`). */
  irq_delay_max_ts: { tv_sec: bigint; tv_nsec: bigint };
}

/**
 * A `struct taskstats` of any known version (9 to 17), as `readTaskstatsStruct` copies it out: version 9's
 * fields always, and a later version's when the kernel sent that version.
 */
export type AnyTaskstats =
  & Partial<InferFields<typeof taskstatsV13Fields> & TaskstatsLaterFields>
  & Omit<InferFields<typeof taskstatsV10Fields>, "ac_btime64">;

// AnyTaskstats is written from public types; this stops compiling if it drifts from the layouts it reads.
type DerivedTaskstats = Partial<ReturnType<typeof taskstats_v17.read>> & ReturnType<typeof taskstats_v9.read>;
const _sameTaskstats: [AnyTaskstats, DerivedTaskstats, keyof AnyTaskstats] extends
  [DerivedTaskstats, AnyTaskstats, keyof DerivedTaskstats]
  ? [keyof DerivedTaskstats] extends [keyof AnyTaskstats] ? true
  : never
  : never = true;

/**
 * Casts a `TASKSTATS_TYPE_STATS` payload to `struct taskstats` with the seed's size check: the payload must
 * have exactly the size of a known version (version 15, the same size as 16, is told apart by its version
 * field). A payload longer than the newest known version from a newer kernel (version above
 * `TASKSTATS_KNOWN_VERSION`) is read as the newest known version's prefix, since the kernel only appends.
 *
 * @param payload The attribute's bytes.
 * @returns The struct's fields, copied out.
 * @throws {LayoutError} When the size matches no known version.
 */
export function readTaskstatsStruct(payload: Uint8Array): AnyTaskstats {
  if (payload.byteLength < 2) {
    throw new LayoutError({ layout: "taskstats", expected: knownSizes(), actual: payload.byteLength });
  }
  const version = new DataView(payload.buffer, payload.byteOffset, 2).getUint16(0, true);
  if (version === 15 && payload.byteLength === taskstats_v15.size) return taskstats_v15.read(payload);
  const newest = LAYOUTS_BY_SIZE[LAYOUTS_BY_SIZE.length - 1]!;
  if (version > TASKSTATS_KNOWN_VERSION && payload.byteLength > newest.size) {
    return newest.read(payload.subarray(0, newest.size));
  }
  // The seed's check: the bytes must be exactly the size of a struct this code knows.
  const layout = LAYOUTS_BY_SIZE.find((l) => l.size === payload.byteLength) as StructType | undefined;
  if (layout === undefined) {
    throw new LayoutError({ layout: "taskstats", expected: knownSizes(), actual: payload.byteLength });
  }
  return layout.read(payload) as unknown as AnyTaskstats;
}

function delay(count: bigint | undefined, total: bigint | undefined, max?: bigint, min?: bigint): TaskDelay {
  return { count: count ?? 0n, totalNanoseconds: total ?? 0n, maxNanoseconds: max, minNanoseconds: min };
}

function optionalDelay(count?: bigint, total?: bigint, max?: bigint, min?: bigint): TaskDelay | undefined {
  return count === undefined ? undefined : delay(count, total, max, min);
}

/**
 * Decodes the fields of a `struct taskstats` of any version into a `Taskstats`.
 *
 * @param s The struct's fields, from `readTaskstatsStruct`.
 * @returns The typed statistics.
 */
export function decodeTaskstats(s: AnyTaskstats): Taskstats {
  // The <sys/wait.h> macros: the low 7 bits are the terminating signal (0 for a normal exit, 0x7f for a
  // stopped task), bits 8–15 the exit code.
  const status = s.ac_exitcode;
  const signal = status & 0x7f;
  const exe = s.ac_exe_dev === undefined || s.ac_exe_inode === undefined ||
      (s.ac_exe_dev === 0n && s.ac_exe_inode === 0n)
    ? undefined
    : { device: s.ac_exe_dev, inode: s.ac_exe_inode };
  return {
    version: s.version,
    pid: s.ac_pid,
    tgid: s.ac_tgid,
    ppid: s.ac_ppid,
    command: s.ac_comm,
    uid: s.ac_uid,
    gid: s.ac_gid,
    waitStatus: status,
    exitCode: signal === 0 ? (status >> 8) & 0xff : undefined,
    exitSignal: signal !== 0 && signal !== 0x7f ? signal : undefined,
    flags: s.ac_flag,
    nice: (s.ac_nice << 24) >> 24,
    scheduler: s.ac_sched,
    beginTimeSeconds: s.ac_btime64 ?? BigInt(s.ac_btime),
    elapsedMicroseconds: s.ac_etime,
    cpu: {
      userMicroseconds: s.ac_utime,
      systemMicroseconds: s.ac_stime,
      userScaledMicroseconds: s.ac_utimescaled,
      systemScaledMicroseconds: s.ac_stimescaled,
      runRealNanoseconds: s.cpu_run_real_total,
      runVirtualNanoseconds: s.cpu_run_virtual_total,
      scaledRunRealNanoseconds: s.cpu_scaled_run_real_total,
      voluntaryContextSwitches: s.nvcsw,
      involuntaryContextSwitches: s.nivcsw,
    },
    delays: {
      cpu: delay(s.cpu_count, s.cpu_delay_total, s.cpu_delay_max, s.cpu_delay_min),
      blockIo: delay(s.blkio_count, s.blkio_delay_total, s.blkio_delay_max, s.blkio_delay_min),
      swapIn: delay(s.swapin_count, s.swapin_delay_total, s.swapin_delay_max, s.swapin_delay_min),
      freePages: delay(
        s.freepages_count,
        s.freepages_delay_total,
        s.freepages_delay_max,
        s.freepages_delay_min,
      ),
      thrashing: delay(
        s.thrashing_count,
        s.thrashing_delay_total,
        s.thrashing_delay_max,
        s.thrashing_delay_min,
      ),
      compaction: optionalDelay(
        s.compact_count,
        s.compact_delay_total,
        s.compact_delay_max,
        s.compact_delay_min,
      ),
      writeProtectCopy: optionalDelay(
        s.wpcopy_count,
        s.wpcopy_delay_total,
        s.wpcopy_delay_max,
        s.wpcopy_delay_min,
      ),
      irq: optionalDelay(s.irq_count, s.irq_delay_total, s.irq_delay_max, s.irq_delay_min),
    },
    memory: {
      minorFaults: s.ac_minflt,
      majorFaults: s.ac_majflt,
      rssMegabyteMicroseconds: s.coremem,
      virtualMegabyteMicroseconds: s.virtmem,
      peakRssKilobytes: s.hiwater_rss,
      peakVirtualKilobytes: s.hiwater_vm,
    },
    io: {
      readCharBytes: s.read_char,
      writeCharBytes: s.write_char,
      readSyscalls: s.read_syscalls,
      writeSyscalls: s.write_syscalls,
      storageReadBytes: s.read_bytes,
      storageWriteBytes: s.write_bytes,
      cancelledWriteBytes: s.cancelled_write_bytes,
    },
    executable: exe,
  };
}

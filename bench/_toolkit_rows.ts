/**
 * The toolkit's contestants in the rows suite, used as a user would: the two row types declared once with
 * `struct()`, then copied out (`read` per row, `toArray`) or read in place (`at`, a cursor, a column).
 *
 * @module
 */
import { aligned, array, char, DWORD, struct, u16, u32, u64, u8 } from "../mod.ts";
import type { Contestant } from "./_harness.ts";
import type { RowData } from "./rows.ts";
import { swap16, TASKSTATS_OFFSETS, TASKSTATS_SIZE, TCP_FILTER_STATE } from "./_workload.mjs";

/*
 * typedef struct _MIB_TCPROW_OWNER_PID {
 *   DWORD dwState; DWORD dwLocalAddr; DWORD dwLocalPort;
 *   DWORD dwRemoteAddr; DWORD dwRemotePort; DWORD dwOwningPid;
 * } MIB_TCPROW_OWNER_PID;
 */
/** MIB_TCPROW_OWNER_PID, as a toolkit user declares it. */
export const TcpRow = struct({
  dwState: DWORD,
  dwLocalAddr: DWORD,
  dwLocalPort: DWORD,
  dwRemoteAddr: DWORD,
  dwRemotePort: DWORD,
  dwOwningPid: DWORD,
}, { name: "MIB_TCPROW_OWNER_PID" });

/** struct taskstats, version 13 (<linux/taskstats.h>), as a toolkit user declares it. */
export const Taskstats = struct({
  version: u16,
  ac_exitcode: u32,
  ac_flag: u8,
  ac_nice: u8,
  cpu_count: aligned(u64, 8),
  cpu_delay_total: u64,
  blkio_count: u64,
  blkio_delay_total: u64,
  swapin_count: u64,
  swapin_delay_total: u64,
  cpu_run_real_total: u64,
  cpu_run_virtual_total: u64,
  ac_comm: array(char, 32, { string: true }),
  ac_sched: aligned(u8, 8),
  ac_pad: array(u8, 3),
  ac_uid: aligned(u32, 8),
  ac_gid: u32,
  ac_pid: u32,
  ac_ppid: u32,
  ac_btime: u32,
  ac_etime: aligned(u64, 8),
  ac_utime: u64,
  ac_stime: u64,
  ac_minflt: u64,
  ac_majflt: u64,
  coremem: u64,
  virtmem: u64,
  hiwater_rss: u64,
  hiwater_vm: u64,
  read_char: u64,
  write_char: u64,
  read_syscalls: u64,
  write_syscalls: u64,
  read_bytes: u64,
  write_bytes: u64,
  cancelled_write_bytes: u64,
  nvcsw: u64,
  nivcsw: u64,
  ac_utimescaled: u64,
  ac_stimescaled: u64,
  cpu_scaled_run_real_total: u64,
  freepages_count: u64,
  freepages_delay_total: u64,
  thrashing_count: u64,
  thrashing_delay_total: u64,
  ac_btime64: u64,
  compact_count: u64,
  compact_delay_total: u64,
  ac_tgid: u32,
  ac_tgetime: aligned(u64, 8),
  ac_exe_dev: u64,
  ac_exe_inode: u64,
  wpcopy_count: u64,
  wpcopy_delay_total: u64,
}, { name: "taskstats" });

const taskstatsPid = Taskstats.fields.find((f) => f.name === "ac_pid")?.offset;
if (Taskstats.size !== TASKSTATS_SIZE || taskstatsPid !== TASKSTATS_OFFSETS.ac_pid) {
  throw new Error(
    `The toolkit lays out taskstats as ${Taskstats.size} bytes with ac_pid at ${taskstatsPid}; the C header says ${TASKSTATS_SIZE} and ${TASKSTATS_OFFSETS.ac_pid}`,
  );
}

type Scan = "tcpSum" | "tcpCollect" | "taskstatsSum";

function tcpSum(): Contestant<RowData>[] {
  const size = TcpRow.size;
  return [
    {
      name: "toolkit read() per row",
      technique: "copy",
      make: ({ bytes, n }) => () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += TcpRow.read(bytes, i * size).dwOwningPid;
        return sum;
      },
    },
    {
      name: "toolkit toArray()",
      technique: "copy",
      make: ({ bytes }) => () => {
        let sum = 0;
        for (const row of TcpRow.array(bytes).toArray()) sum += row.dwOwningPid;
        return sum;
      },
    },
    {
      name: "toolkit at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += rows.at(i).dwOwningPid;
        return sum;
      },
    },
    {
      name: "toolkit cursor next()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const cursor = TcpRow.array(bytes).cursor();
        let sum = 0;
        while (cursor.next()) sum += cursor.row.dwOwningPid;
        return sum;
      },
    },
    {
      name: "toolkit cursor seek(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        const cursor = rows.cursor();
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += cursor.seek(i).dwOwningPid;
        return sum;
      },
    },
    {
      name: "toolkit column at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const pids = TcpRow.array(bytes).column("dwOwningPid");
        let sum = 0;
        for (let i = 0; i < pids.length; i++) sum += pids.at(i);
        return sum;
      },
    },
    {
      name: "toolkit column strided()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const pids = TcpRow.array(bytes).column("dwOwningPid");
        const strided = pids.strided();
        if (!strided) throw new Error("the column is not strided over a typed array");
        const { array: words, start, stride } = strided;
        let sum = 0;
        for (let i = 0, j = start; i < pids.length; i++, j += stride) sum += words[j]!;
        return sum;
      },
    },
  ];
}

function tcpCollect(): Contestant<RowData>[] {
  const size = TcpRow.size;
  const port = (raw: number) => swap16(raw & 0xffff);
  return [
    {
      name: "toolkit read() per row",
      technique: "copy",
      make: ({ bytes, n }) => () => {
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          const row = TcpRow.read(bytes, i * size);
          if (row.dwState === TCP_FILTER_STATE) ports.push(port(row.dwLocalPort));
        }
        return ports;
      },
    },
    {
      name: "toolkit toArray()",
      technique: "copy",
      make: ({ bytes }) => () => {
        const ports: number[] = [];
        for (const row of TcpRow.array(bytes).toArray()) {
          if (row.dwState === TCP_FILTER_STATE) ports.push(port(row.dwLocalPort));
        }
        return ports;
      },
    },
    {
      name: "toolkit at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        const ports: number[] = [];
        for (let i = 0; i < rows.length; i++) {
          const row = rows.at(i);
          if (row.dwState === TCP_FILTER_STATE) ports.push(port(row.dwLocalPort));
        }
        return ports;
      },
    },
    {
      name: "toolkit cursor next()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const cursor = TcpRow.array(bytes).cursor();
        const ports: number[] = [];
        while (cursor.next()) {
          const row = cursor.row;
          if (row.dwState === TCP_FILTER_STATE) ports.push(port(row.dwLocalPort));
        }
        return ports;
      },
    },
    {
      name: "toolkit cursor seek(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        const cursor = rows.cursor();
        const ports: number[] = [];
        for (let i = 0; i < rows.length; i++) {
          const row = cursor.seek(i);
          if (row.dwState === TCP_FILTER_STATE) ports.push(port(row.dwLocalPort));
        }
        return ports;
      },
    },
    {
      name: "toolkit column at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        const states = rows.column("dwState");
        const localPorts = rows.column("dwLocalPort");
        const ports: number[] = [];
        for (let i = 0; i < states.length; i++) {
          if (states.at(i) === TCP_FILTER_STATE) ports.push(port(localPorts.at(i)));
        }
        return ports;
      },
    },
    {
      name: "toolkit column strided()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpRow.array(bytes);
        const states = rows.column("dwState").strided();
        const localPorts = rows.column("dwLocalPort").strided();
        if (!states || !localPorts) throw new Error("the columns are not strided over a typed array");
        const words = states.array;
        const ports: number[] = [];
        for (
          let i = 0, s = states.start, p = localPorts.start;
          i < rows.length;
          i++, s += states.stride, p += localPorts.stride
        ) {
          if (words[s] === TCP_FILTER_STATE) ports.push(port(localPorts.array[p]!));
        }
        return ports;
      },
    },
  ];
}

function taskstatsSum(): Contestant<RowData>[] {
  const size = Taskstats.size;
  return [
    {
      name: "toolkit read() per row",
      technique: "copy",
      make: ({ bytes, n }) => () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += Taskstats.read(bytes, i * size).ac_pid;
        return sum;
      },
    },
    {
      name: "toolkit toArray()",
      technique: "copy",
      make: ({ bytes }) => () => {
        let sum = 0;
        for (const row of Taskstats.array(bytes).toArray()) sum += row.ac_pid;
        return sum;
      },
    },
    {
      name: "toolkit at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = Taskstats.array(bytes);
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += rows.at(i).ac_pid;
        return sum;
      },
    },
    {
      name: "toolkit cursor next()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const cursor = Taskstats.array(bytes).cursor();
        let sum = 0;
        while (cursor.next()) sum += cursor.row.ac_pid;
        return sum;
      },
    },
    {
      name: "toolkit cursor seek(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = Taskstats.array(bytes);
        const cursor = rows.cursor();
        let sum = 0;
        for (let i = 0; i < rows.length; i++) sum += cursor.seek(i).ac_pid;
        return sum;
      },
    },
    {
      name: "toolkit column at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const pids = Taskstats.array(bytes).column("ac_pid");
        let sum = 0;
        for (let i = 0; i < pids.length; i++) sum += pids.at(i);
        return sum;
      },
    },
    {
      name: "toolkit column strided()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const pids = Taskstats.array(bytes).column("ac_pid");
        const strided = pids.strided();
        if (!strided) throw new Error("the column is not strided over a typed array");
        const { array: words, start, stride } = strided;
        let sum = 0;
        for (let i = 0, j = start; i < pids.length; i++, j += stride) sum += words[j]!;
        return sum;
      },
    },
  ];
}

/** The toolkit's contestants for one of the rows suite's scans. */
export function toolkitRowContestants(scan: Scan): Contestant<RowData>[] {
  return scan === "tcpSum" ? tcpSum() : scan === "tcpCollect" ? tcpCollect() : taskstatsSum();
}

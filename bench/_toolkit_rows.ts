/**
 * The toolkit's contestants in the rows suite, used as a user would: the two row types declared once with
 * `struct()`, then copied out (`read` per row, `toArray`) or read in place (`at`, a cursor, a column).
 * `for...of` is left out: run in the same process, it slowed both cursors measured after it on Deno, the
 * hand-written one as much as the toolkit's (2.8-3.6 ns per row to 5.7-6.5; see the README).
 *
 * @module
 */
import { array, MIB_TCPROW_OWNER_PID, struct, taskstats, u32, u8 } from "../mod.ts";
import type { Contestant } from "./_harness.ts";
import type { RowData } from "./rows.ts";
import { swap16, TASKSTATS_OFFSETS, TASKSTATS_SIZE, TCP_FILTER_STATE } from "./_workload.mjs";

/** MIB_TCPROW_OWNER_PID and struct taskstats (version 13) as the toolkit ships them, used as a user would. */
export const TcpRow = MIB_TCPROW_OWNER_PID;
export const Taskstats = taskstats;

/**
 * A row with arrays inside: MIB_TCPROW_OWNER_PID with its two IPv4 addresses as the bytes of an `in_addr`
 * (`u8[4]`), the same 24 bytes.
 */
export const TcpBytesRow = struct({
  dwState: u32,
  dwLocalAddr: array(u8, 4),
  dwLocalPort: u32,
  dwRemoteAddr: array(u8, 4),
  dwRemotePort: u32,
  dwOwningPid: u32,
}, { name: "MIB_TCPROW_OWNER_PID" });

const taskstatsPid = Taskstats.fields.find((f) => f.name === "ac_pid")?.offset;
if (Taskstats.size !== TASKSTATS_SIZE || taskstatsPid !== TASKSTATS_OFFSETS.ac_pid) {
  throw new Error(
    `The toolkit lays out taskstats as ${Taskstats.size} bytes with ac_pid at ${taskstatsPid}; the C header says ${TASKSTATS_SIZE} and ${TASKSTATS_OFFSETS.ac_pid}`,
  );
}

type Scan = "tcpSum" | "tcpCollect" | "taskstatsSum" | "tcpBytesSum";

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
  return [
    {
      name: "toolkit read() per row",
      technique: "copy",
      make: ({ bytes, n }) => () => {
        const ports: number[] = [];
        for (let i = 0; i < n; i++) {
          const row = TcpRow.read(bytes, i * size);
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
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
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
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
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
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
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
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
          if (row.dwState === TCP_FILTER_STATE) ports.push(swap16(row.dwLocalPort & 0xffff));
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
          if (states.at(i) === TCP_FILTER_STATE) ports.push(swap16(localPorts.at(i) & 0xffff));
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
        const { array: stateWords, stride: stateStride } = states;
        const { array: portWords, stride: portStride } = localPorts;
        const ports: number[] = [];
        for (let i = 0, s = states.start, p = localPorts.start; i < rows.length; i++) {
          if (stateWords[s] === TCP_FILTER_STATE) ports.push(swap16(portWords[p]! & 0xffff));
          s += stateStride;
          p += portStride;
        }
        return ports;
      },
    },
  ];
}

// Written out again rather than shared with tcpSum: a loop generic over the row type would be polymorphic, and
// measure the JIT's dispatch instead of the access path.
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

// Written out again as well (see taskstatsSum).
function tcpBytesSum(): Contestant<RowData>[] {
  const size = TcpBytesRow.size;
  return [
    {
      name: "toolkit read() per row",
      technique: "copy",
      make: ({ bytes, n }) => () => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const row = TcpBytesRow.read(bytes, i * size);
          sum += row.dwOwningPid + row.dwLocalAddr[0]! + row.dwRemoteAddr[0]!;
        }
        return sum;
      },
    },
    {
      name: "toolkit toArray()",
      technique: "copy",
      make: ({ bytes }) => () => {
        let sum = 0;
        for (const row of TcpBytesRow.array(bytes).toArray()) {
          sum += row.dwOwningPid + row.dwLocalAddr[0]! + row.dwRemoteAddr[0]!;
        }
        return sum;
      },
    },
    {
      name: "toolkit at(i)",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const rows = TcpBytesRow.array(bytes);
        let sum = 0;
        for (let i = 0; i < rows.length; i++) {
          const row = rows.at(i);
          sum += row.dwOwningPid + row.dwLocalAddr.at(0) + row.dwRemoteAddr.at(0);
        }
        return sum;
      },
    },
    {
      name: "toolkit cursor next()",
      technique: "in-place",
      make: ({ bytes }) => () => {
        const cursor = TcpBytesRow.array(bytes).cursor();
        let sum = 0;
        while (cursor.next()) {
          const row = cursor.row;
          sum += row.dwOwningPid + row.dwLocalAddr.at(0) + row.dwRemoteAddr.at(0);
        }
        return sum;
      },
    },
  ];
}

/** The toolkit's contestants for one of the rows suite's scans. */
export function toolkitRowContestants(scan: Scan): Contestant<RowData>[] {
  return scan === "tcpSum"
    ? tcpSum()
    : scan === "tcpCollect"
    ? tcpCollect()
    : scan === "taskstatsSum"
    ? taskstatsSum()
    : tcpBytesSum();
}

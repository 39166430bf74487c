/**
 * Prints the kernel's taskstats of a process (default: this one) and of its thread group, through generic
 * netlink: the seed's checked cast of `struct taskstats`.
 *
 * Run: `deno run -A examples/taskstats.ts [pid]` or `bun examples/taskstats.ts [pid]`, as root: the kernel
 * answers only a process with CAP_NET_ADMIN, even about itself; without it the example says so and exits 1.
 *
 * @module
 */
import process from "node:process";
import { SyscallError } from "../mod.ts";
import { delayAccountingEnabled, type Taskstats, TaskstatsClient } from "../linux/mod.ts";

const pid = Number(process.argv[2] ?? process.pid);
// Burn a little CPU and do a little I/O so that this process has something to show.
let x = 0;
for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
void x;

function ms(nanoseconds: bigint): string {
  return `${(Number(nanoseconds) / 1e6).toFixed(3)} ms`;
}

function show(title: string, s: Taskstats): void {
  console.log(`${title} (struct taskstats version ${s.version})`);
  console.log(
    `  pid ${s.pid}  tgid ${s.tgid}  ppid ${s.ppid}  command "${s.command}"  uid ${s.uid}  gid ${s.gid}`,
  );
  console.log(
    `  cpu: user ${s.cpu.userMicroseconds} µs, system ${s.cpu.systemMicroseconds} µs, on-cpu ${
      ms(s.cpu.runVirtualNanoseconds)
    }, context switches ${s.cpu.voluntaryContextSwitches} voluntary / ${s.cpu.involuntaryContextSwitches} involuntary`,
  );
  const d = s.delays;
  console.log(
    `  delays: waiting for a CPU ${d.cpu.count}× ${ms(d.cpu.totalNanoseconds)}${
      d.cpu.maxNanoseconds === undefined ? "" : ` (longest ${ms(d.cpu.maxNanoseconds)})`
    }, block I/O ${d.blockIo.count}× ${
      ms(d.blockIo.totalNanoseconds)
    }, swap-in ${d.swapIn.count}×, reclaim ${d.freePages.count}×`,
  );
  console.log(
    `  memory: peak RSS ${s.memory.peakRssKilobytes} KiB, peak virtual ${s.memory.peakVirtualKilobytes} KiB, faults ${s.memory.minorFaults} minor / ${s.memory.majorFaults} major`,
  );
  console.log(
    `  io: read ${s.io.readCharBytes} B in ${s.io.readSyscalls} calls, wrote ${s.io.writeCharBytes} B in ${s.io.writeSyscalls} calls (the kernel rounds these four down to multiples of 1024), storage ${s.io.storageReadBytes} B in / ${s.io.storageWriteBytes} B out`,
  );
}

try {
  using client = TaskstatsClient.open();
  console.log(`TASKSTATS is generic netlink family ${client.family.id} (version ${client.family.version})`);
  show(`taskstats of pid ${pid}`, client.pid(pid));
  show(
    `taskstats of thread group ${pid} (summed over its threads; identity fields left zero by the kernel)`,
    client.threadGroup(pid),
  );
  const enabled = delayAccountingEnabled();
  if (enabled !== true) {
    console.log(
      `note: delay accounting is ${
        enabled === false ? "off (sysctl kernel.task_delayacct=0)" : "not available"
      }, so only CPU delays are counted`,
    );
  }
} catch (error) {
  if (!(error instanceof SyscallError)) throw error;
  console.error(`cannot read taskstats: ${error.message}`);
  process.exitCode = 1;
}

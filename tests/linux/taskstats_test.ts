/**
 * taskstats against independent sources: a child process this test starts (its pid from spawn, its command,
 * this process's uid and gid), this process's `/proc` files, and the kernel's own errors.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { compileC, runtime, test } from "../harness.ts";
import { cLayouts } from "../structs/_c.ts";
import { LayoutError, SyscallError } from "../../mod.ts";
import {
  delayAccountingEnabled,
  getTaskstats,
  getThreadGroupTaskstats,
  readTaskstatsStruct,
  TASKSTATS_KNOWN_VERSION,
  TaskstatsClient,
} from "../../linux/mod.ts";
import {
  taskstats_v14,
  taskstats_v15,
  taskstats_v16,
  taskstats_v17,
  taskstats_v9,
} from "../../linux/_extra_layouts.ts";
import { taskstats_v13 } from "../../linux/layouts.ts";

function taskstatsAvailable(): string | false {
  try {
    TaskstatsClient.open().close();
    return false;
  } catch (error) {
    return `the kernel offers no taskstats here: ${(error as Error).message}`;
  }
}
const unavailable = taskstatsAvailable();

async function startChild(): Promise<ChildProcess> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  // Wait until the child has exec'd sleep, so that its comm is no longer the runtime's.
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(`/proc/${child.pid}/comm`, "utf8").trim() === "sleep") break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 5));
  }
  return child;
}

test("getTaskstats() of a child process reports its pid, command, uid, gid and parent", async () => {
  const child = await startChild();
  try {
    const stats = getTaskstats(child.pid!);
    assert.equal(stats.pid, child.pid);
    assert.equal(stats.command, "sleep");
    assert.equal(stats.uid, process.getuid!());
    assert.equal(stats.gid, process.getgid!());
    assert.equal(stats.ppid, process.pid);
    assert.equal(stats.tgid, child.pid);
    assert.ok(stats.version >= 9, `version ${stats.version}`);
    // Begin time: within a minute of now (the kernel counts in seconds since 1970).
    assert.ok(
      Math.abs(Number(stats.beginTimeSeconds) - Date.now() / 1000) < 60,
      String(stats.beginTimeSeconds),
    );
  } finally {
    child.kill("SIGKILL");
  }
}, { ignore: unavailable });

// /proc/<pid>/task/<tid>/schedstat: time on the CPU (ns), time waiting to run (ns), timeslices run — the
// scheduler's counters that taskstats reports as cpu_run_virtual_total, cpu_delay_total and cpu_count.
function schedstat(pid: number, tid = pid): [bigint, bigint, bigint] {
  const [run, wait, slices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(" ");
  return [BigInt(run!), BigInt(wait!), BigInt(slices!)];
}

test("getTaskstats() of a sleeping child matches its /proc schedstat exactly", async () => {
  const child = await startChild();
  try {
    await new Promise((r) => setTimeout(r, 20));
    const [run, wait, slices] = schedstat(child.pid!);
    const stats = getTaskstats(child.pid!);
    assert.equal(stats.cpu.runVirtualNanoseconds, run);
    assert.equal(stats.delays.cpu.totalNanoseconds, wait);
    assert.equal(stats.delays.cpu.count, slices);
  } finally {
    child.kill("SIGKILL");
  }
}, { ignore: unavailable });

test(
  "getTaskstats() of a sleeping child reports /proc/<pid>/io, rounded down to KiB as the kernel does",
  async () => {
    const child = await startChild();
    try {
      await new Promise((r) => setTimeout(r, 20));
      const io = Object.fromEntries(
        readFileSync(`/proc/${child.pid}/io`, "utf8").trim().split("\n").map((l) => l.split(": ")).map((
          [k, v],
        ) => [k, BigInt(v!)]),
      ) as Record<string, bigint>;
      const stats = getTaskstats(child.pid!).io;
      const kb = (n: bigint) => n & ~1023n;
      assert.equal(stats.readCharBytes, kb(io.rchar!));
      assert.equal(stats.writeCharBytes, kb(io.wchar!));
      assert.equal(stats.readSyscalls, kb(io.syscr!));
      assert.equal(stats.writeSyscalls, kb(io.syscw!));
      assert.equal(stats.storageReadBytes, io.read_bytes);
      assert.equal(stats.storageWriteBytes, io.write_bytes);
      assert.equal(stats.cancelledWriteBytes, io.cancelled_write_bytes);
    } finally {
      child.kill("SIGKILL");
    }
  },
  { ignore: unavailable },
);

test("getTaskstats() of this process agrees with /proc/self: command, uid, CPU time and peak RSS", () => {
  const pid = process.pid;
  const before = schedstat(pid);
  const stats = getTaskstats(pid);
  const after = schedstat(pid);
  assert.equal(stats.pid, pid);
  assert.equal(stats.command, readFileSync("/proc/self/comm", "utf8").trim());
  assert.equal(stats.uid, process.getuid!());
  assert.equal(stats.gid, process.getgid!());
  const run = stats.cpu.runVirtualNanoseconds;
  assert.ok(run >= before[0] && run <= after[0], `${run} ns outside ${before[0]}..${after[0]}`);
  assert.ok(stats.delays.cpu.count >= before[2] && stats.delays.cpu.count <= after[2]);
  // cpu_run_real_total is utime + stime in nanoseconds; ac_utime and ac_stime are the same in microseconds.
  const micro = stats.cpu.userMicroseconds + stats.cpu.systemMicroseconds;
  const drift = stats.cpu.runRealNanoseconds / 1000n - micro;
  assert.ok(drift >= -2n && drift <= 2n, `${stats.cpu.runRealNanoseconds} ns vs ${micro} µs`);
  const status = readFileSync("/proc/self/status", "utf8");
  const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  // hiwater_rss is the peak RSS in KiB, as VmHWM; they may differ by what was mapped between the reads.
  const reported = Number(stats.memory.peakRssKilobytes);
  assert.ok(Math.abs(reported - peakRss) <= peakRss * 0.1, `${reported} vs ${peakRss}`);
});

// The first line a child prints, and the rest of its output once it exits. A child that exits before a whole
// line gives what it printed, so that a failing C program fails the test instead of hanging it.
function readOutput(child: ChildProcess): { line: Promise<string>; rest: Promise<string> } {
  let text = "";
  let resolveLine: (line: string) => void;
  const line = new Promise<string>((resolve) => resolveLine = resolve);
  child.stdout!.on("data", (chunk: Uint8Array | string) => {
    text += String(chunk);
    if (text.includes("\n")) resolveLine(text.slice(0, text.indexOf("\n")));
  });
  const rest = new Promise<string>((resolve) => {
    child.once("close", () => {
      resolveLine(text);
      resolve(text.slice(text.indexOf("\n") + 1));
    });
  });
  return { line, rest };
}

test("getTaskstats() of a live child reports the executable /proc/<pid>/exe is", async () => {
  const child = await startChild();
  try {
    const exe = statSync(`/proc/${child.pid}/exe`, { bigint: true });
    assert.deepEqual(getTaskstats(child.pid!).executable, { device: exe.dev, inode: exe.ino });
  } finally {
    child.kill("SIGKILL");
  }
}, { ignore: unavailable });

// Two zombies: one that called _exit(7) and one killed by SIGTERM, kept unreaped (waitid with WNOWAIT) until
// the test has asked taskstats about them; then reaped, with the status and what the <sys/wait.h> macros say.
const ZOMBIES_C = `
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t exited = fork();
  if (exited == 0) _exit(7);
  pid_t killed = fork();
  if (killed == 0) { signal(SIGTERM, SIG_DFL); for (;;) pause(); }
  kill(killed, SIGTERM);
  siginfo_t info;
  waitid(P_PID, exited, &info, WEXITED | WNOWAIT);
  waitid(P_PID, killed, &info, WEXITED | WNOWAIT);
  printf("%d %d\\n", exited, killed);
  fflush(stdout);
  getchar();
  pid_t pids[] = { exited, killed };
  for (int i = 0; i < 2; i++) {
    int status;
    waitpid(pids[i], &status, 0);
    printf("%d %d %d %d %d\\n", status, WIFEXITED(status), WEXITSTATUS(status), WIFSIGNALED(status), WTERMSIG(status));
  }
  return 0;
}
`;

test(
  "getTaskstats() of zombies: the raw wait status, its exit code or signal as <sys/wait.h> decodes them, no executable",
  async () => {
    const child = spawn(compileC(ZOMBIES_C, { shared: false }), [], { stdio: ["pipe", "pipe", "ignore"] });
    const output = readOutput(child);
    let seen: [number, number | undefined, number | undefined, unknown][];
    try {
      const pids = (await output.line).split(" ").map(Number);
      seen = pids.map((pid) => {
        const stats = getTaskstats(pid);
        assert.equal(stats.pid, pid);
        return [stats.waitStatus, stats.exitCode, stats.exitSignal, stats.executable];
      });
    } finally {
      child.stdin!.end("\n");
    }
    const reaped = (await output.rest).trim().split("\n").map((l) => l.split(" ").map(Number));
    assert.equal(reaped.length, 2, `the C program printed ${JSON.stringify(reaped)}`);
    for (const [i, [status, ifExited, exitStatus, ifSignaled, termSignal]] of reaped.entries()) {
      assert.deepEqual(seen[i], [
        status,
        ifExited ? exitStatus : undefined,
        ifSignaled ? termSignal : undefined,
        undefined, // a zombie's memory, and with it its executable, is gone: the kernel reports 0, 0
      ]);
    }
    assert.deepEqual(reaped.map((r) => r[0]), [7 << 8, 15], "_exit(7) and SIGTERM");
  },
  { ignore: unavailable },
);

const THREAD_C = `
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *run(void *arg) {
  printf("%d %d\\n", getpid(), gettid());
  fflush(stdout);
  for (;;) pause();
  return arg;
}
int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, run, 0);
  for (;;) pause();
}
`;

test(
  "getThreadGroupTaskstats() asked by a thread's id reports the group's id, as /proc/<pid>/task/<tid>/status",
  async () => {
    const child = spawn(compileC(THREAD_C, { shared: false, flags: ["-pthread"] }), [], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const [pid, tid] = (await readOutput(child).line).split(" ").map(Number) as [number, number];
      assert.notEqual(tid, pid);
      const procTgid = Number(
        /^Tgid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8"))?.[1],
      );
      assert.equal(procTgid, pid);
      const group = getThreadGroupTaskstats(tid);
      assert.equal(group.tgid, procTgid);
      assert.equal(getThreadGroupTaskstats(pid).tgid, procTgid);
      assert.equal(getTaskstats(tid).tgid, procTgid);
      assert.equal(group.pid, 0, "the kernel leaves a group's identity fields zero");
      assert.equal(group.executable, undefined);
    } finally {
      child.kill("SIGKILL");
    }
  },
  { ignore: unavailable },
);

// CAP_NET_ADMIN is bit 12 of the capability sets in /proc/<pid>/status (<linux/capability.h>).
const CAP_NET_ADMIN = 12n;
const CAP_SETPCAP = 8n;

function hasCapability(bit: bigint): boolean {
  const effective = /^CapEff:\s+([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return effective !== undefined && ((BigInt(`0x${effective}`) >> bit) & 1n) === 1n;
}

// Runs a script as this user without CAP_NET_ADMIN: taskstats asks for the capability, not for a uid. Where this
// process has it, setpriv drops it from the bounding set (which also takes it from root's exec'd child) and
// from the inheritable and ambient sets; where it has not, the child lacks it already. The child stays this
// user, so it reads the clone wherever the clone lives (a private home or `mktemp -d` folder included).
function runWithoutNetAdmin(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ffikit-no-net-admin-"));
  const script = join(dir, "script.ts");
  writeFileSync(script, source);
  try {
    const args = runtime === "deno" ? ["run", "-A", script] : [script];
    const [command, ...rest] = hasCapability(CAP_NET_ADMIN)
      ? ["setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "--ambient-caps=-net_admin", "--"]
      : [];
    return command === undefined
      ? execFileSync(process.execPath, args, { encoding: "utf8" })
      : execFileSync(command, [...rest, process.execPath, ...args], { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withoutNetAdminUnavailable(): string | false {
  if (unavailable) return unavailable;
  if (!hasCapability(CAP_NET_ADMIN)) return false;
  if (!hasCapability(CAP_SETPCAP)) {
    return "this process has CAP_NET_ADMIN but not CAP_SETPCAP: it cannot start a child without the former";
  }
  try {
    execFileSync("setpriv", ["--version"], { stdio: "ignore" });
  } catch {
    return "no setpriv (util-linux) to start a child without CAP_NET_ADMIN";
  }
  return false;
}

test("getTaskstats() without CAP_NET_ADMIN fails with EPERM that says the capability is needed", () => {
  const mod = new URL("../../linux/mod.ts", import.meta.url).href;
  const out = runWithoutNetAdmin(`
import { readFileSync } from "node:fs";
import { getTaskstats } from ${JSON.stringify(mod)};
console.log(JSON.stringify({ status: readFileSync("/proc/self/status", "utf8") }));
try {
  getTaskstats(1);
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, syscall: e.syscall, code: e.code, errno: e.errno, message: e.message }));
}
`);
  const lines = out.trim().split("\n");
  const status: string = JSON.parse(lines[0]!).status;
  const effective = BigInt(`0x${/^CapEff:\s+([0-9a-f]+)$/m.exec(status)?.[1]}`);
  assert.equal((effective >> CAP_NET_ADMIN) & 1n, 0n, "the child still has CAP_NET_ADMIN");
  assert.equal(/^Uid:\s+(\d+)/m.exec(status)?.[1], String(process.getuid!()), "the child is this user");
  const error = JSON.parse(lines.at(-1)!);
  assert.equal(error.name, "SyscallError", out);
  assert.equal(error.syscall, "netlink TASKSTATS_CMD_GET");
  assert.equal(error.code, "EPERM");
  assert.equal(error.errno, 1);
  assert.match(error.message, /needs CAP_NET_ADMIN.*GENL_ADMIN_PERM/);
}, { ignore: withoutNetAdminUnavailable(), timeout: 120_000 });

test("getThreadGroupTaskstats() sums the threads of this process", () => {
  const pid = process.pid;
  using client = TaskstatsClient.open();
  const main = client.pid(pid);
  const group = client.threadGroup(pid);
  assert.equal(group.tgid, pid);
  assert.equal(group.executable, undefined, "the kernel reports no executable for a thread group");
  const cpu = (s: typeof main) => s.cpu.userMicroseconds + s.cpu.systemMicroseconds;
  assert.ok(cpu(group) >= cpu(main), `group ${cpu(group)} µs < main thread ${cpu(main)} µs`);
  const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);
  assert.ok(threads >= 1);
  assert.ok(
    group.cpu.voluntaryContextSwitches + group.cpu.involuntaryContextSwitches >=
      main.cpu.voluntaryContextSwitches + main.cpu.involuntaryContextSwitches,
  );
});

function pidMax(): number {
  return Number(readFileSync("/proc/sys/kernel/pid_max", "utf8").trim());
}

test("getTaskstats() of a pid that does not exist fails with SyscallError ESRCH", () => {
  for (const run of [getTaskstats, getThreadGroupTaskstats]) {
    assert.throws(() => run(pidMax() + 1), (error: unknown) => {
      assert.ok(error instanceof SyscallError, String(error));
      assert.equal(error.syscall, "netlink TASKSTATS_CMD_GET");
      assert.equal(error.code, "ESRCH");
      assert.equal(error.errno, 3);
      return true;
    });
  }
  assert.throws(() => getTaskstats(0), RangeError);
  assert.throws(() => getTaskstats(-5), RangeError);
});

test("getTaskstats() of a child that exited and was reaped fails with ESRCH", async () => {
  const child = spawn("true", [], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  // Reaped by the runtime; the pid is free (and not reused this soon on a pid_max of thousands).
  await new Promise((r) => setTimeout(r, 20));
  assert.throws(
    () => getTaskstats(child.pid!),
    (e: unknown) => e instanceof SyscallError && e.code === "ESRCH",
  );
});

test("getTaskstats() decodes delay accounting: CPU delays counted, max ≥ min where the version has them", () => {
  const stats = getTaskstats(process.pid);
  const cpu = stats.delays.cpu;
  if (cpu.count === 0n) {
    console.log("note: the kernel counted no CPU delays for this process (CONFIG_SCHED_INFO off?)");
  } else {
    assert.ok(cpu.totalNanoseconds > 0n);
    if (stats.version >= 15) assert.ok(cpu.maxNanoseconds! >= cpu.minNanoseconds!);
  }
  if (stats.version >= 15) assert.notEqual(cpu.maxNanoseconds, undefined);
  else assert.equal(cpu.maxNanoseconds, undefined);
  if (stats.version >= 14) assert.notEqual(stats.delays.irq, undefined);
  const enabled = delayAccountingEnabled();
  if (enabled !== true) {
    console.log(
      `note: delay accounting is ${
        enabled === false ? "off (/proc/sys/kernel/task_delayacct is 0)" : "not built in"
      }: block I/O, swap-in, reclaim, thrashing, compaction, write-protect-copy and IRQ delays stay zero`,
    );
  }
  assert.equal(typeof stats.delays.blockIo.count, "bigint");
});

test("readTaskstatsStruct() is the seed's size check: every known version, and nothing else", () => {
  for (const layout of [taskstats_v9, taskstats_v13, taskstats_v14, taskstats_v16, taskstats_v17]) {
    const bytes = new Uint8Array(layout.size);
    const dv = new DataView(bytes.buffer);
    dv.setUint16(0, 99, true); // no version check beyond 15 vs 16
    dv.setUint32(layout.fields.find((f) => f.name === "ac_pid")!.offset, 4242, true);
    assert.equal(readTaskstatsStruct(bytes).ac_pid, 4242, layout.name);
  }
  assert.throws(() => readTaskstatsStruct(new Uint8Array(taskstats_v13.size + 8)), LayoutError);
  assert.throws(() => readTaskstatsStruct(new Uint8Array(100)), LayoutError);
  // Version 15 has version 16's size but another order: told apart by the version field.
  const v15 = new Uint8Array(taskstats_v15.size);
  const dv = new DataView(v15.buffer);
  dv.setUint16(0, 15, true);
  dv.setBigUint64(taskstats_v15.fields.find((f) => f.name === "blkio_count")!.offset, 77n, true);
  assert.equal(readTaskstatsStruct(v15).blkio_count, 77n);
  // A newer kernel's longer struct: the known prefix.
  const v99 = new Uint8Array(taskstats_v17.size + 64);
  new DataView(v99.buffer).setUint16(0, TASKSTATS_KNOWN_VERSION + 1, true);
  new DataView(v99.buffer).setUint32(taskstats_v17.fields.find((f) => f.name === "ac_uid")!.offset, 7, true);
  assert.equal(readTaskstatsStruct(v99).ac_uid, 7);
});

test("the kernel's taskstats payload has the size of the struct version it announces", () => {
  const stats = getTaskstats(process.pid);
  const sizes: Record<number, number> = {
    13: taskstats_v13.size,
    14: taskstats_v14.size,
    16: taskstats_v16.size,
    17: taskstats_v17.size,
  };
  // decodeTaskstats only succeeds after the size check; this pins the version to its size for the report.
  if (sizes[stats.version] === undefined) {
    console.log(`note: the kernel sent taskstats version ${stats.version}`);
  }
  assert.ok(stats.version >= 9 && stats.version <= TASKSTATS_KNOWN_VERSION + 100);
});

test("taskstats v14, v16, v17 extend the header's struct as the kernel does (cc)", () => {
  // This machine's header declares version 13; the later versions append after it, so a C struct that
  // embeds it and adds the new fields has the kernel's offsets.
  const prelude = `#include <linux/taskstats.h>
struct ts_v14 { struct taskstats base; __u64 irq_count; __u64 irq_delay_total; };
struct ts_v16 { struct ts_v14 base; __u64 cpu_delay_max, cpu_delay_min, blkio_delay_max, blkio_delay_min,
  swapin_delay_max, swapin_delay_min, freepages_delay_max, freepages_delay_min, thrashing_delay_max,
  thrashing_delay_min, compact_delay_max, compact_delay_min, wpcopy_delay_max, wpcopy_delay_min,
  irq_delay_max, irq_delay_min; };
struct ts_ts { long long tv_sec; long long tv_nsec; };
struct ts_v17 { struct ts_v16 base; struct ts_ts cpu_delay_max_ts, blkio_delay_max_ts, swapin_delay_max_ts,
  freepages_delay_max_ts, thrashing_delay_max_ts, compact_delay_max_ts, wpcopy_delay_max_ts, irq_delay_max_ts; };
`;
  const c = cLayouts(prelude, {
    "struct ts_v14": ["irq_count", "irq_delay_total"],
    "struct ts_v16": ["cpu_delay_max", "irq_delay_min"],
    "struct ts_v17": ["cpu_delay_max_ts", "irq_delay_max_ts"],
  });
  for (
    const [name, layout] of [["struct ts_v14", taskstats_v14], ["struct ts_v16", taskstats_v16], [
      "struct ts_v17",
      taskstats_v17,
    ]] as const
  ) {
    const cl = c.get(name)!;
    assert.equal(layout.size, cl.size, name);
    for (const [field, offset] of cl.offsets) {
      assert.equal(layout.fields.find((f) => f.name === field)!.offset, offset, `${name}.${field}`);
    }
  }
  // Version 15, transcribed from the kernel's v15 → v16 fix: max/min after each total.
  const v15 = taskstats_v15.fields.map((f) => f.name);
  assert.deepEqual(v15.slice(4, 8), ["cpu_count", "cpu_delay_total", "cpu_delay_max", "cpu_delay_min"]);
  assert.equal(taskstats_v15.size, taskstats_v16.size);
  assert.deepEqual([...v15].sort(), taskstats_v16.fields.map((f) => f.name).sort());
});

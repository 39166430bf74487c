/**
 * koffi, the FFI a Node user would pick, under the machine's `node`: decoding the rows suite's rows
 * (`koffi.decode`) and the calls suite's calls. Plain JavaScript, because Node 20 cannot run TypeScript;
 * started by `run.ts`, it speaks the same line protocol as `worker.ts`.
 *
 * Each group has a baseline measured in the same Node process: a DataView loop for the rows, a plain
 * JavaScript function of the same signature (the floor of any call) for the calls.
 *
 * Usage: `node --expose-gc bench/node/koffi_peer.mjs [--quick] [--only=rows,calls] [--lib=<bench library>] [--plan]`
 *
 * @module
 */
import { createRequire } from "node:module";
import process from "node:process";
import { measure } from "mitata";
import { mitataContext } from "../_context.mjs";
import {
  allRowCounts,
  BATCH_SIZE,
  BATCH_TOTAL,
  BUDGETS,
  CALL_GROUPS,
  contestantCostMs,
  CONTEXT_COST_MS,
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
  ROW_GROUPS,
  rowCountsOf,
  SUM_LENGTH,
  swap16,
  TASKSTATS_LAYOUT,
  TASKSTATS_OFFSETS,
  TASKSTATS_SIZE,
  TCP_FILTER_STATE,
  TCP_ROW_SIZE,
  timeContestant,
} from "../_workload.mjs";

// The prefix of `_protocol.ts` (which Node cannot import: it is TypeScript).
const PREFIX = "@@bench ";
const emit = (message) => console.log(PREFIX + JSON.stringify(message));

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyArg = argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? onlyArg.slice("--only=".length).split(",") : ["rows", "calls"];
const libArg = argv.find((a) => a.startsWith("--lib="));
const libPath = libArg ? libArg.slice("--lib=".length) : undefined;
const budget = BUDGETS[quick ? "quick" : "full"];

let koffi;
let koffiMissing = "";
try {
  // koffi is CommonJS with a prebuilt native module; it works without its install script.
  koffi = createRequire(import.meta.url)("koffi");
} catch (error) {
  koffiMissing = `koffi does not load under node ${process.version}: ${error.message}`;
}

// --- rows ---

const KoffiTcpRow = koffi?.struct("MIB_TCPROW_OWNER_PID", {
  dwState: "uint32_t",
  dwLocalAddr: "uint32_t",
  dwLocalPort: "uint32_t",
  dwRemoteAddr: "uint32_t",
  dwRemotePort: "uint32_t",
  dwOwningPid: "uint32_t",
});

// The row with arrays inside: the addresses as `uint8_t[4]`, which koffi decodes to a Uint8Array (its default
// for arrays of numbers).
const KoffiTcpBytesRow = koffi?.struct("MIB_TCPROW_OWNER_PID_BYTES", {
  dwState: "uint32_t",
  dwLocalAddr: koffi.array("uint8_t", 4),
  dwLocalPort: "uint32_t",
  dwRemoteAddr: koffi.array("uint8_t", 4),
  dwRemotePort: "uint32_t",
  dwOwningPid: "uint32_t",
});

// struct taskstats for koffi: the `aligned(8)` attributes become explicit padding where natural alignment
// differs (only before ac_uid); char[32] is a koffi char array, which decodes to a string.
const KoffiTaskstats = koffi && (() => {
  const fields = {};
  const ctype = { u8: "uint8_t", u16: "uint16_t", u32: "uint32_t", u64: "uint64_t" };
  let offset = 0;
  let pad = 0;
  for (const f of TASKSTATS_LAYOUT) {
    const natural = f.type === "char" ? 1 : f.size / f.count;
    const naturalOffset = Math.ceil(offset / natural) * natural;
    if (f.offset > naturalOffset) fields[`_pad${pad++}`] = koffi.array("uint8_t", f.offset - offset);
    if (f.type === "char") fields[f.name] = koffi.array("char", f.count);
    else if (f.count > 1) fields[f.name] = koffi.array(ctype[f.type], f.count);
    else fields[f.name] = ctype[f.type];
    offset = f.offset + f.size;
  }
  const type = koffi.struct("taskstats", fields);
  if (koffi.sizeof(type) !== TASKSTATS_SIZE || koffi.offsetof(type, "ac_pid") !== TASKSTATS_OFFSETS.ac_pid) {
    throw new Error(`Cannot describe taskstats to koffi: it says ${koffi.sizeof(type)} bytes`);
  }
  return type;
})();

function rowGroups(n) {
  const tcp = () => ({ bytes: fillTcpRows(n) });
  const koffiOr = (make) => (data) => koffi ? make(data) : { skip: koffiMissing };
  const pidSum = expectedPidSum(n);
  const ports = portsFingerprint(expectedListenPorts(n));
  const acPidSum = expectedAcPidSum(n);
  const addressSum = expectedAddressSum(n);
  return [
    {
      suite: "rows",
      group: ROW_GROUPS.tcpSum,
      n,
      setup: tcp,
      check: (r) => r === pidSum ? undefined : `sum ${r}, expected ${pidSum}`,
      contestants: [
        {
          name: "DataView loop (node)",
          technique: "baseline",
          make: ({ bytes }) => () => dataViewPidSum(bytes),
        },
        {
          name: "koffi decode (array of n)",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            let sum = 0;
            for (const row of koffi.decode(bytes, KoffiTcpRow, n)) sum += row.dwOwningPid;
            return sum;
          }),
        },
        {
          name: "koffi decode per row",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            let sum = 0;
            for (let o = 0; o < bytes.length; o += TCP_ROW_SIZE) {
              sum += koffi.decode(bytes, o, KoffiTcpRow).dwOwningPid;
            }
            return sum;
          }),
        },
      ],
    },
    {
      suite: "rows",
      group: ROW_GROUPS.tcpCollect,
      n,
      setup: tcp,
      check: (r) => portsFingerprint(r) === ports ? undefined : `${r.length} ports, wrong`,
      contestants: [
        {
          name: "DataView loop (node)",
          technique: "baseline",
          make: ({ bytes }) => () => dataViewListenPorts(bytes),
        },
        {
          name: "koffi decode (array of n)",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            const out = [];
            for (const row of koffi.decode(bytes, KoffiTcpRow, n)) {
              if (row.dwState === TCP_FILTER_STATE) out.push(swap16(row.dwLocalPort & 0xffff));
            }
            return out;
          }),
        },
      ],
    },
    {
      suite: "rows",
      group: ROW_GROUPS.tcpBytesSum,
      n,
      setup: tcp,
      check: (r) => r === addressSum ? undefined : `sum ${r}, expected ${addressSum}`,
      contestants: [
        {
          name: "DataView loop (node)",
          technique: "baseline",
          make: ({ bytes }) => () => dataViewAddressSum(bytes),
        },
        {
          name: "koffi decode (array of n)",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            let sum = 0;
            for (const row of koffi.decode(bytes, KoffiTcpBytesRow, n)) {
              sum += row.dwOwningPid + row.dwLocalAddr[0] + row.dwRemoteAddr[0];
            }
            return sum;
          }),
        },
        {
          name: "koffi decode per row",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            let sum = 0;
            for (let o = 0; o < bytes.length; o += TCP_ROW_SIZE) {
              const row = koffi.decode(bytes, o, KoffiTcpBytesRow);
              sum += row.dwOwningPid + row.dwLocalAddr[0] + row.dwRemoteAddr[0];
            }
            return sum;
          }),
        },
      ],
    },
    {
      suite: "rows",
      group: ROW_GROUPS.taskstatsSum,
      n,
      setup: () => ({ bytes: fillTaskstats(n) }),
      check: (r) => r === acPidSum ? undefined : `sum ${r}, expected ${acPidSum}`,
      contestants: [
        {
          name: "DataView loop (node)",
          technique: "baseline",
          make: ({ bytes }) => () => dataViewAcPidSum(bytes),
        },
        {
          name: "koffi decode (array of n)",
          technique: "peer",
          make: koffiOr(({ bytes }) => () => {
            let sum = 0;
            for (const row of koffi.decode(bytes, KoffiTaskstats, n)) sum += row.ac_pid;
            return sum;
          }),
        },
      ],
    },
  ];
}

// --- calls ---

function callGroups() {
  const bytes = new Uint8Array(SUM_LENGTH);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i;
  const sum = (SUM_LENGTH * (SUM_LENGTH - 1)) / 2;
  const pid = process.pid;
  const SYS_getpid = process.arch === "arm64" ? 172 : 39;
  let lib;
  let libc;
  let missing = koffiMissing;
  if (koffi) {
    libc = koffi.load("libc.so.6");
    if (libPath) lib = koffi.load(libPath);
    else missing = "the C references were not built (see the run's notes), so koffi has nothing to call";
  }
  const needsLib = (make) => () => lib ? make() : { skip: missing };
  const needsLibc = (make) => () => libc ? make() : { skip: koffiMissing };
  const js = {
    add: (a, b) => a + b,
    addSample: (id, value) => id + value,
    sumBytes: (buffer, length) => {
      let s = 0;
      for (let i = 0; i < Number(length); i++) s += buffer[i];
      return s;
    },
  };
  const group = (key, expected, baseline, peer) => ({
    suite: "calls",
    group: CALL_GROUPS[key],
    setup: () => ({}),
    check: (r) => BigInt(r) === BigInt(expected) ? undefined : `${r}, expected ${expected}`,
    contestants: [
      { name: "JS function, no FFI (node)", technique: "baseline", make: () => baseline },
      {
        name: key === "batch" ? `koffi (node), ${BATCH_SIZE} separate calls` : "koffi (node)",
        technique: "peer",
        make: peer,
      },
    ],
  });
  return [
    group(
      "add",
      3,
      () => js.add(1, 2),
      needsLib(() => {
        const add = lib.func("int32_t add(int32_t a, int32_t b)");
        return () => add(1, 2);
      }),
    ),
    group(
      "getpid",
      pid,
      () => process.pid,
      needsLibc(() => {
        const getpid = libc.func("int getpid()");
        return () => getpid();
      }),
    ),
    group(
      "syscall",
      pid,
      () => process.pid,
      needsLibc(() => {
        // long syscall(long number, ...): declared with the one argument used, as the raw baselines do.
        const syscall = libc.func("long syscall(long number)");
        return () => syscall(SYS_getpid);
      }),
    ),
    group(
      "sumNumber",
      sum,
      () => js.sumBytes(bytes, SUM_LENGTH),
      needsLib(() => {
        const sumBytes = lib.func("uint32_t sum_bytes(const uint8_t *bytes, size_t length)");
        return () => sumBytes(bytes, SUM_LENGTH);
      }),
    ),
    group(
      "sumBigInt",
      sum,
      () => js.sumBytes(bytes, BigInt(SUM_LENGTH)),
      needsLib(() => {
        const sumBytes = lib.func("uint32_t sum_bytes(const uint8_t *bytes, size_t length)");
        const length = BigInt(SUM_LENGTH);
        return () => sumBytes(bytes, length);
      }),
    ),
    group(
      "batch",
      BATCH_TOTAL,
      () => {
        let total = 0;
        for (let i = 0; i < BATCH_SIZE; i++) total += js.addSample(i, i * 0.5);
        return total;
      },
      needsLib(() => {
        const addSample = lib.func("double add_sample(uint32_t id, double value)");
        return () => {
          let total = 0;
          for (let i = 0; i < BATCH_SIZE; i++) total += addSample(i, i * 0.5);
          return total;
        };
      }),
    ),
  ];
}

// --- runner ---

async function main() {
  const plans = [];
  if (only.includes("rows")) {
    for (const n of allRowCounts(quick)) {
      plans.push(...rowGroups(n).filter((g) => rowCountsOf(g.group, quick).includes(n)));
    }
  }
  if (only.includes("calls")) plans.push(...callGroups());
  const total = plans.reduce((s, g) => s + g.contestants.length, 0);
  const costMs = plans.reduce(
    (s, g) => s + g.contestants.length * contestantCostMs(budget, g.n),
    CONTEXT_COST_MS[quick ? "quick" : "full"],
  );
  emit({ type: "plan", total, costMs });
  if (argv.includes("--plan")) return;
  if (koffiMissing) emit({ type: "note", text: koffiMissing });

  const context = await mitataContext(quick);

  const measurements = [];
  const trials = {};
  const notes = [];
  let done = 0;
  let costDone = CONTEXT_COST_MS[quick ? "quick" : "full"];
  for (const plan of plans) {
    const data = plan.setup();
    for (const contestant of plan.contestants) {
      const args = plan.n === undefined ? {} : { n: plan.n };
      const trial = {
        kind: "static",
        alias: contestant.name,
        group: plan.group,
        baseline: contestant.technique === "baseline",
        args: plan.n === undefined ? {} : { n: [plan.n] },
        runs: [],
        style: { highlight: false, compact: false },
        technique: contestant.technique,
      };
      try {
        const fn = contestant.make(data);
        if (typeof fn !== "function") {
          const text = `${plan.suite} / ${plan.group} / ${contestant.name}: skipped: ${fn.skip}`;
          notes.push(text);
          emit({ type: "note", text });
        } else {
          const t0 = performance.now();
          const wrong = plan.check(fn(), data);
          const firstNs = (performance.now() - t0) * 1e6;
          if (wrong !== undefined) throw new Error(`wrong answer: ${wrong}`);
          const stats = await timeContestant(fn, budget, firstNs, measure);
          trial.runs.push({ name: contestant.name, args, stats });
          const m = {
            suite: plan.suite,
            group: plan.group,
            name: contestant.name,
            technique: contestant.technique,
            nsPerOp: stats.avg,
          };
          if (plan.n !== undefined) Object.assign(m, { n: plan.n, nsPerRow: stats.avg / plan.n });
          measurements.push(m);
          (trials[plan.suite] ??= []).push(trial);
        }
      } catch (error) {
        const text = `${plan.suite} / ${plan.group} / ${contestant.name}: failed: ${error.message}`;
        notes.push(text);
        emit({ type: "note", text });
        trial.runs.push({ name: contestant.name, args, error: { message: error.message } });
        (trials[plan.suite] ??= []).push(trial);
      }
      done++;
      costDone += contestantCostMs(budget, plan.n);
      emit({
        type: "progress",
        suite: plan.suite,
        group: plan.group,
        name: contestant.name,
        done,
        total,
        costMs: costDone,
      });
    }
  }
  const mitata = {};
  for (const suite of only) mitata[suite] = { context, benchmarks: trials[suite] ?? [] };
  emit({
    type: "result",
    runtime: { name: "node", version: process.versions.node },
    measurements,
    mitata,
    notes,
  });
}

await main();

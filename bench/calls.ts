/**
 * Calls: what the toolkit's call path costs over the raw runtime FFI (`Deno.dlopen`, `bun:ffi`), for a
 * trivial function, a libc call, a raw system call, a `(buffer, size_t)` function with the length as a number
 * and as a BigInt, `strlen` of a string encoded on every call, `memset` through a pointer (the toolkit checks that its memory
 * was not freed), `div` returning a struct by value (on Bun, whose FFI has none, the raw baseline is a
 * hand-written TinyCC shim, and the toolkit's its own generated one), a call through a function pointer, a
 * variadic call, `htons` read back in host order, `strdup`'s owned string read then freed, libc's global
 * `stdout` read, and a batch: many `(u32, f64)` records as separate calls against one call over all of them
 * (the toolkit's `CallBatch` from `linux/`), and a `qsort` comparator callback. Every group is timed in
 * interleaved rounds (`CALL_ROUNDS`), so that each measurement carries the spread its goal line is judged by
 * (bench/summary.ts). koffi under Node is measured by `node/koffi_peer.mjs`.
 *
 * The baseline of every group is the raw runtime call, made directly on the runtime's own function object.
 *
 * @module
 */
import type { Contestant, GroupPlan, SuiteContext } from "./_harness.ts";
import { needsLibc, needsRaw, skip } from "./_harness.ts";
import { sysGetpid } from "./_raw_ffi.ts";
import { toolkitCallContestants } from "./_toolkit_calls.ts";
import {
  BATCH_SIZE,
  BATCH_TOTAL,
  CALL_GROUPS,
  DIV_ARGUMENTS,
  HTONS_PORT,
  QSORT_COUNT,
  STRDUP_TEXT,
  STRLEN_TEXT,
  SUM_LENGTH,
} from "./_workload.mjs";

/** The bytes the pointer-argument group's memset writes. */
export const MEMSET_LENGTH = 16;

/** Why the struct-by-value group has no contestants on Bun. */
export const NO_STRUCTS_BY_VALUE = "bun:ffi has no struct-by-value calls";

/** The group titles, used by the summary too. */
export const GROUPS = CALL_GROUPS;
export { BATCH_SIZE, DIV_ARGUMENTS, HTONS_PORT, QSORT_COUNT, STRDUP_TEXT, STRLEN_TEXT, SUM_LENGTH };

/** `STRDUP_TEXT` as a NUL-terminated C string, encoded once: the owned-string group times the result only. */
export const STRDUP_BYTES: Uint8Array<ArrayBuffer> = new TextEncoder().encode(STRDUP_TEXT + "\0");

/** The data of the calls groups: the buffer passed to `sum_bytes` and its expected sum. */
export interface CallData {
  bytes: Uint8Array<ArrayBuffer>;
  sum: number;
  pid: number;
  /** The callback group's ints, shuffled, and the array each sort copies them into and sorts. */
  shuffled: Int32Array<ArrayBuffer>;
  work: Int32Array<ArrayBuffer>;
  /** The smallest and the largest of `shuffled`, summed: the answer of a sort, read from its two ends. */
  ends: number;
}

function data(): CallData {
  const bytes = new Uint8Array(SUM_LENGTH);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i;
  const shuffled = new Int32Array(QSORT_COUNT);
  let seed = 12345;
  for (let i = 0; i < QSORT_COUNT; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    shuffled[i] = seed - 0x40000000;
  }
  const ends = Math.min(...shuffled) + Math.max(...shuffled);
  return {
    bytes,
    sum: (SUM_LENGTH * (SUM_LENGTH - 1)) / 2,
    pid: getpid(),
    shuffled,
    work: new Int32Array(QSORT_COUNT),
    ends,
  };
}

/** A comparator of two ints, as every contestant of the callback group writes it. */
export function compareInts(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The number of interleaved rounds each calls group is timed in (the spread its goal lines are judged by). */
export const CALL_ROUNDS = { quick: 3, full: 5 };

function getpid(): number {
  return (globalThis as unknown as { process: { pid: number } }).process.pid;
}

function group(
  context: SuiteContext,
  key: keyof typeof GROUPS,
  check: (result: unknown, data: CallData) => string | undefined,
  contestants: Contestant<CallData>[],
): GroupPlan<CallData> {
  return {
    suite: "calls",
    group: GROUPS[key],
    rounds: context.quick ? CALL_ROUNDS.quick : CALL_ROUNDS.full,
    setup: data,
    check,
    contestants: [...contestants, ...toolkitCallContestants(key, context)],
  };
}

function expect(value: (data: CallData) => unknown): (result: unknown, data: CallData) => string | undefined {
  return (result, data) => {
    const wanted = value(data);
    // A 64-bit result may come back as a BigInt on one runtime and a number on another.
    return typeof result === "bigint" || typeof wanted === "bigint"
      ? (BigInt(result as number) === BigInt(wanted as number) ? undefined : `${result}, expected ${wanted}`)
      : result === wanted
      ? undefined
      : `${result}, expected ${wanted}`;
  };
}

/**
 * The calls suite's groups.
 *
 * @param context The worker's mode and raw FFI.
 * @returns The groups, in the order they run.
 */
export function plan(context: SuiteContext): GroupPlan<CallData>[] {
  const raw = (
    make: (raw: NonNullable<SuiteContext["raw"]>, data: CallData) => () => unknown,
  ): Contestant<CallData>["make"] => needsRaw(context, make);
  const libc = (
    make: (raw: NonNullable<SuiteContext["raw"]>, data: CallData) => () => unknown,
  ): Contestant<CallData>["make"] => needsLibc(context, make);
  const sys = sysGetpid();
  return [
    group(context, "add", expect(() => 3), [
      {
        name: "raw runtime FFI",
        technique: "baseline",
        make: raw(({ symbols }) => {
          const add = symbols.add;
          return () => add(1, 2);
        }),
      },
    ]),
    group(context, "getpid", expect((d) => d.pid), [
      {
        name: "raw runtime FFI",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const getpid = symbols.getpid;
          return () => getpid();
        }),
      },
    ]),
    group(context, "syscall", expect((d) => d.pid), [
      {
        // A number for a 64-bit parameter: what a user writes first; Deno then leaves its fast call path.
        name: "raw runtime FFI, number argument",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const syscall = symbols.syscall;
          return () => syscall(sys);
        }),
      },
      {
        name: "raw runtime FFI, BigInt argument",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const syscall = symbols.syscall;
          const number = BigInt(sys);
          return () => syscall(number);
        }),
      },
    ]),
    group(context, "sumNumber", expect((d) => d.sum), [
      {
        name: "raw runtime FFI",
        technique: "baseline",
        make: raw(({ symbols }, { bytes }) => {
          const sum = symbols.sum_bytes;
          return () => sum(bytes, SUM_LENGTH);
        }),
      },
    ]),
    group(context, "sumBigInt", expect((d) => d.sum), [
      {
        name: "raw runtime FFI",
        technique: "baseline",
        make: raw(({ symbols }, { bytes }) => {
          const sum = symbols.sum_bytes;
          const length = BigInt(SUM_LENGTH);
          return () => sum(bytes, length);
        }),
      },
    ]),
    group(context, "strlen", expect(() => STRLEN_TEXT.length), [
      {
        // What a user writes first: a fresh array per call.
        name: "raw runtime FFI, TextEncoder.encode() per call",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const strlen = symbols.strlen;
          const encoder = new TextEncoder();
          return () => strlen(encoder.encode(STRLEN_TEXT + "\0"));
        }),
      },
      {
        // The careful hand-written way: encodeInto() one reused buffer, then the NUL.
        name: "raw runtime FFI, encodeInto() a reused buffer",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const strlen = symbols.strlen;
          const encoder = new TextEncoder();
          const scratch = new Uint8Array(4096);
          return () => {
            const { written } = encoder.encodeInto(STRLEN_TEXT, scratch);
            scratch[written] = 0;
            return strlen(scratch);
          };
        }),
      },
    ]),
    group(context, "memset", expect(() => 7), [
      {
        // A block from malloc, its pointer passed as the runtime holds it; the byte written is read back.
        name: "raw runtime FFI",
        technique: "baseline",
        make: libc((raw) => {
          const memset = raw.symbols.memset;
          const block = raw.symbols.malloc(BigInt(MEMSET_LENGTH));
          const view = new Uint8Array(raw.view(block, MEMSET_LENGTH));
          const length = BigInt(MEMSET_LENGTH);
          return () => {
            memset(block, 7, length);
            return view[0];
          };
        }),
      },
    ]),
    group(context, "divStruct", expect(() => DIV_ARGUMENTS[0]), [
      {
        // The struct comes back as a new Uint8Array; the hand-written decode is a DataView over it.
        name: "raw runtime FFI, DataView decode",
        technique: "baseline",
        make: (data) =>
          context.raw?.symbols.div === undefined ? skip(NO_STRUCTS_BY_VALUE) : libc(({ symbols }) => {
            const div = symbols.div!;
            const [numerator, denominator] = DIV_ARGUMENTS;
            return () => {
              const bytes = div(numerator, denominator);
              const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
              return view.getInt32(0, true) * 1000 + view.getInt32(4, true);
            };
          })(data),
      },
    ]),
    group(context, "fnPointer", expect(() => 3), [
      {
        // The runtime's own call through an address: Deno.UnsafeFnPointer (an op and libffi), bun:ffi CFunction.
        name: "raw runtime FFI, function pointer",
        technique: "baseline",
        make: raw(({ addThroughPointer }) => {
          const add = addThroughPointer!;
          return () => add(1, 2);
        }),
      },
      {
        name: "raw runtime FFI, symbol",
        technique: "baseline",
        make: raw(({ symbols }) => {
          const add = symbols.add;
          return () => add(1, 2);
        }),
      },
    ]),
    group(context, "variadic", expect(() => 3), [
      {
        // The variadic function bound as the fixed (i32, i32): what the toolkit binds for one call shape.
        name: "raw runtime FFI, fixed signature",
        technique: "baseline",
        make: raw(({ symbols }) => {
          const add = symbols.add_va;
          return () => add(1, 2);
        }),
      },
    ]),
    group(context, "callback", expect((d) => d.ends), [
      {
        // The runtime's own callback, reading each int with the runtime's own read (bench/_raw_ffi.ts).
        name: "raw runtime callback",
        technique: "baseline",
        make: libc((raw, { shuffled, work }) => {
          const { qsort } = raw.symbols;
          const read = raw.readI32;
          const compare = raw.comparator((a, b) => compareInts(read(a), read(b)));
          const count = BigInt(QSORT_COUNT);
          return () => {
            work.set(shuffled);
            qsort(work, count, 4n, compare.pointer);
            return work[0]! + work[QSORT_COUNT - 1]!;
          };
        }),
      },
    ]),
    group(context, "byteOrder", expect(() => HTONS_PORT), [
      {
        // The plain u16 result, swapped back to host order by hand.
        name: "raw runtime FFI, byte swap in JS",
        technique: "baseline",
        make: libc(({ symbols }) => {
          const htons = symbols.htons;
          return () => {
            const x = htons(HTONS_PORT);
            return ((x & 0xff) << 8) | (x >> 8);
          };
        }),
      },
    ]),
    group(context, "ownedString", expect(() => STRDUP_TEXT.length), [
      {
        // The runtime's own C-string read, then free().
        name: "raw runtime FFI, read then free()",
        technique: "baseline",
        make: libc((raw) => {
          const { strdup, free } = raw.symbols;
          const readCString = raw.readCString;
          return () => {
            const copy = strdup(STRDUP_BYTES);
            const text = readCString(copy);
            free(copy);
            return text.length;
          };
        }),
      },
    ]),
    group(context, "globalVariable", expect(() => 1), [
      {
        // Deno: a static entry read with UnsafePointerView; Bun: the address from dlsym(), read with read.ptr.
        name: "raw runtime FFI, pointer read",
        technique: "baseline",
        make: libc((raw) => {
          const readStdout = raw.readStdout;
          return () => readStdout() ? 1 : 0;
        }),
      },
    ]),
    group(context, "batch", expect(() => BATCH_TOTAL), [
      {
        name: `raw runtime FFI, ${BATCH_SIZE} separate calls`,
        technique: "baseline",
        make: raw(({ symbols }) => {
          const addSample = symbols.add_sample;
          return () => {
            let total = 0;
            for (let i = 0; i < BATCH_SIZE; i++) total += addSample(i, i * 0.5);
            return total;
          };
        }),
      },
      {
        // The floor: no helper, two typed arrays filled by hand and lent to one call.
        name: "hand-written typed arrays, then 1 raw call",
        technique: "baseline",
        make: raw(({ symbols }) => {
          const addColumns = symbols.add_columns;
          const ids = new Uint32Array(BATCH_SIZE);
          const values = new Float64Array(BATCH_SIZE);
          const count = BigInt(BATCH_SIZE);
          return () => {
            for (let i = 0; i < BATCH_SIZE; i++) {
              ids[i] = i;
              values[i] = i * 0.5;
            }
            return addColumns(ids, values, count);
          };
        }),
      },
    ]),
  ];
}

/**
 * The toolkit's contestants in the calls suite: the same C functions bound with the toolkit's `dlopen`, and
 * its `syscall()`.
 *
 * @module
 */
import {
  alloc,
  buffer,
  callback,
  cstring,
  dlopen,
  f64,
  functionPointer,
  i32,
  int,
  type Library,
  type NativeMemory,
  ownedCString,
  pointer,
  size_t,
  struct,
  SYS,
  syscall,
  u16,
  u16be,
  u32,
  unsafeFunctionFromPointer,
  unsafeRead,
  usize,
  void_,
} from "../mod.ts";
import { CallBatch } from "../linux/mod.ts";
import type { Contestant, SuiteContext } from "./_harness.ts";
import { skip } from "./_harness.ts";
import {
  BATCH_SIZE,
  type CallData,
  compareInts,
  DIV_ARGUMENTS,
  type GROUPS,
  HTONS_PORT,
  MEMSET_LENGTH,
  NO_STRUCTS_BY_VALUE,
  QSORT_COUNT,
  STRDUP_BYTES,
  STRLEN_TEXT,
  SUM_LENGTH,
} from "./calls.ts";
import { LIBC } from "./_raw_ffi.ts";

const benchSymbols = {
  add: { args: [i32, i32], returns: i32 }, // int32_t add(int32_t a, int32_t b)
  add_va: { args: [i32], returns: i32, variadic: true }, // int32_t add_va(int32_t a, ...)
  add_va_fixed: { args: [i32, i32], returns: i32, symbol: "add_va" }, // the same, declared as fixed
  add_address: { variable: true, symbol: "add" }, // add's address
  sum_bytes: { args: [buffer, usize], returns: u32 }, // uint32_t sum_bytes(const uint8_t *bytes, size_t length)
  add_sample: { args: [u32, f64], returns: f64 }, // double add_sample(uint32_t id, double value)
  add_samples: { args: [buffer, usize], returns: f64 }, // double add_samples(const struct sample *s, size_t n)
} as const;

/* struct sample { uint32_t id; double value; }; */
const Sample = struct({ id: u32, value: f64 }, { name: "sample" });

/* typedef struct { int quot; int rem; } div_t; */
const div_t = struct({ quot: i32, rem: i32 }, { name: "div_t" });

const libcSymbols = {
  getpid: { args: [], returns: i32 }, // pid_t getpid(void)
  strlen: { args: [buffer], returns: size_t }, // size_t strlen(const char *s)
  memset: { args: [pointer, int, size_t], returns: void_ }, // void *memset(void *s, int c, size_t n)
  div: { args: [i32, i32], returns: div_t, optional: true }, // div_t div(int, int); null on Bun off x86-64
  // void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
  qsort: { args: [buffer, size_t, size_t, functionPointer], returns: void_ },
  htons: { args: [u16], returns: u16be }, // uint16_t htons(uint16_t hostshort), read back in host order
  strdup: { args: [buffer], returns: ownedCString("free") }, // char *strdup(const char *s)
  stdout: { variable: true, type: pointer }, // extern FILE *stdout
} as const;

/** A batch of `BATCH_SIZE` samples whose flush hands them to `add_samples`, and the total of the last flush. */
function sampleBatch(addSamples: (samples: NativeMemory, count: number) => number) {
  let last = 0;
  const batch = new CallBatch(Sample, {
    capacity: BATCH_SIZE,
    flush: (memory, count) => void (last = addSamples(memory, count)),
  });
  return { batch, total: () => last };
}

let bench: Library<typeof benchSymbols> | undefined;
let libc: Library<typeof libcSymbols> | undefined;

function openBench(context: SuiteContext): NonNullable<typeof bench> | undefined {
  if (!context.libPath) return undefined;
  return bench ??= dlopen(context.libPath, benchSymbols);
}

/**
 * The toolkit's contestants for one calls group.
 *
 * @param key The group.
 * @param context The worker's context (the bench library's path).
 * @returns The contestants.
 */
export function toolkitCallContestants(
  key: keyof typeof GROUPS,
  context: SuiteContext,
): Contestant<CallData>[] {
  const withBench =
    (make: (lib: NonNullable<typeof bench>, data: CallData) => () => unknown) => (data: CallData) => {
      const lib = openBench(context);
      return lib ? make(lib, data) : skip(context.rawMissing);
    };
  switch (key) {
    case "add":
      return [{
        name: "toolkit dlopen",
        technique: "toolkit",
        make: withBench(({ symbols }) => {
          const add = symbols.add;
          return () => add(1, 2);
        }),
      }];
    case "getpid":
      return [{
        name: "toolkit dlopen",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const getpid = libc.symbols.getpid;
          return () => getpid();
        },
      }];
    case "strlen":
      return [{
        name: "toolkit dlopen, cstring() per call",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const strlen = libc.symbols.strlen;
          return () => strlen(cstring(STRLEN_TEXT));
        },
      }];
    case "memset":
      return [{
        name: "toolkit dlopen, NativeMemory's pointer",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const memset = libc.symbols.memset;
          const memory = alloc(MEMSET_LENGTH);
          const { pointer: block, bytes } = memory;
          const length = BigInt(MEMSET_LENGTH);
          return () => {
            memset(block, 7, length);
            return bytes[0];
          };
        },
      }];
    case "divStruct":
      return [{
        name: "toolkit dlopen, plain object out",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const div = libc.symbols.div;
          if (div === null) return skip(NO_STRUCTS_BY_VALUE);
          const [numerator, denominator] = DIV_ARGUMENTS;
          return () => {
            const { quot, rem } = div(numerator, denominator);
            return quot * 1000 + rem;
          };
        },
      }];
    case "syscall":
      return [{
        name: "toolkit syscall()",
        technique: "toolkit",
        make: () => () => syscall(SYS.getpid),
      }];
    case "sumNumber":
      return [{
        name: "toolkit dlopen",
        technique: "toolkit",
        make: withBench(({ symbols }, { bytes }) => {
          const sum = symbols.sum_bytes;
          return () => sum(bytes, SUM_LENGTH);
        }),
      }];
    case "sumBigInt":
      return [{
        name: "toolkit dlopen",
        technique: "toolkit",
        make: withBench(({ symbols }, { bytes }) => {
          const sum = symbols.sum_bytes;
          const length = BigInt(SUM_LENGTH);
          return () => sum(bytes, length);
        }),
      }];
    case "fnPointer":
      return [
        {
          name: "toolkit dlopen, symbol",
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const add = symbols.add;
            return () => add(1, 2);
          }),
        },
        {
          name: "toolkit unsafeFunctionFromPointer()",
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const add = unsafeFunctionFromPointer(symbols.add_address, { args: [i32, i32], returns: i32 });
            return () => add(1, 2);
          }),
        },
      ];
    case "variadic":
      return [
        {
          name: "toolkit dlopen, declared fixed",
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const add = symbols.add_va_fixed;
            return () => add(1, 2);
          }),
        },
        {
          name: "toolkit variadic, shape() bound once",
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const add = symbols.add_va.shape(i32);
            return () => add(1, 2);
          }),
        },
        {
          name: "toolkit variadic, types per call",
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const add = symbols.add_va;
            const types = [i32] as const;
            return () => add(types, 1, 2);
          }),
        },
      ];
    case "callback":
      return [{
        name: "toolkit callback() + unsafeRead()",
        technique: "toolkit",
        make: ({ shuffled, work }) => {
          libc ??= dlopen(LIBC, libcSymbols);
          const qsort = libc.symbols.qsort;
          const compare = callback(
            { args: [pointer, pointer], returns: i32 },
            (a, b) => compareInts(unsafeRead(a!, i32), unsafeRead(b!, i32)),
          );
          return () => {
            work.set(shuffled);
            qsort(work, QSORT_COUNT, 4, compare);
            return work[0]! + work[QSORT_COUNT - 1]!;
          };
        },
      }];
    case "byteOrder":
      return [{
        name: "toolkit dlopen, returns u16be",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const htons = libc.symbols.htons;
          return () => htons(HTONS_PORT);
        },
      }];
    case "ownedString":
      return [{
        name: 'toolkit dlopen, returns ownedCString("free")',
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const strdup = libc.symbols.strdup;
          return () => strdup(STRDUP_BYTES)?.length; // null only when strdup fails
        },
      }];
    case "globalVariable":
      return [{
        name: "toolkit variable entry, .value",
        technique: "toolkit",
        make: () => {
          libc ??= dlopen(LIBC, libcSymbols);
          const stdout = libc.symbols.stdout;
          return () => stdout.value ? 1 : 0;
        },
      }];
    case "batch":
      return [
        {
          name: `toolkit dlopen, ${BATCH_SIZE} separate calls`,
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const addSample = symbols.add_sample;
            return () => {
              let total = 0;
              for (let i = 0; i < BATCH_SIZE; i++) total += addSample(i, i * 0.5);
              return total;
            };
          }),
        },
        {
          name: `CallBatch push() x${BATCH_SIZE}, then 1 call`,
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            // Full at the last push, the batch makes its one call by itself.
            const { batch, total } = sampleBatch(symbols.add_samples);
            return () => {
              for (let i = 0; i < BATCH_SIZE; i++) batch.push({ id: i, value: i * 0.5 });
              batch.flush();
              return total();
            };
          }),
        },
        {
          name: `CallBatch reserve() + column() x${BATCH_SIZE}, then 1 call`,
          technique: "toolkit",
          make: withBench(({ symbols }) => {
            const { batch, total } = sampleBatch(symbols.add_samples);
            const id = batch.column("id");
            const value = batch.column("value");
            return () => {
              const ids = id.array, idStride = id.stride, values = value.array, valueStride = value.stride;
              for (let i = 0; i < BATCH_SIZE; i++) {
                const slot = batch.reserve();
                ids[id.start + slot * idStride] = i;
                values[value.start + slot * valueStride] = i * 0.5;
              }
              batch.flush();
              return total();
            };
          }),
        },
      ];
  }
}

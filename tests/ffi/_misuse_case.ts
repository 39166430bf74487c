/**
 * One misuse of the ffi toolkit, run in a child process by misuse_fuzz_test.ts: it prints one JSON line, the
 * outcome, so that the parent can tell a named refusal from a silent acceptance and from a crash (no line).
 *
 * @module
 */
import {
  alloc,
  buffer,
  callback,
  dlopen,
  FIONREAD,
  functionPointer,
  i32,
  i64,
  int,
  ioctl,
  pipe,
  pointer,
  size_t,
  struct,
  SYS,
  syscall,
  u8,
  unsafeCopyFromPointer,
  unsafePointerView,
  unsafeRead,
  usize,
  void_,
} from "../../mod.ts";

/** A misuse and its parameters, as the parent drew them. */
export type MisuseCase =
  | { kind: "freed memory"; size: number; use: number }
  | { kind: "closed callback"; use: number }
  | { kind: "self-closing callback"; length: number }
  | { kind: "argument count"; count: number }
  | { kind: "argument type"; value: number; fn: number }
  | { kind: "short ioctl buffer"; length: number; pending: number }
  | { kind: "short syscall buffer"; length: number; asked: number };

/** What a case did. */
export interface Outcome {
  /** `"refused"`: a named error; `"accepted"`: the misuse went through (a finding); `"ok"`: a valid run. */
  outcome: "refused" | "accepted" | "ok";
  /** The error's class name, when refused. */
  error?: string;
  /** What went wrong, for a finding. */
  detail?: string;
}

const libc = dlopen("libc.so.6", {
  memset: { args: [pointer, int, size_t], returns: pointer }, // void *memset(void *s, int c, size_t n)
  strlen: { args: [pointer], returns: size_t }, // size_t strlen(const char *s)
  abs: { args: [i32], returns: i32 }, // int abs(int j)
  labs: { args: [i64], returns: i64 }, // long labs(long j)
  // void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
  qsort: { args: [buffer, usize, usize, functionPointer], returns: void_ },
});

// Values no integer parameter may take.
export const BAD_VALUES: readonly unknown[] = [
  1.5,
  Number.NaN,
  "1",
  undefined,
  {},
  2 ** 31,
  -(2 ** 31) - 1,
  2n ** 64n,
  Infinity,
  [],
  true,
];

function attempt(run: () => void, check?: () => string | undefined): Outcome {
  try {
    run();
  } catch (error) {
    const detail = check?.();
    if (detail !== undefined) return { outcome: "accepted", detail: `refused, but ${detail}` };
    return { outcome: "refused", error: (error as Error).name };
  }
  return { outcome: "accepted", detail: check?.() ?? "no error" };
}

function compare(a: unknown, b: unknown): number {
  return (unsafeRead(a as never, i32) as number) - (unsafeRead(b as never, i32) as number);
}

/** Runs one case and prints its outcome as a JSON line. */
export async function runCase(misuse: MisuseCase): Promise<void> {
  let outcome: Outcome;
  switch (misuse.kind) {
    case "freed memory": {
      const first = alloc(misuse.size);
      const stale = first.pointer;
      first.close();
      const second = alloc(misuse.size);
      const uses = [
        () => libc.symbols.memset(stale, 0x41, BigInt(misuse.size)),
        () => unsafeRead(stale, u8),
        () => unsafePointerView(stale, misuse.size),
        () => unsafeCopyFromPointer(stale, misuse.size),
        () => libc.symbols.strlen(stale),
        () => struct({ p: pointer }).encode({ p: stale }),
      ];
      outcome = attempt(
        () => void uses[misuse.use % uses.length]!(),
        () => second.bytes.some((b) => b !== 0) ? "the next block was written" : undefined,
      );
      second.close();
      break;
    }
    case "closed callback": {
      const cb = callback({ args: [pointer, pointer], returns: i32 }, compare);
      const stale = cb.pointer;
      cb.close();
      const values = new Int32Array([3, 1, 2]);
      const uses = [
        () => libc.symbols.qsort(values, 3n, 4n, stale),
        () => unsafeRead(stale, u8),
        () => libc.symbols.memset(stale, 0, 1n),
      ];
      outcome = attempt(() => void uses[misuse.use % uses.length]!());
      break;
    }
    case "self-closing callback": {
      let calls = 0;
      const cb = callback({ args: [pointer, pointer], returns: i32 }, (a, b) => {
        calls++;
        cb.close();
        return compare(a, b);
      });
      const values = Int32Array.from({ length: misuse.length }, (_, i) => (i * 7919) % 101);
      libc.symbols.qsort(values, BigInt(values.length), 4n, cb);
      const sorted = values.every((v, i) => i === 0 || values[i - 1]! <= v);
      outcome = sorted && cb.closed
        ? { outcome: "ok" }
        : { outcome: "accepted", detail: `sorted ${sorted} after ${calls} calls` };
      break;
    }
    case "argument count": {
      const args = new Array(misuse.count).fill(1);
      outcome = attempt(() => void (libc.symbols.abs as (...a: unknown[]) => number)(...args));
      break;
    }
    case "argument type": {
      const value = BAD_VALUES[misuse.value % BAD_VALUES.length];
      const fn = (misuse.fn % 2 === 0 ? libc.symbols.abs : libc.symbols.labs) as (a: unknown) => unknown;
      // A BigInt in range is a fine i64, and an i32-range number too: those are not misuses of labs.
      outcome = attempt(() => void fn(value));
      if (
        fn === libc.symbols.labs && outcome.outcome === "accepted" && typeof value === "number" &&
        Number.isInteger(value) && Number.isFinite(value)
      ) {
        outcome = { outcome: "ok" };
      }
      break;
    }
    case "short ioctl buffer": {
      const [reader, writer] = pipe();
      syscall(SYS.write, writer.fd, new Uint8Array(misuse.pending + 1), misuse.pending + 1);
      const big = new Uint8Array(16).fill(0xee);
      outcome = attempt(
        () => void ioctl(reader, FIONREAD, big.subarray(0, misuse.length)),
        () => big.some((b) => b !== 0xee) ? "bytes changed" : undefined,
      );
      reader.close();
      writer.close();
      break;
    }
    case "short syscall buffer": {
      const [reader, writer] = pipe();
      syscall(SYS.write, writer.fd, new Uint8Array(misuse.asked).fill(7), misuse.asked);
      const big = new Uint8Array(misuse.asked + 16).fill(0xee);
      outcome = attempt(
        () => void syscall(SYS.read, reader.fd, big.subarray(0, misuse.length), misuse.asked),
        () => big.some((b) => b !== 0xee) ? "bytes changed" : undefined,
      );
      reader.close();
      writer.close();
      break;
    }
  }
  // Let a deferred callback release run before the process ends.
  await Promise.resolve();
  console.log(JSON.stringify(outcome));
}

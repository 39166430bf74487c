/**
 * Question: how should `syscall()` find the wrapper bound for its call's kinds of arguments (integer, pointer
 * or buffer in each place)? By building the argument array, a kinds array and a string key on every call, or by
 * a number worked out from the kinds (`shape = shape * 4 + KIND_CODES[kind]`) looked up in a Map?
 *
 * Decided: `syscall()` in `ffi/libc.ts` works out the number (`syscallsByShape`) and calls the wrapper with its
 * exact arity (a `switch` on the count); the array and the key are built only when a shape is first bound.
 * When decided (Deno 2.9, Bun 1.4): the array and the string key cost 290 ns on Deno and 200 on Bun over the
 * raw call (getppid with two arguments: 369 against 82 raw on Deno, 305 against 101 on Bun, toolkit's
 * `syscall()`).
 *
 * Contestants, each `getppid` with two integer arguments, each in a process of its own: the raw `syscall`
 * of the C library through the runtime's own FFI (baseline; given BigInts on Deno, whose fast call path takes
 * only BigInts for 64-bit parameters), the toolkit's `syscall(SYS.getppid, 0, 0)`, and two dispatchers written
 * here after `ffi/libc.ts`, each with the same per-argument check: the old form (arguments sliced into an
 * array, `kindOf` mapped over it, the kinds joined into a key, the call spread) and the chosen form (a numeric
 * shape from `arguments`, a Map of numbers, a call of exact arity). They call the raw function (on Deno through
 * a wrapper of exact arity that makes BigInts of numbers, as the toolkit's does), so they differ only in the
 * dispatch; the toolkit adds the `errno` capture and the failure check.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/syscall_shape_key.ts` and
 * `./node_modules/.bin/bun bench/probes/syscall_shape_key.ts`.
 *
 * @module
 */
import { SYS, syscall } from "../../mod.ts";
import { bunFfi } from "./_raw_ffi.ts";
import { report, separately, time, type Timing } from "./_time.ts";

type Syscall = (number: number, ...args: unknown[]) => unknown;
type Kind = "i64" | "pointer" | "buffer";

/** The C library's `syscall`, bound for these kinds of parameters without the toolkit. */
function rawSyscall(kinds: readonly Kind[]): Syscall {
  if (bunFfi) {
    const args = kinds.map((kind) => kind === "i64" ? "i64" : "ptr");
    return bunFfi.dlopen("libc.so.6", { syscall: { args, returns: "i64" } }).symbols.syscall as Syscall;
  }
  const parameters = kinds.map((kind) => kind === "i64" ? "i64" as const : "pointer" as const);
  return Deno.dlopen("libc.so.6", { syscall: { parameters, result: "i64" } }).symbols
    .syscall as unknown as Syscall;
}

/**
 * What the dispatchers call: the raw function on Bun; on Deno, whose fast call path takes only BigInts for
 * 64-bit parameters, a wrapper of exact arity that converts numbers, as the toolkit's `compileCall` does.
 */
function bindRaw(kinds: readonly Kind[]): Syscall {
  const raw = rawSyscall(kinds);
  if (bunFfi) return raw;
  const params = kinds.map((_, i) => `a${i}`);
  const passed = kinds.map((kind, i) => kind === "i64" ? `big(a${i})` : `a${i}`);
  const source = `return function (${params.join(", ")}) { return raw(${passed.join(", ")}); };`;
  const big = (value: unknown) => typeof value === "number" ? BigInt(value) : value;
  return new Function("raw", "big", source)(raw, big) as Syscall;
}

const MIN_I64 = -(2n ** 63n);
const MAX_U64 = 2n ** 64n - 1n;

/** `kindOf` of `ffi/libc.ts` for integers; any object stands for a buffer here (every argument is a number). */
function kindOf(value: unknown, call: number, index: number): Kind {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return "i64";
    throw new RangeError(`Cannot pass argument ${index} of syscall ${call}: ${value} is not an integer`);
  }
  if (typeof value === "bigint") {
    if (value >= MIN_I64 && value <= MAX_U64) return "i64";
    throw new RangeError(
      `Cannot pass argument ${index} of syscall ${call}: ${value} does not fit in 64 bits`,
    );
  }
  if (value === null) return "pointer";
  if (typeof value === "object") return "buffer";
  throw new TypeError(`Cannot pass argument ${index} of syscall ${call}: got ${typeof value}`);
}

/** The old form: `[a, …, f].slice`, a kinds array and a string key per call, then a spread call. */
function arrayKeyDispatcher(): Syscall {
  const bound = new Map<string, Syscall>();
  function bind(args: readonly unknown[]): Syscall {
    const kinds: Kind[] = ["i64", ...args.map((value, i) => kindOf(value, 0, 1 + i))];
    const key = `syscall(${kinds.join(",")})`;
    let fn = bound.get(key);
    if (fn === undefined) {
      fn = bindRaw(kinds);
      bound.set(key, fn);
    }
    return fn;
  }
  return function (
    number: number,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ) {
    if ((number >>> 0) !== number) throw new RangeError(`Cannot make system call ${number}`);
    const args = [a, b, c, d, e, f].slice(0, arguments.length - 1);
    return bind(args)(number, ...args);
  } as Syscall;
}

const KIND_CODES: Record<Kind, number> = { i64: 1, pointer: 2, buffer: 3 };

/** The chosen form: a number from the kinds, a Map of numbers, a call of exact arity. */
function numericShapeDispatcher(): Syscall {
  const byShape = new Map<number, Syscall>();
  return function (
    number: number,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ) {
    if ((number >>> 0) !== number) throw new RangeError(`Cannot make system call ${number}`);
    const count = arguments.length - 1;
    if (count > 6) throw new RangeError(`Cannot pass ${count} arguments to a system call: at most 6`);
    let shape = count;
    for (let i = 1; i <= count; i++) shape = shape * 4 + KIND_CODES[kindOf(arguments[i], number, i)];
    let call = byShape.get(shape);
    if (call === undefined) {
      const args = Array.prototype.slice.call(arguments, 1, count + 1);
      call = bindRaw(["i64", ...args.map((value, i) => kindOf(value, number, 1 + i))]);
      byShape.set(shape, call);
    }
    switch (count) {
      case 0:
        return call(number);
      case 1:
        return call(number, a);
      case 2:
        return call(number, a, b);
      case 3:
        return call(number, a, b, c);
      case 4:
        return call(number, a, b, c, d);
      case 5:
        return call(number, a, b, c, d, e);
      default:
        return call(number, a, b, c, d, e, f);
    }
  } as Syscall;
}

const contestants: Record<string, () => Syscall> = {
  "raw syscall": () => rawSyscall(["i64", "i64", "i64"]),
  "toolkit syscall()": () => syscall as Syscall,
  "array + string key (old)": arrayKeyDispatcher,
  "numeric shape + Map (chosen)": numericShapeDispatcher,
};

const CALLS = 100_000;
const parent = BigInt(syscall(SYS.getppid));

const timings = separately(import.meta.url, Object.keys(contestants), (name): Timing => {
  const call = contestants[name]!();
  // The raw call gets what its fast path takes: BigInts on Deno, numbers on Bun.
  const big = name === "raw syscall" && bunFfi === undefined;
  const [n, a, b] = big ? [BigInt(SYS.getppid), 0n, 0n] : [SYS.getppid, 0, 0];
  if (BigInt(call(n as number, a, b) as number | bigint) !== parent) {
    throw new Error(`${name}: getppid did not return ${parent}`);
  }
  return time(name, () => {
    let last: unknown;
    for (let i = 0; i < CALLS; i++) last = call(n as number, a, b);
    return last;
  }, { ops: CALLS });
});
report("Finding syscall's wrapper: getppid with two arguments, ns per call", timings, "raw syscall");

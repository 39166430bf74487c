/**
 * Probe: which of a pointer-taking call's checks costs, over the raw runtime call. The calls benchmark's
 * `memset(pointer, int, size_t)` measured raw 4.6 ns → toolkit 14 ns on Deno and 8 → 12 on Bun; each contestant
 * here adds one check to the one before, as `ffi/_call.ts` generates it, so the step that jumps is the check that
 * costs. Then the toolkit's own `dlopen`, and the forms tried for the costly step.
 *
 * - `void *memset(void *s, int c, size_t n)` of libc over a 16-byte block, given a BigInt length, 2e6 calls per
 *   round, the contestants interleaved round by round in one process (each its own wrapper, loop and symbol).
 * - Found, on Deno: the arity, `i32` and pointer checks (type and revoked) cost nothing measurable; the `usize`
 *   check and its number-to-BigInt converter cost it all. Decided:
 *   - (ffi/_argument_checks.ts) a 64-bit argument given as a BigInt is tested with `BigInt.asUintN(64, $) === $`
 *     (`asIntN` for the signed ones) on V8, where the two range comparisons against constants beyond int64 cost
 *     about 6 ns a call, and with the range comparisons on JavaScriptCore, where `asUintN` is the one that
 *     costs (2-3× the raw call);
 *   - (ffi/_call.ts) a 64-bit argument Deno's backend converts is passed as it is, at a call site of its own,
 *     when it is a BigInt already; through the converter V8 no longer knew its type (about 5 ns).
 *   On Bun nothing in the checks shows beyond noise, as the toolkit's line there says.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/pointer_call_checks.ts` and
 * `./node_modules/.bin/bun bench/probes/pointer_call_checks.ts`.
 *
 * @module
 */
import { bunFfi } from "./_raw_ffi.ts";
import { timeInterleaved } from "./_interleaved.ts";
import { report } from "./_time.ts";
import { alloc, dlopen, int, pointer, size_t, void_ } from "../../mod.ts";

type Memset = (s: unknown, c: number, n: bigint) => void;

const LENGTH = 16;
const CALLS = 2_000_000;
const onBun = bunFfi !== undefined;

// Bun: the toolkit's box of ffi/_bun.ts (a private address, -1 once revoked) and its unboxing.
const REVOKED = -1;
let addressOf: (box: Box) => number;
class Box {
  #address: number;
  constructor(address: number) {
    this.#address = address;
  }
  static {
    addressOf = (box) => box.#address;
  }
  // As the library's box: printing on the prototype (ffi/pointer_format.ts), off the call path.
  toJSON(): string {
    return `0x${this.#address.toString(16)}`;
  }
}
// Deno: the toolkit's revoked table (ffi/_revoked.ts) and its count of reachable revoked pointers.
const revoked = new WeakMap<object, unknown>();
// A `let`, as in the library, so that the JIT cannot fold the count away.
// deno-lint-ignore prefer-const
let reachable = 0;
const revokedReachable = (): number => reachable;
const refuse = (count: number): never => {
  throw new TypeError(`refused (${count} arguments)`);
};
const fail = (value: unknown): never => {
  throw new TypeError(`refused ${String(value)}`);
};

// Each step's converter of the pointer argument, and the test of the arguments, cumulative.
const USIZE_RANGE = `(typeof a2 === "bigint" ? a2 >= 0n && a2 <= 18446744073709551615n : ` +
  `Number.isInteger(a2) && a2 >= 0 && a2 < 18446744073709551616)`;
const USIZE_AS_UINT = `(typeof a2 === "bigint" ? BigInt.asUintN(64, a2) === a2 : ` +
  `Number.isInteger(a2) && a2 >= 0 && a2 < 18446744073709551616)`;
const TO_BIGINT = onBun ? "a2" : `(typeof a2 === "number" ? BigInt(a2) : a2)`;
const UNBOX = "addressOf(a0)"; // Bun: the conversion itself, a private field read (throws for a non-box)
const DENO_POINTER = '(a0 === null || typeof a0 === "object" ? a0 : fail(a0))';
const BUN_POINTER = "(a0 === null ? null : a0 instanceof Box ? addressOf(a0) : fail(a0))";
const DENO_REVOKED = '(a0 === null ? null : typeof a0 !== "object" ? fail(a0) : ' +
  "revokedReachable() !== 0 && revoked.has(a0) ? fail(a0) : a0)";
const BUN_REVOKED = "(a0 === null ? null : a0 instanceof Box ? " +
  "(addressOf(a0) !== -1 ? addressOf(a0) : fail(a0)) : fail(a0))";

interface Form {
  test: string;
  pointer: string;
  size: string;
  /** The call as two call sites, a BigInt passed as is and a number converted, in place of `size`. */
  split?: boolean;
}
const FORMS: Record<string, Form> = {
  "wrapper, no check": { test: "false", pointer: onBun ? UNBOX : "a0", size: "a2" },
  "+ arity check": { test: "arguments.length !== 3", pointer: onBun ? UNBOX : "a0", size: "a2" },
  "+ i32 check": {
    test: "arguments.length !== 3 || !((a1 | 0) === a1)",
    pointer: onBun ? UNBOX : "a0",
    size: "a2",
  },
  "+ usize range check, BigInt conversion": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_RANGE}`,
    pointer: onBun ? UNBOX : "a0",
    size: TO_BIGINT,
  },
  "+ pointer-type check": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_RANGE}`,
    pointer: onBun ? BUN_POINTER : DENO_POINTER,
    size: TO_BIGINT,
  },
  "+ revoked check (all the checks)": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_RANGE}`,
    pointer: onBun ? BUN_REVOKED : DENO_REVOKED,
    size: TO_BIGINT,
  },
  "all, usize by BigInt.asUintN": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_AS_UINT}`,
    pointer: onBun ? BUN_REVOKED : DENO_REVOKED,
    size: TO_BIGINT,
  },
  "all, pointer checks in the one branch, usize by BigInt.asUintN": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_AS_UINT} || ` +
      (onBun
        ? "!(a0 === null || (a0 instanceof Box && addressOf(a0) !== -1))"
        : '(a0 !== null && (typeof a0 !== "object" || (revokedReachable() !== 0 && revoked.has(a0))))'),
    pointer: onBun ? "(a0 === null ? null : addressOf(a0))" : "a0",
    size: TO_BIGINT,
  },
  "all, pointer checks in the one branch, usize range": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_RANGE} || ` +
      (onBun
        ? "!(a0 === null || (a0 instanceof Box && addressOf(a0) !== -1))"
        : '(a0 !== null && (typeof a0 !== "object" || (revokedReachable() !== 0 && revoked.has(a0))))'),
    pointer: onBun ? "(a0 === null ? null : addressOf(a0))" : "a0",
    size: TO_BIGINT,
  },
  "usize by (a >> 64n) === 0n alone": {
    test: `!(typeof a2 === "bigint" ? (a2 >> 64n) === 0n : false)`,
    pointer: onBun ? UNBOX : "a0",
    size: "a2",
  },
  "usize BigInt conversion alone": { test: "false", pointer: onBun ? UNBOX : "a0", size: TO_BIGINT },
  "usize BigInt conversion as two call sites": {
    test: "false",
    pointer: onBun ? UNBOX : "a0",
    size: "",
    split: true,
  },
  "all, usize by BigInt.asUintN, conversion as two call sites": {
    test: `arguments.length !== 3 || !((a1 | 0) === a1) || !${USIZE_AS_UINT}`,
    pointer: onBun ? BUN_REVOKED : DENO_REVOKED,
    size: "",
    split: true,
  },
  "usize range check alone": { test: `!${USIZE_RANGE}`, pointer: onBun ? UNBOX : "a0", size: "a2" },
  "usize by BigInt.asUintN alone": { test: `!${USIZE_AS_UINT}`, pointer: onBun ? UNBOX : "a0", size: "a2" },
};

function rawMemset(): { memset: Memset; block: unknown; address: unknown } {
  if (bunFfi) {
    const lib = bunFfi.dlopen("libc.so.6", {
      memset: { args: ["ptr", "i32", "usize"], returns: "void" },
      malloc: { args: ["usize"], returns: "ptr" },
    });
    const address = lib.symbols.malloc!(BigInt(LENGTH));
    return { memset: lib.symbols.memset as Memset, block: new Box(address as number), address };
  }
  const lib = Deno.dlopen("libc.so.6", {
    memset: { parameters: ["pointer", "i32", "usize"], result: "void" },
    malloc: { parameters: ["usize"], result: "pointer" },
  });
  const block = lib.symbols.malloc(BigInt(LENGTH));
  return { memset: lib.symbols.memset as unknown as Memset, block, address: block };
}

// A loop of its own per contestant: its own source text (V8 caches a `new Function` by its text, and two
// closures of one cached function share their call sites' feedback: bench/probes/numbered_sources.ts).
function loop(memset: Memset, block: unknown, name: string): () => number {
  const source =
    `// ${name}\nreturn () => {\n  for (let i = 0; i < ${CALLS}; i++) memset(block, i & 127, length);\n` +
    `  return ${CALLS};\n};`;
  return new Function("memset", "block", "length", source)(memset, block, BigInt(LENGTH));
}

function contestant(name: string): () => number {
  if (name === "toolkit dlopen, alloc()'s pointer") {
    const libc = dlopen("libc.so.6", { memset: { args: [pointer, int, size_t], returns: void_ } });
    return loop(libc.symbols.memset as Memset, alloc(LENGTH).pointer, name);
  }
  const { memset, block, address } = rawMemset();
  if (name === "raw call (baseline)") return loop(memset, address, name);
  const form = FORMS[name]!;
  const call = form.split
    ? `const p = ${form.pointer};\n  return typeof a2 === "bigint" ? raw(p, a1, a2) : raw(p, a1, BigInt(a2));`
    : `return raw(${form.pointer}, a1, ${form.size});`;
  const source =
    `// ${name}\nreturn function (a0, a1, a2) {\n  if (${form.test}) refuse(arguments.length);\n` +
    `  ${call}\n};`;
  const wrapped = new Function(
    "raw",
    "refuse",
    "fail",
    "addressOf",
    "Box",
    "revoked",
    "revokedReachable",
    source,
  )(
    memset,
    refuse,
    fail,
    addressOf,
    Box,
    revoked,
    revokedReachable,
  ) as Memset;
  return loop(wrapped, block, name);
}

const names = ["raw call (baseline)", ...Object.keys(FORMS), "toolkit dlopen, alloc()'s pointer"];
// Interleaved in one process, round by round, so that the machine's load falls on every contestant alike (the
// machine is shared); each has its own wrapper, loop and raw symbol, so none teaches the JIT another's types.
const runs = names.map(contestant);
const timings = timeInterleaved(
  Object.fromEntries(names.map((name, i) => [name, { run: runs[i]!, ops: CALLS }])),
  21,
);
report("A pointer-taking call's checks, one added per line: memset(pointer, int, size_t)", timings);
// Keeps the Deno-only names used on Bun and the other way round.
void [reachable, REVOKED];

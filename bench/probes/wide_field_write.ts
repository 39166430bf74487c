/**
 * Question: a 64-bit field now takes a safe integer number as well as a bigint (issue 21). What does that cost
 * the bigint write, and how should a number be stored: converted with `BigInt(x)` for `setBigUint64`, or as two
 * 32-bit halves with no bigint made?
 *
 * Decided: `writeSource` and the plain codec in `structs/_scalar_codec.ts` test the bigint first, exactly as
 * before (so a bigint costs what it did), and store a number in two 32-bit halves (`writeHalves`).
 *
 * Contestants, each in a process of its own, each storing 1e6 values into a `u64` at 1,024 offsets through a
 * generated function as `_accessors_generated.ts` writes one: the raw `DataView.setBigUint64` of a bigint
 * (baseline); the check before the change (a bigint only) and after it (`writeSource` itself), on bigints; on
 * numbers, `writeSource` (two halves) and `BigInt(x)` then `setBigUint64`; and the library's own
 * `T.write(bytes, { v }, o)` with a bigint and with a number.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/wide_field_write.ts` and
 * `./node_modules/.bin/bun bench/probes/wide_field_write.ts`.
 *
 * @module
 */
import { struct, u64 } from "../../structs/mod.ts";
import { badValue, writeSource } from "../../structs/_scalar_codec.ts";
import { report, timeSeparately } from "./_time.ts";

type Store = (dv: DataView, o: number, x: unknown) => void;

const OPS = 1_000_000;
const SLOTS = 1024;
const numbers = Array.from({ length: SLOTS }, (_, i) => (i * 2654435761) % 2 ** 52 + i);
const bigints = numbers.map(BigInt);

function compiled(body: string): Store {
  return new Function("bad", `return function store(dv, o, x) { ${body} };`)(badValue) as Store;
}

const before = compiled(
  `if (!(typeof x === "bigint" && BigInt.asUintN(64, x) === x)) bad("v", "u64", "u64", x); ` +
    `dv.setBigUint64(o, x, true);`,
);
const after = compiled(writeSource(u64, "dv", "o", "x", '"v"'));
const viaBigInt = compiled(
  `if (typeof x === "number" && Number.isSafeInteger(x) && x >= 0) dv.setBigUint64(o, BigInt(x), true); ` +
    `else bad("v", "u64", "u64", x);`,
);

function loop(store: Store, values: readonly unknown[]): () => unknown {
  const dv = new DataView(new ArrayBuffer(SLOTS * 8));
  return () => {
    for (let i = 0; i < OPS; i++) store(dv, (i & (SLOTS - 1)) * 8, values[i & (SLOTS - 1)]);
    return dv;
  };
}

function library(values: readonly unknown[]): () => unknown {
  const Row = struct({ v: u64 });
  const bytes = new Uint8Array(SLOTS * 8);
  const rows = values.map((v) => ({ v }));
  return () => {
    for (let i = 0; i < OPS; i++) Row.write(bytes, rows[i & (SLOTS - 1)] as never, (i & (SLOTS - 1)) * 8);
    return bytes;
  };
}

const timings = timeSeparately(import.meta.url, {
  "raw setBigUint64, bigint": () => {
    const dv = new DataView(new ArrayBuffer(SLOTS * 8));
    return () => {
      for (let i = 0; i < OPS; i++) dv.setBigUint64((i & (SLOTS - 1)) * 8, bigints[i & (SLOTS - 1)]!, true);
      return dv;
    };
  },
  "before: bigint-only check, bigint": () => loop(before, bigints),
  "after: writeSource, bigint": () => loop(after, bigints),
  "after: writeSource, number (two halves)": () => loop(after, numbers),
  "rejected: BigInt(x) + setBigUint64, number": () => loop(viaBigInt, numbers),
  "library T.write(), bigint": () => library(bigints),
  "library T.write(), number": () => library(numbers),
}, { ops: OPS });

report("Storing a u64 field from a bigint or a safe integer number", timings);

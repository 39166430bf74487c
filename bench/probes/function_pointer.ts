/**
 * Question: what does a call through a function pointer cost, against the same function called as a symbol,
 * raw and through the toolkit's `unsafeFunctionFromPointer()`?
 *
 * Decided: Deno's own `UnsafeFnPointer.call` goes through an op and libffi on every call (about 100x a symbol's
 * fast call), so `ffi/_deno_function_pointer.ts` binds a pointer to a function a library exports again as that
 * library's symbol (`dladdr`, then `Deno.dlopen`), and keeps `UnsafeFnPointer` for any other pointer. Bun's
 * `CFunction` compiles a call of the address as its `dlopen` does, so `ffi/_bun.ts` uses it as it is.
 *
 * Contestants, on `int32_t add(int32_t, int32_t)` (bench/probes/native/fixture.c), interleaved in one process:
 * the raw symbol (baseline), the raw function-pointer call, the toolkit's symbol, the toolkit's function from
 * a library variable's address (revocable: a flag tested before each call), and from a pointer no owner can
 * revoke.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/function_pointer.ts` and
 * `./node_modules/.bin/bun bench/probes/function_pointer.ts`.
 *
 * @module
 */
import {
  dlopen,
  i32,
  unsafeFunctionFromPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
} from "../../mod.ts";
import { buildFixture } from "./native/build.ts";
import { type Add, bunFfi, rawAdd } from "./_raw_ffi.ts";
import { ownAddLoop, timeInterleaved } from "./_interleaved.ts";
import { consumed, report } from "./_time.ts";

const path = buildFixture();
const CALLS = 200_000;

const raw = rawAdd(path);
let rawPointer: Add;
if (bunFfi) {
  const ffi = bunFfi as unknown as {
    dlopen(p: string, s: object): { symbols: { add: { ptr: number } } };
    CFunction(d: object): Add;
  };
  const ptr = ffi.dlopen(path, { add: { args: ["i32", "i32"], returns: "i32" } }).symbols.add.ptr;
  rawPointer = ffi.CFunction({ ptr, args: ["i32", "i32"], returns: "i32" });
} else {
  const address = Deno.dlopen(path, { add: { name: "add", type: "pointer" } }).symbols.add!;
  const fn = new Deno.UnsafeFnPointer(
    address as never,
    { parameters: ["i32", "i32"], result: "i32" } as const,
  );
  rawPointer = (a, b) => fn.call(a, b) as number;
}
const lib = dlopen(path, {
  add: { args: [i32, i32], returns: i32 },
  address: { variable: true, symbol: "add" },
});
const toolkit = lib.symbols.add;
// The variable's pointer is revoked at the library's close(), so the function tests a flag before each call; a
// pointer no owner can revoke (one C returned) needs no test.
const fromPointer = unsafeFunctionFromPointer(lib.symbols.address, { args: [i32, i32], returns: i32 });
const unowned = unsafePointerFromAddress(unsafePointerAddress(lib.symbols.address))!;
const fromUnowned = unsafeFunctionFromPointer(unowned, { args: [i32, i32], returns: i32 });

// Deno's own function-pointer call takes about 1.4 µs: fewer calls per round.
const pointerCalls = bunFfi ? CALLS : 2_000;
const timings = timeInterleaved({
  "raw symbol": { run: ownAddLoop(raw, CALLS), ops: CALLS },
  "raw function pointer": { run: ownAddLoop(rawPointer, pointerCalls), ops: pointerCalls },
  "toolkit symbol": { run: ownAddLoop(toolkit, CALLS), ops: CALLS },
  "toolkit unsafeFunctionFromPointer() (chosen)": { run: ownAddLoop(fromPointer, CALLS), ops: CALLS },
  "toolkit unsafeFunctionFromPointer(), unowned pointer": { run: ownAddLoop(fromUnowned, CALLS), ops: CALLS },
});
report("add(1, 2) through a function pointer against the symbol, ns per call", timings, "raw symbol");
const toolkitSymbol = timings.find((t) => t.name === "toolkit symbol")!.best;
for (const t of timings.filter((t) => t.name.startsWith("toolkit unsafe"))) {
  console.log(`  ${t.name} / toolkit symbol: ${(t.best / toolkitSymbol).toFixed(2)}x`);
}
consumed();

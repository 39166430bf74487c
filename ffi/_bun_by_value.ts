/**
 * Structs by value on Bun: `bun:ffi` has no struct type (oven-sh/bun#6139), so a signature with a struct is
 * called through a small C function compiled by the TinyCC inside Bun (`cc()`), which takes each struct through a
 * pointer and writes a struct result through one. A callback with structs is a C trampoline of the by-value
 * signature that calls a `JSCallback` with pointers.
 *
 * TinyCC passes a struct of mixed classes wrong (a `{ int64_t; double; }` goes in two integer registers, where
 * the System V ABI wants one integer and one SSE register; measured in tests/ffi/by_value_test.ts), so no struct
 * crosses TinyCC's own by-value code: the shim spells each eightbyte out as the scalar of its class
 * (`ffi/_abi_classify.ts`), a struct that no longer fits in the registers left as a struct of one class whose
 * registers ran out (so TinyCC puts it on the stack, as the ABI does), a MEMORY struct as bytes of its size, and
 * a MEMORY result as the hidden pointer it is. A result in registers is read from `rax`/`rdx`/`xmm0`/`xmm1`
 * right after the call, and a trampoline's result loaded into them, with two lines of inline assembly.
 *
 * One C source per signature shape, compiled once a process (TinyCC relocates into memory: nothing to keep
 * across processes); a callback's trampoline holds its `JSCallback`'s address, so each callback compiles one.
 * System V x86-64 only (`structsByValue` is false on Bun elsewhere).
 *
 * @module
 */
import type * as NodeFs from "node:fs";
import type * as NodeOs from "node:os";
import type * as NodePath from "node:path";
import { generatedCode, MACHINE_TYPES } from "../structs/_internal.ts";
import type { NativeType } from "../structs/scalars.ts";
import type { EightbyteClass } from "./_abi_classify.ts";
import type { ArgumentKind, RawFunction, RawSymbol, ResultKind, StructKind } from "./_backend.ts";
import bunFfi from "./_bun_ffi.ts";

interface Compiled {
  symbols: Record<string, ((...args: unknown[]) => unknown) & { ptr: number }>;
  close(): void;
}
interface BunCc {
  cc(options: { source: string; symbols: Record<string, { args: string[]; returns: string }> }): Compiled;
  linkSymbols(symbols: Record<string, { ptr: number; args: string[]; returns: string }>): Compiled;
  toArrayBuffer(address: number, byteOffset: number, byteLength: number): ArrayBuffer;
  JSCallback: new (
    fn: (...args: never[]) => unknown,
    definition: { args: string[]; returns: string },
  ) => { ptr: number | null; close(): void };
}
const ffi = bunFfi as BunCc;

const INTEGER_REGISTERS = 6;
const SSE_REGISTERS = 8;

/** Whether a symbol has a struct among its arguments or result. */
export function hasStruct(symbol: RawSymbol): boolean {
  return typeof symbol.returns === "object" || symbol.args.some((kind) => typeof kind === "object");
}

function classesOf(kind: StructKind): readonly EightbyteClass[] | "memory" {
  // structKind() gives every struct on this path its classes (Bun declares structs by value only on System V).
  return kind.classes!;
}

// C's spelling of each scalar; buffers and function pointers are pointers.
const C_TYPES: Record<NativeType, string> = {
  i8: "signed char",
  u8: "unsigned char",
  i16: "short",
  u16: "unsigned short",
  i32: "int",
  u32: "unsigned int",
  i64: "long long",
  u64: "unsigned long long",
  isize: "long long",
  usize: "unsigned long long",
  f32: "float",
  f64: "double",
  bool: "_Bool",
  pointer: "void *",
};
function cScalar(kind: ArgumentKind | ResultKind): string {
  return typeof kind === "string" && kind in C_TYPES ? C_TYPES[kind as NativeType] : "void *";
}
function bunScalar(kind: ArgumentKind | ResultKind): string {
  return typeof kind === "string" && kind in MACHINE_TYPES ? MACHINE_TYPES[kind as NativeType].bun : "ptr";
}
const EIGHTBYTE_TYPE: Record<EightbyteClass, string> = { integer: "unsigned long long", sse: "double" };

/** How one argument crosses: as itself, as its eightbytes, as a one-class struct on the stack, or as bytes. */
type Passing =
  | { how: "scalar"; kind: ArgumentKind }
  | { how: "eightbytes"; size: number; classes: readonly EightbyteClass[] }
  | { how: "stack"; size: number; count: number; as: EightbyteClass }
  | { how: "memory"; size: number };

/** Which argument goes where, counting registers as the ABI does (a MEMORY result takes one for its pointer). */
function passings(args: readonly ArgumentKind[], memoryResult: boolean): Passing[] {
  let integer = memoryResult ? 1 : 0;
  let sse = 0;
  return args.map((kind): Passing => {
    if (typeof kind !== "object") {
      if (kind === "f32" || kind === "f64") sse = Math.min(sse + 1, SSE_REGISTERS);
      else integer = Math.min(integer + 1, INTEGER_REGISTERS);
      return { how: "scalar", kind };
    }
    const classes = classesOf(kind);
    if (classes === "memory") return { how: "memory", size: kind.size };
    const needInteger = classes.filter((c) => c === "integer").length;
    const needSse = classes.length - needInteger;
    if (integer + needInteger <= INTEGER_REGISTERS && sse + needSse <= SSE_REGISTERS) {
      integer += needInteger;
      sse += needSse;
      return { how: "eightbytes", size: kind.size, classes };
    }
    // One eightbyte that does not fit goes on the stack as its scalar would; two go there together, as a
    // struct of a class whose registers ran out (TinyCC puts a one-class struct on the stack when they have).
    if (classes.length === 1) return { how: "eightbytes", size: kind.size, classes };
    const as = integer + needInteger > INTEGER_REGISTERS ? "integer" : "sse";
    return { how: "stack", size: kind.size, count: classes.length, as };
  });
}

interface Spelled {
  /** C declarations before the function (struct types). */
  types: string[];
  /** The C parameter of the shim (a pointer to the struct) or of the trampoline (the ABI's view). */
  shimParameter: string;
  trampolineParameter: string;
  /** The types the real function or the trampoline is declared with, in order. */
  abiTypes: string[];
  /** The shim: locals loaded from the pointer, and the values passed. */
  load: string[];
  passed: string[];
  /** The trampoline: the struct's bytes stored from its parameters into `s<i>`. */
  store: string[];
}

function spell(passing: Passing, i: number): Spelled {
  const p = `p${i}`;
  const a = `a${i}`;
  switch (passing.how) {
    case "scalar": {
      const type = cScalar(passing.kind);
      return {
        types: [],
        shimParameter: `${type} ${a}`,
        trampolineParameter: `${type} ${a}`,
        abiTypes: [type],
        load: [],
        passed: [a],
        store: [],
      };
    }
    case "eightbytes": {
      const names = passing.classes.map((_, j) => `${a}_${j}`);
      const bytes = passing.classes.map((_, j) => Math.min(8, passing.size - 8 * j));
      const types = passing.classes.map((c) => EIGHTBYTE_TYPE[c]);
      return {
        types: [],
        shimParameter: `const unsigned char *${p}`,
        trampolineParameter: names.map((n, j) => `${types[j]} ${n}`).join(", "),
        abiTypes: types,
        // A whole eightbyte is one load or store (x86-64 takes them unaligned); a part of one, memcpy.
        load: names.map((n, j) =>
          bytes[j] === 8
            ? `${types[j]} ${n} = *(const ${types[j]} *)(${p} + ${8 * j});`
            : `${types[j]} ${n} = 0; memcpy(&${n}, ${p} + ${8 * j}, ${bytes[j]});`
        ),
        passed: names,
        store: names.map((n, j) =>
          bytes[j] === 8
            ? `*(${types[j]} *)(s${i} + ${8 * j}) = ${n};`
            : `memcpy(s${i} + ${8 * j}, &${n}, ${bytes[j]});`
        ),
      };
    }
    case "stack":
    case "memory": {
      const type = `A${i}`;
      const body = passing.how === "stack"
        ? Array.from({ length: passing.count }, (_, j) => `${EIGHTBYTE_TYPE[passing.as]} e${j};`).join(" ")
        : `unsigned char b[${passing.size}];`;
      return {
        types: [`typedef struct { ${body} } ${type};`],
        shimParameter: `const unsigned char *${p}`,
        trampolineParameter: `${type} ${a}`,
        abiTypes: [type],
        load: [`${type} ${a}; memset(&${a}, 0, sizeof ${a}); memcpy(&${a}, ${p}, ${passing.size});`],
        passed: [a],
        store: [`memcpy(s${i}, &${a}, ${passing.size});`],
      };
    }
  }
}

const PRELUDE = [
  "void *memcpy(void *, const void *, unsigned long);",
  "void *memset(void *, int, unsigned long);",
];

/** Where each eightbyte of a result in registers is: rax, rdx (integer), xmm0, xmm1 (SSE), as `r[0..3]`. */
function resultRegisters(classes: readonly EightbyteClass[]): number[] {
  let integer = 0;
  let sse = 2;
  return classes.map((c) => c === "integer" ? integer++ : sse++);
}

const CAPTURE =
  '__asm__ __volatile__("movq %%rax, %0\\n\\tmovq %%rdx, %1\\n\\tmovq %%xmm0, %2\\n\\tmovq %%xmm1, %3"' +
  ' : "=m"(r[0]), "=m"(r[1]), "=m"(r[2]), "=m"(r[3]));';
const RELEASE =
  '__asm__ __volatile__("movq %0, %%rax\\n\\tmovq %1, %%rdx\\n\\tmovq %2, %%xmm0\\n\\tmovq %3, %%xmm1"' +
  ' : : "m"(r[0]), "m"(r[1]), "m"(r[2]), "m"(r[3]));';

interface Shape {
  passings: Passing[];
  spelled: Spelled[];
  /** The result: a scalar kind, "void", or a struct's classes and size. */
  result: { kind: ResultKind } | { size: number; classes: readonly EightbyteClass[] | "memory" };
}

function shapeOf(symbol: RawSymbol): Shape {
  const returns = symbol.returns;
  const result = typeof returns === "object"
    ? { size: returns.size, classes: classesOf(returns) }
    : { kind: returns };
  const memoryResult = "classes" in result && result.classes === "memory";
  const list = passings(symbol.args, memoryResult);
  return { passings: list, spelled: list.map(spell), result };
}

/** The C source of a call shim: `ffikit_call(fn, <args, structs as pointers>[, out])`, and its Bun signature. */
function callSource(shape: Shape): { source: string; args: string[]; returns: string } {
  const { spelled, result } = shape;
  const lines = [...PRELUDE, ...spelled.flatMap((s) => s.types)];
  const parameters = ["void *fn", ...spelled.map((s) => s.shimParameter)];
  const args = ["ptr", ...shape.passings.map((p) => p.how === "scalar" ? bunScalar(p.kind) : "ptr")];
  const body = spelled.flatMap((s) => s.load);
  const passed = spelled.flatMap((s) => s.passed);
  const abi = spelled.flatMap((s) => s.abiTypes);
  let returns: string;
  if ("kind" in result) {
    const type = result.kind === "void" ? "void" : cScalar(result.kind);
    returns = result.kind === "void" ? "void" : bunScalar(result.kind);
    const call = `((${type} (*)(${abi.join(", ") || "void"}))fn)(${passed.join(", ")});`;
    body.push(result.kind === "void" ? call : `return ${call}`);
    lines.push(`${type} ffikit_call(${parameters.join(", ")}) {`);
  } else {
    returns = "void";
    parameters.push("unsigned char *out");
    args.push("ptr");
    lines.push(`void ffikit_call(${parameters.join(", ")}) {`);
    if (result.classes === "memory") {
      // The hidden pointer is the first integer argument, and the callee writes the struct through it.
      body.push(`((void *(*)(${["void *", ...abi].join(", ")}))fn)(${["out", ...passed].join(", ")});`);
    } else {
      body.push(
        "unsigned long long r[4];",
        `((void (*)(${abi.join(", ") || "void"}))fn)(${passed.join(", ")});`,
        CAPTURE,
      );
      resultRegisters(result.classes).forEach((register, j) => {
        const bytes = Math.min(8, result.size - 8 * j);
        body.push(
          bytes === 8
            ? `*(unsigned long long *)(out + ${8 * j}) = r[${register}];`
            : `memcpy(out + ${8 * j}, &r[${register}], ${bytes});`,
        );
      });
    }
  }
  lines.push(...body.map((line) => `  ${line}`), "}");
  return { source: lines.join("\n") + "\n", args, returns };
}

/**
 * The C source of a callback's trampoline `ffikit_trampoline(<the ABI's view>)`, calling `target(<structs as
 * pointers>[, out])`, and the `JSCallback` signature of that target.
 */
function trampolineSource(shape: Shape, target: number): { source: string; args: string[]; returns: string } {
  const { spelled, result } = shape;
  const lines = [...PRELUDE, ...spelled.flatMap((s) => s.types)];
  const parameters = spelled.map((s) => s.trampolineParameter);
  const body: string[] = [];
  const jsTypes: string[] = [];
  const jsArgs: string[] = [];
  const args: string[] = [];
  shape.passings.forEach((p, i) => {
    if (p.how === "scalar") {
      jsTypes.push(cScalar(p.kind));
      jsArgs.push(`a${i}`);
      args.push(bunScalar(p.kind));
      return;
    }
    body.push(`unsigned char s${i}[${p.size}];`, ...spelled[i]!.store);
    jsTypes.push("unsigned char *");
    jsArgs.push(`s${i}`);
    args.push("ptr");
  });
  let returns: string;
  if ("kind" in result) {
    const type = result.kind === "void" ? "void" : cScalar(result.kind);
    returns = result.kind === "void" ? "void" : bunScalar(result.kind);
    const call = `((${type} (*)(${jsTypes.join(", ") || "void"}))0x${target.toString(16)}ULL)(${
      jsArgs.join(", ")
    });`;
    body.push(result.kind === "void" ? call : `return ${call}`);
    lines.push(`${type} ffikit_trampoline(${parameters.join(", ") || "void"}) {`);
  } else {
    returns = "void";
    jsTypes.push("unsigned char *");
    args.push("ptr");
    const js = `((void (*)(${jsTypes.join(", ")}))0x${target.toString(16)}ULL)`;
    if (result.classes === "memory") {
      lines.push(`void *ffikit_trampoline(${["unsigned char *out", ...parameters].join(", ")}) {`);
      body.push(`${js}(${[...jsArgs, "out"].join(", ")});`, "return out;");
    } else {
      lines.push(`void ffikit_trampoline(${parameters.join(", ") || "void"}) {`);
      body.push(
        // Zeroed: a callback that throws returns without writing it, and C then gets zeros.
        "unsigned char out[16]; memset(out, 0, 16);",
        "unsigned long long r[4] = { 0, 0, 0, 0 };",
        `${js}(${[...jsArgs, "out"].join(", ")});`,
      );
      resultRegisters(result.classes).forEach((register, j) => {
        body.push(`memcpy(&r[${register}], out + ${8 * j}, ${Math.min(8, result.size - 8 * j)});`);
      });
      // Nothing runs between these loads and the return but the epilogue, which leaves them alone.
      body.push(RELEASE);
    }
  }
  lines.push(...body.map((line) => `  ${line}`), "}");
  return { source: lines.join("\n") + "\n", args, returns };
}

let directory: string | undefined;
let compiles = 0;

// node:fs, node:os and node:path are taken on the first compile, not imported: at import node:os alone cost
// every program 1-4 ms on Bun (docs/runtime-notes.md "Start-up").
const builtin = (globalThis as unknown as { process: { getBuiltinModule(name: string): unknown } }).process;

/** Compiles C source with Bun's TinyCC (which reads a file), declaring one function. */
function compile(source: string, name: string, args: string[], returns: string): Compiled {
  const { mkdtempSync, rmSync, writeFileSync } = builtin.getBuiltinModule("node:fs") as typeof NodeFs;
  const { join } = builtin.getBuiltinModule("node:path") as typeof NodePath;
  const { tmpdir } = builtin.getBuiltinModule("node:os") as typeof NodeOs;
  directory ??= mkdtempSync(join(tmpdir(), "ffikit-cc-"));
  const file = join(directory, `${name}_${compiles++}.c`);
  writeFileSync(file, source);
  try {
    return ffi.cc({ source: file, symbols: { [name]: { args, returns } } });
  } finally {
    rmSync(file, { force: true });
  }
}

// The compiled code (kept alive here) and the function that calls it, per C source.
const shims = new Map<string, { compiled: Compiled; call: (...args: unknown[]) => unknown }>();

/** How many shims this process compiled, and the time it took (for bench/probes/by_value_shim.ts). */
export const shimCompileStats: { count: number; milliseconds: number } = { count: 0, milliseconds: 0 };

/**
 * The compiled call shim of a signature (one a process per shape). It is called through `linkSymbols()` on its
 * address: `cc()`'s own functions took 170–220 ns a call against 13–70 for the same code linked
 * (bench/probes/by_value_shim.ts).
 */
function callShim(symbol: RawSymbol): (...args: unknown[]) => unknown {
  const { source, args, returns } = callSource(shapeOf(symbol));
  let shim = shims.get(source);
  if (shim === undefined) {
    const start = performance.now();
    const compiled = compile(source, "ffikit_call", args, returns);
    const ptr = compiled.symbols.ffikit_call!.ptr;
    shim = { compiled, call: ffi.linkSymbols({ ffikit_call: { ptr, args, returns } }).symbols.ffikit_call! };
    shimCompileStats.count++;
    shimCompileStats.milliseconds += performance.now() - start;
    shims.set(source, shim);
  }
  return shim.call;
}

/**
 * A runtime-level function for a symbol with structs, at `address`: struct arguments are their bytes, a struct
 * result comes back as bytes (one array reused per symbol: the caller copies it out before the next call).
 *
 * @param symbol The signature.
 * @param address The function's address.
 * @returns The function.
 */
export function byValueFunction(symbol: RawSymbol, address: number): RawFunction {
  const shim = callShim(symbol);
  const returns = symbol.returns;
  const out = typeof returns === "object" ? new Uint8Array(Math.max(returns.size, 8)) : null;
  const n = symbol.args.length;
  if (generatedCode()) {
    const params = Array.from({ length: n }, (_, i) => `a${i}`);
    const passed = ["address", ...params, ...(out ? ["out"] : [])].join(", ");
    const body = out ? `shim(${passed}); return out;` : `return shim(${passed});`;
    return new Function("shim", "address", "out", `return function (${params.join(", ")}) { ${body} };`)(
      shim,
      address,
      out,
    ) as RawFunction;
  }
  return out
    ? (...args: unknown[]) => {
      shim(address, ...args, out);
      return out;
    }
    : (...args: unknown[]) => shim(address, ...args);
}

/**
 * A callback with structs: a `JSCallback` taking them as pointers, behind a C trampoline of the by-value
 * signature. `fn` receives each struct as a `Uint8Array` over C's copy (valid during the call) and returns a
 * struct result as bytes.
 *
 * @param definition The signature.
 * @param fn The function.
 * @returns The trampoline's address and its release.
 */
export function byValueCallback(
  definition: RawSymbol,
  fn: (...args: never[]) => unknown,
): { ptr: number; close(): void } {
  const shape = shapeOf(definition);
  const sizes = shape.passings.map((p) => p.how === "scalar" ? -1 : p.size);
  const returns = definition.returns;
  const resultSize = typeof returns === "object" ? returns.size : -1;
  const target = (...values: unknown[]) => {
    for (let i = 0; i < sizes.length; i++) {
      if (sizes[i]! >= 0) values[i] = new Uint8Array(ffi.toArrayBuffer(values[i] as number, 0, sizes[i]!));
    }
    if (resultSize < 0) return (fn as (...a: unknown[]) => unknown)(...values.slice(0, sizes.length));
    const bytes = (fn as (...a: unknown[]) => unknown)(...values.slice(0, sizes.length)) as Uint8Array;
    new Uint8Array(ffi.toArrayBuffer(values[sizes.length] as number, 0, resultSize)).set(
      bytes.subarray(0, resultSize),
    );
    return undefined;
  };
  const probe = trampolineSource(shape, 0);
  const js = new ffi.JSCallback(target as (...args: never[]) => unknown, {
    args: probe.args,
    returns: probe.returns,
  });
  if (js.ptr === null) throw new Error("Cannot create callback: Bun returned no function pointer");
  let compiled: Compiled;
  try {
    const start = performance.now();
    compiled = compile(trampolineSource(shape, js.ptr).source, "ffikit_trampoline", [], "void");
    shimCompileStats.count++;
    shimCompileStats.milliseconds += performance.now() - start;
  } catch (error) {
    js.close();
    throw error;
  }
  return {
    ptr: compiled.symbols.ffikit_trampoline!.ptr,
    close: () => {
      compiled.close();
      js.close();
    },
  };
}

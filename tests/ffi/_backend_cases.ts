/**
 * The backend conformance cases: one list, run against whichever backend the runtime has
 * (tests/ffi/backend_test.ts), as hono runs one case file against every router. Each case drives the `Backend`
 * interface directly, with the conversions the toolkit applies around it, and checks what C saw or made.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { NativeType, Pointer } from "../../structs/scalars.ts";
import type { ArgumentKind, Backend, RawFunction, ResultKind } from "../../ffi/_backend.ts";
import { bufferArgument } from "../../ffi/_buffer.ts";
import { LibraryNotFoundError, SymbolNotFoundError } from "../../ffi/errors.ts";

/** One scalar type at its limits, as C spells it. */
interface ScalarCase {
  type: NativeType;
  c: string;
  min: [c: string, js: number | bigint | boolean];
  max: [c: string, js: number | bigint | boolean];
}

const SCALARS: readonly ScalarCase[] = [
  { type: "i8", c: "int8_t", min: ["INT8_MIN", -128], max: ["INT8_MAX", 127] },
  { type: "u8", c: "uint8_t", min: ["0", 0], max: ["UINT8_MAX", 255] },
  { type: "i16", c: "int16_t", min: ["INT16_MIN", -32768], max: ["INT16_MAX", 32767] },
  { type: "u16", c: "uint16_t", min: ["0", 0], max: ["UINT16_MAX", 65535] },
  { type: "i32", c: "int32_t", min: ["INT32_MIN", -(2 ** 31)], max: ["INT32_MAX", 2 ** 31 - 1] },
  { type: "u32", c: "uint32_t", min: ["0", 0], max: ["UINT32_MAX", 2 ** 32 - 1] },
  { type: "i64", c: "int64_t", min: ["INT64_MIN", -(2n ** 63n)], max: ["INT64_MAX", 2n ** 63n - 1n] },
  { type: "u64", c: "uint64_t", min: ["0", 0n], max: ["UINT64_MAX", 2n ** 64n - 1n] },
  { type: "isize", c: "intptr_t", min: ["INTPTR_MIN", -(2n ** 63n)], max: ["INTPTR_MAX", 2n ** 63n - 1n] },
  { type: "usize", c: "size_t", min: ["0", 0n], max: ["SIZE_MAX", 2n ** 64n - 1n] },
  {
    type: "f32",
    c: "float",
    min: ["-FLT_MAX", -3.4028234663852886e38],
    max: ["FLT_MAX", 3.4028234663852886e38],
  },
  { type: "f64", c: "double", min: ["-DBL_MAX", -Number.MAX_VALUE], max: ["DBL_MAX", Number.MAX_VALUE] },
  { type: "bool", c: "bool", min: ["false", false], max: ["true", true] },
];

// Slot i of `slots` holds SCALARS[i >> 1]'s minimum (even i) or maximum (odd i); slot 2n holds its own address.
const SLOT = 16;

/** The C library the cases call: each scalar's limits as results, arguments, memory and through callbacks. */
export const conformanceSource: string = `#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
${
  SCALARS.map(({ type, c, min, max }) =>
    `${c} min_${type}(void) { return ${min[0]}; }
${c} max_${type}(void) { return ${max[0]}; }
int is_min_${type}(${c} x) { return x == ${min[0]}; }
int is_max_${type}(${c} x) { return x == ${max[0]}; }
${c} id_${type}(${c} x) { return x; }
int via_${type}(${c} (*f)(${c})) { return f(${max[0]}) == ${min[0]}; }`
  ).join("\n")
}
void *id_pointer(void *p) { return p; }
int is_null(const void *p) { return p == NULL; }
int64_t sum_bytes(const uint8_t *p, size_t n) { int64_t s = 0; for (size_t i = 0; i < n; i++) s += p[i]; return s; }
const char *utf8_text(void) { return "h\\xc3\\xa9llo"; }
static unsigned char slots[${2 * SCALARS.length + 1}][${SLOT}];
#define PUT(i, T, V) do { T v = (V); memcpy(slots[i], &v, sizeof v); } while (0)
const void *limit_slots(void) {
${
  SCALARS.map(({ c, min, max }, i) => `  PUT(${2 * i}, ${c}, ${min[0]}); PUT(${2 * i + 1}, ${c}, ${max[0]});`)
    .join("\n")
}
  PUT(${2 * SCALARS.length}, void *, (void *)slots);
  return slots;
}
struct pair { int32_t a; double b; };
struct pair make_pair(int32_t a, double b) { struct pair p = { a, b }; return p; }
double pair_sum(struct pair p) { return p.a + p.b; }
`;

/** A case: what it checks, and the check, given the backend and the compiled library's path. */
export interface BackendCase {
  name: string;
  run(backend: Backend, path: string): void;
}

/** A function of the library, with the backend's conversions on either side, as the toolkit applies them. */
function bind(
  backend: Backend,
  path: string,
  name: string,
  args: ArgumentKind[],
  returns: ResultKind,
): RawFunction {
  const raw = backend.open(path, { [name]: { args, returns } }).symbols[name]!;
  const convert = args.map((kind, i) =>
    kind === "buffer" ? bufferArgument(name, i) : backend.argumentConverter(kind)
  );
  const result = backend.resultConverter(returns);
  return (...values: unknown[]) => {
    const r = raw(...values.map((value, i) => convert[i] ? convert[i]!(value) : value));
    return result ? result(r) : r;
  };
}

function limitsBy(
  name: string,
  check: (backend: Backend, path: string, scalar: ScalarCase) => void,
): BackendCase {
  return { name, run: (backend, path) => SCALARS.forEach((scalar) => check(backend, path, scalar)) };
}

const BYTES = Uint8Array.from([1, 2, 3, 250]);

/** The cases. */
export const backendCases: readonly BackendCase[] = [
  {
    name: "open() of a missing library throws LibraryNotFoundError with the loader's words and the cause",
    run(backend) {
      for (const path of ["libffikit-missing.so.9", "/nonexistent/libffikit-missing.so"]) {
        assert.throws(() => backend.open(path, { f: { args: [], returns: "i32" } }), (error: unknown) => {
          assert.ok(error instanceof LibraryNotFoundError, String(error));
          assert.equal(error.library, path);
          assert.deepEqual(error.searched, []);
          assert.match(error.reason ?? "", /libffikit-missing\.so(\.9)?: cannot open shared object file/);
          assert.ok(!/Could not open library|Failed to open library/.test(error.reason ?? ""), error.reason);
          assert.ok(error.cause instanceof Error, "the runtime's error is the cause");
          return true;
        });
      }
    },
  },
  {
    name: "open() of a missing symbol throws SymbolNotFoundError naming it, with the cause",
    run(backend, path) {
      const symbols = {
        id_i32: { args: ["i32"], returns: "i32" },
        no_such: { args: [], returns: "void" },
      } as const;
      assert.throws(() => backend.open(path, symbols), (error: unknown) => {
        assert.ok(error instanceof SymbolNotFoundError, String(error));
        assert.deepEqual([error.library, error.symbol], [path, "no_such"]);
        assert.equal(error.message, `Cannot find symbol "no_such" in library "${path}"`);
        assert.ok(error.cause instanceof Error);
        return true;
      });
    },
  },
  limitsBy("every scalar result reaches JavaScript exact at its limits (64-bit as BigInt)", (b, path, s) => {
    assert.equal(bind(b, path, `min_${s.type}`, [], s.type)(), s.min[1], `min_${s.type}`);
    assert.equal(bind(b, path, `max_${s.type}`, [], s.type)(), s.max[1], `max_${s.type}`);
  }),
  limitsBy("every scalar argument reaches C exact at its limits", (b, path, s) => {
    const isMin = bind(b, path, `is_min_${s.type}`, [s.type], "i32");
    const isMax = bind(b, path, `is_max_${s.type}`, [s.type], "i32");
    assert.deepEqual(
      [isMin(s.min[1]), isMax(s.max[1]), isMin(s.max[1]), isMax(s.min[1])],
      [1, 1, 0, 0],
      s.type,
    );
  }),
  {
    name: "a 64-bit argument may be a number or a BigInt",
    run(backend, path) {
      for (const type of ["i64", "u64", "isize", "usize"] as const) {
        const id = bind(backend, path, `id_${type}`, [type], type);
        assert.deepEqual([id(5), id(5n), id(2 ** 53)], [5n, 5n, 2n ** 53n], type);
      }
    },
  },
  {
    name: "floats keep NaN, signed zero, infinities and subnormals",
    run(backend, path) {
      const f64 = bind(backend, path, "id_f64", ["f64"], "f64");
      const f32 = bind(backend, path, "id_f32", ["f32"], "f32");
      for (const value of [Number.NaN, -0, Infinity, -Infinity, Number.MIN_VALUE, 0.1]) {
        assert.ok(Object.is(f64(value), value), `f64 ${value}`);
        assert.ok(Object.is(f32(value), Math.fround(value)), `f32 ${value}`);
      }
      assert.equal(f32(1.401298464324817e-45), 1.401298464324817e-45, "FLT_TRUE_MIN");
    },
  },
  {
    name: "pointers: made from an address, through C and back, null as null, out of range refused",
    run(backend, path) {
      const id = bind(backend, path, "id_pointer", ["pointer"], "pointer");
      const isNull = bind(backend, path, "is_null", ["pointer"], "i32");
      const pointer = backend.fromAddress(0x12345678n)!;
      assert.ok(backend.isPointer(pointer));
      assert.equal(backend.toAddress(id(pointer) as Pointer), 0x12345678n);
      assert.deepEqual([backend.fromAddress(0n), id(null), isNull(null), isNull(pointer)], [
        null,
        null,
        1,
        0,
      ]);
      assert.equal(backend.toAddress(null), 0n);
      assert.equal(backend.isPointer(0x12345678), false);
      assert.throws(() => backend.fromAddress(-1n), RangeError);
      assert.throws(() => backend.fromAddress(2n ** 64n), RangeError);
    },
  },
  {
    name: "buffers: C reads the bytes lent; null and an empty buffer reach C as NULL",
    run(backend, path) {
      const sum = bind(backend, path, "sum_bytes", ["buffer", "usize"], "i64");
      assert.equal(sum(BYTES, 4), 256n);
      assert.equal(sum(new DataView(BYTES.buffer, 1, 2), 2), 5n);
      const isNull = bind(backend, path, "is_null", ["buffer"], "i32");
      assert.deepEqual(
        [isNull(null), isNull(new Uint8Array(0)), isNull(BYTES.subarray(4)), isNull(new ArrayBuffer(0))],
        [1, 1, 1, 1],
      );
      assert.equal(isNull(BYTES), 0);
    },
  },
  {
    name: "memory C wrote: read() at every scalar's limits, view() and readCString()",
    run(backend, path) {
      const slots = bind(backend, path, "limit_slots", [], "pointer")() as Pointer;
      SCALARS.forEach((s, i) => {
        assert.equal(backend.read(slots, 2 * i * SLOT, s.type), s.min[1], `min ${s.type}`);
        assert.equal(backend.read(slots, (2 * i + 1) * SLOT, s.type), s.max[1], `max ${s.type}`);
      });
      const self = backend.read(slots, 2 * SCALARS.length * SLOT, "pointer") as Pointer;
      assert.equal(backend.toAddress(self), backend.toAddress(slots));
      const bytes = new Uint8Array(backend.view(slots, SLOT, 2));
      assert.deepEqual([...bytes], [127, 0], "int8_t's maximum, and the slot's zero padding");
      const text = bind(backend, path, "utf8_text", [], "pointer")() as Pointer;
      assert.deepEqual([backend.readCString(text, 0), backend.readCString(text, 1)], ["héllo", "éllo"]);
    },
  },
  limitsBy("callbacks take every scalar from C and return one to it, at its limits", (b, path, s) => {
    const inbound = b.resultConverter(s.type);
    const outbound = b.argumentConverter(s.type);
    let seen: unknown;
    const callback = b.callback({ args: [s.type], returns: s.type }, (...values: never[]) => {
      seen = inbound ? inbound(values[0]) : values[0];
      return (outbound ? outbound(s.min[1]) : s.min[1]) as never;
    });
    try {
      assert.equal(bind(b, path, `via_${s.type}`, ["function"], "i32")(callback.pointer), 1, s.type);
      assert.equal(seen, s.max[1], s.type);
    } finally {
      callback.close();
    }
  }),
  {
    name: "structs by value pass and return where the runtime supports them, and are refused where not",
    run(backend, path) {
      const pair = { struct: ["i32", "f64"], size: 16, bytes: 16, classes: ["integer", "sse"] } as const;
      if (!backend.structsByValue) {
        assert.throws(() => backend.open(path, { pair_sum: { args: [pair], returns: "f64" } }), TypeError);
        return;
      }
      const made = bind(backend, path, "make_pair", ["i32", "f64"], pair)(-7, 0.5) as Uint8Array;
      const view = new DataView(made.buffer, made.byteOffset, made.byteLength);
      assert.deepEqual([made.byteLength, view.getInt32(0, true), view.getFloat64(8, true)], [16, -7, 0.5]);
      assert.equal(bind(backend, path, "pair_sum", [pair], "f64")(made), -6.5);
    },
  },
  {
    name:
      "close(): a function taken before it still works where functionsOutliveClose says so; reopening works",
    run(backend, path) {
      const library = backend.open(path, { id_i32: { args: ["i32"], returns: "i32" } });
      const id = library.symbols.id_i32!;
      library.close();
      if (backend.functionsOutliveClose) assert.equal(id(41), 41);
      // Where it does not (Bun), calling `id` would crash the process: the toolkit's dlopen keeps such a
      // library open while a function taken from it is reachable (tests/ffi/dlopen_test.ts).
      const again = backend.open(path, { id_i32: { args: ["i32"], returns: "i32" } });
      assert.equal(again.symbols.id_i32!(42), 42);
      again.close();
    },
  },
];

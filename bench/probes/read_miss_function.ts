/**
 * Question (JavaScriptCore inlining): a layout's generated `read(bytes, byteOffset)` keeps the last bytes'
 * `DataView`; should the path that makes a `DataView` for new bytes (the cache miss) be written inline in
 * `read()`, or be a function of its own that `read()` calls?
 *
 * Decided: a function of its own (`miss` in `makeRead`, `structs/_accessors_generated.ts`), so that `read()`
 * stays small enough for the JIT to inline into the caller's loop. When decided (Bun 1.4): written inline, a
 * read per row took 18 ns instead of 12 (1e6 rows; 6 over 1e3 rows).
 *
 * Contestants, each a loop copying every row of an array of rows into a new array of objects, for a struct of
 * six `u32` fields (24 bytes), each in a process of its own, over 1e6 rows and over 1e3 rows (read 1e3 times):
 * a fresh object per row from one `DataView`, with no `read()` at all (baseline); `read()` as `makeRead`
 * generates it, with the miss inline or in a function of its own (copies written here, compiled with
 * `new Function` as the generator does); and the toolkit's own `T.read(bytes, offset)`.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_miss_function.ts` and
 * `./node_modules/.bin/bun bench/probes/read_miss_function.ts`.
 *
 * @module
 */
import { struct, u32 } from "../../mod.ts";
import { report, separately, time, type Timing } from "./_time.ts";

type Read = (bytes: Uint8Array, byteOffset?: number) => Record<string, number>;

const FIELDS = ["a", "b", "c", "d", "e", "f"];
const SIZE = FIELDS.length * 4;
const Row = struct({ a: u32, b: u32, c: u32, d: u32, e: u32, f: u32 }, { name: "Row" });

// What the generated code calls, reduced to what a `Uint8Array` over a fixed-length buffer takes
// (structs/_bytes.ts has the full forms).
let lastBytes: object = {};
let lastView: DataView | undefined;
function toDataView(bytes: Uint8Array, verb: string, name: string): DataView {
  if (!ArrayBuffer.isView(bytes)) throw new TypeError(`Cannot ${verb} "${name}": expected bytes`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function dataViewOf(bytes: Uint8Array, verb: string, name: string): DataView {
  if (lastBytes === bytes && bytes.byteLength !== 0) return lastView!;
  const dv = toDataView(bytes, verb, name);
  lastBytes = bytes;
  lastView = dv;
  return dv;
}
function keepsLength(bytes: Uint8Array, dv: DataView): boolean {
  const buffer = dv.buffer as { resizable?: boolean; growable?: boolean };
  return bytes.buffer === dv.buffer || !(buffer.resizable === true || buffer.growable === true);
}
function checkSpanSlowly(dv: DataView, byteOffset: number, size: number, verb: string, name: string): void {
  if (typeof byteOffset !== "number") throw new TypeError(`Cannot ${verb} "${name}": bad byte offset`);
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset + size > dv.byteLength) {
    throw new RangeError(`Cannot ${verb} "${name}": ${size} bytes do not fit at offset ${byteOffset}`);
  }
}

const readAtSource = `const readAt = function (dv, o) { return { ${
  FIELDS.map((f, i) => `"${f}": dv.getUint32(o + ${i * 4}, true)`).join(",\n")
} }; };`;

/** `makeRead`'s body, with the miss in a function of its own (as generated) or inline (the old form). */
function makeRead(missInline: boolean): Read {
  const fetch = missInline
    ? `if (bytes !== lastBytes || bytes.byteLength === 0) {
      dv = dataViewOf(bytes, "read", "Row");
      // Bytes whose length may change keep no DataView: the next call makes one of their length then.
      if (keepsLength(bytes, dv)) {
        lastBytes = bytes;
        lastView = dv;
      }
    }`
    : `if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);`;
  const source = `${readAtSource}
const makeRead = function (size) {
  let lastBytes = {}, lastView;
  const miss = function (bytes) {
    const dv = dataViewOf(bytes, "read", "Row");
    // Bytes whose length may change keep no DataView: the next call makes one of their length then.
    if (keepsLength(bytes, dv)) {
      lastBytes = bytes;
      lastView = dv;
    }
    return dv;
  };
  return function read(bytes, byteOffset = 0) {
    let dv = lastView;
    ${fetch}
    if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + size > dv.byteLength) {
      checkSpanSlowly(dv, byteOffset, size, "read", "Row");
    }
    return readAt(dv, byteOffset);
  };
};
return makeRead(${SIZE});`;
  return new Function("dataViewOf", "keepsLength", "checkSpanSlowly", source)(
    dataViewOf,
    keepsLength,
    checkSpanSlowly,
  ) as Read;
}

/** A copy of `rows` rows of `bytes`: one object per row. */
type Copy = (bytes: Uint8Array, rows: number) => unknown[];

function through(read: Read): Copy {
  return (bytes, rows) => {
    const out = new Array(rows);
    for (let i = 0; i < rows; i++) out[i] = read(bytes, i * SIZE);
    return out;
  };
}

const FORMS: Record<string, () => Copy> = {
  "DataView, object per row": () => (bytes, rows) => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Array(rows);
    for (let i = 0, o = 0; i < rows; i++, o += SIZE) {
      out[i] = {
        a: dv.getUint32(o, true),
        b: dv.getUint32(o + 4, true),
        c: dv.getUint32(o + 8, true),
        d: dv.getUint32(o + 12, true),
        e: dv.getUint32(o + 16, true),
        f: dv.getUint32(o + 20, true),
      };
    }
    return out;
  },
  "read(), miss inline (old)": () => through(makeRead(true)),
  "read(), miss a function (chosen)": () => through(makeRead(false)),
  "toolkit Row.read()": () => (bytes, rows) => {
    const out = new Array(rows);
    for (let i = 0; i < rows; i++) out[i] = Row.read(bytes, i * SIZE);
    return out;
  },
};

const SIZES: Record<string, { rows: number; repeat: number }> = {
  "1e6 rows": { rows: 1_000_000, repeat: 1 },
  "1e3 rows": { rows: 1_000, repeat: 1_000 },
};

const contestants: string[] = [];
for (const size of Object.keys(SIZES)) {
  for (const form of Object.keys(FORMS)) contestants.push(`${form}, ${size}`);
}

const timings = separately(import.meta.url, contestants, (name): Timing => {
  const cut = name.lastIndexOf(", ");
  const form = name.slice(0, cut), size = name.slice(cut + 2);
  const { rows, repeat } = SIZES[size]!;
  const copy = FORMS[form]!();
  const bytes = new Uint8Array(rows * SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
  const expected = new DataView(bytes.buffer).getUint32((rows - 1) * SIZE + 20, true);
  if ((copy(bytes, rows)[rows - 1] as { f: number }).f !== expected) {
    throw new Error(`${name}: wrong last row`);
  }
  return time(name, () => {
    let out: unknown[] = [];
    for (let r = 0; r < repeat; r++) out = copy(bytes, rows);
    return out;
  }, { ops: rows * repeat, rounds: 9, warmup: 3 });
});
for (const size of Object.keys(SIZES)) {
  const group = timings.filter((t) => t.name.endsWith(`, ${size}`));
  report(`Copying rows of six u32 fields, ${size}, ns per row`, group, `DataView, object per row, ${size}`);
}

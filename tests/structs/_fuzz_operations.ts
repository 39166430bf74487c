/**
 * The fuzz suite's operations: each drives one entry point of a layout over a region (`_fuzz_buffers.ts`) and
 * checks it against the reference decoder (`_fuzz_reference.ts`): values read, bytes written and nothing else,
 * and for input that must fail, one of the toolkit's named errors.
 */
import { inspect, isDeepStrictEqual } from "node:util";
import { LayoutError, pointer, struct } from "../../structs/mod.ts";
import type { Region } from "./_fuzz_buffers.ts";
import { type FuzzLayout, rowLimitOf } from "./_fuzz_layouts.ts";
import { decode, NotDecodable, required } from "./_fuzz_reference.ts";

type Layout = FuzzLayout["layout"];
type AnyRecord = Record<string, unknown>;

/** What one iteration has: its random source, its layout, and where findings go. */
export interface Context {
  random: () => number;
  fuzz: FuzzLayout;
  region: Region;
  findings: string[];
  /** The iteration, for messages. */
  label: string;
}

// Words of the engines, which must never reach a caller through the toolkit.
const ENGINE_WORDS =
  /DataView\.prototype|typed array length|out-of-bounds|Underlying ArrayBuffer|outside the bounds|Offset is outside|Start offset|Invalid array length|call stack|Length out of range|is not a function|(undefined|null) is not an? (object|function)|Cannot read properties/;

/** Whether `error` is one of the toolkit's named errors, in its words. */
export function toolkitError(error: unknown): boolean {
  return (error instanceof TypeError || error instanceof RangeError || error instanceof LayoutError) &&
    /^Cannot [^\n]+: [^\n]+$/.test(error.message) && !ENGINE_WORDS.test(error.message);
}

/** A pointer's address, written by a one-field layout and read back by hand. */
const PointerBox = struct({ p: pointer });
function address(p: unknown): bigint {
  const bytes = PointerBox.encode({ p: p as never });
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** A library value as the reference gives it: views and arrays copied out, pointers as their addresses. */
export function normalize(value: unknown): unknown {
  if (value === null) return 0n;
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(normalize);
  // Pointers are frozen objects (or prototype-less ones) of the FFI runtime; copies and views are not frozen.
  if (Object.isFrozen(value)) return address(value);
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const out: AnyRecord = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return normalize(toJSON.call(value));
  return address(value);
}

/** How many calls were made on valid input, and how many on input that must be refused. */
export const tally = { valid: 0, refused: 0 };

/**
 * Runs `f`, which must succeed when `expectOk` is true and throw a toolkit error when it is false (either, when
 * `undefined`); any error must be the toolkit's. Returns the value, or `undefined` when it threw.
 */
export function attempt<T>(
  c: Context,
  what: string,
  expectOk: boolean | undefined,
  f: () => T,
): T | undefined {
  if (expectOk) tally.valid++;
  else if (expectOk === false) tally.refused++;
  try {
    const value = f();
    if (expectOk === false) {
      c.findings.push(`${c.label}: ${what} should have thrown, returned ${show(value)}`);
    }
    return value;
  } catch (error) {
    if (!toolkitError(error)) {
      c.findings.push(`${c.label}: ${what} threw a non-toolkit error: ${String(error)}`);
    } else if (expectOk) c.findings.push(`${c.label}: ${what} threw on valid input: ${String(error)}`);
    return undefined;
  }
}

function show(value: unknown): string {
  try {
    return JSON.stringify(normalize(value), (_, v) => typeof v === "bigint" ? `${v}n` : v)?.slice(0, 300) ??
      "?";
  } catch {
    return String(value);
  }
}

/** Records a finding unless `actual` equals `expected` (NaN equal to NaN). */
export function same(c: Context, what: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) {
    c.findings.push(`${c.label}: ${what}: got ${show(actual)}, expected ${show(expected)}`);
  }
}

/** The reference value of the layout at byte `at` of `bytes` ending at `end`, or `undefined` if it does not fit. */
export function reference(layout: Layout, bytes: Uint8Array, at: number, end: number): unknown {
  try {
    return decode(layout as never, bytes, at, end, rowLimitOf(layout));
  } catch (error) {
    if (error instanceof NotDecodable) return undefined;
    throw error;
  }
}

/** The flexible array's end (from the struct's start) in a decoded value, or the fixed size. */
export function extent(layout: Layout, value: unknown): number {
  if (!layout.flexible) return layout.size;
  const last = layout.fields[layout.fields.length - 1]!;
  const element =
    (last.type as unknown as { element: { size?: number; kind: string; type?: { size: number } } })
      .element;
  const stride = element.kind === "aligned" ? element.type!.size : element.size!;
  return last.offset + ((value as AnyRecord)[last.name] as unknown[]).length * stride;
}

/** Checks that no byte of `before` outside `[from, to)` changed in `after`. */
export function guarded(
  c: Context,
  what: string,
  before: Uint8Array,
  after: Uint8Array,
  from: number,
  to: number,
) {
  for (let i = 0; i < before.length; i++) {
    if ((i < from || i >= to) && before[i] !== after[i]) {
      c.findings.push(`${c.label}: ${what} changed byte ${i} outside [${from}, ${to})`);
      return;
    }
  }
}

/** A random integer in [0, n). */
export function below(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** Random bytes; a layout's top-level string fields get ASCII, so that their text fits when written back. */
export function sourceBytes(c: Context, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = below(c.random, 256);
  // Small counts, so that flexible arrays often fit.
  const first = c.fuzz.layout.fields[0];
  if (c.fuzz.layout.flexible && first) {
    bytes[first.offset] = below(c.random, 5);
    for (let i = 1; i < first.size; i++) bytes[first.offset + i] = 0;
  }
  for (const name of c.fuzz.strings) {
    const f = c.fuzz.layout.fields.find((x) => x.name === name)!;
    for (let i = f.offset; i < f.offset + f.size; i++) bytes[i]! &= 0x7f;
  }
  return bytes;
}

/** `read` at an offset, against the reference. */
export function checkRead(c: Context, o: number): void {
  const { layout } = c.fuzz;
  const r = c.region;
  const end = r.start + r.length;
  const expected = r.live && o + required(layout) <= r.length
    ? reference(layout, r.whole, r.start + o, end)
    : undefined;
  const value = attempt(c, `read at ${o}`, expected !== undefined, () => layout.read(r.bytes, o));
  if (value !== undefined && expected !== undefined) same(c, `read at ${o}`, normalize(value), expected);
}

/** `view` at an offset: every field through its getter, and `toJSON`. */
export function checkView(c: Context, o: number): void {
  const { layout } = c.fuzz;
  const r = c.region;
  const fits = r.live && o + required(layout) <= r.length;
  const view = attempt(c, `view at ${o}`, fits, () => layout.view(r.bytes, o)) as AnyRecord | undefined;
  if (!view) return;
  const expected = reference(layout, r.whole, r.start + o, r.start + r.length) as AnyRecord | undefined;
  for (const f of layout.fields) {
    const value = attempt(
      c,
      `view.${f.name}`,
      expected !== undefined || f !== layout.fields.at(-1),
      () => view[f.name],
    );
    if (expected && value !== undefined) {
      same(c, `view.${f.name} at ${o}`, normalize(value), expected[f.name]);
    }
  }
  const json = attempt(
    c,
    "view.toJSON()",
    expected !== undefined,
    () => (view as { toJSON(): unknown }).toJSON(),
  );
  if (expected && json !== undefined) same(c, `view.toJSON() at ${o}`, normalize(json), expected);
}

/** A view whose buffer then shrinks: it prints (saying its bytes are gone), and its copy is the toolkit's error. */
export function checkShrunkView(c: Context, o: number): void {
  const { layout } = c.fuzz;
  const r = c.region;
  if (!r.shrink || !r.live || o + required(layout) > r.length) return;
  const view = layout.view(r.bytes, o);
  const keep = below(c.random, r.length + 1);
  r.shrink(keep);
  attempt(c, `printing a view after a shrink to ${keep}`, true, () => inspect(view));
  // A view keeps the DataView of the bytes it was given: a resizable ArrayBuffer given itself tracks its length,
  // so the view's own bytes are what must remain; the DataView of a typed array or a DataView has the length it
  // had, all of which must remain. A flexible array's rows may or may not: only the kind of error is checked.
  const intact = layout.flexible
    ? undefined
    : r.kind === "resizable ArrayBuffer"
    ? o + layout.size <= keep
    : keep >= r.length;
  const copy = () => (view as unknown as { toJSON(): unknown }).toJSON();
  attempt(c, `view.toJSON() after a shrink to ${keep}`, intact, copy);
}

/** A setter through a view: the field's value changes, and no byte outside the struct's span. */
export function checkViewSet(c: Context, o: number, value: AnyRecord): void {
  const { layout } = c.fuzz;
  const r = c.region;
  if (!r.live || o + layout.size > r.length || layout.flexible) return;
  const settable = layout.fields.filter((f) => {
    const kind = (f.type as { kind: string }).kind;
    return kind === "scalar" || kind === "bits" ||
      (kind === "array" && (f.type as { string?: boolean }).string);
  });
  if (settable.length === 0) return;
  const f = settable[below(c.random, settable.length)]!;
  const view = layout.view(r.bytes, o) as AnyRecord;
  const before = r.whole.slice();
  attempt(c, `view.${f.name} = …`, true, () => (view[f.name] = value[f.name]));
  const after = r.whole;
  // In a struct only the field's bytes may change; in a union, the union's.
  const from = r.start + o + (layout.kind === "union" ? 0 : f.offset);
  guarded(
    c,
    `view.${f.name} = …`,
    before,
    after,
    from,
    from + (layout.kind === "union" ? layout.size : f.size),
  );
  const now = reference(layout, after, r.start + o, r.start + r.length) as AnyRecord;
  same(c, `view.${f.name} after set`, now[f.name], normalize(value[f.name]));
  if (layout.kind === "struct") {
    const was = reference(layout, before, r.start + o, r.start + r.length) as AnyRecord;
    same(c, `other fields after view.${f.name} = …`, { ...now, [f.name]: 0 }, { ...was, [f.name]: 0 });
  }
}

/** `write` of a value: it reads back, and no byte outside its span changes. */
export function checkWrite(c: Context, o: number, value: AnyRecord, valueExtent: number): void {
  const { layout } = c.fuzz;
  const r = c.region;
  let written: AnyRecord = value;
  if (layout.kind === "union") {
    const names = Object.keys(value);
    const name = names[below(c.random, names.length)]!;
    written = { [name]: value[name] };
  }
  const ok = r.live && o + Math.max(required(layout), valueExtent) <= r.length;
  const before = r.live ? r.whole.slice() : new Uint8Array(0);
  attempt(c, `write at ${o}`, ok, () => layout.write(r.bytes, written as never, o));
  if (!r.live) return;
  const after = r.whole;
  const span = layout.kind === "union" ? layout.size : valueExtent;
  guarded(c, `write at ${o}`, before, after, r.start + o, r.start + o + span);
  if (!ok) return;
  const now = reference(layout, after, r.start + o, r.start + r.length) as AnyRecord;
  // A flexible array without a count reads as many rows as the bytes hold: the rows written come first.
  const last = layout.fields.at(-1)!;
  const uncounted = layout.flexible && (last.type as { count?: string }).count === undefined;
  for (const k of Object.keys(written)) {
    const rows = written[k] as unknown[];
    const read = uncounted && k === last.name ? (now[k] as unknown[]).slice(0, rows.length) : now[k];
    same(c, `${k} after write at ${o}`, read, normalize(written[k]));
  }
}

/** `encode` of a value: the bytes' length, and what they decode to. */
export function checkEncode(c: Context, value: AnyRecord, valueExtent: number): void {
  const { layout } = c.fuzz;
  const bytes = attempt(c, "encode", true, () => layout.encode(value as never));
  if (!bytes) return;
  const last = layout.fields.at(-1);
  const counted = layout.flexible && (last!.type as { count?: string }).count !== undefined;
  const size = !layout.flexible ? layout.size : counted ? Math.max(layout.size, valueExtent) : valueExtent;
  same(c, "encode length", bytes.length, size);
  if (layout.kind === "struct") {
    same(c, "encode", reference(layout, bytes, 0, bytes.length), normalize(value));
  }
}

/** `cast`, with and without `prefix`: accepted exactly when the bytes' length is right. */
export function checkCast(c: Context, prefix: boolean): void {
  const { layout } = c.fuzz;
  const r = c.region;
  const expected = r.live ? reference(layout, r.whole, r.start, r.start + r.length) : undefined;
  let ok: boolean;
  if (!r.live) ok = false;
  else if (!layout.flexible) ok = prefix ? r.length >= layout.size : r.length === layout.size;
  else {
    const last = layout.fields.at(-1)!;
    const counted = (last.type as { count?: string }).count !== undefined;
    const end = expected === undefined ? NaN : extent(layout, expected);
    ok = r.length >= required(layout) && expected !== undefined &&
      (prefix || !counted || r.length === end || r.length === Math.max(end, layout.size));
  }
  const view = attempt(
    c,
    `cast${prefix ? " with prefix" : ""} of ${r.length} bytes`,
    ok,
    () => layout.cast(r.bytes, prefix ? { prefix } : undefined),
  );
  if (view && expected !== undefined) same(c, "cast", normalize(view), expected);
}

const BAD_OFFSETS: unknown[] = [-1, 0.5, NaN, Infinity, "0", 0n, null, {}, 2 ** 53, -0.5];

/** Offsets that are no byte offset: every entry point refuses them in its own words. */
export function checkBadOffsets(c: Context, value: AnyRecord | undefined): void {
  const { layout } = c.fuzz;
  const bytes = c.region.bytes;
  const bad = BAD_OFFSETS[below(c.random, BAD_OFFSETS.length)] as number;
  attempt(c, `read at ${String(bad)}`, false, () => layout.read(bytes, bad));
  attempt(c, `view at ${String(bad)}`, false, () => layout.view(bytes, bad));
  if (value) attempt(c, `write at ${String(bad)}`, false, () => layout.write(bytes, value as never, bad));
  attempt(c, `array at ${String(bad)}`, false, () => layout.array(bytes, { byteOffset: bad }));
  attempt(c, `array of ${String(bad)} rows`, false, () => layout.array(bytes, { count: bad }));
}

/** `value` with each safe-integer bigint (at any depth) turned into a number half the time: 64-bit fields take both. */
function someAsNumbers(c: Context, value: unknown): unknown {
  if (typeof value === "bigint") {
    const safe = value >= -BigInt(Number.MAX_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
    return safe && c.random() < 0.5 ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => someAsNumbers(c, v));
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: AnyRecord = {};
    for (const [k, v] of Object.entries(value)) out[k] = someAsNumbers(c, v);
    return out;
  }
  return value;
}

/**
 * `write` of a struct value with some fields left out and some 64-bit integers given as numbers: the fields given
 * read back, the ones left out read as zeros (what the reference decodes from zero bytes), and a key that is not a
 * field is refused exactly when a field was left out (a value with every field is written as it is).
 */
export function checkPartialWrite(c: Context, o: number, value: AnyRecord): void {
  const { layout } = c.fuzz;
  const r = c.region;
  if (layout.kind !== "struct" || layout.flexible || !r.live || o + layout.size > r.length) return;
  const zeros = reference(layout, new Uint8Array(layout.size), 0, layout.size) as AnyRecord | undefined;
  if (zeros === undefined) return;
  const written: AnyRecord = {};
  const left: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (c.random() < 0.3) left.push(k);
    else written[k] = someAsNumbers(c, v);
  }
  const bogus = c.random() < 0.2;
  if (bogus) written["\u00a7not_a_field"] = 1;
  const before = r.whole.slice();
  attempt(
    c,
    `partial write at ${o}`,
    !(bogus && left.length > 0),
    () => layout.write(r.bytes, written as never, o),
  );
  guarded(c, `partial write at ${o}`, before, r.whole, r.start + o, r.start + o + layout.size);
  if (bogus && left.length > 0) return;
  const now = reference(layout, r.whole, r.start + o, r.start + r.length) as AnyRecord;
  for (const k of Object.keys(value)) {
    same(c, `${k} after partial write at ${o}`, now[k], left.includes(k) ? zeros[k] : normalize(value[k]));
  }
}

/**
 * In-place arrays: `ArrayView` (an array field, a flexible array or `T.array(bytes)`), its `Cursor` that walks
 * rows without allocating, and `Column`, one scalar field across every row.
 *
 * @module
 */
import {
  type Codec,
  compile,
  decodeCString,
  describe,
  generatedCode,
  hostLittleEndian,
  isLittle,
  readSource,
  scalarCodec,
} from "./_codec.ts";
import type { NativeType, NativeValues, Scalar } from "./scalars.ts";
import type {
  ColumnName,
  ColumnNative,
  ElementView,
  FieldType,
  Infer,
  InferInput,
  TypedArrays,
} from "./types.ts";

const internal = Symbol("internal");
// A cursor's probe (its buffer's bytes as a Uint8Array), for printing; every cursor class has it.
const probeOf = Symbol("probe");

// Set by the classes' static blocks: what the per-layout subclasses take over from their base.
let arrayProbe: (rows: ArrayView) => Uint8Array;
let arrayName: (rows: ArrayView) => string;
let arrayRows: (rows: ArrayView) => DataView;
let typedColumnProbe: (column: TypedColumn<NativeType>) => Uint8Array;
let viewColumnProbe: (column: DataViewColumn<NativeType>) => Uint8Array;

/** Where a scalar field of a struct lies, for `column()`. */
export interface ScalarMember {
  readonly offset: number;
  readonly type: Scalar;
}

/** What the element codec of a struct offers to arrays on top of `Codec`. */
export interface RowCodec extends Codec {
  scalarMember?(name: string): ScalarMember | undefined;
  /** The columns' plans by field name, filled as columns are made (`columnPlan`). */
  columns?: Map<string, ColumnPlan>;
  /** The layout's own array class (`arrayClassOf`), once made. */
  ArrayView?: typeof ArrayView;
  /** The layout's own cursor class (`cursorClassOf`), once made. */
  Cursor?: typeof Cursor;
  /**
   * `length` rows copied out (generated path only), used by the per-layout array class (`arrayClassOf`). Its
   * object literals are allocation sites of their own, apart from `readAt`'s, one for small copies and one for
   * big ones, so that V8 learns that big copies live on and allocates them straight into the old generation
   * (see `BULK_FIELDS` in `struct.ts`).
   */
  readAll?(dv: DataView, base: number, length: number, stride: number): unknown[];
}

/**
 * A fixed number of elements laid out back to back in memory, read and written in place. Elements that are
 * scalars or strings read as values; struct, union and array elements read as views of the same bytes.
 *
 * Bounds were checked when the array was made: `at(i)` only checks `i`.
 *
 * @example Walking the rows of a table
 * ```ts
 * import { array, struct, u32 } from "./mod.ts";
 * const Row = struct({ state: u32, pid: u32 });
 * const rows = Row.array(new Uint32Array([5, 10, 2, 20]));
 * console.log(rows.length, rows.at(1).pid); // 2 20
 * ```
 */
export class ArrayView<E extends FieldType = FieldType> implements Iterable<ElementView<E>> {
  #codec: RowCodec;
  #get: (dv: DataView, offset: number) => unknown;
  #dv: DataView;
  #base = 0;
  #length = 0;
  #stride = 0;
  #name: string;
  // One byte per element, over the same buffer: `probe[i] === undefined` is the index check. V8 turns a
  // typed array's own bounds check into a cheap guard, where an explicit `i < length` test cost 3-5 ns per
  // call in the /tmp timing runs (Deno 2.9, 1e6 rows).
  #probe: Uint8Array;
  // A DataView whose byte 0 is the first element's, made when first needed (`#rowsView`).
  #rows: DataView | undefined;

  /** Internal: arrays are made by `T.array()`, by array fields of views and by flexible arrays. */
  constructor(
    token: typeof internal,
    codec: RowCodec,
    dv: DataView,
    base: number,
    length: number,
    name: string,
  ) {
    if (token !== internal) throw new TypeError("Cannot construct an ArrayView directly: use T.array(bytes)");
    this.#codec = codec;
    this.#get = codec.viewAt ?? codec.readAt;
    this.#dv = dv;
    this.#base = base;
    this.#length = length;
    this.#stride = codec.size;
    this.#name = name;
    this.#probe = probe(dv, base, length, codec.size);
  }

  static {
    // For the per-layout subclasses, which keep the index probe in a field of their own.
    arrayProbe = (rows) => rows.#probe;
    arrayName = (rows) => rows.#name;
    arrayRows = (rows) => rows.#rowsView();
  }

  /** The number of elements. */
  get length(): number {
    return this.#length;
  }

  /** The size of one element in bytes (the distance between rows). */
  get stride(): number {
    return this.#stride;
  }

  /** The offset of the first element within the buffer, in bytes. */
  get byteOffset(): number {
    return this.#dv.byteOffset + this.#base;
  }

  /** The number of bytes the elements cover. */
  get byteLength(): number {
    return this.#length * this.#stride;
  }

  /**
   * The elements' own DataView, starting at the first one: the bytes given when the elements start them (the
   * usual case), else a DataView made once and shared by this array's compiled class, cursors and columns,
   * which then read at literal offsets from it.
   */
  #rowsView(): DataView {
    return this.#rows ??= this.#base === 0
      ? this.#dv
      : new DataView(this.#dv.buffer, this.#dv.byteOffset + this.#base, this.#length * this.#stride);
  }

  #index(i: number): number {
    return checkIndex(i, this.#length, this.#probe, "element", ` of "${this.#name}"`, "elements");
  }

  /**
   * The element at index `i` (negative counts from the end): a value for scalars and strings, else a view.
   *
   * @param i The index.
   * @returns The element.
   * @throws {TypeError} When `i` is not a number, or the buffer is detached or shorter than the elements now.
   * @throws {RangeError} When `i` is not an integer index of the array.
   */
  at(i: number): ElementView<E> {
    // The slow path is a separate call (not `i = ...` here), which kept JavaScriptCore's fast path inlined.
    // Anything but a number looks up -1, which misses: see `checkIndex`.
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) return this.#slowAt(i);
    return this.#get(this.#dv, this.#base + i * this.#stride) as ElementView<E>;
  }

  #slowAt(i: number): ElementView<E> {
    const index = this.#index(i);
    return this.#get(this.#dv, this.#base + index * this.#stride) as ElementView<E>;
  }

  /**
   * Writes the element at index `i`.
   *
   * @param i The index.
   * @param value The element's new value.
   * @throws {RangeError} When `i` is not an index of the array or the value is out of range.
   * @throws {TypeError} When the value has the wrong shape.
   */
  set(i: number, value: InferInput<E>): void {
    const index = this.#index(i);
    this.#codec.writeAt(this.#dv, this.#base + index * this.#stride, value, `${this.#name}[${index}]`);
  }

  /**
   * Iterates the elements (a fresh view per element; use `cursor()` to walk without allocating). The walk has
   * the engine's iterator helpers: `rows[Symbol.iterator]().filter((r) => r.state === 5).toArray()`.
   */
  [Symbol.iterator](): IteratorObject<ElementView<E>, undefined> {
    return walk(this, this.#length);
  }

  /**
   * Copies every element out: plain objects for structs, values for scalars.
   *
   * @returns A new array.
   */
  toArray(): Array<Infer<E>> {
    if (rowsGone(this.#probe, this.#length)) throw goneError(this.#probe, "copy", this.#name);
    const codec = this.#codec;
    const dv = this.#dv;
    const stride = this.#stride;
    const out = new Array(this.#length);
    for (let i = 0, o = this.#base; i < out.length; i++, o += stride) out[i] = codec.readAt(dv, o);
    return out;
  }

  /**
   * What `JSON.stringify` writes: the elements copied out, as `toArray()` gives them. 64-bit integers are
   * `bigint`s there, which `JSON.stringify` refuses (as it refuses them in `T.read()`'s copy) unless a replacer
   * turns them into something else: `JSON.stringify(rows, (k, v) => typeof v === "bigint" ? String(v) : v)`.
   *
   * @returns A new array.
   * @throws {TypeError} When the buffer is detached or shorter than the elements now.
   */
  toJSON(): Array<Infer<E>> {
    return this.toArray();
  }

  /**
   * A cursor over the rows: one view, moved from row to row, so walking allocates nothing per row.
   *
   * @returns A cursor positioned before the first row.
   * @throws {TypeError} When the elements are not structs or unions.
   */
  cursor(): Cursor<E> {
    if (!this.#codec.moveView || !this.#codec.viewAt) {
      throw new TypeError(`Cannot make a cursor over "${this.#name}": its elements are not structs`);
    }
    if (rowsGone(this.#probe, this.#length)) {
      throw goneError(this.#probe, "make a cursor over", this.#name);
    }
    const codec = this.#codec;
    const Walker = codec.readAll ? cursorClassOf(codec) : Cursor;
    return new Walker(
      internal,
      codec,
      this.#rowsView(),
      0,
      this.#length,
      this.#stride,
      this.#probe,
    ) as Cursor<
      E
    >;
  }

  /**
   * One scalar field across every row, read in place.
   *
   * @param name The field name.
   * @returns The column.
   * @throws {TypeError} When the elements are not structs or the field is not a numeric scalar.
   */
  column<K extends ColumnName<E>>(name: K): Column<ColumnNative<E, K>> {
    // The error paths are calls of their own, and no `try`: V8 inlines the whole making of an array and a
    // column into a scan of a small table, and then allocates neither, as long as they fit its inlining
    // budget. The buffer test in a `try`/`catch` cost a scan of 100 rows 14 ns (Deno 2.9, /tmp probe).
    if (!this.#codec.scalarMember) throw notScalar(name, this.#name);
    const plan = columnPlan(this.#codec, name, this.#name);
    if (rowsGone(this.#probe, this.#length)) {
      throw goneError(this.#probe, `make a column of "${name}" over`, this.#name);
    }
    return makeColumn(plan, name, this.#rowsView(), this.#length, this.#stride, this.#probe) as Column<
      ColumnNative<E, K>
    >;
  }

  /**
   * Reads a `char` array as a string: UTF-8 up to the first NUL byte.
   *
   * @returns The string.
   * @throws {TypeError} When the elements are not one-byte integers.
   */
  readString(): string {
    if (this.#stride !== 1 || this.#codec.viewAt) {
      throw new TypeError(`Cannot read "${this.#name}" as a string: its elements are not one-byte integers`);
    }
    if (rowsGone(this.#probe, this.#length)) {
      throw goneError(this.#probe, "read", this.#name);
    }
    return decodeCString(this.#dv, this.#base, this.#length);
  }
}

/**
 * Walks the rows of an array with one reused view: `while (cursor.next()) cursor.row.pid`. The view moves on
 * each `next()`, so keep a copy (`T.read`) of any row you need later.
 *
 * @example Summing a column without allocating per row
 * ```ts
 * import { struct, u32 } from "./mod.ts";
 * const Row = struct({ state: u32, pid: u32 });
 * const cursor = Row.array(new Uint32Array([5, 10, 2, 20])).cursor();
 * let sum = 0;
 * while (cursor.next()) sum += cursor.row.pid;
 * console.log(sum); // 30
 * ```
 */
export class Cursor<E extends FieldType = FieldType> {
  #move!: (view: unknown, offset: number) => void;
  #row!: ElementView<E>;
  #base = 0;
  #length = 0;
  #stride = 0;
  #i = -1;
  #probe: Uint8Array;

  /** Internal: cursors are made by `ArrayView.cursor()`. */
  constructor(
    token: typeof internal,
    codec: RowCodec,
    dv: DataView,
    base: number,
    length: number,
    stride: number,
    probe: Uint8Array,
  ) {
    if (token !== internal) throw new TypeError("Cannot construct a Cursor directly: use rows.cursor()");
    this.#probe = probe;
    this.#length = length;
    this.#move = codec.moveView!;
    this.#row = codec.viewAt!(dv, base) as ElementView<E>;
    this.#base = base;
    this.#stride = stride;
  }

  /** Internal: the bytes of the cursor's buffer, for printing. */
  [probeOf](): Uint8Array {
    return this.#probe;
  }

  /** The view of the current row (the same object on every row). */
  get row(): ElementView<E> {
    return this.#row;
  }

  /** The number of rows. */
  get length(): number {
    return this.#length;
  }

  /** The index of the current row: -1 before the first `next()`, `length` after the last. */
  get index(): number {
    return Math.min(this.#length, this.#i);
  }

  /**
   * Moves to the next row. It does not look at the buffer (a check per row would cost the walk): once the
   * buffer is detached or shrinks under the rows, the row's fields throw the engine's bounds error, never
   * reading past the buffer, and `seek` says what happened.
   *
   * @returns `false` when there are no more rows.
   */
  next(): boolean {
    // This plain path walks by index. Stored before the test, so that the last call stores nothing of its own
    // (see `cursorClassOf`); `index` clamps a cursor moved on past the end.
    const i = this.#i + 1;
    this.#i = i;
    if (i >= this.#length) return false;
    this.#move(this.#row, this.#base + i * this.#stride);
    return true;
  }

  /**
   * Moves to row `i` (negative counts from the end) and returns the row view. The fastest walk when the caller
   * owns the loop: `for (let i = 0; i < rows.length; i++) cursor.seek(i).pid`.
   *
   * @param i The row index.
   * @returns The row view.
   * @throws {RangeError} When `i` is not a row index.
   */
  seek(i: number): ElementView<E> {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) {
      i = checkIndex(i, this.#length, this.#probe, "row", "", "rows");
    }
    this.#i = i;
    this.#move(this.#row, this.#base + i * this.#stride);
    return this.#row;
  }

  /** Moves back before the first row. */
  reset(): void {
    this.#i = -1;
  }
}

// Cursors over struct rows, compiled per layout (when the layout's accessors are generated). One shared
// `next()` moves every layout's views from one call site, which went polymorphic at the second struct type in a
// program: in the rows benchmark (two row types) `next()` took 6.4-10 ns per row and `seek(i)` 8-12, against
// 2.5 and 1.8 with one type. The subclass keeps its own state and calls its layout's `moveView` directly.
//
// Its numeric fields start as numbers (`#o = 0`), not undefined: a private field declared bare holds undefined
// first, and V8 then keeps it as a tagged field rather than a small integer. Declared bare, `next()` ran at
// 2.4 or 6.4 ns per row from one process to the next (Deno 2.9, /tmp probe with two row types in use); with
// numbers, 2.2-2.5. That is near the floor of the design: the row's offset lives in an object, and each row
// stores it and loads it back. Hand-written cursors of the same shape (private or public fields, DataView or
// Uint32Array, the cursor its own row or not) ran at 2.2-2.5 ns per row on Deno and 1.2-2.5 on Bun, against
// 1.0 for a strided loop. A scan of a million rows runs in on-stack-replacement code, compiled while the loop
// runs and after the cursor was made, so V8 cannot keep the cursor in registers: a hand-written cursor with a
// trivial constructor took 2.3 ns per row there, and 1.3 once calls over small tables had compiled the whole
// function (/tmp probe). The literal row size and the rows' own DataView took `next()` from 2.4 to 2.1 and
// `seek(i)` from 1.9 to 1.6 on Deno (/tmp probe, 1e6 rows).
//
// `next()` stores the new offset before it tests it, so the last call (no row left) does nothing the others
// do not. With a store on that path alone (the offset set past the end), JavaScriptCore ran a walk over a
// million rows at 2.0-6.5 ns per row, changing from one process to the next; any store or call on that path
// did it. Stored first: 1.33-1.44 (Bun 1.4, /tmp probe, eight processes). `index` clamps a cursor moved on
// past the end.

function cursorClassOf(codec: RowCodec): typeof Cursor {
  let Walker = codec.Cursor;
  if (Walker === undefined) {
    // The row size is a literal and the row view reads a DataView that starts at the first row, so a step
    // loads nothing but the offset (see `arrayClassOf`).
    const size = codec.size;
    // The walk advances by the row size, or by one for rows of no bytes (GCC's empty struct), whose views
    // all sit at the first.
    const step = size === 0 ? 1 : size;
    const at = size === 0 ? "0" : "o";
    Walker = compile<typeof Cursor>(
      ["internal", "probeOf", "viewAt", "move", "checkIndex"],
      `
return class Cursor {
  #row; #o = 0; #last = 0; #length = 0; #probe;
  constructor(token, codec, dv, base, length, stride, probe) {
    if (token !== internal) throw new TypeError("Cannot construct a Cursor directly: use rows.cursor()");
    this.#probe = probe;
    // dv is the rows' own DataView and base 0 (ArrayView.cursor()).
    this.#row = viewAt(dv, 0);
    this.#length = length;
    this.#o = -${step};
    this.#last = (length - 1) * ${step};
  }
  [probeOf]() { return this.#probe; }
  get row() { return this.#row; }
  get length() { return this.#length; }
  get index() { return Math.min(this.#length, this.#o / ${step}); }
  next() {
    const o = this.#o + ${step};
    this.#o = o;
    if (o > this.#last) return false;
    move(this.#row, ${at});
    return true;
  }
  seek(i) {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) {
      i = checkIndex(i, this.#length, this.#probe, "row", "", "rows");
    }
    const o = i * ${step};
    this.#o = o;
    move(this.#row, ${at});
    return this.#row;
  }
  reset() { this.#o = -${step}; }
};`,
      [internal, probeOf, codec.viewAt, codec.moveView, checkIndex],
    );
    // A base class linked to Cursor's prototype rather than a subclass (so `instanceof Cursor` holds and it
    // prints as one): V8 does not take apart an object whose constructor calls super(). Where the whole scan
    // is compiled at once, as when a program walks a small table again and again, V8 keeps a cursor made in
    // the scan in registers, and a derived class stopped that: 1.8 ns per row for 1e4 rows, against 1.1 for
    // the class on its own (Deno 2.9, /tmp probe; a strided loop took 0.65 there, from the cache).
    Object.setPrototypeOf(Walker.prototype, Cursor.prototype);
    codec.Cursor = Walker;
  }
  return Walker;
}

/** A typed array with the positions of one column in it: element `i` is `array[start + i * stride]`. */
export interface Strided<N extends NativeType> {
  /** The typed array over the rows' bytes. */
  readonly array: TypedArrays[N];
  /** The index in `array` of element 0. */
  readonly start: number;
  /** The distance in `array` elements from one row's value to the next. */
  readonly stride: number;
}

/**
 * One scalar field across every row of an array, read and written in place.
 *
 * @example Every `pid` into a typed array
 * ```ts
 * import { struct, u32 } from "./mod.ts";
 * const Row = struct({ state: u32, pid: u32 });
 * const pids = Row.array(new Uint32Array([5, 10, 2, 20])).column("pid");
 * console.log(pids.toTypedArray()); // Uint32Array(2) [ 10, 20 ]
 * ```
 */
export interface Column<N extends NativeType> extends Iterable<NativeValues[N]> {
  /** The field's name. */
  readonly name: string;
  /** The number of rows. */
  readonly length: number;
  /**
   * The field's value in row `i` (negative counts from the end). Throws `TypeError` for an index that is not a
   * number (a string, a bigint, an object), `RangeError` for one that is not an integer or is outside the rows,
   * and `TypeError` once the buffer is detached or shorter than the rows.
   */
  at(i: number): NativeValues[N];
  /** Writes the field in row `i`. */
  set(i: number, value: NativeValues[N]): void;
  /** Copies the column into a new typed array. */
  toTypedArray(): TypedArrays[N];
  /**
   * The column as positions in a typed array over the same bytes, for hand-written loops; `undefined` when
   * the field is not in host byte order or not aligned to its size in the buffer.
   */
  strided(): Strided<N> | undefined;
  /**
   * What `JSON.stringify` writes: the values as `at(i)` reads them (numbers, booleans for `bool`, `bigint`s for
   * 64-bit fields, which `JSON.stringify` refuses unless a replacer turns them into something else).
   */
  toJSON(): Array<NativeValues[N]>;
  /** Walks the values in row order; the walk has the engine's iterator helpers (`map`, `filter`, `take`, …). */
  [Symbol.iterator](): IteratorObject<NativeValues[N], undefined>;
}

type AnyTyped = TypedArrays[Exclude<NativeType, "pointer">];
type TypedCtor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => AnyTyped;

const TYPED: Readonly<Record<Exclude<NativeType, "pointer">, TypedCtor>> = {
  i8: Int8Array,
  u8: Uint8Array,
  bool: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
  isize: BigInt64Array,
  usize: BigUint64Array,
  f32: Float32Array,
  f64: Float64Array,
};

function columnIndex(i: number, length: number, probe: Uint8Array, name: string): number {
  return checkIndex(i, length, probe, "row", ` of column "${name}"`, "rows");
}

/**
 * The slow path of every index check: negative indexes, and the errors.
 *
 * The fast paths look up `probe[typeof i === "number" ? i : -1]`: anything but a number misses and comes here.
 * `probe[i]` alone converts `i` to a property key and `i * stride` to a number, and an object can answer the
 * two differently (`{ toString: () => "0", valueOf: () => 2 }` passed the probe as element 0 and was read as
 * element 2, past the array's end; `0n` passed it and failed in the multiplication with the engine's error).
 * The type test folded into the key costs nothing measurable. As its own test (`typeof i !== "number" || …`),
 * or any second test in `at(i)` (an offset bound, `i !== +i`, `Number(i)`), V8's on-stack-replacement code of
 * a loop over a million rows ran at 7-12 ns per row against 1.6-1.8 in most processes (/tmp probe, Deno 2.9:
 * a scan of `at(i).pid` and one of a column); JavaScriptCore took either form at no cost.
 */
function checkIndex(
  i: number,
  length: number,
  probe: Uint8Array,
  noun: string,
  owner: string,
  unit: string,
): number {
  if (typeof i !== "number") {
    throw new TypeError(
      `Cannot access ${noun === "element" ? "an" : "a"} ${noun}${owner}: an index must be a number, got ${
        describe(i)
      }`,
    );
  }
  const what = `${noun} "${i}"${owner}`;
  if (rowsGone(probe, length)) throw goneError(probe, "access", what, false);
  if (!Number.isInteger(i) || i >= length || i < -length) {
    throw new RangeError(`Cannot access ${what}: it has ${length} ${unit}`);
  }
  return i < 0 ? i + length : i;
}

/**
 * Whether the buffer was detached or shrank under the elements: their probe then went out of bounds and reads
 * as empty. (Its message is built only then, by `goneError`: a string built on every `column()` call cost the
 * rows benchmark's scans of 100 rows 0.4 ns per row.)
 */
function rowsGone(probe: Uint8Array, length: number): boolean {
  return probe.length !== length && probe !== NO_BYTES;
}

function notScalar(field: string, arrayName: string): TypeError {
  return new TypeError(
    `Cannot make a column of "${field}" over "${arrayName}": it is not a numeric scalar field`,
  );
}

/**
 * The error for elements whose buffer is gone (`rowsGone`): `Cannot <verb> "<name>": the buffer is …`, the name
 * unquoted when `quote` is false. Every part is an argument, so that callers build no string unless it throws.
 */
function goneError(probe: Uint8Array, verb: string, name: string, quote = true): TypeError {
  const what = quote ? `"${name}"` : name;
  return new TypeError(
    `Cannot ${verb} ${what}: the buffer is ${
      probe.buffer.byteLength === 0 ? "detached" : "shorter than the rows now"
    }`,
  );
}

/** What `for...of` over an array or a column walks: the engine's `Iterator`, for its helpers (`map`, `take`, …). */
const IteratorBase = ((globalThis as { Iterator?: unknown }).Iterator ??
  class {
    [Symbol.iterator](): unknown {
      return this;
    }
  }) as new () => object;

/** Anything `walk()` iterates: an array or a column. */
interface Indexed<T> {
  at(i: number): T;
}

type WalkClass = new (owner: Indexed<unknown>, length: number) => IteratorObject<unknown, undefined>;

/** The plain path's iterator, shared by every class: `at` is called through one site for all of them. */
class Walk extends IteratorBase {
  #owner: Indexed<unknown>;
  #i = 0;
  #length = 0;
  constructor(owner: Indexed<unknown>, length: number) {
    super();
    this.#owner = owner;
    this.#length = length;
  }
  next(): IteratorResult<unknown> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: this.#owner.at(i), done: false };
  }
}

const walkClasses = new WeakMap<object, WalkClass>();

// `for...of` over a column or an array of scalars walks an iterator object compiled per class of its owner, so
// the `at(i)` it calls is always the same method; a layout's array class has its own, which makes each row's
// view itself (`arrayClassOf`). A generator took 11 ns per row over 1,000 rows and 14-21 over a million; one
// iterator class for every owner would meet every class's `at` at one call site, which goes megamorphic as a
// program uses more layouts. Nothing is stored when the walk ends: JavaScriptCore slowed a cursor's whole walk
// for a store on that path alone (`cursorClassOf`).
function walk<T>(owner: Indexed<T>, length: number): IteratorObject<T, undefined> {
  let Walker = walkClasses.get(owner.constructor);
  if (Walker === undefined) {
    Walker = generatedCode()
      ? compile<WalkClass>(
        ["Base"],
        `
return class extends Base {
  #owner; #i = 0; #length = 0;
  constructor(owner, length) {
    super();
    this.#owner = owner;
    this.#length = length;
  }
  next() {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: this.#owner.at(i), done: false };
  }
};`,
        [IteratorBase],
      )
      : Walk as unknown as WalkClass;
    walkClasses.set(owner.constructor, Walker);
  }
  return new Walker(owner, length) as IteratorObject<T, undefined>;
}

/**
 * A one-byte-per-element typed array whose bounds are exactly the element indexes. It lies over the last
 * `length` bytes of the elements, so that it goes out of bounds (length 0) when the buffer is detached or
 * shrinks under any element: every access then takes the checked path. One probe serves an array, its columns
 * and its cursors.
 */
function probe(dv: DataView, base: number, length: number, stride: number): Uint8Array {
  // Elements of one byte or more: a window of the same buffer, no copy. Zero-size elements (GCC's empty
  // struct) have no bytes to lie over: `NO_BYTES`, so every access takes the checked path, which costs no
  // memory however many there are (a probe of their own took a byte each: 1 GiB for `count: 2 ** 30`).
  return stride >= 1
    ? new Uint8Array(dv.buffer, dv.byteOffset + base + length * (stride - 1), length)
    : NO_BYTES;
}

/** The probe of zero-size elements: empty, so that every index takes `checkIndex`, which knows it. */
const NO_BYTES = new Uint8Array(0);

/** A column read through a typed array over the buffer: the field is aligned and in host byte order. */
class TypedColumn<N extends NativeType> implements Column<N> {
  #array: AnyTyped;
  #step = 0;
  #length = 0;
  #name: string;
  #codec: Codec;
  #dv: DataView;
  #base = 0;
  #stride = 0;
  #probe: Uint8Array;

  constructor(
    array: AnyTyped,
    step: number,
    length: number,
    name: string,
    codec: Codec,
    dv: DataView,
    base: number,
    stride: number,
    probe: Uint8Array,
  ) {
    this.#array = array;
    this.#step = step;
    this.#length = length;
    this.#name = name;
    this.#codec = codec;
    this.#dv = dv;
    this.#base = base;
    this.#stride = stride;
    this.#probe = probe;
  }

  static {
    typedColumnProbe = (column) => column.#probe;
  }

  get name(): string {
    return this.#name;
  }

  get length(): number {
    return this.#length;
  }

  at(i: number): NativeValues[N] {
    // The index check is the probe's, not the typed array's own bounds: a fraction can land on an element
    // (1.5 times a step of 2 is 3). Testing `i` itself instead (`(i | 0) !== i`, `Number.isInteger(i)`, or
    // `i % 1`) made V8's on-stack-replacement code of a loop over a million rows run at 11.6 ns per row
    // against 1.4 with no check; the probe takes 1.5 (/tmp probe, Deno 2.9). The compiled column picks its
    // check per engine (`typedColumnClass`); this plain path keeps the probe everywhere. Anything but a number
    // looks up -1, which misses (see `checkIndex`).
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) {
      i = columnIndex(i, this.#length, this.#probe, this.#name);
    }
    return this.#array[i * this.#step] as NativeValues[N];
  }

  set(i: number, value: NativeValues[N]): void {
    const index = columnIndex(i, this.#length, this.#probe, this.#name);
    this.#codec.writeAt(this.#dv, this.#base + index * this.#stride, value, `${this.#name}[${index}]`);
  }

  [Symbol.iterator](): IteratorObject<NativeValues[N], undefined> {
    return walk(this, this.#length);
  }

  toTypedArray(): TypedArrays[N] {
    if (rowsGone(this.#probe, this.#length)) {
      throw goneError(this.#probe, "copy column", this.#name);
    }
    const source = this.#array;
    const out = new (source.constructor as new (n: number) => AnyTyped)(this.#length);
    const step = this.#step;
    for (let i = 0, j = 0; i < out.length; i++, j += step) out[i] = source[j]!;
    return out as TypedArrays[N];
  }

  strided(): Strided<N> {
    return { array: this.#array as TypedArrays[N], start: 0, stride: this.#step };
  }

  toJSON(): Array<NativeValues[N]> {
    return columnValues(this);
  }
}

/** A column read through the `DataView`: the field is unaligned or in the other byte order. */
class DataViewColumn<N extends NativeType> implements Column<N> {
  #codec: Codec;
  #dv: DataView;
  #base = 0;
  #stride = 0;
  #length = 0;
  #name: string;
  #ctor: TypedCtor;
  #probe: Uint8Array;

  constructor(
    codec: Codec,
    dv: DataView,
    base: number,
    stride: number,
    length: number,
    name: string,
    ctor: TypedCtor,
    probe: Uint8Array,
  ) {
    this.#codec = codec;
    this.#dv = dv;
    this.#base = base;
    this.#stride = stride;
    this.#length = length;
    this.#name = name;
    this.#ctor = ctor;
    this.#probe = probe;
  }

  static {
    viewColumnProbe = (column) => column.#probe;
  }

  get name(): string {
    return this.#name;
  }

  get length(): number {
    return this.#length;
  }

  at(i: number): NativeValues[N] {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) {
      i = columnIndex(i, this.#length, this.#probe, this.#name);
    }
    return this.#codec.readAt(this.#dv, this.#base + i * this.#stride) as NativeValues[N];
  }

  set(i: number, value: NativeValues[N]): void {
    const index = columnIndex(i, this.#length, this.#probe, this.#name);
    this.#codec.writeAt(this.#dv, this.#base + index * this.#stride, value, `${this.#name}[${index}]`);
  }

  [Symbol.iterator](): IteratorObject<NativeValues[N], undefined> {
    return walk(this, this.#length);
  }

  toTypedArray(): TypedArrays[N] {
    if (rowsGone(this.#probe, this.#length)) {
      throw goneError(this.#probe, "copy column", this.#name);
    }
    const out = new (this.#ctor as unknown as new (n: number) => AnyTyped)(this.#length);
    for (let i = 0; i < out.length; i++) {
      const v = this.#codec.readAt(this.#dv, this.#base + i * this.#stride);
      out[i] = (typeof v === "boolean" ? (v ? 1 : 0) : v) as never;
    }
    return out as TypedArrays[N];
  }

  strided(): undefined {
    return undefined;
  }

  toJSON(): Array<NativeValues[N]> {
    return columnValues(this);
  }
}

/** A column's values as `at(i)` reads them, for `JSON.stringify`. */
function columnValues<N extends NativeType>(column: Column<N>): Array<NativeValues[N]> {
  const out = new Array<NativeValues[N]>(column.length);
  for (let i = 0; i < out.length; i++) out[i] = column.at(i);
  return out;
}

type TypedColumnClass = new (...args: ConstructorParameters<typeof TypedColumn>) => Column<NativeType>;
type DataViewColumnClass = new (...args: ConstructorParameters<typeof DataViewColumn>) => Column<NativeType>;

/** What making a column of one field of one layout needs, worked out once (`columnPlan`). */
interface ColumnPlan {
  readonly type: Scalar;
  /** The field's offset in a row. */
  readonly offset: number;
  readonly codec: Codec;
  readonly ctor: TypedCtor;
  /** In host byte order and not `bool`: readable through a typed array when aligned. */
  readonly typed: boolean;
  /** Whether the layout's accessors are generated, and so its columns' classes. */
  readonly compiled: boolean;
  /** The compiled typed column that tests `i` itself (JavaScriptCore, see `typedColumnClass`). */
  Tested?: TypedColumnClass;
  /** The compiled typed column that checks `i` with the probe. */
  Probed?: TypedColumnClass;
  Viewed?: DataViewColumnClass;
}

// Making a column cost 190-280 ns while it looked its field up, built a cache key and a probe of its own on
// every call; with the plan kept per layout and field and the array's probe shared, 58-87 ns (Deno and Bun,
// /tmp probe). Over 100 rows, where making the array and the column is most of the scan, column `at(i)` went
// from 4.6 to 1.8 times the strided loop on Deno and from 5.7 to 2.6 on Bun (rows benchmark).
function columnPlan(codec: RowCodec, field: string, arrayName: string): ColumnPlan {
  const plans = codec.columns ??= new Map();
  let plan = plans.get(field);
  if (plan === undefined) {
    const member = codec.scalarMember?.(field);
    if (!member || member.type.native === "pointer") throw notScalar(field, arrayName);
    const type = member.type;
    const native = type.native as Exclude<NativeType, "pointer">;
    plan = {
      type,
      offset: member.offset,
      codec: scalarCodec(type),
      ctor: TYPED[native],
      typed: isLittle(type) === hostLittleEndian && native !== "bool",
      compiled: codec.readAll !== undefined && generatedCode(),
    };
    plans.set(field, plan);
  }
  return plan;
}

/** Column factory, used by `ArrayView.column`: `rows` is the rows' own DataView, starting at the first. */
function makeColumn(
  plan: ColumnPlan,
  field: string,
  rows: DataView,
  length: number,
  stride: number,
  probe: Uint8Array,
): Column<NativeType> {
  const size = plan.type.size;
  const base = plan.offset;
  const absolute = rows.byteOffset + base;
  if (plan.typed && absolute % size === 0 && stride % size === 0) {
    const step = stride / size;
    if (plan.compiled && integerTestIsFree) {
      return testedColumn(plan, field, rows, length, stride, probe, step, absolute, base);
    }
    // Bounds were checked when the array was made: the last row's field ends inside the buffer.
    const array = new plan.ctor(rows.buffer, absolute, length === 0 ? 0 : (length - 1) * step + 1);
    const Typed = plan.compiled ? (plan.Probed ??= typedColumnClass(step, false)) : TypedColumn;
    return new Typed(array, step, length, field, plan.codec, rows, base, stride, probe);
  }
  const Viewed = plan.compiled
    ? (plan.Viewed ??= dataViewColumnClass(plan.type, plan.offset, stride))
    : DataViewColumn;
  return new Viewed(plan.codec, rows, base, stride, length, field, plan.ctor, probe);
}

/**
 * `makeColumn`'s typed column where testing `i` is free (JavaScriptCore, see `typedColumnClass`). Its typed array
 * runs from the first row's field to the rows' end, in whole elements (bounds were checked when the array was
 * made, so it lies inside the buffer). Where it ends exactly at the rows' end, any shrink under the rows puts
 * it out of bounds, and its own bounds can be the index check; where it ends short of it (rows whose end is not
 * aligned to the field's size), only the probe sees a shrink of the last few bytes. (A function of its own:
 * computed in `makeColumn` on V8 too, where nothing needs it, it cost a scan of 100 rows 5-10 ns.)
 */
function testedColumn(
  plan: ColumnPlan,
  field: string,
  rows: DataView,
  length: number,
  stride: number,
  probe: Uint8Array,
  step: number,
  absolute: number,
  base: number,
): Column<NativeType> {
  const size = plan.type.size;
  const extent = length * stride - base;
  const elements = length === 0 ? 0 : Math.floor(extent / size);
  const array = new plan.ctor(rows.buffer, absolute, elements);
  const Typed = elements * size === extent
    ? (plan.Tested ??= typedColumnClass(step, true))
    : (plan.Probed ??= typedColumnClass(step, false));
  return new Typed(array, step, length, field, plan.codec, rows, base, stride, probe);
}

// Columns of struct rows, compiled per layout and field like cursors: `at(i)` with the step (or the row size)
// as a literal, and code (and type feedback) of its own. One shared `at()` read every column of every type
// from one site: once a program had used columns of other element types (u16, f64, i64, u8 over 100 rows), a
// u32 column over 1e6 rows took 11.2 ns per row on Deno and 13.0 on Bun, against 1.5 and 1.1 now (/tmp probe).
// In a loop that also stores into an array (collect the ports of listening sockets), neither JIT keeps a
// column's fields in registers, so every field `at(i)` loads is paid for on every row: the rows suite's collect
// scan went from 3.4-3.6 to 2.5-2.8 ns per row on Deno (/tmp probe, 1e6 rows, three processes each).
// How a compiled typed column checks an index. V8 (Deno): the probe, since testing `i` for an integer made its
// on-stack-replacement code slow (see `TypedColumn.at`). JavaScriptCore (Bun): the typed array's own bounds
// (undefined outside them, and when the buffer is detached or shrank) and an int32 test for fractions, which
// costs it nothing, where the probe's load did: a u32 column over 1e6 rows took 1.52 ns per row with the
// probe and 1.36 with the test, and in the collect scan 2.93 against 2.45 (/tmp probes, Bun 1.4). That needs
// the typed array to end where the rows end (`makeColumn`); otherwise the probe. Both send anything but a
// number to the checked path before `i * step` (see `checkIndex`), where a bigint would throw the engine's error.
const integerTestIsFree = "Bun" in globalThis;

function typedColumnClass(step: number, integerTest: boolean): TypedColumnClass {
  const at = integerTest
    ? `if (typeof i !== "number") return super.at(i);
    const v = this.#array[i * ${step}];
    return v === undefined || (i | 0) !== i ? super.at(i) : v;`
    : `if (this.#probe[typeof i === "number" ? i : -1] === undefined) return super.at(i);
    return this.#array[i * ${step}];`;
  return compile<TypedColumnClass>(
    ["TypedColumn"],
    `
return class extends TypedColumn {
  #array; #probe;
  constructor(array, step, length, name, codec, dv, base, stride, probe) {
    super(array, step, length, name, codec, dv, base, stride, probe);
    this.#array = array;
    this.#probe = probe;
  }
  at(i) {
    ${at}
  }
};`,
    [TypedColumn],
  );
}

function dataViewColumnClass(type: Scalar, offset: number, stride: number): DataViewColumnClass {
  // The field is read at a literal offset from the rows' own DataView (`ArrayView.#rowsView`).
  return compile<DataViewColumnClass>(
    ["DataViewColumn"],
    `
return class extends DataViewColumn {
  #dv; #probe;
  constructor(codec, dv, base, stride, length, name, ctor, probe) {
    super(codec, dv, base, stride, length, name, ctor, probe);
    this.#dv = dv;
    this.#probe = probe;
  }
  at(i) {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) return super.at(i);
    return ${readSource(type, "this.#dv", `${offset} + i * ${stride}`)};
  }
};`,
    [DataViewColumn],
  );
}

/**
 * How many elements `console.log` shows of an array or a column: with the line that says how many more,
 * the 100 items Deno and Node show of a plain array.
 */
const PREVIEW = 99;

/** What an inspected array, column or cursor shows: a label, then a value inspected as usual. */
interface Shown {
  label: string;
  value?: unknown;
}

/** Prints as the text given, inside an inspected value. */
function text(words: string): object {
  return {
    [Symbol.for("Deno.customInspect")]: () => words,
    [Symbol.for("nodejs.util.inspect.custom")]: () => words,
  };
}

/** Up to `PREVIEW` elements read with `read`, then how many more there are; nothing when the buffer is gone. */
function preview(length: number, probe: Uint8Array, read: (i: number) => unknown): unknown[] | undefined {
  if (rowsGone(probe, length)) return undefined;
  const items: unknown[] = [];
  for (let i = 0; i < Math.min(length, PREVIEW); i++) items.push(read(i));
  if (length > PREVIEW) items.push(text(`... ${length - PREVIEW} more`));
  return items;
}

type InspectFn = (value: unknown, options: unknown) => string;

/** Makes `console.log` (Deno's and Node's inspection, which Bun follows) show `describe(this)`. */
function showAs<T extends object>(target: { prototype: T }, describe: (self: T) => Shown): void {
  const render = (self: T, inspect: InspectFn, options: unknown): string => {
    const { label, value } = describe(self);
    return value === undefined ? label : `${label} ${inspect(value, options)}`;
  };
  Object.defineProperties(target.prototype, {
    [Symbol.for("Deno.customInspect")]: {
      value(this: T, inspect: InspectFn, options: unknown) {
        return render(this, inspect, options);
      },
    },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value(this: T, _depth: number, options: unknown, inspect: InspectFn) {
        return render(this, inspect, options);
      },
    },
  });
}

const GONE = "(its buffer is detached or shorter than the rows now)";

showAs(ArrayView, (rows) => {
  const items = preview(rows.length, arrayProbe(rows), (i) => rows.at(i));
  return { label: `${arrayName(rows)} (${rows.length})${items ? "" : ` ${GONE}`}`, value: items };
});
showAs(TypedColumn, (column) => showColumn(column, typedColumnProbe(column)));
showAs(DataViewColumn, (column) => showColumn(column, viewColumnProbe(column)));
showAs(Cursor, (cursor) => {
  const { index, length } = cursor;
  if (index < 0) return { label: `Cursor (before the first of ${length} rows)` };
  if (index >= length) return { label: `Cursor (after the last of ${length} rows)` };
  const probe = cursor[probeOf]();
  if (rowsGone(probe, length)) {
    return { label: `Cursor (row ${index} of ${length}) ${GONE}` };
  }
  return { label: `Cursor (row ${index} of ${length})`, value: cursor.row };
});

function showColumn(column: Column<NativeType>, probe: Uint8Array): Shown {
  const items = preview(column.length, probe, (i) => column.at(i));
  return { label: `Column "${column.name}" (${column.length})${items ? "" : ` ${GONE}`}`, value: items };
}

/** Internal: makes an array view. */
export function _arrayView<E extends FieldType>(
  codec: RowCodec,
  dv: DataView,
  base: number,
  length: number,
  name: string,
): ArrayView<E> {
  const Rows = codec.readAll ? arrayClassOf(codec) : ArrayView;
  return new Rows(internal, codec, dv, base, length, name) as ArrayView<E>;
}

// Arrays of struct rows, compiled per layout like cursors: `at(i)` and `toArray()` as methods of a subclass, so
// each layout's `new View` and object literal sit in code of their own. `at` used to be a closure put on each
// array as an own property; JavaScriptCore then saw a different function value on every array and did not
// inline it: 7.8 ns per row on Bun against 1.6 now (Deno 2.0 either way; /tmp probe, two row types in use).

function arrayClassOf(codec: RowCodec): typeof ArrayView {
  let Rows = codec.ArrayView;
  if (Rows === undefined) {
    // The row size is a literal, and the rows are read through a DataView that starts at the first row, so
    // `at(i)` loads two fields (the probe and that DataView) where it loaded four. In a loop that also stores
    // into an array (collect the ports of listening sockets), neither JIT keeps those loads out of the loop:
    // a /tmp probe of that loop went from 2.9 to 2.2 ns per row on Bun and from 4.5 to 3.4 on Deno.
    // Its iterator (`Walk`) makes each row's view itself rather than calling `at(i)` through `walk()`: over
    // 1,000 rows on Bun, 9.3 ns per row against 13.2 (1e6 rows: 18.4 against 22.6); Deno the same either way.
    const size = codec.size;
    Rows = compile<typeof ArrayView>(
      ["ArrayView", "viewAt", "readAll", "probeOf", "rowsOf", "Base"],
      `
const Walk = class extends Base {
  #array; #rows; #probe; #i = 0; #length = 0;
  constructor(array, rows, probe, length) {
    super();
    this.#array = array;
    this.#rows = rows;
    this.#probe = probe;
    this.#length = length;
  }
  next() {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    if (this.#probe[i] === undefined) return { value: this.#array.at(i), done: false };
    return { value: viewAt(this.#rows, i * ${size}), done: false };
  }
};
return class extends ArrayView {
  #rows; #length = 0; #probe;
  constructor(token, codec, dv, base, length, name) {
    super(token, codec, dv, base, length, name);
    this.#rows = rowsOf(this);
    this.#length = length;
    this.#probe = probeOf(this);
  }
  at(i) {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) return super.at(i);
    return viewAt(this.#rows, i * ${size});
  }
  [Symbol.iterator]() { return new Walk(this, this.#rows, this.#probe, this.#length); }
  toArray() {
    // The base class's copy says why when the buffer is detached or shrank (and copies rows of no bytes).
    if (this.#probe.length !== this.#length) return super.toArray();
    return readAll(this.#rows, 0, this.#length, ${size});
  }
};`,
      [ArrayView, codec.viewAt, codec.readAll, arrayProbe, arrayRows, IteratorBase],
    );
    codec.ArrayView = Rows;
  }
  return Rows;
}

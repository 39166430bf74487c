/**
 * In-place arrays: `ArrayView` (an array field, a flexible array or `T.array(bytes)`), with its `Cursor` that
 * walks rows without allocating (`_cursor.ts`) and `Column`, one scalar field across every row (`_column.ts`).
 *
 * @module
 */
import { arrayClassOf } from "./_array_class.ts";
import { decodeCString } from "./_c_string.ts";
import { readTextUnits } from "./_wide_string.ts";
import type { Codec } from "./_codec.ts";
import type { Column } from "./_column.ts";
import { type ColumnPlan, columnPlan, makeColumn, notScalar } from "./_column_plan.ts";
import { Cursor, cursorClassOf } from "./_cursor.ts";
import { plainWalk, walk } from "./_iteration.ts";
import { GONE, preview, showAs } from "./_printing.ts";
import { checkIndex, goneError, internal, probeOrGone, rowsGone } from "./_probe.ts";
import type { Scalar } from "./scalars.ts";
import type { ColumnName, ColumnNative, ElementView, FieldType, Infer, InferInput } from "./types.ts";

export { Cursor } from "./_cursor.ts";
export type { Column, Strided } from "./_column.ts";

// Set by the class's static block: what the per-layout subclasses and printing take over from the base.
export let arrayProbe: (rows: ArrayView) => Uint8Array;
let arrayName: (rows: ArrayView) => string;
export let arrayRows: (rows: ArrayView) => DataView;

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
   * (see `BULK_FIELDS` in `_accessors_generated.ts`).
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
  // One byte per element, over the same buffer; `probe[i] === undefined` is the index check: bench/probes/loop_bound.ts
  // Made by `T.array()` and the per-layout classes; an array field's view, made per access, makes it only when
  // needed (`#probeNow`), and checks as `#inPlaceAt` says instead.
  #probe: Uint8Array | undefined;
  // The offset of the elements' last byte (-1 when they have none), read by `#inPlaceAt`.
  #last = -1;
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
    if (length > 0 && codec.size > 0) this.#last = base + length * codec.size - 1;
  }

  static {
    // For the per-layout subclasses, which keep the index probe in a field of their own.
    arrayProbe = (rows) => rows.#probeNow();
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

  /**
   * The offset of the first element within the buffer, in bytes.
   *
   * @throws {TypeError} When the buffer is detached or shorter than the elements now.
   */
  get byteOffset(): number {
    // Not kept in a field of its own, which cost `T.array()` 10 % on Bun: the DataView knows it while it can.
    try {
      return this.#dv.byteOffset + this.#base;
    } catch {
      throw goneError(this.#probeNow(), "read the offset of", this.#name);
    }
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

  /**
   * The index probe, made now if it was not (kept once made; while the buffer is detached or shorter than the
   * elements, a stand-in that says so: see `probeOrGone`).
   */
  #probeNow(): Uint8Array {
    let probe = this.#probe;
    if (probe === undefined) {
      probe = probeOrGone(this.#dv, this.#base, this.#length, this.#stride);
      if (probe.length === this.#length) this.#probe = probe;
    }
    return probe;
  }

  #index(i: number): number {
    return checkIndex(i, this.#length, this.#probeNow(), "element", ` of "${this.#name}"`, "elements");
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
    const probe = this.#probe;
    if (probe === undefined) return this.#inPlaceAt(i);
    if (probe[typeof i === "number" ? i : -1] === undefined) return this.#slowAt(i);
    return this.#get(this.#dv, this.#base + i * this.#stride) as ElementView<E>;
  }

  /**
   * `at(i)` with no probe, for an array field's view: a typed array made per access of the field was most of
   * the cost of reading an element in place (`row.addr.at(0)`): bench/probes/array_field_view.ts. The index is
   * tested, then the elements' last byte read: that read throws when the buffer is detached or shorter than the
   * elements (as the probe would miss), and the checked path says which.
   */
  #inPlaceAt(i: number): ElementView<E> {
    try {
      if (typeof i === "number" && (i >>> 0) === i && i < this.#length) {
        this.#dv.getUint8(this.#last);
        return this.#get(this.#dv, this.#base + i * this.#stride) as ElementView<E>;
      }
    } catch {
      // Detached or shorter: `#slowAt` says so (an element's own error comes again from there).
    }
    return this.#slowAt(i);
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
    const probe = this.#probeNow();
    if (rowsGone(probe, this.#length)) throw goneError(probe, "copy", this.#name);
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
    const probe = this.#probeNow();
    if (rowsGone(probe, this.#length)) throw goneError(probe, "make a cursor over", this.#name);
    const codec = this.#codec;
    const Walker = codec.readAll ? cursorClassOf(codec) : Cursor;
    return new Walker(
      internal,
      codec,
      this.#rowsView(),
      0,
      this.#length,
      this.#stride,
      probe,
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
    // The error paths are calls of their own, and no `try`: bench/probes/column_make_check.ts
    if (!this.#codec.scalarMember) throw notScalar(name, this.#name);
    const plan = columnPlan(this.#codec, name, this.#name);
    const probe = this.#probeNow();
    if (rowsGone(probe, this.#length)) throw goneError(probe, `make a column of "${name}" over`, this.#name);
    return makeColumn(plan, name, this.#rowsView(), this.#length, this.#stride, probe) as Column<
      ColumnNative<E, K>
    >;
  }

  /**
   * Reads a `char` array as a string: UTF-8 up to the first NUL byte; a `char16_t` or `char32_t` array (and
   * `wchar_t`'s, which is one of the two), or any array of 2- or 4-byte integers, as UTF-16 or UTF-32 in the
   * element's byte order, up to the first 0 unit.
   *
   * @returns The string.
   * @throws {TypeError} When the elements are not 1-, 2- or 4-byte integers.
   */
  readString(): string {
    const wide = this.#stride === 2 || this.#stride === 4;
    if (!(this.#stride === 1 || wide) || this.#codec.viewAt) {
      throw new TypeError(
        `Cannot read "${this.#name}" as a string: its elements are not 1-, 2- or 4-byte integers`,
      );
    }
    const probe = this.#probeNow();
    if (rowsGone(probe, this.#length)) throw goneError(probe, "read", this.#name);
    if (!wide) return decodeCString(this.#dv, this.#base, this.#length);
    const text = readTextUnits(this.#codec, this.#dv, this.#base, this.#length);
    if (text === undefined) {
      throw new TypeError(
        `Cannot read "${this.#name}" as a string: its elements are not 1-, 2- or 4-byte integers`,
      );
    }
    return text;
  }
}

// The array class of the plain path: `ArrayView` itself, but walked by the plain iterator (`_iteration.ts`), as
// the array's maker chose when it made the array.
class PlainArrayView<E extends FieldType = FieldType> extends ArrayView<E> {}
Object.defineProperty(PlainArrayView, "name", { value: "ArrayView" });
plainWalk(PlainArrayView);

showAs(ArrayView, (rows) => {
  const items = preview(rows.length, arrayProbe(rows), (i) => rows.at(i));
  return { label: `${arrayName(rows)} (${rows.length})${items ? "" : ` ${GONE}`}`, value: items };
});

/** Internal: makes the array view of a struct type's rows (`T.array()`): its class is the layout's choice. */
export function _arrayView<E extends FieldType>(
  codec: RowCodec,
  dv: DataView,
  base: number,
  length: number,
  name: string,
): ArrayView<E> {
  const Rows = codec.readAll ? arrayClassOf(codec) : PlainArrayView;
  const rows = new Rows(internal, codec, dv, base, length, name) as ArrayView<E>;
  // Walked by index, often in a loop of its own: the probe is its index check (see `#probe`).
  arrayProbe(rows);
  return rows;
}

/**
 * Internal: makes the array view of an array field or a flexible array. Rows of a layout with generated
 * accessors get its compiled class; other elements the class of `generated`, the choice made with the array
 * type or the struct that holds the field.
 */
export function _elementsView<E extends FieldType>(
  codec: RowCodec,
  dv: DataView,
  base: number,
  length: number,
  name: string,
  generated: boolean,
): ArrayView<E> {
  const Rows = codec.readAll ? arrayClassOf(codec) : generated ? ArrayView : PlainArrayView;
  return new Rows(internal, codec, dv, base, length, name) as ArrayView<E>;
}

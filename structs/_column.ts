/**
 * Columns: one scalar field across every row of an array, read and written in place. The `Column` interface
 * and its two plain classes: through a typed array over the rows (the field aligned and in host byte order) or
 * through the `DataView`. Which class a column gets, and the compiled ones, are in `_column_plan.ts`.
 *
 * @module
 */
import type { Codec } from "./_codec.ts";
import { plainWalk, walk } from "./_iteration.ts";
import { checkIndex, goneError, rowsGone } from "./_probe.ts";
import { GONE, preview, showAs, type Shown } from "./_printing.ts";
import type { NativeInputs, NativeType, NativeValues } from "./scalars.ts";
import type { TypedArrays } from "./types.ts";

// Set by the classes' static blocks: what the compiled subclasses and printing take over from their base.
let typedColumnProbe: (column: TypedColumn<NativeType>) => Uint8Array;
let viewColumnProbe: (column: DataViewColumn<NativeType>) => Uint8Array;

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
  set(i: number, value: NativeInputs[N]): void;
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

export type AnyTyped = TypedArrays[Exclude<NativeType, "pointer">];
export type TypedCtor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => AnyTyped;

function columnIndex(i: number, length: number, probe: Uint8Array, name: string): number {
  return checkIndex(i, length, probe, "row", ` of column "${name}"`, "rows");
}

/** A column read through a typed array over the buffer: the field is aligned and in host byte order. */
export class TypedColumn<N extends NativeType> implements Column<N> {
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
    // The probe, not the typed array's bounds (a fraction can land on an element): bench/probes/column_index_check.ts
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) {
      i = columnIndex(i, this.#length, this.#probe, this.#name);
    }
    return this.#array[i * this.#step] as NativeValues[N];
  }

  set(i: number, value: NativeInputs[N]): void {
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
export class DataViewColumn<N extends NativeType> implements Column<N> {
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

  set(i: number, value: NativeInputs[N]): void {
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

function showColumn(column: Column<NativeType>, probe: Uint8Array): Shown {
  const items = preview(column.length, probe, (i) => column.at(i));
  return { label: `Column "${column.name}" (${column.length})${items ? "" : ` ${GONE}`}`, value: items };
}

// Columns of these two classes are made on the plain path only (`makeColumn`); the compiled ones extend them.
plainWalk(TypedColumn);
plainWalk(DataViewColumn);
showAs(TypedColumn, (column) => showColumn(column, typedColumnProbe(column)));
showAs(DataViewColumn, (column) => showColumn(column, viewColumnProbe(column)));

/**
 * Cursors: one view moved from row to row, so a walk allocates nothing per row. `Cursor` is the plain path's
 * class (and the one every cursor is an `instanceof`); `cursorClassOf` compiles a layout's own.
 *
 * @module
 */
import { compile } from "./_codegen.ts";
import { checkIndex, internal, probeOf, rowsGone } from "./_probe.ts";
import { GONE, showAs } from "./_printing.ts";
import type { RowCodec } from "./array_view.ts";
import type { ElementView, FieldType } from "./types.ts";

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

// Cursors over struct rows, compiled per layout: bench/probes/per_layout_classes.ts
// Numeric fields start as numbers (`#o = 0`): bench/probes/numeric_field_init.ts
// A literal row size over the rows' own DataView: bench/probes/cursor_shapes.ts
// `next()` stores the new offset before it tests it (`index` clamps past the end): bench/probes/cursor_store_first.ts
export function cursorClassOf(codec: RowCodec): typeof Cursor {
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
    // Linked to Cursor's prototype, not a subclass (`instanceof Cursor` holds): bench/probes/linked_prototype.ts
    Object.setPrototypeOf(Walker.prototype, Cursor.prototype);
    codec.Cursor = Walker;
  }
  return Walker;
}

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

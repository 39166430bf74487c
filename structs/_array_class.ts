/**
 * The compiled array class of a layout whose accessors are generated: `at(i)`, `toArray()` and the walk with
 * the row size as a literal.
 *
 * @module
 */
import { PENDING } from "./_codec.ts";
import { compile } from "./_codegen.ts";
import { IteratorBase } from "./_iteration.ts";
import { arrayProbe, arrayRows, ArrayView, type RowCodec } from "./array_view.ts";

// `at(i)` and `toArray()` as methods of a per-layout subclass, not closures: bench/probes/method_not_closure.ts

export function arrayClassOf(codec: RowCodec): typeof ArrayView {
  let Rows = codec.ArrayView;
  if (Rows === undefined) {
    PENDING.get(codec)?.(); // built before its functions are kept
    // A literal row size over the rows' own DataView: bench/probes/rows_dataview.ts
    // Its iterator makes each row's view itself, not through `at(i)`: bench/probes/iterator_objects.ts
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

/**
 * The compiled array class of a layout whose accessors are generated: `at(i)`, `toArray()` and the walk with
 * the row size as a literal.
 *
 * @module
 */
import { compile } from "./_codegen.ts";
import { IteratorBase } from "./_iteration.ts";
import { arrayProbe, arrayRows, ArrayView, type RowCodec } from "./array_view.ts";

// Arrays of struct rows, compiled per layout like cursors: `at(i)` and `toArray()` as methods of a subclass, so
// each layout's `new View` and object literal sit in code of their own. `at` used to be a closure put on each
// array as an own property; JavaScriptCore then saw a different function value on every array and did not
// inline it: 7.8 ns per row on Bun against 1.6 now (Deno 2.0 either way; /tmp probe, two row types in use).

export function arrayClassOf(codec: RowCodec): typeof ArrayView {
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

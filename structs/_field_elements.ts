/**
 * The view of an array field of scalars on the generated path (`row.addr` for `addr: array(u8, 4)`): a class
 * compiled per field that holds the row's DataView and offset, reads `at(i)` itself and hands every other
 * method to the field's full `ArrayView`, made when called. A field's view is made on every access, and a full
 * `ArrayView` made per access (its fields, its index probe) was most of the cost of reading one element in
 * place: bench/probes/array_field_view.ts
 *
 * @module
 */
import { compile } from "./_codegen.ts";
import { readNumber, readSource } from "./_scalar_codec.ts";
import { ArrayView } from "./array_view.ts";
import { pointerCodec, type Scalar } from "./scalars.ts";

// The field's full ArrayView, which a compiled class makes from its DataView and row offset.
const WHOLE = Symbol("whole");

interface Whole {
  [WHOLE](): ArrayView;
}

/** The methods a field's view hands to the full `ArrayView`: every one but `length` and `at`. */
class FieldElements {
  get stride(): number {
    return (this as unknown as Whole)[WHOLE]().stride;
  }
  get byteOffset(): number {
    return (this as unknown as Whole)[WHOLE]().byteOffset;
  }
  get byteLength(): number {
    return (this as unknown as Whole)[WHOLE]().byteLength;
  }
  set(i: number, value: unknown): void {
    (this as unknown as Whole)[WHOLE]().set(i, value as never);
  }
  [Symbol.iterator](): IteratorObject<unknown, undefined> {
    return (this as unknown as Whole)[WHOLE]()[Symbol.iterator]();
  }
  toArray(): unknown[] {
    return (this as unknown as Whole)[WHOLE]().toArray();
  }
  toJSON(): unknown[] {
    return (this as unknown as Whole)[WHOLE]().toJSON();
  }
  cursor(): unknown {
    return (this as unknown as Whole)[WHOLE]().cursor();
  }
  column(name: string): unknown {
    return (this as unknown as Whole)[WHOLE]().column(name as never);
  }
  readString(): string {
    return (this as unknown as Whole)[WHOLE]().readString();
  }
}
// `instanceof ArrayView` holds, and printing is the full view's (its methods are found before ArrayView's).
Object.setPrototypeOf(FieldElements.prototype, ArrayView.prototype);
for (const name of ["Deno.customInspect", "nodejs.util.inspect.custom"]) {
  const key = Symbol.for(name);
  Object.defineProperty(FieldElements.prototype, key, {
    value(this: Whole, ...args: unknown[]): unknown {
      const whole = this[WHOLE]() as unknown as Record<symbol, (...args: unknown[]) => unknown>;
      return whole[key]!(...args);
    },
  });
}

/**
 * The view class of array field `offset` of a row: `new Elements(dv, o)` for the row at `o`; `whole(dv, o)`
 * makes the field's full `ArrayView`, which says what is wrong when `at(i)` is refused. `at(i)` tests the
 * index, then reads the field's last byte, which throws when the buffer is detached or shorter than the field
 * (as the full view's probe would miss, so every element is refused, as the rows refuse), then the element.
 */
export function fieldElementsClass(
  type: Scalar,
  length: number,
  offset: number,
  whole: (dv: DataView, o: number) => ArrayView,
): new (dv: DataView, o: number) => ArrayView {
  const last = offset + length * type.size - 1;
  const read = length === 0 ? "" : `
      if (typeof i === "number" && (i >>> 0) === i && i < ${length}) {
        const dv = this.#dv, o = this.#o;
        dv.getUint8(o + ${last});
        return ${readSource(type, "dv", `o + ${offset} + i * ${type.size}`)};
      }`;
  return compile(
    ["Base", "whole", "WHOLE", "N", "P"],
    `
const Elements = class {
  #dv; #o = 0;
  constructor(dv, o) { this.#dv = dv; this.#o = o; }
  get length() { return ${length}; }
  at(i) {
    try {${read}
    } catch {
      // Detached or shorter, or the element's own error: the full view says which.
    }
    return whole(this.#dv, this.#o).at(i);
  }
  [WHOLE]() { return whole(this.#dv, this.#o); }
};
Object.setPrototypeOf(Elements.prototype, Base.prototype);
Object.defineProperty(Elements, "name", { value: "ArrayView" });
return Elements;`,
    [FieldElements, whole, WHOLE, readNumber, pointerCodec],
  );
}

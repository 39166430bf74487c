/**
 * The composite layout: the class behind every struct and union type. It places the declaration (`_layout.ts`),
 * builds its members and accessors once, on the path the code-generation policy says, and answers `read`,
 * `write`, `encode`, `view`, `cast` and `array`.
 *
 * @module
 */
import { generatedAccessors } from "./_accessors_generated.ts";
import { plainAccessors } from "./_accessors_plain.ts";
import { type Bytes, checkSpan, checkSpanSlowly, dataViewOf, overResizable, toDataView } from "./_bytes.ts";
import { checkOptions, describe } from "./_checks.ts";
import { CODEC, codecOf, PENDING, prepare } from "./_codec.ts";
import { generatedCode } from "./_codegen.ts";
import { layOut } from "./_layout.ts";
import { inheritedName, type Member, membersOf, ownValue } from "./_members.ts";
import { bytesGone, INTERNALS, type ViewClass, type ViewInternals } from "./_view.ts";
import { _arrayView, type ArrayView, type RowCodec, type ScalarMember } from "./array_view.ts";
import { checkMaxRows, isRowLimitError, rowLimit, tooManyRows } from "./_row_limit.ts";
import { LayoutError } from "./errors.ts";
import type { ArrayOfOptions, CastOptions, StructOptions } from "./struct.ts";
import type { Aligned, FieldInfo, Fields, FieldSpec, FieldType, FlexibleArray } from "./types.ts";
import { aligned } from "./aligned.ts";
import { array } from "./array.ts";

/**
 * `checkSpan` for `count` rows of `size` bytes, whose message names the count, built only when thrown:
 * bench/probes/column_make_check.ts
 */
function checkRowsSpan(dv: DataView, byteOffset: number, count: number, size: number, name: string): void {
  const bytes = count * size;
  if (byteOffset + bytes > dv.byteLength) {
    checkSpanSlowly(dv, byteOffset, bytes, `make an array of ${count}`, name);
  }
}

/** `encode`'s bytes, or the toolkit's error when the engine cannot allocate that many. */
function allocate(size: number, name: string): Uint8Array {
  try {
    return new Uint8Array(size);
  } catch (error) {
    throw new RangeError(`Cannot encode "${name}": ${size} bytes cannot be allocated`, { cause: error });
  }
}

/** A composite layout's codec, whose functions the build replaces. */
type LazyCodec = RowCodec & {
  flexible: boolean;
  embedded?: () => RowCodec;
  viewAt(dv: DataView, o: number): unknown;
  moveView(view: unknown, o: number): void;
  scalarMember(field: string): ScalarMember | undefined;
};

/** What a deferred layout places on first use (`#defer`). */
const PLACED_KEYS = ["size", "align", "fields", "flexible", CODEC] as const;

const CAST_OPTIONS = ["prefix"];
const ARRAY_OPTIONS = ["count", "byteOffset", "maxRows"];

/** A struct or union type: what `struct()` and `union()` return. */
export class CompositeLayout {
  // Assigned by the constructor, not defined first as class fields and then assigned.
  declare readonly kind: "struct" | "union";
  declare readonly name: string;
  declare readonly declaration: Fields;
  // Own properties once placed; until then a deferred layout's are the prototype's getters that place (`#defer`).
  declare readonly size: number;
  declare readonly align: number;
  declare readonly fields: readonly FieldInfo[];
  declare readonly flexible: boolean;
  declare readonly [CODEC]: RowCodec;
  // Until the first use these are stubs that build the accessors (`#build`), which replaces them.
  #readAt!: (dv: DataView, o: number) => unknown;
  #writeAt!: (dv: DataView, o: number, value: unknown, path: string) => void;
  #View!: ViewClass;
  #members: Member[] | undefined;
  #build: (() => void) | undefined;
  #arrayName = "";
  /** Whether the struct ends in a flexible array with a count field. */
  #counted = false;
  /** For a struct ending in a flexible array: the same struct used as a member or element (`#embedded`). */
  #embedded: CompositeLayout | undefined;
  /** The row limit of `T.array()` (`_row_limit.ts`): the layout's `maxRows`, or the default for its rows. */
  #rowLimit = Infinity;
  /**
   * The bytes `read`, `view`, `write` and `cast` need at the offset: `sizeof`, or for a struct ending in a
   * flexible array, the offset of that array (its elements are checked against the bytes when read). C
   * allocates such a struct as `offsetof(T, rows) + n * sizeof(row)` (Windows' `FIELD_OFFSET(T, rows[n])`),
   * which can end before `sizeof` (`struct { uint64_t n; uint8_t tag; uint16_t rows[]; }`: sizeof 16, two rows
   * end at 14). Only the bytes read are required; C's tail padding is not.
   */
  #required = 0;

  /**
   * Places the declaration now, so that a bad one fails here; builds members and accessors (generated code
   * included) on first use, which is most of what a declaration cost: a program that imports `linux/` and
   * never reads a taskstats struct compiles none (bench/startup.ts).
   */
  constructor(kind: "struct" | "union", fields: Fields, options: StructOptions, deferred = false) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Cannot lay out a ${kind}: options must be an object, got ${describe(options)}`);
    }
    const name = options.name ?? kind;
    this.kind = kind;
    this.name = name;
    this.declaration = fields;
    if (deferred) {
      this.#defer(options, name);
      return;
    }
    this.#place(kind, fields, options, name);
  }

  /**
   * For the toolkit's own layouts (`_deferred.ts`), known good: placement too waits for the first use. Until
   * then `size`, `align`, `fields`, `flexible` and the codec are the prototype's getters that place (defined
   * once below, not per layout: ~40 layouts are declared at import), and the accessors check the bytes once
   * placed, so that every method answers as an eagerly placed layout's would.
   */
  #defer(options: StructOptions, name: string): void {
    this.#pendingOptions = options;
    this.#readAt = this.#readDeferred;
    this.#writeAt = this.#writeDeferred;
    // `view()` reaches it before placement; `cast()` places first (it reads `size` or `flexible`).
    const placed = (): this => (this.#placeDeferred(), this);
    this.#View = function (dv: DataView, o: number) {
      checkSpan(dv, o, placed().#required, "view", name);
      return new (placed().#View)(dv, o);
    } as unknown as ViewClass;
    PENDING.set(this, () => (placed(), PENDING.get(this)?.()));
  }

  /** Places a layout declared with `deferred`, once; nothing for any other. */
  #placeDeferred(): void {
    const options = this.#pendingOptions;
    if (options === undefined) return;
    this.#pendingOptions = undefined;
    this.#place(this.kind, this.declaration, options, this.name);
  }

  // A deferred layout's `#readAt` and `#writeAt` until placed: called as methods of the layout.
  #readDeferred(dv: DataView, o: number): unknown {
    this.#placeDeferred();
    checkSpan(dv, o, this.#required, "read", this.name);
    return this.#readAt(dv, o);
  }

  #writeDeferred(dv: DataView, o: number, value: unknown, path: string): void {
    this.#placeDeferred();
    checkSpan(dv, o, this.#required, "write", this.name);
    this.#writeAt(dv, o, value, path);
  }

  static {
    for (const key of PLACED_KEYS) {
      Object.defineProperty(CompositeLayout.prototype, key, {
        get(this: CompositeLayout): unknown {
          this.#placeDeferred();
          return (this as unknown as Record<PropertyKey, unknown>)[key];
        },
        configurable: true,
      });
    }
  }

  /** Places the declaration (so that a bad one fails here) and sets up the build of the accessors. */
  #place(kind: "struct" | "union", fields: Fields, options: StructOptions, name: string): void {
    const placed = layOut(fields, kind === "union", options, name);
    // The code-generation choice, made once here for the layout and everything made from it.
    const generated = generatedCode();
    const self = this as {
      size: number;
      align: number;
      fields: readonly FieldInfo[];
      flexible: boolean;
      [CODEC]: RowCodec;
    };
    // Own data properties, which hide the prototype's getters (`#defer`).
    for (const key of PLACED_KEYS) {
      Object.defineProperty(this, key, {
        value: undefined,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    self.size = placed.size;
    self.align = placed.align;
    self.fields = Object.freeze(placed.infos);
    self.flexible = placed.flexible;
    this.#arrayName = `${name}[]`;
    this.#rowLimit = rowLimit(placed.maxRows, placed.size);
    const last = placed.placements[placed.placements.length - 1];
    this.#counted = last?.kind === "field" && last.flexible?.count !== undefined;
    const required = placed.flexible ? last!.offset : placed.size;
    this.#required = required;
    // The codec's functions are stubs until the build, which puts the built ones in their place; the stubs
    // stay correct for anyone who kept one (`prepare` builds first where a codec's functions are kept).
    const build = (): void => {
      if (this.#build === undefined) return;
      // Nested layouts first, so that this layout's members keep their built functions.
      for (const p of placed.placements) if (p.kind === "field") prepare(p.type);
      const members = membersOf(placed, name, generated);
      const accessors = generated
        ? generatedAccessors(members, kind === "union", name, placed.size)
        : plainAccessors(members, kind === "union", name, placed.size);
      // Built from here on (not before: a build that threw would leave stubs calling themselves).
      this.#build = undefined;
      PENDING.delete(this);
      PENDING.delete(codec);
      this.#members = members;
      this.#readAt = accessors.readAt;
      this.#writeAt = accessors.writeAt;
      const View = accessors.View;
      this.#View = View;
      const readAt = accessors.readAt;
      const internals: ViewInternals = {
        snapshot(view) {
          const [dv, o] = View.locate(view);
          const gone = bytesGone(dv, o + required);
          if (gone !== undefined) throw new TypeError(`Cannot read "${name}": the buffer is ${gone}`);
          return readAt(dv, o);
        },
        gone(view) {
          const [dv, o] = View.locate(view);
          return bytesGone(dv, o + required);
        },
        name,
      };
      Object.defineProperty(View, INTERNALS, { value: internals });
      Object.defineProperty(View, "name", { value: name });
      const byName = new Map(members.map((m) => [m.name, m]));
      codec.readAt = accessors.readAt;
      codec.writeAt = accessors.writeAt;
      codec.viewAt = accessors.viewAt ?? ((dv, o) => new View(dv, o));
      if (accessors.readAll) codec.readAll = accessors.readAll;
      codec.moveView = View.move as (view: unknown, o: number) => void;
      codec.scalarMember = (field: string): ScalarMember | undefined => {
        const m = byName.get(field);
        return m?.scalar ? { offset: m.offset, type: m.scalar } : undefined;
      };
      if (accessors.makeRead) {
        Object.defineProperty(this, "read", { value: accessors.makeRead(required) });
        Object.freeze(this);
      }
    };
    this.#build = build;
    PENDING.set(this, build);
    const built = (): this => (build(), this);
    this.#readAt = (dv, o) => built().#readAt(dv, o);
    this.#writeAt = (dv, o, value, path) => built().#writeAt(dv, o, value, path);
    // Called with `new`: the object it returns is the view.
    this.#View = function (dv: DataView, o: number) {
      return new (built().#View)(dv, o);
    } as unknown as ViewClass;
    const codec: LazyCodec = {
      size: placed.size,
      align: placed.align,
      flexible: placed.flexible,
      ...(placed.flexible ? { embedded: () => this.#embeddedLayout(fields, options)[CODEC] } : {}),
      readAt: (dv, o) => built().#readAt(dv, o),
      writeAt: (dv, o, value, path) => built().#writeAt(dv, o, value, path),
      viewAt: (dv, o) => (build(), codec.viewAt(dv, o)),
      // The generated path's copy of every row; the plain path has none.
      ...(generated
        ? { readAll: (dv, base, length, stride) => (build(), codec.readAll!(dv, base, length, stride)) }
        : {}),
      moveView: (view, o) => (build(), codec.moveView(view, o)),
      scalarMember: (field) => (build(), codec.scalarMember(field)),
    };
    self[CODEC] = codec;
    PENDING.set(codec, build);
    if (generated) {
      // `read` is the layout's own compiled function from the build on; until then, one that builds it.
      Object.defineProperty(this, "read", {
        value: (bytes: Bytes, byteOffset?: number) => (build(), this.read(bytes, byteOffset)),
        writable: false,
        enumerable: true,
        configurable: true,
      });
      for (const key of Reflect.ownKeys(this)) {
        if (key !== "read") Object.defineProperty(this, key, { writable: false, configurable: false });
      }
      Object.preventExtensions(this);
    } else Object.freeze(this);
  }

  /** The options of a layout declared with `deferred`, until it is placed; undefined for every other. */
  #pendingOptions: StructOptions | undefined;

  /** The members, built first if this is the layout's first use. */
  #builtMembers(): Member[] {
    this.#build?.();
    return this.#members!;
  }

  /**
   * This struct, which ends in a flexible array, as a member of another struct or union or as an array's element
   * (GCC's extension): laid out at its `sizeof`, where the flexible array holds the elements `sizeof` counts
   * (none for `[]`, one for `[ANY_SIZE]`), as a fixed array of that length. Made on first use.
   */
  #embeddedLayout(fields: Fields, options: StructOptions): CompositeLayout {
    if (this.#embedded) return this.#embedded;
    const entries = Object.entries(fields);
    const [key, spec] = entries[entries.length - 1]!;
    const wrapper = (spec as { kind: string }).kind === "aligned"
      ? spec as Aligned<FlexibleArray>
      : undefined;
    const flex = (wrapper ? wrapper.type : spec) as FlexibleArray;
    const fixed: FieldSpec = array(flex.element, flex.declaredLength);
    const last = wrapper ? aligned(fixed as FieldType, wrapper.align, { exact: wrapper.exact }) : fixed;
    this.#embedded = new CompositeLayout(this.kind, { ...fields, [key]: last }, options);
    return this.#embedded;
  }

  read(bytes: Bytes, byteOffset = 0): unknown {
    const dv = dataViewOf(bytes, "read", this.name);
    checkSpan(dv, byteOffset, this.#required, "read", this.name);
    return this.#readAt(dv, byteOffset);
  }

  write(bytes: Bytes, value: unknown, byteOffset = 0): void {
    const dv = dataViewOf(bytes, "write", this.name);
    checkSpan(dv, byteOffset, this.#required, "write", this.name);
    this.#writeAt(dv, byteOffset, value, this.name);
  }

  encode(value: unknown): Uint8Array {
    let size = this.size;
    if (this.flexible) {
      // Room for the elements given. With a count field, at least `sizeof` (tail padding included, as C code
      // that copies the struct expects). Without one, the bytes end at the last element: their length is then
      // the count, so that `read` gives the same elements back (sizeof's tail padding would read as more).
      const members = this.#builtMembers();
      const last = members[members.length - 1]!;
      let spec = this.fields[this.fields.length - 1]!.type as { element: FieldType; count?: string };
      if ((spec as { kind?: string }).kind === "aligned") {
        spec = (spec as unknown as { type: typeof spec }).type;
      }
      const rows = (typeof value === "object" && value !== null
        ? inheritedName(last.name)
          ? ownValue(value, last.name)
          : (value as Record<string, unknown>)[last.name]
        : undefined) as ArrayLike<unknown> | undefined;
      // A length that is not a count makes no room: the write then says what is wrong with it.
      const n = rows?.length;
      const end = last.offset + (Number.isSafeInteger(n) && n! > 0 ? n! * codecOf(spec.element).size : 0);
      size = spec.count === undefined ? end : Math.max(size, end);
    }
    const out = allocate(size, this.name);
    this.#writeAt(new DataView(out.buffer), 0, value, this.name);
    return out;
  }

  view(bytes: Bytes, byteOffset = 0): object {
    const dv = dataViewOf(bytes, "view", this.name);
    checkSpan(dv, byteOffset, this.#required, "view", this.name);
    return new this.#View(dv, byteOffset);
  }

  cast(bytes: Bytes, options?: CastOptions): object {
    checkOptions(options, CAST_OPTIONS, "cast to", this.name);
    const prefix = options?.prefix ?? false;
    if (typeof prefix !== "boolean") {
      throw new TypeError(`Cannot cast to "${this.name}": prefix must be a boolean, got ${describe(prefix)}`);
    }
    const dv = toDataView(bytes, "cast to", this.name);
    const actual = dv.byteLength;
    if (this.flexible) {
      // At least the fixed members, then exactly what the flexible array needs: offsetof(array) + n * stride
      // for a count of n (see `#required`). Checked now, so the cast fails rather than a later read.
      if (actual < this.#required) {
        throw new LayoutError({
          layout: this.name,
          expected: this.#required,
          actual,
          message: `Cannot cast to "${this.name}": expected at least ${this.#required} bytes, got ${actual}`,
        });
      }
      const members = this.#builtMembers();
      const last = members[members.length - 1]!;
      try {
        last.view!(dv, 0);
      } catch (error) {
        // Not a layout mismatch: the caller's limit, said as `read` says it.
        if (isRowLimitError(error)) throw error;
        const end = last.end!(dv, 0);
        const expected = Number.isFinite(end) ? end : this.#required;
        // The array's own message, said of the cast: `"n" is 2, so it needs 4 bytes at offset 10 but …`.
        const reason = (error as Error).message.replace(`Cannot read "${this.name}.${last.name}": `, "");
        throw new LayoutError({
          layout: this.name,
          expected,
          actual,
          message: `Cannot cast to "${this.name}": ${reason}`,
          cause: error,
        });
      }
      // Bytes past the rows a count field gives are refused as a fixed struct's are, unless `prefix`; C's
      // allocation (`offsetof + n * stride`) and `sizeof` when that is larger (as `encode` makes) are both exact.
      const end = last.end!(dv, 0);
      if (!prefix && this.#counted && actual !== end && actual !== Math.max(end, this.size)) {
        throw new LayoutError({
          layout: this.name,
          expected: end,
          actual,
          message:
            `Cannot cast to "${this.name}": expected ${end} bytes, where its rows end, got ${actual} (prefix accepts more)`,
        });
      }
    } else if (prefix ? actual < this.size : actual !== this.size) {
      throw new LayoutError({
        layout: this.name,
        expected: this.size,
        actual,
        ...(prefix
          ? { message: `Cannot cast to "${this.name}": expected at least ${this.size} bytes, got ${actual}` }
          : {}),
      });
    }
    return new this.#View(dv, 0);
  }

  /** `array`'s check of a count against the call's `maxRows`, or else the layout's limit. */
  #checkRowLimit(count: number, maxRows: number | undefined): void {
    const limit = maxRows === undefined
      ? this.#rowLimit
      : rowLimit(checkMaxRows(maxRows, "make an array of", this.name), this.size);
    if (count > limit) throw tooManyRows("make an array of", this.name, `count ${count}`, limit);
  }

  /**
   * `array` over a buffer whose length can change: the rows get a DataView of their own bytes. The one made for a
   * length-tracking typed array has the length it had then, and a shrink of bytes past the rows put it out of
   * bounds, rows and all.
   */
  #ownRows(dv: DataView, byteOffset: number, count: number): ArrayView {
    const rows = new DataView(dv.buffer, dv.byteOffset + byteOffset, count * this.size);
    return _arrayView(this[CODEC], rows, 0, count, this.#arrayName);
  }

  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView {
    // Guarded here, not only inside: `T.array(bytes)` is on the path of every scan of a small table.
    if (options !== undefined) checkOptions(options, ARRAY_OPTIONS, "make an array of", this.name);
    if (this.flexible) {
      throw new TypeError(`Cannot make an array of "${this.name}": it ends in a flexible array`);
    }
    // The bytes seen last keep their DataView; a DataView given is checked for detaching (`dataViewOf`).
    const dv = dataViewOf(bytes, "make an array of", this.name);
    // Only a missing offset is 0: `null` is checked as any other value, and refused.
    const byteOffset = options?.byteOffset === undefined ? 0 : options.byteOffset;
    checkSpan(dv, byteOffset, 0, "make an array of", this.name);
    let count = options?.count;
    if (count === undefined) {
      count = this.size === 0 ? 0 : Math.floor((dv.byteLength - byteOffset) / this.size);
    } else if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(
        `Cannot make an array of "${this.name}": count ${describe(count)} is not a non-negative integer`,
      );
    }
    checkRowsSpan(dv, byteOffset, count, this.size, this.name);
    // The checks of the row limit and of a buffer that can change length are calls of their own, made only when
    // needed, so that the common case stays small: bench/probes/column_make_check.ts
    if (count > this.#rowLimit || options?.maxRows !== undefined) {
      this.#checkRowLimit(count, options!.maxRows);
    }
    // Built before the array class keeps the codec's functions (`arrayClassOf`).
    if (this.#build !== undefined) this.#build();
    if (overResizable(dv)) return this.#ownRows(dv, byteOffset, count);
    return _arrayView(this[CODEC], dv, byteOffset, count, this.#arrayName);
  }
}

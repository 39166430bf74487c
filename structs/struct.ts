/**
 * `struct()` and `union()`: C memory layouts with copies (`read`, `write`, `encode`), in-place views (`view`),
 * checked casts (`cast`) and arrays of rows (`array`).
 *
 * @module
 */
import {
  badValue,
  type Bytes,
  checkOptions,
  checkSpan,
  checkSpanSlowly,
  CODEC,
  type Codec,
  codecOf,
  compile,
  dataViewOf,
  describe,
  generatedCode,
  isDetached,
  keepsLength,
  readBits,
  readSource,
  readWideBits,
  toDataView,
  writeBits,
  writeSource,
  writeWideBits,
} from "./_codec.ts";
import { _arrayView, type ArrayView, type RowCodec, type ScalarMember } from "./array_view.ts";
import { LayoutError } from "./errors.ts";
import { pointerCodec, type Scalar } from "./scalars.ts";
import type {
  BitField,
  FieldInfo,
  Fields,
  FieldSpec,
  FieldsView,
  FieldType,
  InferFields,
  InferStructInput,
  InferUnionInput,
  Padding,
} from "./types.ts";

/** Layout options, as C attributes and pragmas. */
export interface StructOptions {
  /** The name used in errors and introspection; default `"struct"` or `"union"`. */
  name?: string;
  /**
   * `__attribute__((packed))`: every member at alignment 1 and bitfields packed bit by bit, except that an
   * `aligned(n)` member keeps alignment `n` and a `T : 0` still moves to the next boundary of `T`.
   */
  packed?: boolean;
  /**
   * `#pragma pack(n)`: every member's alignment is capped at `n` bytes (a power of two), `aligned()` members
   * included, and bitfields are packed bit by bit as under `packed`.
   */
  pack?: number;
  /**
   * `__attribute__((aligned(n)))` on the struct: at least `n`-byte alignment (a power of two), which `pack` does
   * not cap.
   */
  align?: number;
  /**
   * Whose rules place bitfields: `"sysv"` (the default: GCC and Clang on Linux and macOS) or `"msvc"` (Visual
   * C++, and GCC's `ms_struct`). See `bits`. Nothing else differs between the two on x64.
   */
  bitfields?: "sysv" | "msvc";
}

const STRUCT_OPTIONS = new Set(["name", "packed", "pack", "align", "bitfields"]);

/** Options of `cast`. Another key is an error, not ignored. */
export interface CastOptions {
  /** Accept bytes longer than the layout and view their prefix. */
  prefix?: boolean;
}

/** Options of `array`. Another key is an error, not ignored. */
export interface ArrayOfOptions {
  /** The number of rows; default: as many whole rows as the bytes after `byteOffset` hold. */
  count?: number;
  /** Where the first row starts, in bytes; default 0. */
  byteOffset?: number;
}

/** What struct and union types have in common. */
export interface CompositeType<F extends Fields, K extends "struct" | "union"> {
  /** `"struct"` or `"union"`: tells the two apart, and from the other field types. */
  readonly kind: K;
  /** The name given in the options. */
  readonly name: string;
  /**
   * `sizeof`, including tail padding; for a struct ending in `[ANY_SIZE]`, with one element, and in a C99
   * flexible array `[]`, with none.
   */
  readonly size: number;
  /** `_Alignof`. */
  readonly align: number;
  /** Every field, placed: name, offset, size, alignment and type. */
  readonly fields: readonly FieldInfo[];
  /** The field list as declared. */
  readonly declaration: F;
  /** Whether the last field is a flexible array. */
  readonly flexible: boolean;

  /**
   * Copies the struct at `byteOffset` out into a plain object. A `DataView` is used as is; for other bytes a
   * `DataView` is made and reused while the next call passes the same bytes object (a loop over one buffer
   * makes one), except over a resizable or growable buffer, whose typed arrays may change length. The offset
   * is a number (any safe integer: 4 GiB and past is fine where the buffer reaches); a struct ending in a
   * flexible array needs its fixed members' bytes there, then its elements' (see `cast`).
   */
  read(bytes: Bytes, byteOffset?: number): InferFields<F>;
  /**
   * An object whose fields read and write the bytes at `byteOffset` in place. `JSON.stringify(view)` writes
   * what `read` copies (`toJSON`). Once its buffer is detached or shrinks under it, the view prints as such and
   * its `toJSON` says so; its fields throw the engine's bounds error, and never read past the buffer (a
   * `try` around each field read, to say it in the toolkit's words, cost `at(i).field` 25 % on Bun).
   */
  view(bytes: Bytes, byteOffset?: number): FieldsView<F>;
  /**
   * A view of bytes whose length must be exactly this layout's size; with `prefix`, at least. A struct ending
   * in a flexible array needs its fixed members (`offsetof` the array) and then exactly the elements it has:
   * as many as its count field says (`offsetof(T, rows) + n * sizeof(row)`, as C allocates it; the tail
   * padding `sizeof` counts is not needed), or with no count field, as many as the bytes hold.
   */
  cast(bytes: Bytes, options?: CastOptions): FieldsView<F>;
}

/** A struct type made by `struct()`. It is itself a field type, so structs nest. */
export interface StructType<F extends Fields = Fields> extends CompositeType<F, "struct"> {
  /** Writes a plain value into the bytes at `byteOffset`; padding bytes are left as they are. */
  write(bytes: Bytes, value: InferStructInput<F>, byteOffset?: number): void;
  /**
   * Encodes a value into new zero-filled bytes, with room for a flexible array's elements: `sizeof` or more
   * when the array has a count field, and exactly up to the last element when it has none (the bytes' length
   * is then its count, so `read` gives the same elements back).
   */
  encode(value: InferStructInput<F>): Uint8Array;
  /** The rows of an array of this struct, in place. */
  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView<StructType<F>>;
}

/** A union type made by `union()`. */
export interface UnionType<F extends Fields = Fields> extends CompositeType<F, "union"> {
  /** Writes the members present in `value` into the bytes at `byteOffset`. */
  write(bytes: Bytes, value: InferUnionInput<F>, byteOffset?: number): void;
  /** Encodes the members present in `value` into new zero-filled bytes. */
  encode(value: InferUnionInput<F>): Uint8Array;
  /** The elements of an array of this union, in place. */
  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView<UnionType<F>>;
}

// ---------------------------------------------------------------------------------------------------------
// Placement

/** One placed member, with what reads and writes it relative to the struct's base offset. */
interface Member {
  readonly name: string;
  readonly offset: number;
  /** For scalars: inlined by the generated path. */
  readonly scalar: Scalar | undefined;
  /** Reads the member of the struct at `base`. */
  read(dv: DataView, base: number): unknown;
  /** Writes the member of the struct at `base`. */
  write(dv: DataView, base: number, value: unknown, path: string): void;
  /** For members read as views (nested structs, arrays, flexible arrays). */
  view: ((dv: DataView, base: number) => unknown) | undefined;
  /**
   * For a flexible array: where its elements end, from the struct at `base` (its count field says how many; with
   * none, they fill the bytes). `NaN` when the count is not a number of rows.
   */
  end?(dv: DataView, base: number): number;
}

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function checkPowerOfTwo(n: unknown, what: string, name: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Cannot lay out "${name}": ${what} ${describe(n)} is not a power of two`);
  }
  return n;
}

interface Placed {
  size: number;
  align: number;
  members: Member[];
  infos: FieldInfo[];
  flexible: boolean;
}

function place(fields: Fields, union: boolean, options: StructOptions, name: string): Placed {
  if (typeof fields !== "object" || fields === null) {
    throw new TypeError(`Cannot lay out "${name}": expected an object of fields, got ${describe(fields)}`);
  }
  for (const key of Object.keys(options)) {
    if (!STRUCT_OPTIONS.has(key)) {
      throw new TypeError(
        `Cannot lay out "${name}": unknown option "${key}" (expected ${[...STRUCT_OPTIONS].join(", ")})`,
      );
    }
  }
  const bitfields = options.bitfields ?? "sysv";
  if (bitfields !== "sysv" && bitfields !== "msvc") {
    throw new TypeError(`Cannot lay out "${name}": bitfields ${describe(bitfields)} is not "sysv" or "msvc"`);
  }
  const msvc = bitfields === "msvc";
  // MSVC has no `packed`: there it means `#pragma pack(1)`, whose bitfields still take whole units.
  const packed = options.packed === true && !msvc;
  const pack = options.pack === undefined ? Infinity : checkPowerOfTwo(options.pack, "pack", name);
  const minAlign = options.align === undefined ? 1 : checkPowerOfTwo(options.align, "align", name);
  const cap = options.packed === true ? 1 : pack;
  // What `#pragma pack` caps every member to, `aligned` ones included (MSVC's `packed` is `#pragma pack(1)`).
  const packCap = msvc && options.packed === true ? 1 : pack;
  // GCC: under `packed` or `#pragma pack`, bitfields follow each other bit by bit, straddling their units.
  const contiguous = packed || options.pack !== undefined;
  let bit = 0; // next free bit (structs)
  let end = 0; // largest member end in bytes (unions)
  let maxAlign = 1;
  let flexible = false;
  // MSVC: the open bitfield unit (its size in bytes, 0 when none, and the bit it ends at), whether the last
  // field was a bitfield with bits, and the alignment a `T : 0` after one imposes on the next field.
  let unitSize = 0;
  let unitEnd = 0;
  let afterBits = false;
  let nextAlign = 1;
  const members: Member[] = [];
  const infos: FieldInfo[] = [];
  const scalars = new Map<string, Member>();

  for (const [field, spec] of Object.entries(fields) as [string, FieldSpec | Padding][]) {
    if (field === "__proto__") {
      throw new TypeError(`Cannot lay out "${name}": a field may not be named "__proto__"`);
    }
    if (flexible) {
      throw new TypeError(
        `Cannot lay out "${name}": field "${field}" follows a flexible array, which must be last`,
      );
    }
    const kind = (spec as { kind?: unknown })?.kind;
    if (kind === "bits" || kind === "padding") {
      const { storage, width } = spec as { storage: Scalar; width: number };
      const unitBits = storage.size * 8;
      // An unnamed bitfield (`padding`) is placed as a named one; only GCC's own rules leave it out of the
      // struct's alignment (`ms_struct` does not).
      const unnamed = kind === "padding";
      // GCC counts a bitfield's declared type toward the struct's alignment, capped by `#pragma pack` when
      // there is one (even in a packed struct), by `packed` only when there is not.
      const align = Math.min(storage.align, msvc || options.pack === undefined ? cap : pack);
      if (!union && msvc) {
        if (width === 0) {
          // `T : 0` closes the open unit and aligns the next field to T, but only right after a bitfield
          // with bits; anywhere else it does nothing.
          if (afterBits) {
            bit = unitEnd;
            nextAlign = Math.max(nextAlign, align);
            maxAlign = Math.max(maxAlign, align);
          }
          unitSize = 0;
          afterBits = false;
        } else if (unitSize !== storage.size || bit + width > unitEnd) {
          // A new unit of the declared type: bitfields share one only when their types have the same size
          // and the bits fit.
          if (unitSize !== 0) bit = unitEnd;
          bit = roundUp(bit, Math.max(align, nextAlign) * 8);
          nextAlign = 1;
          unitSize = storage.size;
          unitEnd = bit + unitBits;
        }
      } else if (!union) {
        if (width === 0) {
          // `T : 0` moves to the next boundary of T, which neither `packed` nor `#pragma pack` changes; it
          // adds no alignment to the struct.
          bit = roundUp(bit, storage.align * 8);
        } else if (!contiguous && Math.floor(bit / unitBits) !== Math.floor((bit + width - 1) / unitBits)) {
          // GCC: start a new unit only if the field would straddle a unit of its declared type.
          bit = roundUp(bit, storage.align * 8);
        }
      }
      const at = union ? 0 : bit;
      const offset = at >>> 3;
      const shift = at & 7;
      if (!unnamed) {
        members.push(bitsMember(field, offset, shift, width, storage));
        infos.push(
          Object.freeze({
            name: field,
            offset,
            size: Math.ceil((shift + width) / 8),
            align,
            type: spec as BitField,
            bitOffset: at,
            bitWidth: width,
          }),
        );
      }
      if (union) {
        // GCC: a union holds a bitfield's bytes, which its alignment pads to the declared type's size unless
        // packed. MSVC: a whole unit of the declared type, and for a `T : 0` only right after a bitfield.
        end = Math.max(end, !msvc ? Math.ceil(width / 8) : width > 0 || afterBits ? storage.size : 0);
        if (width === 0) afterBits = false;
      } else bit = at + width;
      if (width > 0) {
        if (!unnamed || msvc) maxAlign = Math.max(maxAlign, align);
        afterBits = true;
      }
      continue;
    }
    if (unitSize !== 0) {
      // MSVC: a field after bitfields starts after their whole unit.
      bit = unitEnd;
      unitSize = 0;
    }
    afterBits = false;
    let type: FieldType;
    let extra = 1;
    let flex: { element: FieldType; count: string | undefined; declaredLength: 0 | 1 } | undefined;
    if (kind === "aligned") {
      type = (spec as { type: FieldType }).type;
      extra = (spec as { align: number }).align;
    } else if (kind === "flexible") {
      if (union) {
        throw new TypeError(`Cannot lay out "${name}": a union may not hold a flexible array ("${field}")`);
      }
      flex = spec as { element: FieldType; count: string | undefined; declaredLength: 0 | 1 };
      type = flex.element;
    } else {
      type = spec as FieldType;
    }
    let codec: Codec;
    try {
      codec = codecOf(type);
    } catch (error) {
      throw new TypeError(
        `Cannot lay out "${name}": field "${field}" has no field type (${describe(type)})`,
        {
          cause: error,
        },
      );
    }
    if ((codec as { flexible?: boolean }).flexible) {
      throw new TypeError(
        `Cannot lay out "${name}": field "${field}" is a struct that ends in a flexible array`,
      );
    }
    // `aligned(n)` holds against `packed`, which leaves exactly n, but not against `#pragma pack`.
    const align = kind === "aligned"
      ? Math.min(packed ? extra : Math.max(codec.align, extra), packCap)
      : Math.min(codec.align, cap);
    maxAlign = Math.max(maxAlign, align);
    const offset = union ? 0 : roundUp(Math.ceil(bit / 8), Math.max(align, nextAlign));
    nextAlign = 1;
    let member: Member;
    if (flex) {
      let count: Member | undefined;
      if (flex.count !== undefined) {
        count = scalars.get(flex.count);
        const countType = count?.scalar;
        if (
          !countType || countType.native === "f32" || countType.native === "f64" ||
          countType.native === "pointer" || countType.native === "bool"
        ) {
          throw new TypeError(
            `Cannot lay out "${name}": the count of flexible array "${field}" must be an integer field declared before it, got "${flex.count}"`,
          );
        }
      }
      member = flexibleMember(field, offset, codec as RowCodec, count, flex.count, name);
      flexible = true;
    } else {
      member = plainMember(field, offset, type, codec);
      if (member.scalar) scalars.set(field, member);
    }
    members.push(member);
    // `sizeof` counts one element of `[ANY_SIZE]` (the SDK's 1) and none of `[]`.
    const size = flex ? flex.declaredLength * codec.size : codec.size;
    infos.push(Object.freeze({ name: field, offset, size, align, type: spec as FieldSpec }));
    if (union) end = Math.max(end, codec.size);
    else bit = (offset + size) * 8;
  }
  if (unitSize !== 0) bit = unitEnd;
  const align = Math.max(maxAlign, minAlign);
  const size = roundUp(union ? end : Math.ceil(bit / 8), align);
  return { size, align, members, infos, flexible };
}

function plainMember(name: string, offset: number, type: FieldType, codec: Codec): Member {
  const scalar = (type as Scalar).kind === "scalar" ? type as Scalar : undefined;
  const viewAt = codec.viewAt;
  return {
    name,
    offset,
    scalar,
    read: (dv, base) => codec.readAt(dv, base + offset),
    write: (dv, base, value, path) => codec.writeAt(dv, base + offset, value, path),
    view: viewAt ? (dv, base) => viewAt(dv, base + offset) : undefined,
  };
}

function bitsMember(name: string, offset: number, shift: number, width: number, storage: Scalar): Member {
  const signed = storage.native.startsWith("i");
  const span = 2 ** width;
  const half = span / 2;
  const type = `${storage.name} : ${width}`;
  if (width === 0) {
    // An unnamed `T : 0` in C: it holds no bits, reads as 0 and ignores writes.
    return { name, offset, scalar: undefined, read: () => 0, write() {}, view: undefined };
  }
  if (width > 32) {
    return {
      name,
      offset,
      scalar: undefined,
      read(dv, base) {
        const v = readWideBits(dv, base + offset, shift, width);
        return signed ? BigInt.asIntN(width, v) : v;
      },
      write(dv, base, value, path) {
        const v = value as bigint;
        if (!(typeof v === "bigint" && (signed ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v)) === v)) {
          badValue(path, type, "u64", value);
        }
        writeWideBits(dv, base + offset, shift, width, BigInt.asUintN(width, v));
      },
      view: undefined,
    };
  }
  return {
    name,
    offset,
    scalar: undefined,
    read(dv, base) {
      const v = readBits(dv, base + offset, shift, width);
      return signed && v >= half ? v - span : v;
    },
    write(dv, base, value, path) {
      const v = value as number;
      if (!(Number.isInteger(v) && (signed ? v >= -half && v < half : v >= 0 && v < span))) {
        badValue(path, type, "bitfield", value);
      }
      writeBits(dv, base + offset, shift, width, v < 0 ? v + span : v);
    },
    view: undefined,
  };
}

function flexibleMember(
  name: string,
  offset: number,
  codec: RowCodec,
  count: Member | undefined,
  countName: string | undefined,
  layout: string,
): Member {
  const stride = codec.size;
  function rows(dv: DataView, base: number): number {
    const start = base + offset;
    if (!count) return stride === 0 ? 0 : Math.max(0, Math.floor((dv.byteLength - start) / stride));
    const n = Number(count.read(dv, base));
    if (!(n >= 0) || start + n * stride > dv.byteLength) {
      throw new RangeError(
        `Cannot read "${layout}.${name}": "${countName}" is ${n}, so it needs ${n * stride} bytes at offset ${
          dv.byteOffset + start
        } but the buffer ends at ${dv.byteOffset + dv.byteLength}`,
      );
    }
    return n;
  }
  return {
    name,
    offset,
    scalar: undefined,
    read(dv, base) {
      const n = rows(dv, base);
      const out = new Array(n);
      for (let i = 0, o = base + offset; i < n; i++, o += stride) out[i] = codec.readAt(dv, o);
      return out;
    },
    write(dv, base, value, path) {
      if (
        typeof value !== "object" || value === null ||
        typeof (value as ArrayLike<unknown>).length !== "number"
      ) {
        throw new TypeError(`Cannot write "${path}": expected an array of rows, got ${describe(value)}`);
      }
      const values = value as ArrayLike<unknown>;
      const n = values.length;
      if (count) {
        const declared = Number(count.read(dv, base));
        if (declared !== n) {
          throw new RangeError(`Cannot write "${path}": it has ${n} rows but "${countName}" is ${declared}`);
        }
      }
      const start = base + offset;
      if (start + n * stride > dv.byteLength) {
        throw new RangeError(
          `Cannot write "${path}": ${n} rows need ${
            n * stride
          } bytes at offset ${start} but the buffer has ${dv.byteLength}`,
        );
      }
      for (let i = 0; i < n; i++) codec.writeAt(dv, start + i * stride, values[i], `${path}[${i}]`);
    },
    view: (dv, base) => _arrayView(codec, dv, base + offset, rows(dv, base), `${layout}.${name}`),
    end(dv, base) {
      if (!count) return base + offset + rows(dv, base) * stride;
      const n = Number(count.read(dv, base));
      return n >= 0 ? base + offset + n * stride : NaN;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Views

/** What printing and `toJSON` need of a view, by its layout's view prototype (set by `CompositeLayout`). */
interface ViewInternals {
  /** The view's fields copied out, as `read()` copies them; a `TypeError` when its bytes are gone. */
  snapshot(view: object): unknown;
  /** Why the view's bytes cannot be read ("detached", …), or `undefined` when they can. */
  gone(view: object): string | undefined;
  /** The layout's name. */
  readonly name: string;
}

/**
 * Every view class's method (in its class body) that returns the class, whose `INTERNALS` property holds its
 * `ViewInternals`. A field named `constructor` hides `view.constructor`, which printing used to go through.
 * Added to the view prototype after the class was made (as symbol-keyed properties, or as a WeakMap key,
 * which gives it an identity hash), it cost V8 the view in `rows.at(i)`: 1.8 to 7.3 ns per row in the rows
 * benchmark (Deno 2.9, quick runs). On the class itself, as a static property, it costs nothing.
 */
const VIEW_CLASS: unique symbol = Symbol("view class");
const INTERNALS: unique symbol = Symbol("internals");

function internalsOf(view: object): ViewInternals {
  const View = (view as { [VIEW_CLASS]?(): { [INTERNALS]?: ViewInternals } })[VIEW_CLASS]?.();
  const internals = View?.[INTERNALS];
  if (!internals) {
    throw new TypeError(`Cannot read ${describe(view)}: it is not a view made by a struct or union type`);
  }
  return internals;
}

/**
 * Why the bytes of a view up to `end` cannot be read: the buffer was detached or shrank under them. A DataView
 * whose buffer shrank below it, or was detached, throws when asked its length.
 */
function bytesGone(dv: DataView, end: number): string | undefined {
  let length: number;
  try {
    length = dv.byteLength;
  } catch {
    length = -1;
  }
  if (length >= end) return undefined;
  return isDetached(dv.buffer) ? "detached" : "shorter than the view now";
}

/** A view printed by the console: a plain copy of its fields, or why there is none; never an error. */
function show(view: object, print: (copy: unknown) => string): string {
  const internals = internalsOf(view);
  if (internals.gone(view) !== undefined) {
    return `${internals.name} (its buffer is detached or shorter than the view now)`;
  }
  let copy: unknown;
  try {
    copy = internals.snapshot(view);
  } catch (error) {
    // A flexible array whose count field says more rows than there are bytes.
    return `${internals.name} (${(error as Error).message})`;
  }
  return print(copy);
}

/**
 * Every view's prototype chain ends here: it prints as a plain copy of its fields. It has no state and no
 * private members, which keeps views eligible for V8's escape analysis (a base class with a private method
 * made `rows.at(i)` ten times slower in the timing runs).
 *
 * View classes do not extend it: each is a base class whose prototype is linked to this one's. Where V8 keeps
 * the per-row view (`for...of`, whose iterator result holds it), a derived view's `super()` cost 5 ns a row:
 * a hand-written iterator over a million rows took 13.5 ns per row with `extends` and 7.8 with the prototype
 * linked (Deno 2.9, /tmp probe; Bun the same either way).
 */
class StructView {
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return show(this, (copy) => inspect(copy, options));
  }

  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return show(this, (copy) => inspect(copy, options));
  }

  /**
   * What `JSON.stringify` writes: the fields copied out, as `read()` copies them. 64-bit integers are `bigint`s
   * there, which `JSON.stringify` refuses unless a replacer turns them into something else. A field may not be
   * named `toJSON` (`struct()` refuses it), so this is always the view's.
   */
  toJSON(): unknown {
    return internalsOf(this).snapshot(this);
  }
}

interface ViewClass {
  new (dv: DataView, offset: number): object;
  move(view: object, offset: number): void;
  locate(view: object): [DataView, number];
}

interface Accessors {
  readAt(dv: DataView, o: number): unknown;
  writeAt(dv: DataView, o: number, value: unknown, path: string): void;
  View: ViewClass;
  /**
   * `new View(dv, o)`, compiled per layout on the generated path: one shared arrow for every layout made its
   * `new` site megamorphic as soon as a second struct type was viewed, and `at(i)` went from 1.8 to 15-21 ns
   * per row (1e6 rows, Deno 2.9 and Bun 1.4) because the view could no longer be optimised away.
   */
  viewAt?(dv: DataView, o: number): object;
  /** Every row copied out, with an object literal of its own (see `RowCodec.readAll`). */
  readAll?: RowCodec["readAll"];
  /**
   * A per-layout `T.read`: the shared method's one `readAt` call site went polymorphic the same way. It keeps
   * its own last bytes and view, and checks the span inline, calling `dataViewOf` and `checkSpanSlowly` only on a
   * miss: 1e6 rows of 24 bytes took 3.0-5.6 ns per row instead of 7.7-8.1 alone, and in the rows benchmark
   * 10.3-12.3 instead of 12.5-13.6 (Deno 2.9; Bun 1.4 unchanged). The cost: each layout keeps the last bytes
   * it read reachable until it reads others.
   */
  makeRead?(size: number): (bytes: Bytes, byteOffset?: number) => unknown;
}

/**
 * From this many fields (rows times top-level fields), `toArray()` makes its objects at an allocation site of
 * its own. V8 decides once per site whether the objects made there go straight to the old generation, from
 * whether they survived its first collections: small copies die young and teach a shared site "no", and a
 * million-row copy made there later is then copied through the young generation at every scavenge. A big copy
 * spans several full-size scavenges alive, so its own site learns "yes". On Deno 2.9, 1e6 MIB_TCPROW_OWNER_PID
 * rows (/tmp probe): 98-102 ns per row with one site after 3000 copies of 1000 rows, 24-32 with two; after
 * copies of 1e3, 1e4 and 1e5 rows, a split at 16384 rows still lost the race once in three runs, a split at
 * 2^21 fields (262144 of these rows) never did.
 */
const BULK_FIELDS = 2 ** 21;

/**
 * A union's check of the value written: every key names a member. A union writes the members present, so a
 * misspelt one (`{ valeu: 5 }`) would write nothing and say nothing. A struct needs no such check: a
 * misspelt key leaves its field missing, which is an error already.
 */
function memberKeys(members: Member[], name: string): (value: object, path: string) => void {
  const names = new Set(members.map((m) => m.name));
  return (value, path) => {
    for (const key in value) {
      if (!names.has(key)) {
        throw new TypeError(
          `Cannot write "${path}": ${name} has no member "${key}" (its members: ${[...names].join(", ")})`,
        );
      }
    }
  };
}

/** The plain path: closures over the members, no generated code. */
function plainAccessors(members: Member[], union: boolean, name: string): Accessors {
  const checkKeys = union ? memberKeys(members, name) : undefined;
  let dvOf!: (view: object) => DataView;
  let offsetOf!: (view: object) => number;
  const View = class {
    #dv: DataView;
    #o = 0;
    constructor(dv: DataView, o: number) {
      this.#dv = dv;
      this.#o = o;
    }
    [VIEW_CLASS](): unknown {
      return View;
    }
    static move(view: object, o: number): void {
      (view as InstanceType<typeof View>).#o = o;
    }
    static locate(view: object): [DataView, number] {
      return [(view as InstanceType<typeof View>).#dv, (view as InstanceType<typeof View>).#o];
    }
    static {
      dvOf = (view) => (view as InstanceType<typeof View>).#dv;
      offsetOf = (view) => (view as InstanceType<typeof View>).#o;
    }
  };
  Object.setPrototypeOf(View.prototype, StructView.prototype);
  for (const member of members) {
    const { read, write, view } = member;
    const path = `${name}.${member.name}`;
    Object.defineProperty(View.prototype, member.name, {
      get: view
        ? function (this: object) {
          return view(dvOf(this), offsetOf(this));
        }
        : function (this: object) {
          return read(dvOf(this), offsetOf(this));
        },
      ...(view ? {} : {
        set(this: object, value: unknown) {
          write(dvOf(this), offsetOf(this), value, path);
        },
      }),
      enumerable: true,
      configurable: false,
    });
  }
  return {
    View,
    readAt(dv, o) {
      const out: Record<string, unknown> = {};
      for (const member of members) out[member.name] = member.read(dv, o);
      return out;
    },
    writeAt(dv, o, value, path) {
      if (typeof value !== "object" || value === null) {
        throw new TypeError(`Cannot write "${path}": expected an object for ${name}, got ${describe(value)}`);
      }
      const record = value as Record<string, unknown>;
      if (checkKeys) checkKeys(record, path);
      for (const member of members) {
        const x = record[member.name];
        if (union && x === undefined) continue;
        member.write(dv, o, x, `${path}.${member.name}`);
      }
    },
  };
}

/**
 * The generated path: per-layout source with every scalar access inlined as one `DataView` call at a constant
 * offset, so the JIT sees a view or a copy like a hand-written class or object literal. Timed against the plain
 * path on 1e6 MIB_TCPROW_OWNER_PID rows (ns/row, Deno 2.9 / Bun 1.4): `read` 11.5 vs 76 / 13 vs 45, `toArray`
 * 101 vs 341 / 33 vs 79, `at(i)` with two fields read 4.1 vs 12.4 / 6.8 vs 10.9. Both paths run the same tests.
 */
function generatedAccessors(members: Member[], union: boolean, name: string): Accessors {
  const deps: unknown[] = [
    StructView,
    badValue,
    pointerCodec,
    describe,
    dataViewOf,
    checkSpanSlowly,
    keepsLength,
    VIEW_CLASS,
  ];
  const names = [
    "Base",
    "bad",
    "P",
    "describe",
    "dataViewOf",
    "checkSpanSlowly",
    "keepsLength",
    "VIEW_CLASS",
  ];
  const dep = (value: unknown): string => {
    names.push(`d${deps.length}`);
    deps.push(value);
    return `d${deps.length - 1}`;
  };
  const key = (field: string): string => JSON.stringify(field);
  const reads: string[] = [];
  const writes: string[] = [];
  const accessors: string[] = [];
  for (const m of members) {
    const path = JSON.stringify(`.${m.name}`);
    const viewPath = JSON.stringify(`${name}.${m.name}`);
    if (m.scalar) {
      reads.push(`${key(m.name)}: ${readSource(m.scalar, "dv", `o + ${m.offset}`)}`);
      const write = writeSource(m.scalar, "dv", `o + ${m.offset}`, "x", `path + ${path}`);
      writes.push(`x = v[${key(m.name)}]; ${union ? `if (x !== undefined) { ${write} }` : write}`);
      accessors.push(
        `get [${key(m.name)}]() { return ${readSource(m.scalar, "this.#dv", `this.#o + ${m.offset}`)}; }`,
        `set [${key(m.name)}](x) { ${
          writeSource(m.scalar, "this.#dv", `this.#o + ${m.offset}`, "x", viewPath)
        } }`,
      );
      continue;
    }
    const d = dep(m);
    reads.push(`${key(m.name)}: ${d}.read(dv, o)`);
    const write = `${d}.write(dv, o, x, path + ${path});`;
    writes.push(`x = v[${key(m.name)}]; ${union ? `if (x !== undefined) { ${write} }` : write}`);
    if (m.view) accessors.push(`get [${key(m.name)}]() { return ${d}.view(this.#dv, this.#o); }`);
    else {
      accessors.push(
        `get [${key(m.name)}]() { return ${d}.read(this.#dv, this.#o); }`,
        `set [${key(m.name)}](x) { ${d}.write(this.#dv, this.#o, x, ${viewPath}); }`,
      );
    }
  }
  // Two copies of the same loop: two object literals, so two allocation sites (see `BULK_FIELDS`).
  const copyRows = (fn: string): string =>
    `const ${fn} = function (dv, base, length, stride) {
  const out = new Array(length);
  for (let i = 0, o = base; i < length; i++, o += stride) out[i] = { ${reads.join(",\n")} };
  return out;
};`;
  const body = `
const readAt = function (dv, o) { return { ${reads.join(",\n")} }; };
const writeAt = function (dv, o, v, path) {
  if (typeof v !== "object" || v === null) {
    throw new TypeError("Cannot write \\"" + path + "\\": expected an object for " + ${
    JSON.stringify(name)
  } + ", got " + describe(v));
  }
  ${union ? `${dep(memberKeys(members, name))}(v, path);` : ""}
  let x;
  ${writes.join("\n  ")}
};
// A base class whose prototype continues into Base's (see StructView).
const View = class {
  #dv; #o = 0;
  constructor(dv, o) { this.#dv = dv; this.#o = o; }
  static move(view, o) { view.#o = o; }
  static locate(view) { return [view.#dv, view.#o]; }
  [VIEW_CLASS]() { return View; }
  ${accessors.join("\n  ")}
};
Object.setPrototypeOf(View.prototype, Base.prototype);
const viewAt = function (dv, o) { return new View(dv, o); };
${copyRows("readFew")}
${copyRows("readMany")}
const readAll = function (dv, base, length, stride) {
  return length < ${Math.ceil(BULK_FIELDS / Math.max(1, members.length))}
    ? readFew(dv, base, length, stride)
    : readMany(dv, base, length, stride);
};
const makeRead = function (size) {
  // Starts as an object no caller holds, so a first call with undefined bytes takes the checked path.
  let lastBytes = {}, lastView;
  // A function of its own: with these lines inline, read() grew past what JavaScriptCore inlines, and a read
  // per row took 18 ns instead of 12 (1e6 rows; 6 over 1e3) on Bun 1.4 (/tmp probe).
  const miss = function (bytes) {
    const dv = dataViewOf(bytes, "read", ${JSON.stringify(name)});
    // Bytes whose length may change keep no DataView: the next call makes one of their length then.
    if (keepsLength(bytes, dv)) {
      lastBytes = bytes;
      lastView = dv;
    }
    return dv;
  };
  return function read(bytes, byteOffset = 0) {
    let dv = lastView;
    // A detached buffer reports 0 bytes: dataViewOf says so.
    if (bytes !== lastBytes || bytes.byteLength === 0) dv = miss(bytes);
    // As checkSpan: typeof first (a bigint fails >>> in the engine); 4 GiB and more take the slow check.
    if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + size > dv.byteLength) {
      checkSpanSlowly(dv, byteOffset, size, "read", ${JSON.stringify(name)});
    }
    return readAt(dv, byteOffset);
  };
};
return { readAt, writeAt, View, viewAt, readAll, makeRead };`;
  return compile<Accessors>(names, body, deps);
}

// ---------------------------------------------------------------------------------------------------------
// Types

/** Keys JavaScript lists before all others in an object, whatever their place: array indexes ("0", "7"). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Refuses field names that would not read back as declared: symbols (`Object.entries` skips them), array
 * indexes (listed first, so their place in the declaration is lost) and `toJSON`, which views answer for
 * `JSON.stringify`. Other names a view's prototype chain holds (`constructor`, `toString`, `hasOwnProperty`,
 * …) are fields like any other: the view's own machinery sits under symbols. `__proto__` is refused by `place`.
 */
function checkFieldNames(fields: Fields, name: string): void {
  if (typeof fields !== "object" || fields === null) return; // `place` says so
  const symbol = Object.getOwnPropertySymbols(fields)[0];
  if (symbol !== undefined) {
    throw new TypeError(
      `Cannot lay out "${name}": field ${String(symbol)} is a symbol; field names are strings`,
    );
  }
  for (const field of Object.keys(fields)) {
    if (isArrayIndex(field)) {
      throw new TypeError(
        `Cannot lay out "${name}": field "${field}" is an array index, which JavaScript lists before the other keys`,
      );
    }
    if (field === "toJSON") {
      throw new TypeError(
        `Cannot lay out "${name}": a field may not be named "toJSON": views use it for JSON.stringify`,
      );
    }
  }
}

/**
 * `checkSpan` for `count` rows of `size` bytes, whose message names the count: built only when thrown. Built on
 * every `T.array()` call (as it was), it took time and bytecode that V8 counts against what it inlines into a
 * scan of a small table; with it, the buffer test `column()` makes cost such a scan (100 rows) 10 ns, without
 * it nothing measurable (Deno 2.9, /tmp probe).
 */
function checkRowsSpan(dv: DataView, byteOffset: number, count: number, size: number, name: string): void {
  const bytes = count * size;
  if (byteOffset + bytes > dv.byteLength) {
    checkSpanSlowly(dv, byteOffset, bytes, `make an array of ${count}`, name);
  }
}

const CAST_OPTIONS = ["prefix"];
const ARRAY_OPTIONS = ["count", "byteOffset"];

class CompositeLayout {
  readonly kind: "struct" | "union";
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldInfo[];
  readonly declaration: Fields;
  readonly flexible: boolean;
  readonly [CODEC]: RowCodec;
  #readAt: (dv: DataView, o: number) => unknown;
  #writeAt: (dv: DataView, o: number, value: unknown, path: string) => void;
  #View: ViewClass;
  #members: Member[];
  #arrayName: string;
  /**
   * The bytes `read`, `view`, `write` and `cast` need at the offset: `sizeof`, or for a struct ending in a
   * flexible array, the offset of that array (its elements are checked against the bytes when read). C
   * allocates such a struct as `offsetof(T, rows) + n * sizeof(row)` (Windows' `FIELD_OFFSET(T, rows[n])`),
   * which can end before `sizeof` (`struct { uint64_t n; uint8_t tag; uint16_t rows[]; }`: sizeof 16, two rows
   * end at 14). Only the bytes read are required; C's tail padding is not.
   */
  #required = 0;

  constructor(kind: "struct" | "union", fields: Fields, options: StructOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Cannot lay out a ${kind}: options must be an object, got ${describe(options)}`);
    }
    const name = options.name ?? kind;
    checkFieldNames(fields, name);
    const placed = place(fields, kind === "union", options, name);
    this.kind = kind;
    this.name = name;
    this.size = placed.size;
    this.align = placed.align;
    this.fields = Object.freeze(placed.infos);
    this.declaration = fields;
    this.flexible = placed.flexible;
    this.#members = placed.members;
    this.#arrayName = `${name}[]`;
    const required = placed.flexible ? placed.members[placed.members.length - 1]!.offset : placed.size;
    this.#required = required;
    const accessors = generatedCode()
      ? generatedAccessors(placed.members, kind === "union", name)
      : plainAccessors(placed.members, kind === "union", name);
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
    const members = new Map(placed.members.map((m) => [m.name, m]));
    const codec: RowCodec & { flexible: boolean } = {
      size: placed.size,
      align: placed.align,
      flexible: placed.flexible,
      readAt: accessors.readAt,
      writeAt: accessors.writeAt,
      viewAt: accessors.viewAt ?? ((dv, o) => new View(dv, o)),
      ...(accessors.readAll ? { readAll: accessors.readAll } : {}),
      moveView: View.move as (view: unknown, o: number) => void,
      scalarMember(field: string): ScalarMember | undefined {
        const m = members.get(field);
        return m?.scalar ? { offset: m.offset, type: m.scalar } : undefined;
      },
    };
    this[CODEC] = codec;
    if (accessors.makeRead) this.read = accessors.makeRead(required) as typeof this.read;
    Object.freeze(this);
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
      const last = this.#members[this.#members.length - 1]!;
      const spec = this.fields[this.fields.length - 1]!.type as { element: FieldType; count?: string };
      const rows = (value as Record<string, unknown> | null)?.[last.name] as ArrayLike<unknown> | undefined;
      const end = last.offset +
        (rows && typeof rows.length === "number" ? rows.length * codecOf(spec.element).size : 0);
      size = spec.count === undefined ? end : Math.max(size, end);
    }
    const out = new Uint8Array(size);
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
        throw new LayoutError(
          this.name,
          this.#required,
          actual,
          `Cannot cast to "${this.name}": expected at least ${this.#required} bytes, got ${actual}`,
        );
      }
      const last = this.#members[this.#members.length - 1]!;
      try {
        last.view!(dv, 0);
      } catch (error) {
        const end = last.end!(dv, 0);
        const expected = Number.isFinite(end) ? end : this.#required;
        // The array's own message, said of the cast: `"n" is 2, so it needs 4 bytes at offset 10 but …`.
        const reason = (error as Error).message.replace(`Cannot read "${this.name}.${last.name}": `, "");
        throw new LayoutError(this.name, expected, actual, `Cannot cast to "${this.name}": ${reason}`, {
          cause: error,
        });
      }
    } else if (prefix ? actual < this.size : actual !== this.size) {
      throw new LayoutError(
        this.name,
        this.size,
        actual,
        prefix
          ? `Cannot cast to "${this.name}": expected at least ${this.size} bytes, got ${actual}`
          : undefined,
      );
    }
    return new this.#View(dv, 0);
  }

  array(bytes: Bytes, options?: ArrayOfOptions): ArrayView {
    // Guarded here, not only inside: `T.array(bytes)` is on the path of every scan of a small table.
    if (options !== undefined) checkOptions(options, ARRAY_OPTIONS, "make an array of", this.name);
    if (this.flexible) {
      throw new TypeError(`Cannot make an array of "${this.name}": it ends in a flexible array`);
    }
    // The bytes seen last keep their DataView (`dataViewOf`); a DataView given is checked for detaching here.
    const dv = bytes instanceof DataView
      ? toDataView(bytes, "make an array of", this.name)
      : dataViewOf(bytes, "make an array of", this.name);
    const byteOffset = options?.byteOffset ?? 0;
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
    return _arrayView(this[CODEC], dv, byteOffset, count, this.#arrayName);
  }
}

/**
 * Declares a C struct: fields in order, at their natural alignment with padding between them and at the
 * end, as GCC and Clang lay them out on x86-64 and AArch64 (System V ABI) and MSVC on x64 (for bitfields,
 * with `{ bitfields: "msvc" }`).
 *
 * Scalar fields read as numbers (`bigint` for 64-bit integers, `boolean` for `bool`, `Pointer | null` for
 * pointers), arrays as arrays, nested structs as objects; see `Infer`.
 *
 * @param fields The fields in declaration order. A struct or union type is itself a field type.
 * @param options `name`, `packed`, `pack` and `align`, as the C attributes, and `bitfields` (`"sysv"` or
 *   `"msvc"`), whose rules place bitfields.
 * @returns The struct type.
 * @throws {TypeError} When a field is not a field type, a flexible array is not last or has a bad count, or an
 *   option is unknown.
 * @throws {RangeError} When `pack` or `align` is not a power of two.
 *
 * @example A row read three ways: copied, cast in place, written through the view
 * ```ts
 * import { struct, u16, u16be, u32, type Infer } from "./mod.ts";
 * // A port in network byte order, in the low half of a 32-bit field (as in MIB_TCPROW_OWNER_PID).
 * const Row = struct({ state: u32, localAddr: u32, localPort: u16be, portHigh: u16, owningPid: u32 });
 * const bytes = Row.encode({ state: 5, localAddr: 0, localPort: 443, portHigh: 0, owningPid: 42 });
 * const copy: Infer<typeof Row> = Row.read(bytes);
 * const view = Row.cast(bytes);
 * view.owningPid = 43;
 * console.log(Row.size, copy.localPort, view.owningPid); // 16 443 43
 * ```
 */
export function struct<const F extends Fields>(fields: F, options: StructOptions = {}): StructType<F> {
  return new CompositeLayout("struct", fields, options) as unknown as StructType<F>;
}

/**
 * Declares a C union: every member at offset 0; size the largest member's, rounded to the largest alignment.
 * `read` decodes every member; `write` and `encode` write the members present in the value.
 *
 * @param fields The members.
 * @param options `name`, `packed`, `pack`, `align` and `bitfields`, as for `struct`.
 * @returns The union type.
 * @throws {TypeError} When a member is not a field type or is a flexible array.
 *
 * @example A value seen as one u32 or four bytes
 * ```ts
 * import { array, u8, u32, union } from "./mod.ts";
 * const Word = union({ value: u32, bytes: array(u8, 4) });
 * console.log(Word.read(Word.encode({ value: 0x01020304 })).bytes); // [ 4, 3, 2, 1 ] on little-endian hosts
 * ```
 */
export function union<const F extends Fields>(fields: F, options: StructOptions = {}): UnionType<F> {
  return new CompositeLayout("union", fields, options) as unknown as UnionType<F>;
}

/**
 * The layout pass: one pure walk over a declaration that only computes placement (every member's offset,
 * size and alignment, bitfields' bit positions, the struct's size and alignment) and checks the declaration.
 * Bitfields are placed by `BitfieldRules` (`_bitfield_rules.ts`); reading and writing the members is built
 * from the result elsewhere (`_members.ts`).
 *
 * @module
 */
import { describe } from "./_checks.ts";
import { type Codec, codecOf } from "./_codec.ts";
import { checkMaxRows } from "./_row_limit.ts";
import { type BitfieldRules, type LayoutState, msvcBitfields, sysvBitfields } from "./_bitfield_rules.ts";
import type { Scalar } from "./scalars.ts";
import type { StructOptions } from "./struct.ts";
import type { Aligned, BitField, FieldInfo, Fields, FieldSpec, FieldType, Padding } from "./types.ts";

/** A named bitfield, placed. */
export interface BitsPlacement {
  readonly kind: "bits";
  readonly name: string;
  /** The byte its first bit is in, and that bit's place in the byte. */
  readonly offset: number;
  readonly shift: number;
  readonly width: number;
  /** The declared type. */
  readonly storage: Scalar;
}

/** A member that is not a bitfield, placed. */
export interface FieldPlacement {
  readonly kind: "field";
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  readonly codec: Codec;
  /** For a flexible array (the last member): the name of its count field, if it has one. */
  readonly flexible: { readonly count: string | undefined } | undefined;
}

/** A member, placed. Unnamed bitfields take room but are no member. */
export type Placement = BitsPlacement | FieldPlacement;

/** A declaration, placed. */
export interface Layout {
  readonly size: number;
  readonly align: number;
  /** Whether the last member is a flexible array. */
  readonly flexible: boolean;
  readonly placements: readonly Placement[];
  /** What introspection shows of each member. */
  readonly infos: FieldInfo[];
  /** The `maxRows` option, checked (see `_row_limit.ts`). */
  readonly maxRows: number | undefined;
}

const STRUCT_OPTIONS = new Set(["name", "packed", "pack", "align", "bitfields", "maxRows"]);

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function checkPowerOfTwo(n: unknown, what: string, name: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`Cannot lay out "${name}": ${what} ${describe(n)} is not a power of two`);
  }
  return n;
}

/** Keys JavaScript lists before all others in an object, whatever their place: array indexes ("0", "7"). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Refuses field names that would not read back as declared: symbols (`Object.entries` skips them), array
 * indexes (listed first, so their place in the declaration is lost) and `toJSON`, which views answer for
 * `JSON.stringify`. Other names a view's prototype chain holds (`constructor`, `toString`, `hasOwnProperty`,
 * …) are fields like any other: the view's own machinery sits under symbols. `__proto__` is refused by `layOut`.
 */
function checkFieldNames(fields: Fields, name: string): void {
  if (typeof fields !== "object" || fields === null) return; // `layOut` says so
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
 * Places the members of a struct or union.
 *
 * @throws {TypeError} When a field is not a field type, a name or an option is refused, or a flexible array is
 *   misplaced or has a bad count.
 * @throws {RangeError} When `pack` or `align` is not a power of two.
 */
export function layOut(fields: Fields, union: boolean, options: StructOptions, name: string): Layout {
  checkFieldNames(fields, name);
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
  const maxRows = checkMaxRows(options.maxRows, "lay out", name);
  // MSVC has no `packed`: there it means `#pragma pack(1)`, whose bitfields still take whole units.
  const packed = options.packed === true && !msvc;
  const pack = options.pack === undefined ? Infinity : checkPowerOfTwo(options.pack, "pack", name);
  const minAlign = options.align === undefined ? 1 : checkPowerOfTwo(options.align, "align", name);
  const cap = options.packed === true ? 1 : pack;
  // What `#pragma pack` caps every member to, `aligned` ones included (MSVC's `packed` is `#pragma pack(1)`).
  const packCap = msvc && options.packed === true ? 1 : pack;
  const rules: BitfieldRules = msvc
    ? msvcBitfields(cap)
    // GCC: under `packed` or `#pragma pack`, bitfields follow each other bit by bit, straddling their units;
    // a bitfield's declared type counts toward the struct's alignment, capped by `#pragma pack` when there is
    // one (even in a packed struct), by `packed` only when there is not.
    : sysvBitfields(packed || options.pack !== undefined, options.pack === undefined ? cap : pack);
  const at: LayoutState = { bit: 0, maxAlign: 1, nextAlign: 1, afterBits: false, unitSize: 0, unitEnd: 0 };
  let end = 0; // largest member end in bytes (unions)
  let flexible = false;
  const placements: Placement[] = [];
  const infos: FieldInfo[] = [];
  // The scalar fields so far, which a flexible array's count may name.
  const scalars = new Map<string, Scalar>();

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
      // An unnamed bitfield (`padding`) is placed as a named one.
      const unnamed = kind === "padding";
      const align = rules.alignOf(storage);
      if (!union) rules.place(at, storage, width, align);
      const bit = union ? 0 : at.bit;
      const offset = bit >>> 3;
      const shift = bit & 7;
      if (!unnamed) {
        placements.push({ kind: "bits", name: field, offset, shift, width, storage });
        infos.push(
          Object.freeze({
            name: field,
            offset,
            size: Math.ceil((shift + width) / 8),
            align,
            type: spec as BitField,
            bitOffset: bit,
            bitWidth: width,
          }),
        );
      }
      if (union) {
        end = Math.max(end, rules.unionBytes(at, storage, width));
        if (width === 0) at.afterBits = false;
      } else at.bit = bit + width;
      if (width > 0) {
        if (!unnamed || rules.unnamedAligns) at.maxAlign = Math.max(at.maxAlign, align);
        at.afterBits = true;
      }
      continue;
    }
    rules.close(at);
    at.afterBits = false;
    let type: FieldType;
    let extra = 1;
    let exact = false;
    let flex: { element: FieldType; count: string | undefined; declaredLength: 0 | 1 } | undefined;
    // An aligned field may wrap a flexible array (`T rows[] __attribute__((aligned(8)))`).
    let inner: FieldSpec = spec as FieldSpec;
    if (kind === "aligned") {
      inner = (spec as Aligned).type;
      extra = (spec as Aligned).align;
      exact = (spec as Aligned).exact === true;
    }
    if ((inner as { kind?: unknown })?.kind === "flexible") {
      if (union) {
        throw new TypeError(`Cannot lay out "${name}": a union may not hold a flexible array ("${field}")`);
      }
      flex = inner as { element: FieldType; count: string | undefined; declaredLength: 0 | 1 };
      type = flex.element;
    } else {
      type = inner as FieldType;
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
    // A struct ending in a flexible array, as a member (GCC's extension): laid out at its `sizeof`, its array
    // holding the elements `sizeof` counts (see `CompositeLayout`).
    const embedded = (codec as { embedded?: () => Codec }).embedded;
    if (embedded) codec = embedded();
    // `aligned(n)` holds against `packed`, which leaves exactly n, but not against `#pragma pack`. `exact` is a
    // typedef's aligned(n): the type's own alignment becomes n, raised or lowered, and is then capped by
    // `packed` and `#pragma pack` like any type's (GCC: a packed struct places a typedef's aligned(8) at 1).
    const align = kind === "aligned"
      ? exact ? Math.min(extra, cap) : Math.min(packed ? extra : Math.max(codec.align, extra), packCap)
      : Math.min(codec.align, cap);
    at.maxAlign = Math.max(at.maxAlign, align);
    const offset = union ? 0 : roundUp(Math.ceil(at.bit / 8), Math.max(align, at.nextAlign));
    at.nextAlign = 1;
    if (flex) {
      if (flex.count !== undefined) {
        const countType = scalars.get(flex.count);
        if (
          !countType || countType.native === "f32" || countType.native === "f64" ||
          countType.native === "pointer" || countType.native === "bool"
        ) {
          throw new TypeError(
            `Cannot lay out "${name}": the count of flexible array "${field}" must be an integer field declared before it, got "${flex.count}"`,
          );
        }
      }
      flexible = true;
    } else if ((type as Scalar).kind === "scalar") {
      scalars.set(field, type as Scalar);
    }
    placements.push({
      kind: "field",
      name: field,
      offset,
      type,
      codec,
      flexible: flex ? { count: flex.count } : undefined,
    });
    // `sizeof` counts one element of `[ANY_SIZE]` (the SDK's 1) and none of `[]`.
    const fieldSize = flex ? flex.declaredLength * codec.size : codec.size;
    infos.push(Object.freeze({ name: field, offset, size: fieldSize, align, type: spec as FieldSpec }));
    if (union) end = Math.max(end, codec.size);
    else at.bit = (offset + fieldSize) * 8;
  }
  rules.close(at);
  const align = Math.max(at.maxAlign, minAlign);
  const size = roundUp(union ? end : Math.ceil(at.bit / 8), align);
  return { size, align, flexible, placements, infos, maxRows };
}

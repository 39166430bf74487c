/**
 * Making a column: its plan per layout and field (worked out once), the choice of class, and the compiled
 * column classes of layouts whose accessors are generated.
 *
 * @module
 */
import { compile } from "./_codegen.ts";
import { type AnyTyped, type Column, DataViewColumn, TypedColumn, type TypedCtor } from "./_column.ts";
import type { Codec } from "./_codec.ts";
import { engineHints } from "./_engine_hints.ts";
import { MACHINE_TYPES } from "./_machine_types.ts";
import { hostLittleEndian, isLittle, readSource, scalarCodec } from "./_scalar_codec.ts";
import type { RowCodec } from "./array_view.ts";
import { type NativeType, type Scalar, scalar } from "./scalars.ts";
import { readsNumber } from "./as_number.ts";

export function notScalar(field: string, arrayName: string): TypeError {
  return new TypeError(
    `Cannot make a column of "${field}" over "${arrayName}": it is not a numeric scalar field`,
  );
}

type TypedColumnClass = new (...args: ConstructorParameters<typeof TypedColumn>) => Column<NativeType>;
type DataViewColumnClass = new (...args: ConstructorParameters<typeof DataViewColumn>) => Column<NativeType>;

/** What making a column of one field of one layout needs, worked out once (`columnPlan`). */
export interface ColumnPlan {
  readonly type: Scalar;
  /** The field's offset in a row. */
  readonly offset: number;
  readonly codec: Codec;
  readonly ctor: TypedCtor;
  /** In host byte order and not `bool`: readable through a typed array when aligned. */
  readonly typed: boolean;
  /** Whether the layout's accessors are generated, and so its columns' classes: the layout's choice. */
  readonly compiled: boolean;
  /**
   * Whether its compiled typed columns test `i` itself where they can, rather than use the probe: the engine
   * hint (`_engine_hints.ts`) when the plan was made.
   */
  readonly tested: boolean;
  /** The compiled typed column that tests `i` itself (JavaScriptCore, see `typedColumnClass`). */
  Tested?: TypedColumnClass;
  /** The compiled typed column that checks `i` with the probe. */
  Probed?: TypedColumnClass;
  Viewed?: DataViewColumnClass;
}

// The plan kept per layout and field, and the array's probe shared: bench/probes/column_make_check.ts
export function columnPlan(codec: RowCodec, field: string, arrayName: string): ColumnPlan {
  const plans = codec.columns ??= new Map();
  let plan = plans.get(field);
  if (plan === undefined) {
    const member = codec.scalarMember?.(field);
    if (!member || member.type.native === "pointer") throw notScalar(field, arrayName);
    // A column reads its machine type, as its typed array does: `asNumber` is for the fields' reads.
    const type = readsNumber(member.type)
      ? scalar(member.type.name, member.type.native, member.type.endian)
      : member.type;
    const native = type.native as Exclude<NativeType, "pointer">;
    plan = {
      type,
      offset: member.offset,
      codec: scalarCodec(type),
      ctor: MACHINE_TYPES[native].typedArray as TypedCtor,
      typed: isLittle(type) === hostLittleEndian && native !== "bool",
      compiled: codec.readAll !== undefined,
      tested: codec.readAll !== undefined && engineHints().integerTestIsFree,
    };
    plans.set(field, plan);
  }
  return plan;
}

/**
 * The typed array of a column of no rows: its own, as the field's offset may lie past the buffer's end (no rows
 * at the very end of the bytes), where the engine refuses even an empty typed array.
 */
function emptyArray(plan: ColumnPlan): AnyTyped {
  return new plan.ctor(new ArrayBuffer(0));
}

/** Column factory, used by `ArrayView.column`: `rows` is the rows' own DataView, starting at the first. */
export function makeColumn(
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
    if (plan.tested) {
      return testedColumn(plan, field, rows, length, stride, probe, step, absolute, base);
    }
    // Bounds were checked when the array was made: the last row's field ends inside the buffer.
    const array = length === 0
      ? emptyArray(plan)
      : new plan.ctor(rows.buffer, absolute, (length - 1) * step + 1);
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
  const array = length === 0 ? emptyArray(plan) : new plan.ctor(rows.buffer, absolute, elements);
  const Typed = elements * size === extent
    ? (plan.Tested ??= typedColumnClass(step, true))
    : (plan.Probed ??= typedColumnClass(step, false));
  return new Typed(array, step, length, field, plan.codec, rows, base, stride, probe);
}

// Columns of struct rows, compiled per layout and field like cursors: bench/probes/column_per_field.ts
// How a compiled typed column checks an index, per engine (`ColumnPlan.tested`): bench/probes/column_index_check.ts

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

/**
 * What every field type knows how to do at a byte offset of a `DataView` (its `Codec`), and how to find the
 * codec of a field type.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import { scalarCodec } from "./_scalar_codec.ts";
import type { Scalar } from "./scalars.ts";

/** Where a struct, union or array type keeps its codec. */
export const CODEC: unique symbol = Symbol("codec");

/** The codec of any field type. */
export function codecOf(type: unknown): Codec {
  if (typeof type === "object" && type !== null) {
    const composite = (type as { [CODEC]?: Codec })[CODEC];
    if (composite) return composite;
    if ((type as Scalar).kind === "scalar") return scalarCodec(type as Scalar);
  }
  throw new TypeError(
    `Cannot use ${describe(type)} as a field type: expected a scalar, array, struct or union`,
  );
}

/**
 * The builds still pending, by struct or union type and by its codec: a layout places its members when declared (so a bad
 * declaration fails there) and builds its accessors on first use (`_composite.ts`).
 */
export const PENDING: WeakMap<object, () => void> = new WeakMap();

/**
 * Builds the accessors of `type`, or of the layout its (nested) arrays hold, if not built yet: done before a
 * codec's functions are kept by something that outlives the call (an outer layout, a call's converter).
 */
export function prepare(type: unknown): void {
  let t = type as { kind?: string; element?: unknown } | null;
  while (typeof t === "object" && t !== null && (t.kind === "array" || t.kind === "flexible")) {
    t = t.element as typeof t;
  }
  if (typeof t === "object" && t !== null) PENDING.get(t)?.();
}

/** `codecOf`, with the accessors of the layout built first (see `prepare`). */
export function preparedCodecOf(type: unknown): Codec {
  prepare(type);
  return codecOf(type);
}

/** What every layout knows how to do at a byte offset of a `DataView`, with bounds already checked. */
export interface Codec {
  readonly size: number;
  readonly align: number;
  /** Copies the value out. */
  readAt(dv: DataView, offset: number): unknown;
  /** Writes a value, checking its shape and range; `path` names it in errors. */
  writeAt(dv: DataView, offset: number, value: unknown, path: string): void;
  /** For composite layouts: an in-place view. Absent for scalars. */
  viewAt?(dv: DataView, offset: number): unknown;
  /** For struct layouts: moves a view made by `viewAt` to another offset (used by cursors). */
  moveView?(view: unknown, offset: number): void;
}

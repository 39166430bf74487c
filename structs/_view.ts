/**
 * Views: what every struct and union view shares. Each layout makes its own view class (`_accessors_plain.ts`,
 * `_accessors_generated.ts`) whose prototype is linked to `StructView`'s; this file holds that base, how a
 * view finds its layout's internals (`VIEW_CLASS`, `INTERNALS`), and how a view prints.
 *
 * @module
 */
import { isDetached } from "./_bytes.ts";
import { describe } from "./_checks.ts";
import { withAddresses } from "./_printing.ts";

/** What printing and `toJSON` need of a view, by its layout's view prototype (set by `CompositeLayout`). */
export interface ViewInternals {
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
 * In the class body and a static property, not added to the prototype later: bench/probes/view_escape.ts
 */
export const VIEW_CLASS: unique symbol = Symbol("view class");
export const INTERNALS: unique symbol = Symbol("internals");

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
export function bytesGone(dv: DataView, end: number): string | undefined {
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
  return print(withAddresses(copy));
}

/**
 * Every view's prototype chain ends here: it prints as a plain copy of its fields. No state and no private
 * members, so views stay eligible for escape analysis: bench/probes/view_escape.ts
 *
 * View classes do not extend it; each links its prototype to this one's: bench/probes/linked_prototype.ts
 */
export class StructView {
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

export interface ViewClass {
  new (dv: DataView, offset: number): object;
  move(view: object, offset: number): void;
  locate(view: object): [DataView, number];
}

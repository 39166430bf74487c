/**
 * Printing: what `console.log` shows of an array, a column or a cursor (Deno's and Node's inspection, which
 * Bun follows): a label, then up to 99 elements.
 *
 * @module
 */
import { rowsGone } from "./_probe.ts";

/**
 * How many elements `console.log` shows of an array or a column: with the line that says how many more,
 * the 100 items Deno and Node show of a plain array.
 */
const PREVIEW = 99;

/** What an inspected array, column or cursor shows: a label, then a value inspected as usual. */
export interface Shown {
  label: string;
  value?: unknown;
}

/** Prints as the text given, inside an inspected value. */
function text(words: string): object {
  return {
    [Symbol.for("Deno.customInspect")]: () => words,
    [Symbol.for("nodejs.util.inspect.custom")]: () => words,
  };
}

/** Up to `PREVIEW` elements read with `read`, then how many more there are; nothing when the buffer is gone. */
export function preview(
  length: number,
  probe: Uint8Array,
  read: (i: number) => unknown,
): unknown[] | undefined {
  if (rowsGone(probe, length)) return undefined;
  const items: unknown[] = [];
  for (let i = 0; i < Math.min(length, PREVIEW); i++) items.push(read(i));
  if (length > PREVIEW) items.push(text(`... ${length - PREVIEW} more`));
  return items;
}

type InspectFn = (value: unknown, options: unknown) => string;

/** Makes `console.log` (Deno's and Node's inspection, which Bun follows) show `describe(this)`. */
export function showAs<T extends object>(target: { prototype: T }, describe: (self: T) => Shown): void {
  const render = (self: T, inspect: InspectFn, options: unknown): string => {
    const { label, value } = describe(self);
    return value === undefined ? label : `${label} ${inspect(value, options)}`;
  };
  Object.defineProperties(target.prototype, {
    [Symbol.for("Deno.customInspect")]: {
      value(this: T, inspect: InspectFn, options: unknown) {
        return render(this, inspect, options);
      },
    },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value(this: T, _depth: number, options: unknown, inspect: InspectFn) {
        return render(this, inspect, options);
      },
    },
  });
}

export const GONE = "(its buffer is detached or shorter than the rows now)";

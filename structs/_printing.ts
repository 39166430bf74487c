/**
 * Printing: what `console.log` shows of an array, a column or a cursor (Deno's and Node's inspection, which
 * Bun follows): a label, then up to 99 elements.
 *
 * @module
 */
import { rowsGone } from "./_probe.ts";
import { pointerCodec } from "./scalars.ts";

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
  for (let i = 0; i < Math.min(length, PREVIEW); i++) items.push(withAddresses(read(i)));
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

/**
 * `value` with every pointer in it (in plain objects and arrays, as `read()` copies them) replaced by its
 * address as text, as `formatPointer` writes it: Deno's pointers would print as `[Object: null prototype] {}`.
 * Printing only: reads and views hand out the pointers themselves.
 */
export function withAddresses(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  const codec = pointerCodec();
  if (codec.isPointer?.(value)) return text(address(value));
  // Deeper than any struct nests in practice; and a cycle is not possible in a copy, but costs nothing to stop.
  if (depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => withAddresses(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withAddresses(item, depth + 1);
  return copy;
}

function address(pointer: object): string {
  try {
    return `0x${pointerCodec().toAddress(pointer as never).toString(16)}`;
  } catch (error) {
    // A pointer the toolkit revoked (its memory freed): its address means nothing now.
    if ((error as Error).name === "ClosedError") return "(revoked pointer)";
    throw error;
  }
}

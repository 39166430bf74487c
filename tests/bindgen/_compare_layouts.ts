/**
 * Compares two layouts field by field: size, alignment, and each field's name, offset, size, bit position and
 * type, recursively. An `aligned()` wrapper is compared by its placement (the offsets), not by its form.
 *
 * @module
 */

interface Info {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly type: unknown;
  readonly bitOffset?: number;
  readonly bitWidth?: number;
}

interface Layout {
  readonly kind: string;
  readonly size?: number;
  readonly align?: number;
  readonly fields?: readonly Info[];
  readonly type?: unknown;
  readonly element?: unknown;
  readonly length?: number;
  readonly native?: string;
  readonly endian?: string;
  readonly name?: string;
}

/** How to compare. */
export interface CompareOptions {
  /** Compare byte order too (off: a big-endian `u16be` equals a `u16`, as C's `__be16` is one). */
  readonly endian: boolean;
}

/**
 * The differences between two layouts.
 *
 * @param ours One layout.
 * @param theirs The other.
 * @param path The name, for the messages.
 * @param options Whether byte order counts.
 * @returns One line per difference; empty when they agree.
 */
export function compareLayouts(
  ours: unknown,
  theirs: unknown,
  path: string,
  options: CompareOptions,
): string[] {
  const out: string[] = [];
  walk(ours as Layout, theirs as Layout, path, options, out);
  return out;
}

function unwrap(t: Layout): Layout {
  return t.kind === "aligned" ? unwrap(t.type as Layout) : t;
}

function walk(a: Layout, b: Layout, path: string, options: CompareOptions, out: string[]): void {
  a = unwrap(a);
  b = unwrap(b);
  if (a.kind !== b.kind) return void out.push(`${path}: ${a.kind} against ${b.kind}`);
  switch (a.kind) {
    case "scalar":
      if (a.native !== b.native) out.push(`${path}: ${a.native} against ${b.native}`);
      if (options.endian && (a.endian ?? "native") !== (b.endian ?? "native")) {
        out.push(`${path}: ${a.endian} against ${b.endian} byte order`);
      }
      return;
    case "array":
      if (a.length !== b.length) out.push(`${path}: length ${a.length} against ${b.length}`);
      return walk(a.element as Layout, b.element as Layout, `${path}[]`, options, out);
    case "flexible":
      return walk(a.element as Layout, b.element as Layout, `${path}[]`, options, out);
    case "struct":
    case "union": {
      if (a.size !== b.size) out.push(`${path}: size ${a.size} against ${b.size}`);
      if (a.align !== b.align) out.push(`${path}: align ${a.align} against ${b.align}`);
      const fa = a.fields ?? [], fb = b.fields ?? [];
      if (fa.length !== fb.length) out.push(`${path}: ${fa.length} fields against ${fb.length}`);
      for (let i = 0; i < Math.min(fa.length, fb.length); i++) {
        const x = fa[i]!, y = fb[i]!;
        const at = `${path}.${x.name}`;
        if (x.name !== y.name) out.push(`${at}: named ${y.name} in the other`);
        if (x.offset !== y.offset) out.push(`${at}: offset ${x.offset} against ${y.offset}`);
        if (x.size !== y.size) out.push(`${at}: size ${x.size} against ${y.size}`);
        if (x.bitOffset !== y.bitOffset || x.bitWidth !== y.bitWidth) {
          out.push(`${at}: bits ${x.bitOffset}+${x.bitWidth} against ${y.bitOffset}+${y.bitWidth}`);
        }
        const tx = x.type as Layout, ty = y.type as Layout;
        if (x.bitWidth === undefined) walk(tx, ty, at, options, out);
      }
      return;
    }
  }
}

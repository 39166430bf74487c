/**
 * Checks layouts that `cdef` read against the compiler: one generated C program prints `sizeof`, `_Alignof`,
 * every member's `offsetof` and every named bitfield's bit position and width (set to all ones in zeroed
 * bytes and found again), and the numbers are compared with the layouts' own.
 *
 * @module
 */
import { runC } from "../harness.ts";
import { ANONYMOUS_PREFIX } from "../../cdef/layouts.ts";
import type { FieldInfo, FieldSpec } from "../../structs/mod.ts";

interface Composite {
  kind: "struct" | "union";
  size: number;
  align: number;
  fields: readonly FieldInfo[];
}

/** One member to check: its C path, and where our layout puts it. */
interface Member {
  path: string;
  offset: number;
  bitOffset: number | undefined;
  bitWidth: number | undefined;
}

/** The outcome: per type, agreement or the first disagreement. */
export interface LayoutCheck {
  /** Types compared. */
  checked: number;
  /** Types whose size, alignment and every member agree. */
  agreements: number;
  /** Members (and bitfields) compared. */
  members: number;
  /** What disagreed: type, what, ours, the compiler's. */
  disagreements: string[];
}

function composite(spec: unknown): Composite | undefined {
  let t = spec as { kind?: string; type?: unknown };
  if (t?.kind === "aligned") t = t.type as typeof t;
  return t?.kind === "struct" || t?.kind === "union" ? t as unknown as Composite : undefined;
}

// A typedef's `aligned(n)` raises the alignment its name has in C: `aligned(struct, n)` in `types`.
function alignOfSpec(spec: unknown, type: Composite): number {
  const t = spec as { kind?: string; align?: number };
  return t.kind === "aligned" ? Math.max(t.align!, type.align) : type.align;
}

// Members in C's terms: an anonymous member's members are reached directly, as C does.
function membersOf(type: Composite, prefix: string, base: number, out: Member[]): void {
  for (const field of type.fields) {
    const anonymous = field.name.startsWith(ANONYMOUS_PREFIX);
    const path = anonymous ? prefix : `${prefix}${field.name}`;
    if (!anonymous) {
      out.push({
        path,
        offset: base + field.offset,
        bitOffset: field.bitWidth === undefined ? undefined : base * 8 + field.bitOffset!,
        bitWidth: field.bitWidth,
      });
    }
    const inner = composite(field.type);
    if (inner && field.bitWidth === undefined) {
      membersOf(inner, anonymous ? prefix : `${path}.`, base + field.offset, out);
    }
  }
}

/**
 * Compares every struct and union of `types` with what `cc` says, with `prelude` (the headers) included.
 *
 * @param prelude C text that declares the types: preprocessed, so that no macro renames a member.
 * @param types What `cdef` returned as `types`.
 * @returns The counts and the disagreements.
 */
export function checkLayouts(prelude: string, types: Readonly<Record<string, FieldSpec>>): LayoutCheck {
  const seen = new Set<unknown>();
  const entries: { name: string; type: Composite; align: number; members: Member[] }[] = [];
  for (const name of Object.keys(types)) {
    const spec = types[name];
    const type = composite(spec);
    if (!type || seen.has(spec)) continue;
    seen.add(spec);
    const members: Member[] = [];
    membersOf(type, "", 0, members);
    entries.push({ name, type, align: alignOfSpec(spec, type), members });
  }
  const functions: string[] = [];
  entries.forEach(({ name, members }, index) => {
    const lines = [
      `static void t${index}(void) {`,
      `  __builtin_printf("T %zu %zu\\n", sizeof(${name}), _Alignof(${name}));`,
    ];
    for (const m of members) {
      lines.push(
        m.bitWidth === undefined
          ? `  __builtin_printf("F %zu\\n", __builtin_offsetof(${name}, ${m.path}));`
          : `  { ${name} v; __builtin_memset(&v, 0, sizeof v); v.${m.path} = -1; bits(&v, sizeof v); }`,
      );
    }
    lines.push("}");
    functions.push(lines.join("\n"));
  });
  // Builtins only: the prelude may be preprocessed text, whose macros no longer hide member names.
  const source = `${prelude}
static void bits(const void *p, unsigned long n) {
  const unsigned char *b = p; long first = -1, count = 0;
  for (unsigned long i = 0; i < n * 8; i++) if (b[i / 8] >> (i % 8) & 1) { if (first < 0) first = (long)i; count++; }
  __builtin_printf("B %ld %ld\\n", first, count);
}
${functions.join("\n")}
int main(void) {
${entries.map((_, i) => `  t${i}();`).join("\n")}
  return 0;
}
`;
  const out = runC(source, ["-O0", "-w"]).split("\n");
  let line = 0;
  const result: LayoutCheck = { checked: entries.length, agreements: 0, members: 0, disagreements: [] };
  for (const { name, type, align: ours, members } of entries) {
    const before = result.disagreements.length;
    const [, size, align] = out[line++]!.split(" ").map(Number);
    if (size !== type.size) result.disagreements.push(`${name}: sizeof ${type.size}, cc ${size}`);
    if (align !== ours) result.disagreements.push(`${name}: _Alignof ${ours}, cc ${align}`);
    for (const m of members) {
      result.members++;
      const values = out[line++]!.split(" ").map(Number);
      if (m.bitWidth === undefined) {
        if (values[1] !== m.offset) {
          result.disagreements.push(`${name}.${m.path}: offset ${m.offset}, cc ${values[1]}`);
        }
      } else if (values[1] !== m.bitOffset || values[2] !== m.bitWidth) {
        result.disagreements.push(
          `${name}.${m.path}: bit ${m.bitOffset} width ${m.bitWidth}, cc bit ${values[1]} width ${values[2]}`,
        );
      }
    }
    if (result.disagreements.length === before) result.agreements++;
  }
  return result;
}

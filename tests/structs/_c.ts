/**
 * Test helpers that ask the C compiler: the layout `cc` gives a type (size, alignment, field offsets), the
 * bytes a C program writes into a struct, and the values a C program reads back from our bytes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runC } from "../harness.ts";
import { alignOf, type FieldInfo, fieldsOf, type FieldType, type Scalar, sizeOf } from "../../structs/mod.ts";

/** The layout `cc` gives one C type. */
export interface CLayout {
  size: number;
  align: number;
  offsets: Map<string, number>;
}

/**
 * Compiles one program printing `sizeof`, `_Alignof` and `offsetof` of every listed field path of every type.
 *
 * @param prelude Includes and declarations.
 * @param types C type name to field paths (e.g. `"id.idiag_sport"`).
 */
export function cLayouts(prelude: string, types: Record<string, string[]>): Map<string, CLayout> {
  const lines: string[] = [];
  for (const [type, paths] of Object.entries(types)) {
    lines.push(`printf("T|%s|%zu|%zu\\n", ${JSON.stringify(type)}, sizeof(${type}), _Alignof(${type}));`);
    for (const path of paths) {
      lines.push(`printf("F|%s|%zu\\n", ${JSON.stringify(path)}, offsetof(${type}, ${path}));`);
    }
  }
  const out = runC(
    `${prelude}\n#include <stdio.h>\n#include <stddef.h>\nint main(void) {\n${
      lines.join("\n")
    }\nreturn 0;\n}\n`,
  );
  const result = new Map<string, CLayout>();
  let current: CLayout | undefined;
  for (const line of out.trim().split("\n")) {
    const [tag, name, a, b] = line.split("|");
    if (tag === "T") {
      current = { size: Number(a), align: Number(b), offsets: new Map() };
      result.set(name!, current);
    } else current!.offsets.set(name!, Number(a));
  }
  return result;
}

/** Every non-bitfield field path of a layout with its offset, recursing into nested structs and unions. */
export function fieldPaths(
  type: { fields: readonly FieldInfo[] },
  prefix = "",
  base = 0,
): [string, number][] {
  const out: [string, number][] = [];
  for (const field of fieldsOf(type as never)) {
    if (field.bitWidth !== undefined) continue;
    const path = prefix + field.name;
    out.push([path, base + field.offset]);
    let inner = field.type as unknown as { kind: string; type?: unknown; fields?: readonly FieldInfo[] };
    if (inner.kind === "aligned") inner = inner.type as typeof inner;
    if (inner.kind === "struct" || inner.kind === "union") {
      out.push(...fieldPaths(inner as never, `${path}.`, base + field.offset));
    }
  }
  return out;
}

/**
 * Asserts that our layout agrees with `cc` on size, alignment and every field offset (nested ones included).
 *
 * @param type Our layout.
 * @param c What `cLayouts` returned for the C type.
 */
export function assertSameLayout(
  type: FieldType & { fields: readonly FieldInfo[]; name: string },
  c: CLayout | undefined,
): void {
  assert.ok(c, `cc gave no layout for ${type.name}`);
  assert.equal(sizeOf(type), c.size, `sizeof(${type.name})`);
  assert.equal(alignOf(type), c.align, `_Alignof(${type.name})`);
  const ours = fieldPaths(type);
  for (const [path, offset] of ours) {
    assert.equal(offset, c.offsets.get(path), `offsetof(${type.name}, ${path})`);
  }
  assert.equal(ours.length, c.offsets.size, `field count of ${type.name}`);
}

/** The C expression listing every non-bitfield path of a layout, for `cLayouts`. */
export function pathsOf(type: { fields: readonly FieldInfo[] }): string[] {
  return fieldPaths(type).map(([path]) => path);
}

/**
 * Runs C code that fills `x` (a zeroed `type`) and returns its bytes.
 *
 * @param prelude Includes and declarations.
 * @param type The C type.
 * @param fill Statements assigning to `x`.
 * @param size A C expression for the number of bytes to return; default `sizeof(type)`.
 */
export function cBytes(prelude: string, type: string, fill: string, size = `sizeof(${type})`): Uint8Array {
  const out = runC(`${prelude}
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static _Alignas(16) unsigned char raw[(${size}) + 64];
int main(void) {
  ${type} *px = (${type} *)raw;
#define x (*px)
  ${fill}
  for (size_t i = 0; i < (${size}); i++) printf("%02x", raw[i]);
  return 0;
}
`);
  return Uint8Array.from(out.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** How C prints an expression: as an unsigned or signed 64-bit integer, a double or a string. */
export type CFormat = "u" | "i" | "f" | "s";

/**
 * Copies `bytes` into a C `type` named `x` and prints the given expressions, one per line.
 *
 * @returns The printed values, in order.
 */
export function cValues(
  prelude: string,
  type: string,
  bytes: Uint8Array,
  exprs: [string, CFormat][],
): string[] {
  const formats = {
    u: ['"%llu\\n"', "(unsigned long long)"],
    i: ['"%lld\\n"', "(long long)"],
    f: ['"%.17g\\n"', "(double)"],
    s: ['"%s\\n"', ""],
  };
  const prints = exprs.map(([e, f]) => `printf(${formats[f][0]}, ${formats[f][1]}(${e}));`).join("\n  ");
  const out = runC(`${prelude}
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static const unsigned char b[] = { ${bytes.length ? Array.from(bytes).join(", ") : "0"} };
static _Alignas(16) unsigned char raw[sizeof b + sizeof(${type}) + 64];
int main(void) {
  memcpy(raw, b, sizeof b);
  ${type} *px = (${type} *)raw;
#define x (*px)
  ${prints}
  return 0;
}
`);
  return out.split("\n").slice(0, exprs.length);
}

/** One leaf of a layout: a scalar or a string, with the C expression that reaches it from `x`. */
export interface Leaf {
  /** E.g. `"id.idiag_src[2]"`. */
  path: string;
  /** Property keys and indexes from the top-level value to the leaf. */
  keys: (string | number)[];
  scalar?: Scalar;
  /** For `char` arrays read as strings: the array length. */
  string?: number;
}

/** Every scalar and string leaf of a struct (through nested structs and arrays; not through unions or bitfields). */
export function leavesOf(type: { fields: readonly FieldInfo[] }): Leaf[] {
  const out: Leaf[] = [];
  const visit = (spec: unknown, path: string, keys: (string | number)[]): void => {
    const t = spec as { kind: string; [k: string]: unknown };
    if (t.kind === "aligned") return visit(t.type, path, keys);
    if (t.kind === "scalar") out.push({ path, keys, scalar: t as unknown as Scalar });
    else if (t.kind === "array") {
      if (t.string) out.push({ path, keys, string: t.length as number });
      else for (let i = 0; i < (t.length as number); i++) visit(t.element, `${path}[${i}]`, [...keys, i]);
    } else if (t.kind === "struct") {
      for (const f of (t.fields as FieldInfo[])) visit(f.type, `${path}.${f.name}`, [...keys, f.name]);
    } else throw new TypeError(`leavesOf: unsupported ${t.kind} at ${path}`);
  };
  for (const f of type.fields) visit(f.type, f.name, [f.name]);
  return out;
}

/** A distinct, in-range test value for leaf number `k`. */
export function sampleValue(leaf: Leaf, k: number): unknown {
  if (leaf.string !== undefined) return `s${k}`.slice(0, leaf.string - 1);
  const t = leaf.scalar!;
  const signed = t.native.startsWith("i");
  switch (t.size) {
    case 1:
      if (t.native === "bool") return k % 2 === 1;
      return signed ? -((k * 7) % 100) - 1 : (k * 7) % 200 + 1;
    case 2:
      return signed ? -(1000 + k * 13) : 1000 + k * 13;
    case 4:
      if (t.native === "f32") return k + 0.5;
      return signed ? -(100000 + k * 101) : 3000000000 + k * 101;
    default:
      if (t.native === "f64") return k + 0.25;
      if (t.native === "pointer") return BigInt(0x1000 + k);
      return signed ? -(2n ** 40n + BigInt(k) * 12345n) : 2n ** 63n + BigInt(k) * 12345n;
  }
}

/** The C statement storing `value` at a leaf, converting to network order for big-endian scalars. */
export function cStore(leaf: Leaf, value: unknown): string {
  if (leaf.string !== undefined) return `strcpy(x.${leaf.path}, ${JSON.stringify(value)});`;
  const t = leaf.scalar!;
  let literal = typeof value === "bigint"
    ? `${value}${t.native.startsWith("i") ? "LL" : "ULL"}`
    : String(value);
  if (typeof value === "boolean") literal = value ? "1" : "0";
  if (typeof value === "bigint" && value === -(2n ** 63n)) literal = "(-9223372036854775807LL - 1)";
  if (t.native === "pointer") return `x.${leaf.path} = (void *)${literal};`;
  if (t.endian === "big") literal = `${{ 2: "htons", 4: "htonl", 8: "htobe64" }[t.size]}(${literal})`;
  return `x.${leaf.path} = ${literal};`;
}

/** The C expression and print format that reads a leaf back in host order. */
export function cLoad(leaf: Leaf): [string, CFormat] {
  if (leaf.string !== undefined) return [`x.${leaf.path}`, "s"];
  const t = leaf.scalar!;
  const expr = t.endian === "big"
    ? `${{ 2: "ntohs", 4: "ntohl", 8: "be64toh" }[t.size]}(x.${leaf.path})`
    : `x.${leaf.path}`;
  if (t.native === "f32" || t.native === "f64") return [expr, "f"];
  if (t.native === "pointer") return [`(uintptr_t)${expr}`, "u"];
  return [expr, t.native.startsWith("i") ? "i" : "u"];
}

/** Reads a leaf out of a plain value by its keys. */
export function at(value: unknown, keys: (string | number)[]): unknown {
  let v = value;
  for (const key of keys) v = (v as Record<string | number, unknown>)[key];
  return v;
}

/**
 * C types to the toolkit's layout and field types (`structs/`): scalars, `array`, `struct`, `union`, `bits`,
 * `padding`, `aligned`. What the layout engine cannot express yet is a `NotExpressible` with the reason.
 *
 * @module
 */
import { aligned } from "../structs/aligned.ts";
import { i128, u128 } from "../structs/int128.ts";
import { array, FLEXIBLE } from "../structs/array.ts";
import { type BitFieldStorage, bits, padding } from "../structs/bits.ts";
import * as scalars from "../structs/scalars.ts";
import { struct, union } from "../structs/struct.ts";
import type { Fields, FieldSpec, FieldType, FlexibleArray } from "../structs/types.ts";
import type { CRecord, CType } from "./declarations.ts";

/**
 * A C type that the layout engine cannot express yet, and why. Not an `Error`: it is thrown and caught inside
 * `cdef` (a thousand times over libc's headers), where a stack trace costs and tells nothing.
 */
export class NotExpressible {
  /** The reason, e.g. `a vector of 32 bytes, wider than 16`. */
  readonly reason: string;
  /** The reason, as an error's `message`. */
  readonly message: string;
  constructor(reason: string) {
    this.reason = reason;
    this.message = reason;
  }
}

/** How anonymous struct and union members are keyed: C reaches their members directly. */
export const ANONYMOUS_PREFIX = "$anonymous";
/** How unnamed bitfields are keyed. */
const UNNAMED_PREFIX = "$unnamed";

// By size in bytes: a lookup per integer type with no key string to build (bench/probes/cdef_parse.ts).
const SIGNED: scalars.Scalar[] = [], UNSIGNED: scalars.Scalar[] = [];
SIGNED[1] = scalars.i8, SIGNED[2] = scalars.i16, SIGNED[4] = scalars.i32, SIGNED[8] = scalars.i64;
UNSIGNED[1] = scalars.u8, UNSIGNED[2] = scalars.u16, UNSIGNED[4] = scalars.u32, UNSIGNED[8] = scalars.u64;
function integerScalar(size: number, signed: boolean): scalars.Scalar {
  return (signed ? SIGNED : UNSIGNED)[size]!;
}

/** Maps C types to layouts, each record once. */
export class LayoutMapper {
  readonly #records = new Map<CRecord, FieldType | NotExpressible>();
  readonly #names = new Map<CRecord, string>();
  // 16-byte floats (long double, _Float128) as aligned bytes, one type each; __int128 is `i128`.
  readonly #wide = struct({ bytes: array(scalars.u8, 16) }, { align: 16, name: "int128" });

  /** Names an anonymous record (after the typedef that names it) for errors and introspection. */
  name(record: CRecord, name: string): void {
    if (!this.#names.has(record)) this.#names.set(record, name);
  }

  /**
   * The field specification of a C type: what a struct member of that type is, and what `c.types` holds.
   *
   * @throws {NotExpressible} When the layout engine cannot express it yet.
   */
  field(type: CType): FieldSpec {
    switch (type.kind) {
      case "int":
        if (type.bool) return scalars.bool;
        if (type.size === 16) return type.signed ? i128 : u128;
        if (type.plainChar) return scalars.char;
        return integerScalar(type.size, type.signed);
      case "float":
        if (type.size === 4) return scalars.f32;
        if (type.size === 8) return scalars.f64;
        if (type.size === 2) return scalars.u16;
        return aligned(array(scalars.u8, 16), 16);
      case "pointer":
        return scalars.pointer;
      case "enum":
        return type.base === undefined ? scalars.u32 : this.field(type.base);
      case "array": {
        const element = this.element(type.of);
        if (type.length === undefined) return array(element, FLEXIBLE);
        const of = unwrapped(type.of);
        if (of.kind === "int" && of.plainChar) {
          return array(element as scalars.Scalar<"i8">, type.length, { string: true });
        }
        try {
          return array(element, type.length);
        } catch (error) {
          throw new NotExpressible(
            `an array of a type that ends in a flexible array (${(error as Error).message})`,
          );
        }
      }
      case "vector": {
        const of = this.element(type.of);
        return aligned(array(of, type.size / of.size), type.size);
      }
      case "aligned": {
        const inner = this.field(type.type);
        // A typedef's aligned(n), which is where this comes from: the type's alignment becomes n, lowered too,
        // and a packed struct or #pragma pack caps it as any type's.
        const of = inner.kind === "aligned" ? inner.type : inner as FieldType;
        return aligned(of, type.align, { exact: true });
      }
      case "record":
        return this.record(type);
      case "void":
        throw new NotExpressible("void has no layout");
      case "function":
        throw new NotExpressible("a function type has no layout");
    }
  }

  /** A type usable as an array element or a by-value parameter: an aligned field becomes a struct around it. */
  element(type: CType): FieldType {
    const spec = this.field(type);
    if (spec.kind === "aligned") {
      if (
        this.alignOf(type) === 16 && spec.type.size === 16 && (type.kind === "int" || type.kind === "float")
      ) {
        return this.#wide;
      }
      const of = spec.type as FieldType;
      // A lowered alignment (a typedef's aligned(n) below the type's own) is a struct packed to n.
      if (spec.align < of.align) return struct({ value: of }, { pack: spec.align, name: describe(type) });
      return struct({ value: of }, { align: spec.align, name: describe(type) });
    }
    if (spec.kind === "flexible" || spec.kind === "bits") throw new NotExpressible("not an element type");
    return spec as FieldType;
  }

  /**
   * Why the layout engine cannot express a type, or undefined when it can: the same refusals as `field`, read
   * from the C model without building layouts (building them all costs far more than the parse), so that
   * `cdef` can hand out layouts built on first use.
   */
  check(type: CType): string | undefined {
    switch (type.kind) {
      case "array":
        return this.check(type.of);
      case "vector":
        // Without AVX, GCC places a 32- or 64-byte vector at its size yet gives its alignment as 16.
        if (type.size > 16) return `a vector of ${type.size} bytes, wider than 16`;
        return this.check(type.of);
      case "aligned":
        return this.check(type.type);
      case "record":
        return this.#checkRecord(type);
      case "void":
        return "void has no layout";
      case "function":
        return "a function type has no layout";
    }
    return undefined;
  }

  readonly #checked = new Map<CRecord, string | undefined>();

  #checkRecord(record: CRecord): string | undefined {
    if (this.#checked.has(record)) return this.#checked.get(record);
    this.#checked.set(record, undefined); // A record cannot hold itself; pointers to it are not followed.
    const reason = this.#recordReason(record);
    this.#checked.set(record, reason);
    return reason;
  }

  #recordReason(record: CRecord): string | undefined {
    const members = record.members;
    if (members === undefined) return "declared but never defined";
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      const type = unwrapped(member.type);
      if (member.bits !== undefined) {
        if (member.align !== undefined) return "an aligned bitfield";
        const base = type.kind === "enum" ? type.base : type;
        if (base !== undefined && (base.kind !== "int" || base.size > 8)) {
          return `a bitfield of ${describe(type)}`;
        }
        continue;
      }
      if (type.kind === "array" && type.length === undefined) {
        if (record.union) return "a flexible array in a union";
        if (i !== members.length - 1) return "a flexible array that is not the last member";
        const reason = this.check(type.of);
        if (reason !== undefined) return reason;
        continue;
      }
      const reason = this.check(member.type);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** The struct or union type of a complete record. */
  record(record: CRecord): FieldType {
    let done = this.#records.get(record);
    if (done === undefined) {
      done = this.#build(record);
      this.#records.set(record, done);
    }
    if (done instanceof NotExpressible) throw done;
    return done;
  }

  #build(record: CRecord): FieldType | NotExpressible {
    const members = record.members;
    const kind = record.union ? "union" : "struct";
    const name = record.tag === undefined
      ? (this.#names.get(record) ?? `${kind} <anonymous>`)
      : `${kind} ${record.tag}`;
    if (members === undefined) return new NotExpressible(`${name} is declared but never defined`);
    try {
      const fields: Record<string, FieldSpec | ReturnType<typeof padding>> = {};
      let anonymous = 0;
      members.forEach((member, index) => {
        let key = member.name;
        if (key === undefined) {
          key = member.bits === undefined ? `${ANONYMOUS_PREFIX}${anonymous++}` : `${UNNAMED_PREFIX}${index}`;
        }
        let spec: FieldSpec | ReturnType<typeof padding>;
        if (member.bits !== undefined) {
          const storage = this.#bitStorage(member.type);
          spec = member.name === undefined ? padding(storage, member.bits) : bits(storage, member.bits);
          if (member.align !== undefined) throw new NotExpressible("an aligned bitfield");
        } else {
          spec = this.field(member.type);
          if (spec.kind === "flexible" && record.union) {
            throw new NotExpressible("a flexible array in a union");
          }
          const inner = (spec.kind === "aligned" ? spec.type : spec) as FieldType | FlexibleArray;
          if (member.packed && !record.packed && this.alignOf(member.type) > 1) {
            // A member's own packed: alignment 1, or its own aligned(n) when it has one.
            spec = aligned(inner, member.align ?? 1, { exact: true });
          } else if (member.align !== undefined) {
            spec = aligned(inner, Math.max(member.align, spec.kind === "aligned" ? spec.align : 1));
          }
        }
        fields[key] = spec;
      });
      const options = {
        name,
        packed: record.packed,
        pack: record.pack || undefined,
        align: record.align || undefined,
      };
      const clean = Object.fromEntries(
        Object.entries(options).filter(([, v]) => v !== undefined && v !== false),
      );
      return (record.union ? union(fields as Fields, clean) : struct(fields as Fields, clean)) as FieldType;
    } catch (error) {
      if (error instanceof NotExpressible) return error;
      return new NotExpressible(layoutReason((error as Error).message));
    }
  }

  #bitStorage(type: CType): scalars.Scalar<BitFieldStorage> {
    const t = unwrapped(type);
    if (t.kind === "int" && t.size <= 8) {
      return (t.bool ? scalars.u8 : integerScalar(t.size, t.signed)) as scalars.Scalar<
        BitFieldStorage
      >;
    }
    if (t.kind === "enum") {
      return this.#bitStorage(
        t.base ?? { kind: "int", size: 4, signed: false, plainChar: false, bool: false },
      );
    }
    throw new NotExpressible(`a bitfield of ${describe(type)}`);
  }

  /** `sizeof`. */
  sizeOf(type: CType): number {
    const t = unwrapped(type);
    if (t.kind === "void" || t.kind === "function") return 1;
    const spec = this.field(t);
    if (spec.kind === "flexible") throw new NotExpressible("sizeof an array of unknown length");
    return spec.kind === "aligned" ? spec.type.size : (spec as FieldType).size;
  }

  /** `_Alignof`. */
  alignOf(type: CType): number {
    if (type.kind === "aligned") return type.align;
    const spec = this.field(type);
    if (spec.kind === "aligned") return spec.align;
    if (spec.kind === "flexible") return this.alignOf((type as { of: CType }).of);
    return (spec as FieldType).align;
  }

  /** `offsetof` along a member path (anonymous members searched). */
  offsetOf(type: CType, path: string[]): number {
    let layout = this.field(unwrapped(type)) as {
      fields?: readonly { name: string; offset: number; type: unknown }[];
    };
    let offset = 0;
    for (const name of path) {
      const found = findMember(layout, name);
      if (!found) throw new NotExpressible(`no member "${name}" for offsetof`);
      offset += found.offset;
      layout = found.type as typeof layout;
    }
    return offset;
  }
}

function findMember(
  layout: { fields?: readonly { name: string; offset: number; type: unknown }[] },
  name: string,
): { offset: number; type: unknown } | undefined {
  for (const field of layout.fields ?? []) {
    if (field.name === name) return field;
    if (field.name.startsWith(ANONYMOUS_PREFIX)) {
      let inner = field.type as { kind?: string; type?: unknown; fields?: never };
      if (inner.kind === "aligned") inner = inner.type as typeof inner;
      const found = findMember(inner, name);
      if (found) return { offset: field.offset + found.offset, type: found.type };
    }
  }
  return undefined;
}

function unwrapped(type: CType): CType {
  while (type.kind === "aligned") type = type.type;
  return type;
}

/** The layout engine's refusal, in the terms of what a header holds. */
function layoutReason(message: string): string {
  if (message.includes("flexible array")) return `a flexible array the layout engine refuses: ${message}`;
  return message;
}

/** A short C spelling of a type, for names and reasons. */
export function describe(type: CType): string {
  switch (type.kind) {
    case "int":
      if (type.size === 16) return type.signed ? "__int128" : "unsigned __int128";
      return type.bool ? "_Bool" : `${type.signed ? "" : "unsigned "}${type.size * 8}-bit integer`;
    case "float":
      return type.size === 16 ? "long double (or _Float128)" : `${type.size * 8}-bit float`;
    case "pointer":
      return `${describe(type.to)} *`;
    case "array":
      return `${describe(type.of)}[${type.length ?? ""}]`;
    case "vector":
      return `vector_size(${type.size}) ${describe(type.of)}`;
    case "aligned":
      return `${describe(type.type)} aligned(${type.align})`;
    case "record":
      return `${type.union ? "union" : "struct"} ${type.tag ?? "<anonymous>"}`;
    case "enum":
      return `enum ${type.tag ?? "<anonymous>"}`;
    case "function":
      return "function";
    case "void":
      return "void";
  }
}

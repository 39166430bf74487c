/**
 * C types as TypeScript source: the `struct({...})`, `union`, `array`, `aligned`, `bits` and scalar
 * expressions that build the same layouts `cdef` builds (`cdef/layouts.ts` is the rule; the tests compare the
 * two). A named record is referred to by its name; an anonymous one is written in place.
 *
 * @module
 */
import type { CRecord, CType } from "../cdef/declarations.ts";
import { ANONYMOUS_PREFIX, describe, type LayoutMapper } from "../cdef/layouts.ts";

// The unnamed-bitfield key cdef uses (`$unnamed<index>`).
const UNNAMED_PREFIX = "$unnamed";

/** An expression, and the type inside it when it is an `aligned(type, n)`. */
interface Expression {
  readonly text: string;
  readonly aligned?: { readonly inner: string; readonly align: number };
}

/** Writes layouts as source, collecting the names it imports from ffikit. */
export class LayoutWriter {
  /** The ffikit names the written text uses. */
  readonly imports: Set<string> = new Set();
  readonly #names: ReadonlyMap<CRecord, string>;
  readonly #layouts: LayoutMapper;
  readonly #indent: string;

  /**
   * @param names The identifier of each named record.
   * @param layouts The layout mapping (for alignments, as cdef decides with them).
   * @param indent One level of indentation.
   */
  constructor(names: ReadonlyMap<CRecord, string>, layouts: LayoutMapper, indent = "  ") {
    this.#names = names;
    this.#layouts = layouts;
    this.#indent = indent;
  }

  #use(name: string): string {
    this.imports.add(name);
    return name;
  }

  /** The expression of a type as a struct member or typedef. */
  field(type: CType, depth = 0): string {
    return this.#field(type, depth).text;
  }

  #scalar(size: number, signed: boolean): string {
    return this.#use(`${signed ? "i" : "u"}${size * 8}`);
  }

  #wide(): Expression {
    const inner = `${this.#use("array")}(${this.#use("u8")}, 16)`;
    return { text: `${this.#use("aligned")}(${inner}, 16)`, aligned: { inner, align: 16 } };
  }

  #field(type: CType, depth: number): Expression {
    switch (type.kind) {
      case "int":
        if (type.bool) return { text: this.#use("bool") };
        if (type.size === 16) return this.#wide();
        if (type.plainChar) return { text: this.#use("char") };
        return { text: this.#scalar(type.size, type.signed) };
      case "float":
        if (type.size === 4) return { text: this.#use("f32") };
        if (type.size === 8) return { text: this.#use("f64") };
        if (type.size === 2) return { text: this.#use("u16") };
        return this.#wide();
      case "pointer":
        return { text: this.#use("pointer") };
      case "enum":
        return this.#field(
          type.base ?? { kind: "int", size: 4, signed: false, plainChar: false, bool: false },
          depth,
        );
      case "array": {
        const element = this.#element(type.of, depth);
        const array = this.#use("array");
        if (type.length === undefined) return { text: `${array}(${element}, ${this.#use("FLEXIBLE")})` };
        let of = type.of;
        while (of.kind === "aligned") of = of.type;
        if (of.kind === "int" && of.plainChar) {
          return { text: `${array}(${element}, ${type.length}, { string: true })` };
        }
        return { text: `${array}(${element}, ${type.length})` };
      }
      case "vector": {
        const element = this.#element(type.of, depth);
        const count = type.size / this.#layouts.sizeOf(type.of);
        const inner = `${this.#use("array")}(${element}, ${count})`;
        return {
          text: `${this.#use("aligned")}(${inner}, ${type.size})`,
          aligned: { inner, align: type.size },
        };
      }
      case "aligned": {
        const inner = this.#field(type.type, depth);
        const text = inner.aligned?.inner ?? inner.text;
        return {
          text: `${this.#use("aligned")}(${text}, ${type.align})`,
          aligned: { inner: text, align: type.align },
        };
      }
      case "record": {
        const name = this.#names.get(type);
        return { text: name ?? this.record(type, depth) };
      }
      case "void":
      case "function":
        throw new TypeError(`Cannot write a layout of ${describe(type)}`);
    }
  }

  // An array element: an aligned type becomes a struct around it, as cdef's LayoutMapper.element does.
  #element(type: CType, depth: number): string {
    const spec = this.#field(type, depth);
    if (spec.aligned === undefined) return spec.text;
    let t = type;
    while (t.kind === "aligned") t = t.type;
    const struct = this.#use("struct");
    if (this.#layouts.alignOf(type) === 16 && (t.kind === "int" || t.kind === "float") && t.size === 16) {
      return `${struct}({ bytes: ${this.#use("array")}(${
        this.#use("u8")
      }, 16) }, { align: 16, name: "int128" })`;
    }
    return `${struct}({ value: ${spec.aligned.inner} }, { align: ${spec.aligned.align}, name: ${
      JSON.stringify(describe(type))
    } })`;
  }

  /**
   * The `struct({...}, options)` or `union(...)` expression of a record, one member per line.
   *
   * @param record A complete record.
   * @param depth The indentation level of the line the expression starts on.
   * @param name The name it is given (`struct tag`, or its typedef's name).
   */
  record(record: CRecord, depth: number, name?: string): string {
    const members = record.members ?? [];
    const kind = record.union ? "union" : "struct";
    const pad = this.#indent.repeat(depth + 1);
    const lines: string[] = [];
    let anonymous = 0;
    members.forEach((member, index) => {
      let key = member.name;
      if (key === undefined) {
        key = member.bits === undefined ? `${ANONYMOUS_PREFIX}${anonymous++}` : `${UNNAMED_PREFIX}${index}`;
      }
      let text: string;
      if (member.bits !== undefined) {
        text = `${this.#use(member.name === undefined ? "padding" : "bits")}(${
          this.#storage(member.type)
        }, ${member.bits})`;
      } else {
        const spec = this.#field(member.type, depth + 1);
        text = spec.text;
        if (member.align !== undefined) {
          const align = Math.max(member.align, spec.aligned?.align ?? 1);
          text = `${this.#use("aligned")}(${spec.aligned?.inner ?? spec.text}, ${align})`;
        }
      }
      lines.push(`${pad}${key}: ${text},`);
    });
    const options: string[] = [];
    const label = name ?? (record.tag === undefined ? undefined : `${kind} ${record.tag}`);
    if (label !== undefined) options.push(`name: ${JSON.stringify(label)}`);
    if (record.packed) options.push("packed: true");
    if (record.pack) options.push(`pack: ${record.pack}`);
    if (record.align) options.push(`align: ${record.align}`);
    const close = this.#indent.repeat(depth);
    const body = lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${close}}`;
    return `${this.#use(kind)}(${body}${options.length === 0 ? "" : `, { ${options.join(", ")} }`})`;
  }

  #storage(type: CType): string {
    while (type.kind === "aligned") type = type.type;
    if (type.kind === "enum") {
      return this.#storage(
        type.base ?? { kind: "int", size: 4, signed: false, plainChar: false, bool: false },
      );
    }
    if (type.kind === "int" && type.size <= 8) {
      return type.bool ? this.#use("u8") : this.#scalar(type.size, type.signed);
    }
    throw new TypeError(`Cannot write a bitfield of ${describe(type)}`);
  }
}

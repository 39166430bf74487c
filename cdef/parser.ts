// Over 500 lines: one recursive-descent pass whose parts (specifiers, declarators, records, enums,
// attributes) call each other and share one token cursor, as lj_cparse.c's do.
/**
 * The parser: declarations at file scope into the C type model (`declarations.ts`), in one pass over the
 * tokens. Type names, tags and enum constants are known as soon as they are declared, as in C.
 *
 * @module
 */
import { type CValue, cValue, evaluate, type ExpressionHost, type SizeOracle } from "./constants.ts";
import {
  type CEnum,
  type CInteger,
  type CMember,
  type CObject,
  type CRecord,
  type CSpan,
  type CType,
  integer,
  unwrap,
} from "./declarations.ts";
import { CSyntaxError } from "./errors.ts";
import {
  EOF,
  IDENT,
  KEYWORDS,
  PACK,
  punctuatorId,
  punctuatorText,
  STRING,
  type Tokens,
  tokenText,
} from "./lexer.ts";

/** What the parse declared, in order. */
export interface Declarations {
  /** Typedef names to their types, in declaration order. */
  readonly typedefs: Map<string, { type: CType; file: string; line: number }>;
  /** Tags (`"struct x"`, `"union x"`, `"enum x"`) to their types. */
  readonly tags: Map<string, CRecord | CEnum>;
  /** Enum constants. */
  readonly constants: Map<string, CValue>;
  /** Functions and variables with external linkage. */
  readonly objects: CObject[];
  /**
   * The lines of the declaration each thing came from, for quoting it: records and objects by identity,
   * typedefs as `"typedef <name>"`, enum constants as `"constant <name>"`. One span per external declaration.
   */
  readonly spans: Map<string | CRecord | CObject, CSpan>;
}

interface Attributes {
  packed: boolean;
  align: number;
  vectorSize: number;
  mode: string;
}

interface Specifiers {
  type: CType;
  isConst: boolean;
  typedef: boolean;
  isStatic: boolean;
  attrs: Attributes;
}

interface Declarator {
  name: string | undefined;
  type: CType;
  attrs: Attributes;
  symbol: string | undefined;
}

const noAttributes = (): Attributes => ({ packed: false, align: 0, vectorSize: 0, mode: "" });

// What each keyword is, by its id (`KEYWORDS`' index): one array read per token instead of a set lookup
// per question (bench/probes/cdef_parse.ts).
const NONE = 0,
  QUALIFIER = 1,
  STORAGE = 2,
  BASIC = 3,
  RECORD = 4,
  ENUM = 5,
  ATTRIBUTE = 6,
  ASM = 7,
  TYPEOF = 8,
  ALIGNAS = 9,
  DECLSPEC = 10,
  STATIC_ASSERT = 11;
const CLASS_OF: Record<string, number> = {
  const: QUALIFIER,
  __const: QUALIFIER,
  __const__: QUALIFIER,
  volatile: QUALIFIER,
  __volatile: QUALIFIER,
  __volatile__: QUALIFIER,
  restrict: QUALIFIER,
  __restrict: QUALIFIER,
  __restrict__: QUALIFIER,
  _Atomic: QUALIFIER,
  __extension__: QUALIFIER,
  _Nonnull: QUALIFIER,
  _Nullable: QUALIFIER,
  typedef: STORAGE,
  extern: STORAGE,
  static: STORAGE,
  inline: STORAGE,
  __inline: STORAGE,
  __inline__: STORAGE,
  _Noreturn: STORAGE,
  _Thread_local: STORAGE,
  __thread: STORAGE,
  register: STORAGE,
  auto: STORAGE,
  struct: RECORD,
  union: RECORD,
  enum: ENUM,
  __attribute__: ATTRIBUTE,
  __attribute: ATTRIBUTE,
  __asm__: ASM,
  __asm: ASM,
  asm: ASM,
  __typeof__: TYPEOF,
  __typeof: TYPEOF,
  typeof: TYPEOF,
  _Alignas: ALIGNAS,
  __declspec: DECLSPEC,
  _Static_assert: STATIC_ASSERT,
  static_assert: STATIC_ASSERT,
};
const KEYWORD_CLASS = new Uint8Array(KEYWORDS.length);
for (let id = 0; id < KEYWORDS.length; id++) KEYWORD_CLASS[id] = CLASS_OF[KEYWORDS[id]!] ?? BASIC;
// Qualifiers that make the type const.
const CONST_IDS = new Set(["const", "__const", "__const__"].map((k) => KEYWORDS.indexOf(k)));
// Punctuators by id, compared as integers.
const LPAREN = punctuatorId("("),
  RPAREN = punctuatorId(")"),
  LBRACKET = punctuatorId("["),
  RBRACKET = punctuatorId("]"),
  LBRACE = punctuatorId("{"),
  RBRACE = punctuatorId("}"),
  SEMICOLON = punctuatorId(";"),
  COMMA = punctuatorId(","),
  COLON = punctuatorId(":"),
  ASSIGN = punctuatorId("="),
  STAR = punctuatorId("*"),
  CARET = punctuatorId("^"),
  ELLIPSIS = punctuatorId("...");
// The int constants 0 … 4095, one object each, shared by the enumerators that have those values; made by the
// first enum parsed, not at import (4096 BigInts: docs/runtime-notes.md "Start-up").
let smallInts: readonly CValue[] | undefined;
const SMALL_COUNT = 4096n;
const MODES: Record<string, number> = { QI: 1, HI: 2, SI: 4, DI: 8, TI: 16, word: 8, pointer: 8 };

// The x86-64 `__builtin_va_list`: `struct __va_list_tag[1]`.
const VA_LIST_TAG: CRecord = {
  kind: "record",
  union: false,
  tag: "__va_list_tag",
  members: [
    { name: "gp_offset", type: integer(4, false), bits: undefined, align: undefined, packed: false },
    { name: "fp_offset", type: integer(4, false), bits: undefined, align: undefined, packed: false },
    {
      name: "overflow_arg_area",
      type: { kind: "pointer", to: { kind: "void" }, constTarget: false },
      bits: undefined,
      align: undefined,
      packed: false,
    },
    {
      name: "reg_save_area",
      type: { kind: "pointer", to: { kind: "void" }, constTarget: false },
      bits: undefined,
      align: undefined,
      packed: false,
    },
  ],
  packed: false,
  align: 0,
  pack: 0,
  file: "<builtin>",
  line: 0,
};

/** Reads every declaration of the tokens. */
export class Parser implements ExpressionHost {
  #t: Tokens;
  #pos = 0;
  // What the external declaration being read declares, for its span.
  // Spans are asked for by the generator only: kept as token indices, made into `CSpan`s on first use.
  readonly #here: (string | CRecord | CObject)[] = [];
  // Per entry of `#here`: 0 as it is, 1 a typedef's name, 2 a constant's name; its declaration's first token.
  readonly #hereKind: number[] = [];
  readonly #hereStart: number[] = [];
  readonly #hereEnd: number[] = [];
  #spans: Map<string | CRecord | CObject, CSpan> | undefined;
  readonly #structs = new Map<string, CRecord>();
  readonly #unions = new Map<string, CRecord>();
  readonly #enums = new Map<string, CEnum>();
  #spansOf = 0;
  #start = 0;
  readonly #oracle: SizeOracle;
  #pack = 0;
  readonly #packStack: number[] = [];
  readonly declared: Declarations;

  constructor(tokens: Tokens, oracle: SizeOracle) {
    this.#t = tokens;
    this.#oracle = oracle;
    const spans = (): Map<string | CRecord | CObject, CSpan> => this.#spansMap(tokens);
    this.declared = {
      typedefs: new Map(),
      tags: new Map(),
      constants: new Map(),
      objects: [],
      get spans() {
        return spans();
      },
    };
  }

  #mark(thing: string | CRecord | CObject, kind: number): void {
    this.#here.push(thing);
    this.#hereKind.push(kind);
    this.#hereStart.push(this.#start);
    this.#hereEnd.push(-1);
  }

  #spansMap(t: Tokens): Map<string | CRecord | CObject, CSpan> {
    if (this.#spans !== undefined && this.#spansOf === this.#here.length) return this.#spans;
    const map = new Map<string | CRecord | CObject, CSpan>();
    let span: CSpan | undefined;
    for (let i = 0; i < this.#here.length; i++) {
      const start = this.#hereStart[i]!, end = this.#hereEnd[i]!;
      if (i === 0 || start !== this.#hereStart[i - 1]) {
        const file = t.files[t.fileOf[start]!]!;
        const line = t.lines[start]!;
        const endLine = t.fileOf[end] === t.fileOf[start] ? Math.max(line, t.lines[end]!) : line;
        span = { file, line, endLine };
      }
      const thing = this.#here[i]!, kind = this.#hereKind[i]!;
      const key = kind === 0 ? thing : `${kind === 1 ? "typedef" : "constant"} ${thing as string}`;
      if (!map.has(key)) map.set(key, span!);
    }
    this.#spans = map;
    this.#spansOf = this.#here.length;
    return map;
  }

  // --- tokens ---
  peek(): string {
    return tokenText(this.#t, this.#pos);
  }
  peekKind(): number {
    return this.#t.kinds[this.#pos]!;
  }
  next(): string {
    const text = tokenText(this.#t, this.#pos);
    if (this.#pos < this.#t.count - 1) this.#pos++;
    return text;
  }
  // Whether the token `ahead` places on is the punctuator `id`.
  #is(id: number, ahead = 0): boolean {
    return this.#t.ids[Math.min(this.#pos + ahead, this.#t.count - 1)] === id;
  }
  #accept(id: number): boolean {
    if (this.#t.ids[this.#pos] !== id) return false;
    if (this.#pos < this.#t.count - 1) this.#pos++;
    return true;
  }
  #expect(id: number): void {
    if (!this.#accept(id)) this.fail(`Expected "${punctuatorText(id)}"`);
  }
  expect(text: string): void {
    this.#expect(punctuatorId(text));
  }
  fail(message: string): never {
    const t = this.#t, i = this.#pos;
    throw new CSyntaxError(message, {
      file: t.files[t.fileOf[i]!]!,
      line: t.lines[i]!,
      column: t.columns[i]!,
      token: tokenText(t, i),
    });
  }
  // The keyword class of the token `ahead` places on (NONE for any other token).
  #class(ahead = 0): number {
    const t = this.#t;
    const id = t.ids[Math.min(this.#pos + ahead, t.count - 1)]!;
    return id >= 0 && id < KEYWORD_CLASS.length ? KEYWORD_CLASS[id]! : NONE;
  }
  #where(): { file: string; line: number } {
    return { file: this.#t.files[this.#t.fileOf[this.#pos]!]!, line: this.#t.lines[this.#pos]! };
  }
  #ident(): string {
    if (this.peekKind() !== IDENT) this.fail("Expected an identifier");
    return this.next();
  }
  // Skips a balanced (…), […] or {…} group starting at the current token.
  #skipGroup(): void {
    let depth = 0;
    do {
      const id = this.#t.ids[this.#pos];
      if (this.peekKind() === EOF) this.fail("Unbalanced brackets");
      if (id === LPAREN || id === LBRACKET || id === LBRACE) depth++;
      else if (id === RPAREN || id === RBRACKET || id === RBRACE) depth--;
      this.next();
    } while (depth > 0);
  }

  // --- the expression host ---
  startsType(ahead: number): boolean {
    const cls = this.#class(ahead);
    if (cls === BASIC || cls === QUALIFIER || cls === RECORD || cls === ENUM || cls === TYPEOF) return true;
    const i = Math.min(this.#pos + ahead, this.#t.count - 1);
    return cls === NONE && this.#t.kinds[i] === IDENT && this.declared.typedefs.has(tokenText(this.#t, i));
  }
  typeName(): CType {
    const spec = this.#specifiers();
    return this.#declarator(spec, true).type;
  }
  constant(name: string): CValue | undefined {
    return this.declared.constants.get(name);
  }
  sizeOf(type: CType): number {
    return this.#ask(() => this.#oracle.sizeOf(type), "sizeof");
  }
  alignOf(type: CType): number {
    return this.#ask(() => this.#oracle.alignOf(type), "_Alignof");
  }
  offsetOf(type: CType, path: string[]): number {
    return this.#ask(() => this.#oracle.offsetOf(type, path), "offsetof");
  }
  #ask(question: () => number, what: string): number {
    try {
      return question();
    } catch (error) {
      return this.fail(`Cannot take ${what} here: ${(error as Error).message}`);
    }
  }
  #integerExpression(): number {
    const v = evaluate(this);
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER) || v.value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(`Constant ${v.value} is out of range here`);
    }
    return Number(v.value);
  }

  /**
   * Evaluates a constant expression written in other tokens (a macro's expansion) with the types and
   * constants declared so far; the expression must use every token.
   *
   * @throws {CSyntaxError} When the tokens are not one integer constant expression.
   */
  evaluateTokens(tokens: Tokens): CValue {
    const t = this.#t, pos = this.#pos;
    this.#t = tokens;
    this.#pos = 0;
    try {
      const value = evaluate(this);
      if (this.peekKind() !== EOF) this.fail("Expected the end of the expression");
      return value;
    } finally {
      this.#t = t;
      this.#pos = pos;
    }
  }

  // --- file scope ---
  /** Reads every declaration up to the end of the input. */
  parse(): Declarations {
    while (this.peekKind() !== EOF) {
      const start = this.#pos;
      const first = this.#here.length;
      this.#start = start;
      this.#external();
      const end = Math.max(start, this.#pos - 1);
      for (let i = first; i < this.#here.length; i++) this.#hereEnd[i] = end;
    }
    return this.declared;
  }

  #external(): void {
    const kind = this.peekKind();
    if (kind === PACK) return this.#pragmaPack(this.next());
    if (this.#is(SEMICOLON)) return void this.next();
    const cls = this.#class();
    if (cls === STATIC_ASSERT) {
      this.next();
      this.#skipGroup();
      return this.#expect(SEMICOLON);
    }
    if (cls === ASM) {
      this.next();
      while (this.#class() === QUALIFIER) this.next();
      this.#skipGroup();
      return this.#expect(SEMICOLON);
    }
    const where = this.#where();
    const spec = this.#specifiers();
    if (this.#accept(SEMICOLON)) return;
    for (;;) {
      const d = this.#declarator(spec, false);
      if (d.name === undefined) this.fail("Expected a declarator name");
      const type = d.type;
      if (spec.typedef) {
        this.declared.typedefs.set(d.name, { type: this.#typedefType(type, d.attrs), ...where });
        this.#mark(d.name, 1);
      } else if (type.kind === "function" && this.#is(LBRACE)) {
        this.#skipGroup(); // A function body (`static inline` helpers): not a symbol to bind.
        return;
      } else if (!spec.isStatic) {
        const object = { name: d.name, type, symbol: d.symbol, ...where };
        this.declared.objects.push(object);
        this.#mark(object, 0);
      }
      if (this.#accept(ASSIGN)) this.#skipInitializer();
      if (this.#accept(SEMICOLON)) return;
      this.#expect(COMMA);
    }
  }

  #skipInitializer(): void {
    while (!this.#is(COMMA) && !this.#is(SEMICOLON)) {
      if (this.peekKind() === EOF) this.fail("Unterminated initializer");
      if (this.#is(LPAREN) || this.#is(LBRACE) || this.#is(LBRACKET)) this.#skipGroup();
      else this.next();
    }
  }

  #pragmaPack(arg: string): void {
    const parts = arg.split(",").filter((p) => p !== "");
    if (parts[0] === "push") {
      this.#packStack.push(this.#pack);
      if (parts[1] !== undefined) this.#pack = Number(parts[parts.length - 1]);
    } else if (parts[0] === "pop") {
      this.#pack = this.#packStack.pop() ?? 0;
    } else {
      this.#pack = parts[0] === undefined ? 0 : Number(parts[0]);
    }
  }

  #typedefType(type: CType, attrs: Attributes): CType {
    if (attrs.mode) type = this.#mode(type, attrs.mode);
    if (attrs.vectorSize) type = { kind: "vector", of: type, size: attrs.vectorSize };
    if (attrs.align) type = { kind: "aligned", type, align: attrs.align };
    return type;
  }

  #mode(type: CType, mode: string): CType {
    const size = MODES[mode.replace(/^__|__$/g, "")];
    const base = unwrap(type);
    if (size === undefined || base.kind !== "int") this.fail(`Unsupported mode "${mode}"`);
    return integer(size, base.signed);
  }

  // --- attributes ---
  #attributes(into: Attributes): boolean {
    let any = false;
    for (;;) {
      const cls = this.#class();
      if (cls === ATTRIBUTE) {
        this.next();
        this.#expect(LPAREN);
        this.#expect(LPAREN);
        while (!this.#accept(RPAREN)) {
          if (this.#accept(COMMA)) continue;
          // `__packed__` is `packed`: sliced, not matched with a regular expression (bench/probes/cdef_parse.ts).
          const raw = this.next();
          const name = raw.length >= 4 && raw.startsWith("__") && raw.endsWith("__") ? raw.slice(2, -2) : raw;
          if (this.#is(LPAREN)) {
            if (name === "aligned" || name === "vector_size") {
              this.next();
              const n = this.#integerExpression();
              this.#expect(RPAREN);
              if (name === "aligned") into.align = Math.max(into.align, n);
              else into.vectorSize = n;
            } else if (name === "mode") {
              this.next();
              into.mode = this.next();
              this.#expect(RPAREN);
            } else this.#skipGroup();
          } else if (name === "packed") into.packed = true;
          else if (name === "aligned") into.align = Math.max(into.align, 16);
        }
        this.#expect(RPAREN);
        any = true;
      } else if (cls === ALIGNAS) {
        this.next();
        this.#expect(LPAREN);
        const n = this.startsType(0) ? this.alignOf(this.typeName()) : this.#integerExpression();
        this.#expect(RPAREN);
        into.align = Math.max(into.align, n);
        any = true;
      } else if (cls === DECLSPEC) {
        this.next();
        this.#skipGroup();
      } else return any;
    }
  }

  // --- declaration specifiers ---
  #specifiers(): Specifiers {
    const attrs = noAttributes();
    let isConst = false, typedef = false, isStatic = false;
    let type: CType | undefined;
    let signedness: boolean | undefined;
    let longs = 0, short = false, int = false, char = false, complex = false;
    let basic: string | undefined;
    for (;;) {
      if (this.peekKind() !== IDENT) break;
      const cls = this.#class();
      if (cls === QUALIFIER) {
        const text = this.next();
        if (CONST_IDS.has(this.#t.ids[this.#pos - 1]!)) isConst = true;
        if (text === "_Atomic" && this.#is(LPAREN)) {
          this.next();
          type = this.typeName();
          this.#expect(RPAREN);
        }
      } else if (cls === STORAGE) {
        const text = this.next();
        if (text === "typedef") typedef = true;
        else if (text === "static") isStatic = true;
      } else if (cls === ATTRIBUTE || cls === ALIGNAS || cls === DECLSPEC) {
        this.#attributes(attrs);
      } else if (cls === BASIC) {
        const text = this.next();
        if (text === "signed" || text === "__signed" || text === "__signed__") signedness = true;
        else if (text === "unsigned") signedness = false;
        else if (text === "long") longs++;
        else if (text === "short") short = true;
        else if (text === "int") int = true;
        else if (text === "char") char = true;
        else if (text === "_Complex" || text === "__complex__") complex = true;
        else basic = text;
      } else if (cls === RECORD) {
        if (type) break;
        type = this.#record(this.peek() === "union");
      } else if (cls === ENUM) {
        if (type) break;
        type = this.#enum();
      } else if (cls === TYPEOF) {
        this.next();
        this.#expect(LPAREN);
        if (this.startsType(0)) type = this.typeName();
        else {
          const name = this.#ident();
          const object = this.declared.objects.find((o) => o.name === name);
          if (!object) this.fail(`Cannot take the type of "${name}"`);
          type = object.type;
        }
        this.#expect(RPAREN);
      } else if (
        cls === NONE && type === undefined && basic === undefined && signedness === undefined &&
        longs === 0 &&
        !short && !int && !char
      ) {
        const typedef = this.declared.typedefs.get(this.peek());
        if (typedef === undefined) break;
        this.next();
        type = typedef.type;
      } else break;
    }
    if (type === undefined) {
      type = this.#basicType(basic, signedness, longs, short, char, int);
      if (complex) type = { kind: "array", of: type, length: 2, complex: true };
    }
    if (attrs.vectorSize) type = { kind: "vector", of: type, size: attrs.vectorSize }, attrs.vectorSize = 0;
    return { type, isConst, typedef, isStatic, attrs };
  }

  #basicType(
    basic: string | undefined,
    signedness: boolean | undefined,
    longs: number,
    short: boolean,
    char: boolean,
    int: boolean,
  ): CType {
    switch (basic) {
      case "void":
        return { kind: "void" };
      case "_Bool":
        return integer(1, false, false, true);
      case "float":
      case "_Float32":
        return { kind: "float", size: 4 };
      case "double":
      case "_Float64":
      case "_Float32x":
        return { kind: "float", size: longs ? 16 : 8 };
      case "_Float128":
      case "__float128":
      case "_Float64x":
        return { kind: "float", size: 16 };
      case "_Float16":
        return { kind: "float", size: 2 };
      case "__int128":
        return integer(16, signedness ?? true);
      case "__int128_t":
        return integer(16, true);
      case "__uint128_t":
        return integer(16, false);
      case "__builtin_va_list":
        return { kind: "array", of: VA_LIST_TAG, length: 1 };
    }
    if (char) return integer(1, signedness ?? true, signedness === undefined);
    if (short) return integer(2, signedness ?? true);
    if (longs > 0) return integer(8, signedness ?? true);
    if (int || signedness !== undefined) return integer(4, signedness ?? true);
    return this.fail("Expected a type");
  }

  // --- struct, union, enum ---
  // The keyword, attributes, the tag if any, attributes: the head of a struct, union or enum specifier.
  // Tags by the interned tag string, so that a lookup hashes no new "struct x" string; `declared.tags` mirrors.
  #setTag<T extends CRecord | CEnum>(byTag: Map<string, T>, tag: string, type: T): void {
    byTag.set(tag, type);
    this.declared.tags.set(
      `${type.kind === "enum" ? "enum" : (type as CRecord).union ? "union" : "struct"} ${tag}`,
      type,
    );
  }

  #tagHead(): { tag: string | undefined; attrs: Attributes } {
    this.next();
    const attrs = noAttributes();
    this.#attributes(attrs);
    let tag: string | undefined;
    if (this.peekKind() === IDENT && this.#class() !== ATTRIBUTE) tag = this.next();
    this.#attributes(attrs);
    return { tag, attrs };
  }

  #record(union: boolean): CRecord {
    const where = this.#where();
    const { tag, attrs } = this.#tagHead();
    const byTag = union ? this.#unions : this.#structs;
    let record = tag === undefined ? undefined : byTag.get(tag);
    if (!this.#is(LBRACE)) {
      if (tag === undefined) this.fail("Expected a tag or a member list");
      if (!record) {
        record = {
          kind: "record",
          union,
          tag,
          members: undefined,
          packed: false,
          align: 0,
          pack: 0,
          ...where,
        };
        this.#setTag(byTag, tag, record);
      }
      return record;
    }
    if (!record || record.members !== undefined) {
      record = { kind: "record", union, tag, members: undefined, packed: false, align: 0, pack: 0, ...where };
      if (tag !== undefined) this.#setTag(byTag, tag, record);
    }
    record.file = where.file;
    record.line = where.line;
    this.next();
    const members: CMember[] = [];
    while (!this.#accept(RBRACE)) this.#members(members);
    this.#attributes(attrs);
    record.members = members;
    this.#mark(record, 0);
    record.packed = attrs.packed;
    record.align = attrs.align;
    record.pack = this.#pack;
    return record;
  }

  #members(members: CMember[]): void {
    if (this.peekKind() === PACK) return this.#pragmaPack(this.next());
    if (this.#accept(SEMICOLON)) return;
    if (this.#class() === STATIC_ASSERT) {
      this.next();
      this.#skipGroup();
      return this.#expect(SEMICOLON);
    }
    const spec = this.#specifiers();
    if (this.#accept(SEMICOLON)) {
      // An anonymous struct or union member.
      members.push({
        name: undefined,
        type: spec.type,
        bits: undefined,
        align: spec.attrs.align || undefined,
        packed: spec.attrs.packed,
      });
      return;
    }
    for (;;) {
      let d: Declarator | undefined;
      if (!this.#is(COLON)) d = this.#declarator(spec, true);
      let bits: number | undefined;
      if (this.#accept(COLON)) bits = this.#integerExpression();
      const attrs = d?.attrs ?? noAttributes();
      this.#attributes(attrs);
      let type = d?.type ?? spec.type;
      if (attrs.mode) type = this.#mode(type, attrs.mode);
      if (attrs.vectorSize) type = { kind: "vector", of: type, size: attrs.vectorSize };
      members.push({
        name: d?.name,
        type,
        bits,
        align: attrs.align || spec.attrs.align || undefined,
        packed: attrs.packed || spec.attrs.packed,
      });
      if (this.#accept(SEMICOLON)) return;
      this.#expect(COMMA);
    }
  }

  #enum(): CEnum {
    const { tag, attrs } = this.#tagHead();
    let en = tag === undefined ? undefined : this.#enums.get(tag);
    if (!en || this.#is(LBRACE)) {
      en = { kind: "enum", tag, base: undefined };
      if (tag !== undefined) this.#setTag(this.#enums, tag, en);
    }
    if (!this.#accept(LBRACE)) return en;
    // Most enumerators count up from a small value: those share a constant from SMALL_INTS and are counted
    // in numbers, since every bigint operation is a call into the runtime (bench/probes/cdef_parse.ts).
    const SMALL_INTS = smallInts ??= Array.from({ length: 4096 }, (_, i) => cValue(BigInt(i), false, false));
    let next: CValue = SMALL_INTS[0]!;
    let small = 0; // The index of `next` in SMALL_INTS, or -1.
    let min = 0n, max = 0n, maxSmall = 0;
    while (!this.#accept(RBRACE)) {
      const name = this.#ident();
      if (this.#class() === ATTRIBUTE) this.#attributes(noAttributes());
      if (this.#accept(ASSIGN)) {
        next = evaluate(this);
        const v = next.value;
        small = v >= 0n && v < SMALL_COUNT ? Number(v) : -1;
        if (small >= 0) next = SMALL_INTS[small]!;
      }
      if (small >= 0) {
        this.declared.constants.set(name, next);
        if (small > maxSmall) maxSmall = small;
      } else {
        // In C enumerators have the type int (or a wider one GCC picks), not the operand's unsigned type.
        const value = next.value;
        this.declared.constants.set(
          name,
          cValue(value, value > 0x7fffffffn, value > 0xffffffffn || value < -0x80000000n),
        );
        if (value < min) min = value;
        if (value > max) max = value;
      }
      this.#mark(name, 2);
      if (small >= 0 && small + 1 < SMALL_INTS.length) next = SMALL_INTS[++small]!;
      else {
        const value = next.value + 1n;
        small = value >= 0n && value < SMALL_COUNT ? Number(value) : -1;
        next = small >= 0 ? SMALL_INTS[small]! : cValue(value, false, value > 0x7fffffffn);
      }
      if (!this.#accept(COMMA)) {
        this.#expect(RBRACE);
        break;
      }
    }
    if (BigInt(maxSmall) > max) max = BigInt(maxSmall);
    this.#attributes(attrs);
    en.base = enumBase(min, max, attrs.packed);
    return en;
  }

  // --- declarators ---
  #declarator(spec: Specifiers, abstract: boolean, parameter = false): Declarator {
    const attrs = { ...spec.attrs };
    const build = this.#declaratorParts(attrs, abstract, parameter);
    const type = build.apply(spec.type, spec.isConst);
    let symbol: string | undefined;
    for (;;) {
      if (this.#class() === ASM) {
        this.next();
        this.#expect(LPAREN);
        symbol = "";
        while (this.peekKind() === STRING) symbol += JSON.parse(this.next());
        this.#expect(RPAREN);
      } else if (!this.#attributes(attrs)) break;
    }
    return { name: build.name, type, attrs, symbol };
  }

  #declaratorParts(
    attrs: Attributes,
    abstract: boolean,
    parameter: boolean,
  ): { name: string | undefined; apply: (t: CType, isConst: boolean) => CType } {
    const pointers: boolean[] = [];
    while (this.#is(STAR) || this.#is(CARET)) {
      this.next();
      let isConst = false;
      for (;;) {
        if (this.#class() === QUALIFIER) isConst ||= CONST_IDS.has(this.#t.ids[this.#pos]!), this.next();
        else if (!this.#attributes(attrs)) break;
      }
      pointers.push(isConst);
    }
    this.#attributes(attrs);
    let inner: { name: string | undefined; apply: (t: CType, isConst: boolean) => CType } | undefined;
    let name: string | undefined;
    if (this.#is(LPAREN) && this.#nestedStarts()) {
      this.next();
      inner = this.#declaratorParts(attrs, abstract, parameter);
      this.#expect(RPAREN);
      name = inner.name;
    } else if (this.peekKind() === IDENT && this.#class() !== ATTRIBUTE && this.#class() !== ASM) {
      name = this.next();
    } else if (!abstract) {
      this.fail("Expected a declarator");
    }
    const suffixes: ((t: CType) => CType)[] = [];
    for (;;) {
      if (this.#accept(LBRACKET)) {
        while (this.peek() === "static" || this.#class() === QUALIFIER) this.next();
        let length: number | undefined;
        if (parameter && inner === undefined) {
          // A parameter's array decays to a pointer: its length may name other parameters (`a[n]`).
          while (!this.#is(RBRACKET)) {
            this.#is(LPAREN) || this.#is(LBRACKET) ? this.#skipGroup() : this.next();
          }
        } else if (!this.#is(RBRACKET)) length = this.#integerExpression();
        this.#expect(RBRACKET);
        suffixes.push((t) => ({ kind: "array", of: t, length }));
      } else if (this.#is(LPAREN)) {
        const { params, variadic } = this.#parameters();
        suffixes.push((t) => ({ kind: "function", result: t, params, variadic }));
      } else break;
    }
    return {
      name,
      apply: (t, isConst) => {
        for (const p of pointers) t = { kind: "pointer", to: t, constTarget: isConst }, isConst = p;
        for (let i = suffixes.length - 1; i >= 0; i--) t = suffixes[i]!(t);
        return inner ? inner.apply(t, isConst) : t;
      },
    };
  }

  // Whether a "(" after the pointers opens a nested declarator rather than a parameter list.
  #nestedStarts(): boolean {
    if (this.#is(STAR, 1) || this.#is(CARET, 1) || this.#is(LPAREN, 1) || this.#is(LBRACKET, 1)) return true;
    if (this.#class(1) === ATTRIBUTE) return true;
    return this.#t.kinds[Math.min(this.#pos + 1, this.#t.count - 1)] === IDENT && !this.startsType(1);
  }

  #parameters(): { params: CType[]; variadic: boolean } {
    this.#expect(LPAREN);
    const params: CType[] = [];
    let variadic = false;
    if (this.peek() === "void" && this.#is(RPAREN, 1)) this.next();
    while (!this.#accept(RPAREN)) {
      if (this.#accept(ELLIPSIS)) {
        variadic = true;
        continue;
      }
      if (this.#accept(COMMA)) continue;
      const spec = this.#specifiers();
      let type = this.#declarator(spec, true, true).type;
      if (type.kind === "array" && !type.complex) {
        type = { kind: "pointer", to: type.of, constTarget: spec.isConst };
      } else if (type.kind === "function") type = { kind: "pointer", to: type, constTarget: false };
      params.push(type);
    }
    return { params, variadic };
  }
}

/** GCC's choice of an enum's type: unsigned int, int, then the 64-bit ones; the smallest that fits if packed. */
function enumBase(min: bigint, max: bigint, packed: boolean): CInteger {
  const sizes = packed ? [1, 2, 4, 8] : [4, 8];
  for (const size of sizes) {
    const bits = BigInt(size * 8);
    if (min >= 0n && max < 1n << bits) return integer(size, false);
    if (min >= -(1n << (bits - 1n)) && max < 1n << (bits - 1n)) return integer(size, true);
  }
  return integer(8, min < 0n);
}

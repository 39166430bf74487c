/**
 * The lexer: preprocessed C text to a flat token list in one pass, as LuaJIT's `lj_lex.c` does it: one table
 * lookup per character, identifiers interned as they are scanned (a hash of their characters finds the
 * string read before, so that a repeated name allocates nothing) and keywords pre-interned at fixed ids, so
 * that the parser classifies a token by a small integer. Line markers (`# 12 "file.h"`) set the file and line
 * that later tokens report; `#pragma pack(...)` lines become tokens of their own; every other directive line
 * is skipped.
 *
 * Shape: bench/probes/cdef_parse.ts (as fast as slicing every token; the parser gains from the ids; no array
 * of one string per token, as an identifier's or punctuator's text is known by its id: less garbage).
 *
 * @module
 */
import { CSyntaxError } from "./errors.ts";

/** Token kinds. */
export const EOF = 0, IDENT = 1, NUMBER = 2, STRING = 3, CHAR = 4, PUNCT = 5, PACK = 6;

/** The tokens of one source, as parallel arrays (one object per token costs more than the parse). */
export interface Tokens {
  /** Kind of each token. */
  readonly kinds: Uint8Array;
  /**
   * For an identifier its id: a keyword's index in `KEYWORDS`, or a larger number (its index in `names`). For
   * a punctuator `punctuatorId(text)`, from -2 down to above `LITERAL`; for any other token `LITERAL - index`
   * of its text in `literals`. A token's text is `tokenText(tokens, i)`: no array of one string per token.
   */
  readonly ids: Int32Array;
  /** The identifiers by id, one string per distinct name. */
  readonly names: readonly string[];
  /** The texts of numbers, strings, characters, `#pragma pack` arguments and the end. */
  readonly literals: readonly string[];
  /** 1-based line of each token in its file. */
  readonly lines: Int32Array;
  /** 1-based column of each token. */
  readonly columns: Int32Array;
  /** Index into `files` of each token's file. */
  readonly fileOf: Int32Array;
  /** File names, as the line markers gave them. */
  readonly files: string[];
  /** The number of tokens, the final `EOF` included. */
  readonly count: number;
}

/** The ids of literal tokens (numbers, strings, characters, pragmas, the end) count down from this. */
export const LITERAL = -1000;

/**
 * The text of a token.
 *
 * @param tokens The token list.
 * @param i The token's index.
 * @returns The identifier, punctuator or literal as written (`#pragma pack`'s argument text for `PACK`).
 */
export function tokenText(tokens: Tokens, i: number): string {
  const id = tokens.ids[i]!;
  if (id >= 0) return tokens.names[id]!;
  return id > LITERAL ? PUNCTUATORS[-2 - id]! : tokens.literals[LITERAL - id]!;
}

/**
 * The identifiers the parser classifies, interned first so that each has the same id in every token list (its
 * index here). The parser keeps its own table of what each means.
 */
export const KEYWORDS: readonly string[] = [
  // Qualifiers.
  "const",
  "__const",
  "__const__",
  "volatile",
  "__volatile",
  "__volatile__",
  "restrict",
  "__restrict",
  "__restrict__",
  "_Atomic",
  "__extension__",
  "_Nonnull",
  "_Nullable",
  // Storage classes and function specifiers.
  "typedef",
  "extern",
  "static",
  "inline",
  "__inline",
  "__inline__",
  "_Noreturn",
  "_Thread_local",
  "__thread",
  "register",
  "auto",
  // Basic type words.
  "void",
  "char",
  "short",
  "int",
  "long",
  "float",
  "double",
  "signed",
  "__signed",
  "__signed__",
  "unsigned",
  "_Bool",
  "_Complex",
  "__complex__",
  "__int128",
  "_Float128",
  "__float128",
  "_Float64",
  "_Float32",
  "_Float16",
  "_Float32x",
  "_Float64x",
  "__builtin_va_list",
  "__int128_t",
  "__uint128_t",
  // Tags, attributes and the rest.
  "struct",
  "union",
  "enum",
  "__attribute__",
  "__attribute",
  "__asm__",
  "__asm",
  "asm",
  "__typeof__",
  "__typeof",
  "typeof",
  "_Alignas",
  "__declspec",
  "_Static_assert",
  "static_assert",
];

// Every punctuator, one string each, so that the parser compares internalized strings and the lexer slices
// nothing. A punctuator's id is `-2 - index`.
const PUNCTUATORS: readonly string[] = [
  ..."{}[]();,:*=.&|^~!<>+-/%?#",
  ...["...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/="],
  ...["%=", "+=", "-=", "&=", "^=", "|=", "##"],
];
/**
 * The id of a punctuator's tokens (in `Tokens.ids`).
 *
 * @param text The punctuator, e.g. `"("`.
 * @returns Its id, below -1.
 */
export function punctuatorId(text: string): number {
  const index = PUNCTUATORS.indexOf(text);
  if (index < 0) throw new TypeError(`Not a punctuator: "${text}"`);
  return -2 - index;
}
/**
 * The text of a punctuator id.
 *
 * @param id A punctuator's id.
 * @returns The punctuator.
 */
export function punctuatorText(id: number): string {
  return PUNCTUATORS[-2 - id]!;
}
const ELLIPSIS = punctuatorId("..."),
  SHIFT_LEFT_ASSIGN = punctuatorId("<<="),
  SHIFT_RIGHT_ASSIGN = punctuatorId(">>=");

// The interning hash: the same over the keywords (at load) and the source (while scanning).
function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}
const OTHER = 0, IDENT_START = 1, DIGIT = 2, SPACE = 3, PUNCTUATOR = 4;

/** The lexer's tables, made at the first `tokenize()` rather than at import (docs/runtime-notes.md "Start-up"). */
interface LexerTables {
  /** Character classes of the ASCII range: the lexer's one table lookup per character. */
  CLASS: Uint8Array;
  /** Whether a character continues an identifier, for the ASCII range. */
  IDENT_PART: Uint8Array;
  /** Punctuators by their characters: one by its code, the value its id. */
  ONE: number[];
  /** Two-character punctuators by `first * 128 + second`, the value its id. */
  TWO: Map<number, number>;
  /** The interning hash of each keyword. */
  KEYWORD_HASHES: number[];
}

let tables: LexerTables | undefined;

function lexerTables(): LexerTables {
  const CLASS = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    // Compared as text, not with regular expressions: compiling them was 1-4 ms of every import (profile).
    const letter = (ch >= "A" && ch <= "Z") || (ch >= "a" && ch <= "z") || ch === "_" || ch === "$";
    CLASS[c] = letter
      ? IDENT_START
      : ch >= "0" && ch <= "9"
      ? DIGIT
      : " \t\r\f\v".includes(ch)
      ? SPACE
      : "{}[]();,:*=.&|^~!<>+-/%?#".includes(ch)
      ? PUNCTUATOR
      : OTHER;
  }
  const IDENT_PART = new Uint8Array(128);
  for (let c = 0; c < 128; c++) IDENT_PART[c] = CLASS[c] === IDENT_START || CLASS[c] === DIGIT ? 1 : 0;
  const ONE: number[] = [];
  const TWO = new Map<number, number>();
  for (const p of PUNCTUATORS) {
    if (p.length === 1) ONE[p.charCodeAt(0)] = punctuatorId(p);
    else if (p.length === 2) TWO.set(p.charCodeAt(0) * 128 + p.charCodeAt(1), punctuatorId(p));
  }
  return { CLASS, IDENT_PART, ONE, TWO, KEYWORD_HASHES: KEYWORDS.map(hashOf) };
}

/**
 * Splits preprocessed C into tokens.
 *
 * @param source The C text (after `cc -E`, or hand-written declarations).
 * @param file The name errors give before the first line marker.
 * @returns The tokens.
 * @throws {CSyntaxError} On an unterminated string, character or comment, or a stray character.
 */
export function tokenize(source: string, file = "<input>"): Tokens {
  const { CLASS, IDENT_PART, ONE, TWO, KEYWORD_HASHES } = tables ??= lexerTables();
  let capacity = Math.max(64, source.length >> 2);
  let kinds = new Uint8Array(capacity);
  let ids = new Int32Array(capacity);
  let lines = new Int32Array(capacity);
  let columns = new Int32Array(capacity);
  let fileOf = new Int32Array(capacity);
  const literals: string[] = [];
  const files = [file];
  const fileIndex = new Map<string, number>([[file, 0]]);
  let currentFile = 0;
  let line = 1;
  let lineStart = 0;
  let n = 0;
  let atLineStart = true;
  const length = source.length;
  let i = 0;

  // The intern table: open addressing over ids, each id's string and hash.
  let mask = 4095;
  let slots = new Int32Array(mask + 1).fill(-1);
  const names: string[] = [];
  const hashes: number[] = [];
  const insert = (name: string, h: number): number => {
    const id = names.length;
    names.push(name);
    hashes.push(h);
    if (names.length * 2 > mask) {
      mask = mask * 2 + 1;
      slots = new Int32Array(mask + 1).fill(-1);
      for (let j = 0; j < names.length; j++) {
        let s = hashes[j]! & mask;
        while (slots[s] !== -1) s = (s + 1) & mask;
        slots[s] = j;
      }
    } else {
      let s = h & mask;
      while (slots[s] !== -1) s = (s + 1) & mask;
      slots[s] = id;
    }
    return id;
  };
  for (let k = 0; k < KEYWORDS.length; k++) insert(KEYWORDS[k]!, KEYWORD_HASHES[k]!);

  const fail = (message: string, at: number, token: string): never => {
    throw new CSyntaxError(message, { file: files[currentFile]!, line, column: at - lineStart + 1, token });
  };
  const grow = (): void => {
    capacity *= 2;
    const k = new Uint8Array(capacity), d = new Int32Array(capacity), l = new Int32Array(capacity);
    const c = new Int32Array(capacity), f = new Int32Array(capacity);
    k.set(kinds), d.set(ids), l.set(lines), c.set(columns), f.set(fileOf);
    kinds = k, ids = d, lines = l, columns = c, fileOf = f;
  };
  // A literal's text goes to `literals`; an identifier's or punctuator's is known by its id.
  const push = (kind: number, start: number, id: number): void => {
    if (n === capacity) grow();
    kinds[n] = kind;
    ids[n] = id;
    lines[n] = line;
    columns[n] = start - lineStart + 1;
    fileOf[n] = currentFile;
    n++;
  };

  while (i < length) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = ++i;
      atLineStart = true;
      continue;
    }
    const cls = c < 128 ? CLASS[c] : OTHER;
    if (cls === SPACE) {
      i++;
      continue;
    }
    if (cls === IDENT_START) {
      atLineStart = false;
      const start = i;
      let h = c;
      i++;
      for (; i < length; i++) {
        const d = source.charCodeAt(i);
        if (d >= 128 || IDENT_PART[d] === 0) break;
        h = (Math.imul(h, 31) + d) | 0;
      }
      const next = i < length ? source.charCodeAt(i) : 0;
      if (next === 34 || next === 39) {
        // A string or character prefix: L"…", u8"…", u'…'.
        const prefix = source.slice(start, i);
        if (prefix === "L" || prefix === "u" || prefix === "U" || prefix === "u8") {
          i = quoted(next, i);
          push(next === 34 ? STRING : CHAR, start, LITERAL - literals.push(source.slice(start, i)) + 1);
          continue;
        }
      }
      const text = source.slice(start, i);
      let s = h & mask;
      let id: number;
      for (;;) {
        id = slots[s]!;
        if (id === -1) {
          id = insert(text, h);
          break;
        }
        if (hashes[id] === h && names[id] === text) break;
        s = (s + 1) & mask;
      }
      push(IDENT, start, id);
      continue;
    }
    if (cls === PUNCTUATOR) {
      if (c === 35 && atLineStart) {
        i = directive(i);
        continue;
      }
      atLineStart = false;
      const second = i + 1 < length ? source.charCodeAt(i + 1) : 0;
      if (c === 46 && second >= 48 && second <= 57) {
        i = number(i);
        continue;
      }
      if (c === 47 && second === 42) {
        const end = source.indexOf("*/", i + 2);
        if (end < 0) fail("Unterminated comment", i, "/*");
        for (let j = i; j < end; j++) {
          if (source.charCodeAt(j) === 10) line++, lineStart = j + 1;
        }
        i = end + 2;
        continue;
      }
      if (c === 47 && second === 47) {
        while (i < length && source.charCodeAt(i) !== 10) i++;
        continue;
      }
      // Longest match first: three characters, two, one.
      let id: number | undefined;
      if (second < 128 && CLASS[second] === PUNCTUATOR) {
        const third = i + 2 < length ? source.charCodeAt(i + 2) : 0;
        if (c === 46 && second === 46 && third === 46) id = ELLIPSIS;
        else if (c === 60 && second === 60 && third === 61) id = SHIFT_LEFT_ASSIGN;
        else if (c === 62 && second === 62 && third === 61) id = SHIFT_RIGHT_ASSIGN;
        else id = TWO.get(c * 128 + second);
      }
      if (id === undefined) id = ONE[c]!;
      push(PUNCT, i, id);
      i += PUNCTUATORS[-2 - id]!.length;
      continue;
    }
    atLineStart = false;
    if (cls === DIGIT) {
      i = number(i);
      continue;
    }
    if (c === 34 || c === 39) {
      const start = i;
      i = quoted(c, i);
      push(c === 34 ? STRING : CHAR, start, LITERAL - literals.push(source.slice(start, i)) + 1);
      continue;
    }
    fail("Unexpected character", i, source[i]!);
  }
  push(EOF, i, LITERAL - literals.push("<end of input>") + 1);
  return {
    kinds: kinds.subarray(0, n),
    ids: ids.subarray(0, n),
    names,
    literals,
    lines: lines.subarray(0, n),
    columns: columns.subarray(0, n),
    fileOf: fileOf.subarray(0, n),
    files,
    count: n,
  };

  function number(start: number): number {
    let j = start + 1;
    for (;;) {
      const d = j < length ? source.charCodeAt(j) : 0;
      if ((d < 128 && IDENT_PART[d] === 1) || d === 46) j++;
      else if ((d === 43 || d === 45) && /[eEpP]/.test(source[j - 1]!)) j++;
      else break;
    }
    push(NUMBER, start, LITERAL - literals.push(source.slice(start, j)) + 1);
    return j;
  }

  // A directive line at `at` (its "#"): a line marker, a pragma, or anything else (skipped). Returns its end.
  function directive(at: number): number {
    let end = source.indexOf("\n", at);
    if (end < 0) end = length;
    let j = at + 1;
    while (j < end && (source.charCodeAt(j) === 32 || source.charCodeAt(j) === 9)) j++;
    if (source.startsWith("line", j)) {
      j += 4;
      while (j < end && (source.charCodeAt(j) === 32 || source.charCodeAt(j) === 9)) j++;
    }
    let number = 0, digits = 0;
    for (; j < end; j++, digits++) {
      const d = source.charCodeAt(j);
      if (d < 48 || d > 57) break;
      number = number * 10 + d - 48;
    }
    if (digits > 0) {
      // A line marker: `# 12 "file.h" 1 3`.
      while (j < end && (source.charCodeAt(j) === 32 || source.charCodeAt(j) === 9)) j++;
      if (source.charCodeAt(j) === 34) {
        let k = j + 1;
        while (k < end && source.charCodeAt(k) !== 34) k += source.charCodeAt(k) === 92 ? 2 : 1;
        if (k < end) {
          // The name as written between the quotes; the same file as now is the common case.
          const current = files[currentFile]!;
          if (!(current.length === k - j - 1 && source.startsWith(current, j + 1))) {
            const name = source.slice(j + 1, k);
            let index = fileIndex.get(name);
            if (index === undefined) {
              index = files.length;
              files.push(name);
              fileIndex.set(name, index);
            }
            currentFile = index;
          }
        }
      }
      // The marker names the number of the line after it.
      line = number - 1;
    } else {
      const pack = /^pragma\s+pack\s*\(([^)]*)\)/.exec(source.slice(j, end).trim());
      if (pack) push(PACK, at, LITERAL - literals.push(pack[1]!.replace(/\s+/g, "")) + 1);
    }
    return end;
  }

  function quoted(quote: number, at: number): number {
    let j = at + 1;
    while (j < length) {
      const d = source.charCodeAt(j);
      if (d === 92) j += 2;
      else if (d === quote) return j + 1;
      else if (d === 10) break;
      else j++;
    }
    return fail(quote === 34 ? "Unterminated string" : "Unterminated character constant", at, source[at]!);
  }
}

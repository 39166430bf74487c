/**
 * The lexer: preprocessed C text to a flat token list in one pass. Line markers (`# 12 "file.h"`) set the
 * file and line that later tokens report; `#pragma pack(...)` lines become tokens of their own; every other
 * directive line is skipped.
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
  /** Text of each token (`#pragma pack`'s argument text for `PACK`). */
  readonly texts: string[];
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

// Character classes of the ASCII range: the lexer's one table lookup per character.
const OTHER = 0, IDENT_START = 1, DIGIT = 2, SPACE = 3, PUNCTUATOR = 4;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = /[A-Za-z_$]/.test(ch)
    ? IDENT_START
    : /[0-9]/.test(ch)
    ? DIGIT
    : /[ \t\r\f\v]/.test(ch)
    ? SPACE
    : "{}[]();,:*=.&|^~!<>+-/%?#".includes(ch)
    ? PUNCTUATOR
    : OTHER;
}
// One string per punctuator, so that the parser compares internalized strings.
const PUNCTUATORS = new Map<string, string>();
for (
  const p of [
    ..."{}[]();,:*=.&|^~!<>+-/%?#",
    ...["...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/="],
    ...["%=", "+=", "-=", "&=", "^=", "|=", "##"],
  ]
) PUNCTUATORS.set(p, p);

function isIdentPart(c: number): boolean {
  return c < 128 && (CLASS[c] === IDENT_START || CLASS[c] === DIGIT);
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
  let capacity = Math.max(64, source.length >> 2);
  let kinds = new Uint8Array(capacity);
  let lines = new Int32Array(capacity);
  let columns = new Int32Array(capacity);
  let fileOf = new Int32Array(capacity);
  const texts: string[] = [];
  const files = [file];
  const fileIndex = new Map<string, number>([[file, 0]]);
  let currentFile = 0;
  let line = 1;
  let lineStart = 0;
  let n = 0;
  let atLineStart = true;
  const length = source.length;
  let i = 0;

  const fail = (message: string, at: number, token: string): never => {
    throw new CSyntaxError(message, { file: files[currentFile]!, line, column: at - lineStart + 1, token });
  };
  const push = (kind: number, text: string, start: number): void => {
    if (n === capacity) {
      capacity *= 2;
      const k = new Uint8Array(capacity), l = new Int32Array(capacity), c = new Int32Array(capacity);
      const f = new Int32Array(capacity);
      k.set(kinds), l.set(lines), c.set(columns), f.set(fileOf);
      kinds = k, lines = l, columns = c, fileOf = f;
    }
    kinds[n] = kind;
    texts.push(text);
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
    if (c === 35 && atLineStart) {
      // A directive: a line marker, a pragma, or anything else (skipped).
      let end = source.indexOf("\n", i);
      if (end < 0) end = length;
      const text = source.slice(i + 1, end).trim();
      const marker = /^(?:line\s+)?(\d+)\s*(?:"((?:[^"\\]|\\.)*)")?/.exec(text);
      if (marker) {
        if (marker[2] !== undefined) {
          const name = marker[2];
          let index = fileIndex.get(name);
          if (index === undefined) {
            index = files.length;
            files.push(name);
            fileIndex.set(name, index);
          }
          currentFile = index;
        }
        // The marker names the number of the line after it.
        line = Number(marker[1]) - 1;
      } else {
        const pack = /^pragma\s+pack\s*\(([^)]*)\)/.exec(text);
        if (pack) push(PACK, pack[1]!.replace(/\s+/g, ""), i);
      }
      i = end;
      continue;
    }
    atLineStart = false;
    const start = i;
    if (cls === IDENT_START) {
      i++;
      while (i < length && isIdentPart(source.charCodeAt(i))) i++;
      // A string or character prefix: L"…", u8"…", u'…'.
      const next = source.charCodeAt(i);
      if ((next === 34 || next === 39) && /^(?:L|u|U|u8)$/.test(source.slice(start, i))) {
        i = quoted(next, i);
        push(next === 34 ? STRING : CHAR, source.slice(start, i), start);
        continue;
      }
      push(IDENT, source.slice(start, i), start);
      continue;
    }
    if (cls === DIGIT || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      i++;
      for (;;) {
        const d = source.charCodeAt(i);
        if (isIdentPart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && /[eEpP]/.test(source[i - 1]!)) i++;
        else break;
      }
      push(NUMBER, source.slice(start, i), start);
      continue;
    }
    if (c === 34 || c === 39) {
      i = quoted(c, i);
      push(c === 34 ? STRING : CHAR, source.slice(start, i), start);
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) fail("Unterminated comment", i, "/*");
      for (let j = i; j < end; j++) {
        if (source.charCodeAt(j) === 10) line++, lineStart = j + 1;
      }
      i = end + 2;
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 47) {
      while (i < length && source.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (cls === PUNCTUATOR) {
      // Longest match first: three characters, two, one.
      const second = source.charCodeAt(i + 1);
      let text: string | undefined;
      if (second < 128 && CLASS[second] === PUNCTUATOR) {
        text = PUNCTUATORS.get(source.slice(i, i + 3)) ?? PUNCTUATORS.get(source.slice(i, i + 2));
      }
      if (text === undefined) text = PUNCTUATORS.get(source[i]!)!;
      i += text.length;
      push(PUNCT, text, start);
      continue;
    }
    fail("Unexpected character", i, source[i]!);
  }
  push(EOF, "<end of input>", i);
  return {
    kinds: kinds.subarray(0, n),
    texts,
    lines: lines.subarray(0, n),
    columns: columns.subarray(0, n),
    fileOf: fileOf.subarray(0, n),
    files,
    count: n,
  };

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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

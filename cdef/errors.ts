/**
 * The errors `cdef` throws: a syntax error that names the header, line, column and token, and a construct
 * that was read but cannot be bound yet.
 *
 * @module
 */

/** Where in the C source something is: the file a line marker named (or `"<input>"`), line and column. */
export interface CLocation {
  /** The header the line came from, as `cc -E` named it, or `"<input>"`. */
  readonly file: string;
  /** 1-based line in that file. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** C text that `cdef` cannot read: names the file, line, column and the token found. */
export class CSyntaxError extends SyntaxError {
  /** The header the error is in, as its line marker named it, or `"<input>"`. */
  readonly file: string;
  /** 1-based line in `file`. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The token found there (`"<end of input>"` at the end). */
  readonly token: string;

  /**
   * Makes the error; the message starts with `file:line:column:` and ends with the token found.
   *
   * @param message What was expected.
   * @param where The location and token.
   */
  constructor(message: string, where: CLocation & { token: string }) {
    super(`${where.file}:${where.line}:${where.column}: ${message}, found "${where.token}"`);
    this.name = "CSyntaxError";
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.token = where.token;
  }
}

/** What kind of declaration `skip` leaves out: `"unbindable"` ones are refused otherwise, the others bound. */
export type UnsupportedKind = "variadic" | "globals" | "unbindable";

/** A declaration that `cdef` read but cannot bind yet (a function that takes a `long double`, …). */
export class CUnsupportedError extends TypeError {
  /** Which kind of declaration: pass it in `skip` to leave such declarations out instead. */
  readonly kind: UnsupportedKind;
  /** The declared name. */
  readonly declaration: string;
  /** The header the declaration is in. */
  readonly file: string;
  /** 1-based line in `file`. */
  readonly line: number;

  /**
   * Makes the error; the message names the declaration, why, and the `skip` that leaves it out.
   *
   * @param kind The kind of declaration.
   * @param declaration Its name.
   * @param reason Why it cannot be bound.
   * @param where Where it was declared.
   */
  constructor(kind: UnsupportedKind, declaration: string, reason: string, where: CLocation) {
    super(
      `${where.file}:${where.line}: Cannot bind "${declaration}": ${reason} (pass { skip: ["${kind}"] } to leave it out)`,
    );
    this.name = "CUnsupportedError";
    this.kind = kind;
    this.declaration = declaration;
    this.file = where.file;
    this.line = where.line;
  }
}

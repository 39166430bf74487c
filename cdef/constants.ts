/**
 * The constant expression evaluator: enum values and array lengths, with C's integer types (32- or 64-bit,
 * signed or unsigned), casts, `sizeof`, `_Alignof` and `__builtin_offsetof`.
 *
 * @module
 */
import type { CType } from "./declarations.ts";

/** An integer constant with its C type: `wide` for 64 bits, `unsigned` for an unsigned type. */
export interface CValue {
  readonly value: bigint;
  readonly unsigned: boolean;
  readonly wide: boolean;
  /** Set on the result of a cast to a pointer type (`(void *)-1`): an address constant, not an integer. */
  readonly pointer?: boolean;
}

/** Sizes the parser asks for (`sizeof` in constant expressions), answered by the layout mapping. */
export interface SizeOracle {
  sizeOf(type: CType): number;
  alignOf(type: CType): number;
  offsetOf(type: CType, path: string[]): number;
}

/** What the evaluator needs from the parser: tokens, type names, and sizes. */
export interface ExpressionHost extends SizeOracle {
  /** The current token's text and kind (see `lexer.ts`). */
  peek(): string;
  peekKind(): number;
  /** Consumes the current token and returns its text. */
  next(): string;
  /** Consumes `text` or throws a syntax error. */
  expect(text: string): void;
  /** Throws a syntax error at the current token. */
  fail(message: string): never;
  /** Whether the token `ahead` places on starts a type name. */
  startsType(ahead: number): boolean;
  /** Reads a type name (`unsigned long`, `struct x *`). */
  typeName(): CType;
  /** An enum constant's value, or undefined. */
  constant(name: string): CValue | undefined;
}

/** Makes a value of the given type, wrapped to its width. */
export function cValue(value: bigint, unsigned: boolean, wide: boolean): CValue {
  // Most values are in range already: a comparison allocates nothing, a wrap a new bigint.
  if (value >= 0n && value <= 0x7fffffffn) return { value, unsigned, wide };
  const bits = wide ? 64 : 32;
  return { value: unsigned ? BigInt.asUintN(bits, value) : BigInt.asIntN(bits, value), unsigned, wide };
}

const INT = (v: bigint): CValue => cValue(v, false, false);

/** Reads an integer literal: `42`, `0x1fUL`, `0755`, `0b101`. */
function integerLiteral(text: string): CValue | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  const value = digits.length > 1 && digits[0] === "0" && /[0-7]/.test(digits[1]!)
    ? BigInt("0o" + digits.slice(1))
    : BigInt(digits);
  const suffix = m[2]!.toLowerCase();
  let unsigned = suffix.includes("u");
  let wide = suffix.includes("l");
  const decimal = /^[1-9]/.test(digits);
  if (!wide && value > (unsigned ? 0xffffffffn : 0x7fffffffn)) {
    if (!unsigned && !decimal && value <= 0xffffffffn) unsigned = true;
    else wide = true;
  }
  if (wide && !unsigned && value > 0x7fffffffffffffffn && !decimal) unsigned = true;
  return cValue(value, unsigned, wide);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, a: 7, b: 8, f: 12, v: 11, e: 27 };

function charLiteral(text: string): CValue {
  const body = text.slice(text.indexOf("'") + 1, -1);
  let code: number;
  if (body[0] !== "\\") code = body.codePointAt(0) ?? 0;
  else if (body[1] === "x") code = parseInt(body.slice(2), 16);
  else if (/^[0-7]/.test(body[1]!)) code = parseInt(body.slice(1), 8);
  else code = ESCAPES[body[1]!] ?? body.charCodeAt(1);
  // A plain char is signed on x86-64: '\xff' is -1.
  return INT(BigInt(text[0] === "'" && code > 127 && code < 256 ? code - 256 : code));
}

// Binary operators by precedence, loosest first.
const PRECEDENCE: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "|": 3,
  "^": 4,
  "&": 5,
  "==": 6,
  "!=": 6,
  "<": 7,
  ">": 7,
  "<=": 7,
  ">=": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

/**
 * Evaluates a constant expression up to (not including) a `,`, `]`, `}`, `)`, `;` or `:` at its level.
 *
 * @param host The parser.
 * @returns The value.
 * @throws {CSyntaxError} (through `host.fail`) on what is not an integer constant expression.
 */
export function evaluate(host: ExpressionHost): CValue {
  return conditional(host);
}

function conditional(host: ExpressionHost): CValue {
  const test = binary(host, 1);
  if (host.peek() !== "?") return test;
  host.next();
  const yes = conditional(host);
  host.expect(":");
  const no = conditional(host);
  const [a, b] = balance(yes, no);
  return test.value !== 0n ? a : b;
}

// The usual arithmetic conversions, on the two types there are here.
function balance(a: CValue, b: CValue): [CValue, CValue] {
  const wide = a.wide || b.wide;
  const unsigned = (a.unsigned && (a.wide || !b.wide)) || (b.unsigned && (b.wide || !a.wide));
  return [cValue(a.value, unsigned, wide), cValue(b.value, unsigned, wide)];
}

function binary(host: ExpressionHost, min: number): CValue {
  let left = unary(host);
  for (;;) {
    const op = host.peek();
    const level = PRECEDENCE[op];
    if (level === undefined || level < min || host.peekKind() !== 5) return left;
    host.next();
    const right = binary(host, level + 1);
    left = apply(host, op, left, right);
  }
}

function apply(host: ExpressionHost, op: string, left: CValue, right: CValue): CValue {
  if (op === "&&") return INT(left.value !== 0n && right.value !== 0n ? 1n : 0n);
  if (op === "||") return INT(left.value !== 0n || right.value !== 0n ? 1n : 0n);
  if (op === "<<" || op === ">>") {
    const l = cValue(left.value, left.unsigned, left.wide);
    const shift = right.value;
    if (shift < 0n || shift >= (l.wide ? 64n : 32n)) host.fail(`Cannot shift by ${shift}`);
    return cValue(op === "<<" ? l.value << shift : l.value >> shift, l.unsigned, l.wide);
  }
  const [a, b] = balance(left, right);
  const x = a.value, y = b.value;
  switch (op) {
    case "+":
      return cValue(x + y, a.unsigned, a.wide);
    case "-":
      return cValue(x - y, a.unsigned, a.wide);
    case "*":
      return cValue(x * y, a.unsigned, a.wide);
    case "/":
    case "%":
      if (y === 0n) host.fail("Division by zero in a constant expression");
      return cValue(op === "/" ? x / y : x % y, a.unsigned, a.wide);
    case "&":
      return cValue(x & y, a.unsigned, a.wide);
    case "|":
      return cValue(x | y, a.unsigned, a.wide);
    case "^":
      return cValue(x ^ y, a.unsigned, a.wide);
    case "==":
      return INT(x === y ? 1n : 0n);
    case "!=":
      return INT(x !== y ? 1n : 0n);
    case "<":
      return INT(x < y ? 1n : 0n);
    case ">":
      return INT(x > y ? 1n : 0n);
    case "<=":
      return INT(x <= y ? 1n : 0n);
    default:
      return INT(x >= y ? 1n : 0n);
  }
}

function castTo(type: CType, v: CValue): CValue {
  while (type.kind === "aligned") type = type.type;
  if (type.kind === "enum") {
    type = type.base ?? { kind: "int", size: 4, signed: false, plainChar: false, bool: false };
  }
  if (type.kind === "int") {
    if (type.bool) return INT(v.value !== 0n ? 1n : 0n);
    const bits = type.size * 8;
    const value = type.signed ? BigInt.asIntN(bits, v.value) : BigInt.asUintN(bits, v.value);
    return cValue(value, !type.signed && type.size >= 4, type.size > 4);
  }
  if (type.kind === "pointer") return { ...cValue(v.value, true, true), pointer: true };
  return v;
}

function unary(host: ExpressionHost): CValue {
  const kind = host.peekKind();
  const text = host.peek();
  if (kind === 2) {
    host.next();
    const v = integerLiteral(text);
    if (!v) host.fail("Expected an integer constant");
    return v;
  }
  if (kind === 4) return host.next(), charLiteral(text);
  if (kind === 1) {
    if (text === "sizeof" || text === "_Alignof" || text === "__alignof__" || text === "__alignof") {
      host.next();
      const size = text === "sizeof";
      let type: CType;
      if (host.peek() === "(" && host.startsType(1)) {
        host.next();
        type = host.typeName();
        host.expect(")");
      } else {
        host.fail(`Cannot take ${text} of an expression; only of a type`);
      }
      return cValue(BigInt(size ? host.sizeOf(type) : host.alignOf(type)), true, true);
    }
    if (text === "__builtin_offsetof") {
      host.next();
      host.expect("(");
      const type = host.typeName();
      host.expect(",");
      const path = [host.next()];
      while (host.peek() === ".") host.next(), path.push(host.next());
      host.expect(")");
      return cValue(BigInt(host.offsetOf(type, path)), true, true);
    }
    if (text === "__extension__") return host.next(), unary(host);
    const value = host.constant(text);
    if (value === undefined) host.fail(`Unknown constant "${text}"`);
    host.next();
    return value;
  }
  if (text === "(") {
    if (host.startsType(1)) {
      host.next();
      const type = host.typeName();
      host.expect(")");
      return castTo(type, unary(host));
    }
    host.next();
    const v = evaluate(host);
    host.expect(")");
    return v;
  }
  // Only a unary operator goes on; anything else (the end of the input included) is no expression.
  if (kind !== 5 || !(text === "-" || text === "+" || text === "~" || text === "!")) {
    host.fail("Expected a constant expression");
  }
  host.next();
  const operand = unary(host);
  switch (text) {
    case "-":
      return cValue(-operand.value, operand.unsigned, operand.wide);
    case "+":
      return operand;
    case "~":
      return cValue(~operand.value, operand.unsigned, operand.wide);
    case "!":
      return INT(operand.value === 0n ? 1n : 0n);
  }
  return host.fail("Expected a constant expression");
}

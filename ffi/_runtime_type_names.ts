/**
 * The type names of raw `Deno.dlopen` and `bun:ffi` tables (`"i32"`, `"pointer"`, `"ptr"`, `"cstring"`), met
 * where the toolkit expects one of its typed constants: refused, with what to write instead.
 *
 * Refused rather than accepted: a table's TypeScript types are derived from its constants (`i32` carries its
 * value type), and a string would need a second vocabulary, of two runtimes whose names do not mean the same
 * (Bun's `"ptr"` argument takes a typed array or a pointer, Deno's `"pointer"` only a pointer; Bun's `"cstring"`
 * result is a decoded string whose memory nobody frees, `"i64_fast"` a number or a BigInt). Each name maps to
 * the one constant that does what the raw table meant.
 *
 * @module
 */

// What to write for each name, as a parameter and as a result (when it differs).
const SAME: Record<string, string> = {
  i8: "i8",
  int8_t: "i8",
  char: "char (or i8)",
  u8: "u8",
  uint8_t: "u8",
  i16: "i16",
  int16_t: "i16",
  u16: "u16",
  uint16_t: "u16",
  i32: "i32",
  int32_t: "i32",
  int: "int (or i32)",
  u32: "u32",
  uint32_t: "u32",
  i64: "i64",
  int64_t: "i64",
  u64: "u64",
  uint64_t: "u64",
  isize: "isize",
  usize: "usize (or size_t)",
  f32: "f32",
  float: "f32",
  f64: "f64",
  double: "f64",
  bool: "bool",
  void: "void_",
  i64_fast: "i64 (a BigInt both ways; Bun's i64_fast gives a number or a BigInt)",
  u64_fast: "u64 (a BigInt both ways; Bun's u64_fast gives a number or a BigInt)",
};

const POINTER_ARGUMENT = "pointer for a Pointer (or null), or buffer for a typed array lent for the call";
const ARGUMENT: Record<string, string> = {
  pointer: POINTER_ARGUMENT,
  ptr: POINTER_ARGUMENT,
  "void*": POINTER_ARGUMENT,
  "char*": "cstringArg, and pass cstring(text)",
  buffer: "buffer",
  function: "functionPointer, and pass a callback() or a Pointer",
  fn: "functionPointer, and pass a callback() or a Pointer",
  callback: "functionPointer, and pass a callback() or a Pointer",
  cstring: "cstringArg, and pass cstring(text)",
};

const POINTER_RESULT = "pointer";
const RESULT: Record<string, string> = {
  pointer: POINTER_RESULT,
  ptr: POINTER_RESULT,
  "void*": POINTER_RESULT,
  buffer: POINTER_RESULT,
  function: POINTER_RESULT,
  fn: POINTER_RESULT,
  callback: POINTER_RESULT,
  "char*": "pointer, and read the string with readCString() (null for a NULL result)",
  cstring: "pointer, and read the string with readCString() (null for a NULL result)",
};

/**
 * What to write instead of a runtime's type name, or `undefined` for a string that is none.
 *
 * @param name The string given as a type.
 * @param result Whether it was given as a result (some names mean another thing there).
 */
export function runtimeTypeAdvice(name: string, result: boolean): string | undefined {
  if (Object.hasOwn(SAME, name)) return SAME[name];
  const table = result ? RESULT : ARGUMENT;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * The error for a type given as a string: a runtime's name says what to write instead; another string says
 * what a type is.
 *
 * @param what What was declared: `argument 0 of "abs"`, `the result of "getenv"`.
 * @param name The string.
 * @param result Whether it is a result.
 */
export function stringTypeError(what: string, name: string, result: boolean): TypeError {
  const advice = runtimeTypeAdvice(name, result);
  if (advice !== undefined) {
    return new TypeError(
      `Cannot declare ${what} as "${name}": that is a raw Deno.dlopen/bun:ffi type name; ` +
        `write the toolkit's ${advice}, imported from ffikit`,
    );
  }
  return new TypeError(
    `Cannot declare ${what} as "${name}": expected a type constant such as i32 or pointer, not a string`,
  );
}

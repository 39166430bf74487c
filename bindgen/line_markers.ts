/**
 * What the preprocessor's line markers (`# 1 "/usr/include/zlib.h" 1 3 4`) say about the headers: which files
 * the input included itself (the headers asked for, whose declarations the module binds), and the
 * object-like `#define`s that `cc -dD` kept, each with the header and line it came from.
 *
 * @module
 */

/** An object-like macro: `#define NAME body`. */
export interface MacroDefinition {
  readonly name: string;
  /** The replacement text as written (comments removed by the preprocessor). */
  readonly body: string;
  readonly file: string;
  readonly line: number;
}

/** What one pass over the preprocessed text found. */
export interface MarkedText {
  /** The headers the input included directly, as the markers name them. */
  readonly roots: ReadonlySet<string>;
  /** Object-like macros still defined at the end, in definition order. */
  readonly macros: readonly MacroDefinition[];
}

const MARKER = /^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"((?:\s+\d+)*)\s*$/;
const DEFINE = /^#\s*define\s+([A-Za-z_$][\w$]*)(\(?)\s*(.*)$/;
const UNDEF = /^#\s*undef\s+([A-Za-z_$][\w$]*)/;

/**
 * Reads the line markers and `#define`/`#undef` lines of `cc -E -dD` output.
 *
 * @param text The preprocessed text.
 * @param input The name the compiler gives its input (`"<stdin>"`).
 * @returns The root headers and the object-like macros.
 */
export function readMarkers(text: string, input = "<stdin>"): MarkedText {
  const roots = new Set<string>();
  const macros = new Map<string, MacroDefinition>();
  const stack: string[] = [];
  let file = input;
  let line = 1;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const current = text.slice(start, end);
    start = end + 1;
    if (current.charCodeAt(0) !== 35) {
      line++;
      continue;
    }
    const marker = MARKER.exec(current);
    if (marker) {
      const flags = marker[3]!.trim().split(/\s+/);
      const name = JSON.parse(`"${marker[2]!}"`) as string;
      if (flags.includes("1")) {
        stack.push(file);
        if (file === input) roots.add(name);
      } else if (flags.includes("2")) stack.pop();
      file = name;
      line = Number(marker[1]);
      continue;
    }
    const define = DEFINE.exec(current);
    if (define) {
      // A function-like macro has "(" right after its name; those are not constants.
      if (define[2] === "") macros.set(define[1]!, { name: define[1]!, body: define[3]!.trim(), file, line });
      else macros.delete(define[1]!);
    } else {
      const undef = UNDEF.exec(current);
      if (undef) macros.delete(undef[1]!);
    }
    line++;
  }
  return { roots, macros: [...macros.values()] };
}

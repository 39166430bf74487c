/**
 * Quotes declarations from the headers themselves, by the lines their line markers gave: what a person reads
 * in the header (its macros and comments included), as `//` comment lines.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import type { CSpan } from "../cdef/declarations.ts";

/** Reads headers once each. */
export class SourceQuoter {
  readonly #files = new Map<string, string[] | undefined>();

  #lines(file: string): string[] | undefined {
    if (!this.#files.has(file)) {
      this.#files.set(file, existsSync(file) ? readFileSync(file, "utf8").split("\n") : undefined);
    }
    return this.#files.get(file);
  }

  /**
   * The declaration's lines, tabs expanded and trailing blanks removed; none when the header cannot be read.
   *
   * @param span Where the declaration is.
   * @returns Its lines.
   */
  lines(span: CSpan | undefined): string[] {
    if (span === undefined) return [];
    const lines = this.#lines(span.file);
    if (lines === undefined) return [];
    return lines.slice(span.line - 1, span.endLine).map(expandTabs);
  }

  /**
   * The declaration as `//` comment lines at an indentation.
   *
   * @param span Where the declaration is.
   * @param indent The indentation.
   * @returns The comment, each line ending in a newline.
   */
  comment(span: CSpan | undefined, indent = ""): string {
    return this.lines(span).map((line) => `${indent}//${line === "" ? "" : " "}${line}\n`).join("");
  }

  /**
   * The declaration on one line, comments removed and blanks collapsed: a function's signature.
   *
   * @param span Where the declaration is.
   * @returns The one line, or an empty string.
   */
  oneLine(span: CSpan | undefined): string {
    return this.lines(span).join("\n")
      .replace(/\/\*[\s\S]*?\*\//g, " ")
      .replace(/\/\/[^\n]*/g, " ")
      .replace(/\s+/g, " ")
      .replace(/\(\s/g, "(")
      .replace(/\s\)/g, ")")
      .replace(/\s,/g, ",")
      .trim();
  }
}

function expandTabs(line: string): string {
  let out = "";
  for (const c of line) out += c === "\t" ? " ".repeat(8 - (out.length % 8)) : c;
  return out.trimEnd();
}

/** A header's path as a reader knows it: without the system include directory, or relative to the working one. */
export function shortPath(file: string): string {
  for (
    const prefix of [
      `${process.cwd()}/`,
      "/usr/include/x86_64-linux-gnu/",
      "/usr/include/",
      "/usr/local/include/",
    ]
  ) {
    if (file.startsWith(prefix)) return file.slice(prefix.length);
  }
  return file;
}

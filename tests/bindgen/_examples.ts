/**
 * The three libraries of `examples/` that `deno task bindgen` generated, with the command line of each:
 * the tests regenerate them and compare, compile their layout tests and call them.
 *
 * @module
 */
import { execFileSync } from "node:child_process";

/** One generated example. */
export interface Example {
  /** What it binds. */
  readonly name: string;
  /** The arguments after `deno task bindgen --`. */
  readonly args: readonly string[];
  /** The module, from the repository's root. */
  readonly module: string;
  /** The C layout test, from the repository's root. */
  readonly layoutTest: string;
  /** The headers it needs, and the Debian package that has them. */
  readonly headers: readonly string[];
  readonly package: string;
}

function example(name: string, headers: string[], pkg: string, out: string, library?: string): Example {
  const module = `examples/${out}.ts`;
  const layoutTest = `examples/${out}_layouts.c`;
  const args = [
    ...headers,
    ...(library === undefined ? [] : ["--library", library]),
    "--import",
    "../../mod.ts",
    "--out",
    module,
    "--layout-test",
    layoutTest,
  ];
  return { name, args, module, layoutTest, headers, package: pkg };
}

/** The examples. */
export const EXAMPLES: readonly Example[] = [
  example("zlib", ["zlib.h"], "zlib1g-dev", "zlib/zlib", "libz.so.1"),
  example("sqlite3", ["sqlite3.h"], "libsqlite3-dev", "sqlite3/sqlite3", "libsqlite3.so.0"),
  example(
    "kernel",
    ["linux/taskstats.h", "linux/inet_diag.h"],
    "linux-libc-dev",
    "kernel/taskstats_inet_diag",
  ),
];

/**
 * Why an example cannot be checked here (a header missing), or undefined when it can.
 *
 * @param example The example.
 * @returns The reason, for the test's one skip line, or false.
 */
export function missingHeader(example: Example): string | false {
  for (const header of example.headers) {
    try {
      execFileSync("cc", ["-E", "-x", "c", "-"], { input: `#include <${header}>\n`, stdio: "pipe" });
    } catch {
      return `<${header}> is not installed (Debian: apt-get install ${example.package})`;
    }
  }
  return false;
}

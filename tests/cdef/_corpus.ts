/**
 * The header corpus of the cdef tests and benchmark: every C header of `libc6-dev`, `linux-libc-dev` and
 * `libdrm-dev` (when installed) that compiles alone with `_GNU_SOURCE`, included together in one translation
 * unit (a header that breaks the unit is dropped, and said so), and its `cc -E` output. Each step is cached
 * by content under the system's temporary folder: the first run takes minutes, the next milliseconds.
 *
 * @module
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The corpus: which headers, the unit that includes them, and its preprocessed text. */
export interface Corpus {
  /** The packages whose headers were taken. */
  packages: string[];
  /** The headers included, as `<path>` names, in include order. */
  headers: string[];
  /** Headers that compile alone but broke the unit, with the first error. */
  dropped: { header: string; error: string }[];
  /** The translation unit's source. */
  unit: string;
  /** Its `cc -E` output, line markers kept. */
  preprocessed: string;
}

const PACKAGES = ["libc6-dev", "linux-libc-dev", "libdrm-dev"];
const ROOTS = ["/usr/include/x86_64-linux-gnu/", "/usr/include/aarch64-linux-gnu/", "/usr/include/"];
const cacheDir = join(tmpdir(), "ffikit-cdef-corpus");

function hash(...parts: string[]): string {
  const h = createHash("sha256");
  for (const part of parts) h.update(part).update("\0");
  return h.digest("hex").slice(0, 16);
}

function installed(name: string): boolean {
  try {
    execFileSync("dpkg", ["-s", name], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/** `<name>` of each header the packages install, by `dpkg -L`. */
function headerNames(packages: string[]): string[] {
  const names = new Set<string>();
  for (const name of packages) {
    const files = execFileSync("dpkg", ["-L", name], { encoding: "utf8" }).split("\n");
    for (const file of files) {
      if (!file.endsWith(".h")) continue;
      const root = ROOTS.find((r) => file.startsWith(r));
      if (root) names.add(file.slice(root.length));
    }
  }
  return [...names].sort();
}

function unitOf(headers: string[]): string {
  return `#define _GNU_SOURCE\n${headers.map((h) => `#include <${h}>`).join("\n")}\n`;
}

function compile(source: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn("cc", ["-fsyntax-only", "-fmax-errors=1", "-w", "-x", "c", "-"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve(code === 0 ? undefined : stderr));
    child.stdin.end(source);
  });
}

function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${key}.json`);
  if (existsSync(file)) return Promise.resolve(JSON.parse(readFileSync(file, "utf8")) as T);
  return make().then((value) => {
    writeFileSync(file, JSON.stringify(value));
    return value;
  });
}

/** The headers that compile alone (two compilers at a time). */
async function aloneOk(names: string[]): Promise<string[]> {
  const ok: boolean[] = new Array(names.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      ok[i] = (await compile(unitOf([names[i]!]))) === undefined;
    }
  };
  await Promise.all([worker(), worker()]);
  return names.filter((_, i) => ok[i]);
}

/** Drops, one at a time, the header whose inclusion the unit's first error comes from. */
async function together(names: string[]): Promise<{ headers: string[]; dropped: Corpus["dropped"] }> {
  let headers = [...names];
  const dropped: Corpus["dropped"] = [];
  for (;;) {
    const error = await compile(unitOf(headers));
    if (error === undefined) return { headers, dropped };
    // "In file included from <stdin>:12:" names the unit's line (1 is the #define); else the error is on it.
    const match = /<stdin>:(\d+)/.exec(error);
    if (!match) throw new Error(`Cannot place the corpus error:\n${error}`);
    const index = Number(match[1]) - 2;
    const header = headers[index];
    if (header === undefined) throw new Error(`Cannot place the corpus error:\n${error}`);
    dropped.push({ header, error: error.split("\n").find((l) => l.includes("error:")) ?? error });
    headers = headers.filter((_, i) => i !== index);
  }
}

/**
 * Builds (or reads from the cache) the corpus.
 *
 * @returns The corpus.
 */
export async function corpus(): Promise<Corpus> {
  const packages = PACKAGES.filter(installed);
  const names = headerNames(packages);
  const version = execFileSync("cc", ["--version"], { encoding: "utf8" });
  const key = hash(version, ...names);
  const alone = await cached(`alone-${key}`, () => aloneOk(names));
  const { headers, dropped } = await cached(`together-${key}`, () => together(alone));
  const unit = unitOf(headers);
  const file = join(cacheDir, `unit-${hash(version, unit)}.i`);
  if (!existsSync(file)) {
    execFileSync("cc", ["-E", "-x", "c", "-", "-o", file], { input: unit, stdio: "pipe" });
  }
  return { packages, headers, dropped, unit, preprocessed: readFileSync(file, "utf8") };
}

if (import.meta.main) {
  const c = await corpus();
  console.log(
    `${
      c.packages.join(", ")
    }: ${c.headers.length} headers, ${c.dropped.length} dropped, ${c.preprocessed.length} bytes, ${
      c.preprocessed.split("\n").length
    } lines`,
  );
  for (const d of c.dropped) console.log(`dropped ${d.header}: ${d.error}`);
}

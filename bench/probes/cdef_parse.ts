/**
 * Probe (Deno and Bun): how long `cdef()` takes over the system headers after `cc -E` (the corpus of
 * `tests/cdef/headers_test.ts`: libc6-dev, linux-libc-dev, libdrm-dev), against the floor of any one-pass
 * reader (one `charCodeAt` over every character), the lexer alone and the parser alone (over tokens lexed
 * once); and what building every layout at once would add, which is why `cdef` builds a type's layout on first
 * use.
 *
 * Decided: layouts built on first use; a LuaJIT-shaped lexer and parser (`cdef/lexer.ts`, `cdef/parser.ts`):
 * identifiers interned, keywords and punctuators as integer ids, classified by one array read, spans kept as
 * token indices until asked for, tags looked up by the interned tag, small enumerator values counted in
 * numbers. Before and after that rewrite (docs/runtime-notes.md, "Reading C declarations"), median ms per MB:
 * `cdef` 255–302 → 207–221 on Deno, 330–593 → 95–238 on Bun. Then (the second section there): no text array
 * per token, one object per integer type, each by-value struct classified once, `constants` built on first
 * read. The target is 0.95 MB in under 100 ms on both runtimes; the figures are per MB, so that a
 * corpus of another size compares. `ROUNDS=n` sets the rounds; `BEFORE=<folder of another checkout>` also
 * times that checkout's `cdef` interleaved with this one's in the same process (the ratio to read on a
 * loaded machine).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/cdef_parse.ts` and
 * `./node_modules/.bin/bun bench/probes/cdef_parse.ts` (the first run builds the corpus: minutes); e.g.
 * `git worktree add --detach <folder> main` and `BEFORE=<folder>` to compare with main.
 *
 * @module
 */
import { cdef } from "../../mod.ts";
import { LayoutMapper } from "../../cdef/layouts.ts";
import { tokenize } from "../../cdef/lexer.ts";
import { Parser } from "../../cdef/parser.ts";
import { corpus } from "../../tests/cdef/_corpus.ts";
import process from "node:process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { timeInterleaved } from "./_interleaved.ts";
import { report, time } from "./_time.ts";

const text = (await corpus()).preprocessed;
const megabytes = text.length / 1e6;
const skip = { skip: ["variadic", "globals", "unbindable"] } as const;

function scan(): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}

function everyLayout(): number {
  const types = cdef(text, skip).types;
  let sum = 0;
  for (const name in types) sum += (types[name] as { kind: string }).kind.length;
  return sum;
}

// ns per operation with ops = 1 is ns per corpus; printed below as ms per MB too.
// The parser alone, over tokens lexed once (a fresh layout mapping each time, as in cdef).
const tokens = tokenize(text);
const rounds = Number(process.env.ROUNDS ?? 15);
const timings = [
  time("scan (baseline)", scan, { ops: 1, rounds, warmup: 3 }),
  time("tokenize", () => tokenize(text).count, { ops: 1, rounds, warmup: 3 }),
  time("parse", () => new Parser(tokens, new LayoutMapper()).parse(), { ops: 1, rounds, warmup: 3 }),
  time("cdef", () => cdef(text, skip), { ops: 1, rounds, warmup: 3 }),
  time("cdef + every layout", everyLayout, { ops: 1, rounds: 1, warmup: 0 }),
];
report(
  `cdef over ${megabytes.toFixed(2)} MB of preprocessed headers, ns per corpus`,
  timings,
  "scan (baseline)",
);
for (const t of timings) {
  console.log(
    `  ${t.name}: ${(t.best / 1e6 / megabytes).toFixed(1)} ms per MB (best), ${
      (t.median / 1e6 / megabytes).toFixed(1)
    } median; ${(t.best / 1e6 / megabytes * 0.95).toFixed(0)} ms per 0.95 MB (the issue's measure)`,
  );
}

const before = process.env.BEFORE;
if (before !== undefined) {
  const other = (await import(pathToFileURL(join(before, "mod.ts")).href)).cdef as typeof cdef;
  const pair = timeInterleaved({
    "cdef (this checkout)": { run: () => cdef(text, skip), ops: 1 },
    [`cdef (${before})`]: { run: () => other(text, skip), ops: 1 },
  }, rounds);
  console.log(`Interleaved in one process, ${rounds} rounds:`);
  for (const t of pair) {
    console.log(
      `  ${t.name}: ${(t.best / 1e6 / megabytes * 0.95).toFixed(0)} ms per 0.95 MB (best), ${
        (t.median / 1e6 / megabytes * 0.95).toFixed(0)
      } median`,
    );
  }
}

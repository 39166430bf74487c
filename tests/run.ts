/**
 * Runs the whole test suite on Deno and then on Bun, then `tests/structs` and `tests/ffi` again on both with
 * `FFIKIT_NO_CODEGEN=1` (the plain path), and ends with one summary line.
 *
 * `tests/windows/` runs under Wine (`deno task test:windows`) and `tests/browser/` in Chromium
 * (`deno task test:browser`); they are not part of this run.
 *
 * @module
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const excluded = new Set(["windows", "browser", "fixtures"]);

function testPaths(): string[] {
  const paths: string[] = [];
  for (const name of readdirSync(join(root, "tests")).sort()) {
    const path = join("tests", name);
    if (statSync(join(root, path)).isDirectory()) {
      if (!excluded.has(name)) paths.push(path);
    } else if (name.endsWith("_test.ts")) {
      paths.push(path);
    }
  }
  return paths;
}

const bin = (name: string) => join(root, "node_modules", ".bin", name);

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const child = new Deno.Command(command, { args, cwd: root, env, stdout: "piped", stderr: "piped" }).spawn();
  const decoder = new TextDecoder();
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      await sink.write(chunk);
    }
  };
  await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
  return { code: (await child.status).code, output };
}

// deno's summary: "ok | 49 passed | 0 failed (4s)"; bun's: " 49 pass" / " 0 fail" lines.
// deno-lint-ignore no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

function denoCounts(output: string): [number, number] {
  const match = /(\d+) passed[^\n]*?\| (\d+) failed/.exec(plain(output).split("\n").reverse().join("\n"));
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function bunCounts(output: string): [number, number] {
  const text = plain(output);
  const pass = [...text.matchAll(/^\s*(\d+) pass$/gm)].at(-1)?.[1];
  const fail = [...text.matchAll(/^\s*(\d+) fail$/gm)].at(-1)?.[1];
  return [Number(pass ?? 0), Number(fail ?? 0)];
}

/** Whether `cc` runs: the tests compile C fixtures and check values against what the compiler says. */
function hasCCompiler(): boolean {
  try {
    new Deno.Command("cc", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

// Without cc, a third of the tests would each fail with "spawnSync cc ENOENT": say it once instead.
if (!hasCCompiler()) {
  console.error(
    "tests: no C compiler (cc) on PATH: the tests compile C fixtures to check against; install gcc (apt-get install gcc)",
  );
  Deno.exit(1);
}

/** One runtime's test command and how its summary counts passes and failures. */
const RUNNERS = {
  deno: { command: Deno.execPath(), args: ["test", "-A", "--v8-flags=--expose-gc"], counts: denoCounts },
  bun: { command: bin("bun"), args: ["test", "--timeout", "120000"], counts: bunCounts },
};

/** Runs `paths` on one runtime and returns its exit status and counts. */
async function suite(
  label: string,
  runner: keyof typeof RUNNERS,
  paths: string[],
  env?: Record<string, string>,
) {
  const { command, args, counts } = RUNNERS[runner];
  const result = await run(command, [...args, ...paths], env);
  return { label, result, counts: counts(result.output) };
}

const paths = testPaths();
console.log(`Running ${paths.join(" ")} on Deno, then on Bun`);
const runs = [await suite("deno", "deno", paths), await suite("bun", "bun", paths)];
// The plain path of the one code-generation policy (structs/_codegen.ts) under the same structs and ffi tests:
// with FFIKIT_NO_CODEGEN=1 no layout, array, column, cursor, iterator or call wrapper is generated, even where a
// test asks for generated code.
const plainPaths = ["tests/structs", "tests/ffi"];
const off = { FFIKIT_NO_CODEGEN: "1" };
console.log(
  `\nRunning ${plainPaths.join(" ")} again on Deno and on Bun with FFIKIT_NO_CODEGEN=1 (the plain path)`,
);
runs.push(
  await suite("deno, no generated code", "deno", plainPaths, off),
  await suite("bun, no generated code", "bun", plainPaths, off),
);

let passed = 0;
let failed = 0;
let ranNothing = false;
for (const { label, result, counts: [p, f] } of runs) {
  console.log(`${label}: ${p} passed, ${f} failed (exit ${result.code})`);
  passed += p;
  // A runner that exits non-zero without counting a failure (a crash, a type error) still fails the run.
  failed += f + (result.code !== 0 && f === 0 ? 1 : 0);
  ranNothing ||= p === 0;
}
if (ranNothing) console.log("error: a run executed no test");
console.log(`tests: ${passed} passed, ${failed} failed`);
Deno.exit(failed > 0 || ranNothing ? 1 : 0);

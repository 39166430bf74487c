/**
 * The built packages (build/): made into a temporary folder, then used as a program would, by a process of
 * this runtime importing its own package (`deno/` or `bun/`), against the sources, `/proc` and the compilers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildRecord, BUN, isCurrent } from "../../build/main.ts";
import { DENO } from "../../build/deno.ts";
import { BUNDLE } from "../../build/bun.ts";
import { entries, entryFile, packageSources, ROOT } from "../../build/entries.ts";
import { runScript, runtime, test } from "../harness.ts";

// A build of the packages made afresh for this file's tests, one folder per runtime (the two may run at once),
// under the ignored .cache/ so that no run leaves one behind in the temporary folder.
const built = join(ROOT, ".cache", `build-test-${runtime}`);
let made = false;
function packages(): string {
  if (!made) {
    rmSync(built, { recursive: true, force: true });
    mkdirSync(built, { recursive: true });
    build(join(built, "dist"));
    made = true;
  }
  return join(built, "dist");
}

/** Runs `source` as a module in the packages' folder on this runtime; its standard output. */
async function runInPackages(source: string): Promise<string> {
  const path = join(packages(), `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(path, source);
  const outcome = await runScript(path, [], packages(), 60_000);
  rmSync(path);
  assert.equal(outcome.code, 0, `${path} failed:\n${outcome.stdout}${outcome.stderr}`);
  return outcome.stdout;
}

test("build() makes a package per runtime whose entry points export exactly their sources' names", async () => {
  const files = entries().map(({ source }) => `./${runtime}/${entryFile(source)}`);
  const printed = JSON.parse(
    await runInPackages(`const names = {};
for (const file of ${JSON.stringify(files)}) names[file] = Object.keys(await import(file)).sort();
console.log(JSON.stringify(names));
`),
  ) as Record<string, string[]>;
  for (const { source } of entries()) {
    const own = Object.keys(await import(join(ROOT, source))).sort();
    assert.ok(own.length > 0, `${source} exports nothing`);
    assert.deepEqual(printed[`./${runtime}/${entryFile(source)}`], own, `${runtime}'s package: ${source}`);
  }
});

test("the entry points of a built package share one toolkit: a name is the same object from each", async () => {
  const files = entries().map(({ source }) => `./${runtime}/${entryFile(source)}`);
  const output = await runInPackages(`const all = await import(${JSON.stringify(files[0])});
const different = [];
let compared = 0;
for (const file of ${JSON.stringify(files.slice(1))}) {
  for (const [name, value] of Object.entries(await import(file))) {
    compared++;
    if (all[name] !== value) different.push(file + ": " + name);
  }
}
console.log(JSON.stringify({ compared, different }));
`);
  const { compared, different } = JSON.parse(output) as { compared: number; different: string[] };
  assert.ok(compared > 100, `compared ${compared} names`);
  assert.deepEqual(different, []);
});

test("a program on the built package calls libc, reads a struct and makes a call on a pool thread", async () => {
  const output = await runInPackages(
    `import { array, buffer, char, dlopen, int, struct } from "./${runtime}/mod.js";
const field = array(char, 65, { string: true });
const utsname = struct({
  sysname: field, nodename: field, release: field, version: field, machine: field, domainname: field,
});
using libc = dlopen("libc.so.6", {
  uname: { args: [buffer], returns: int, fails: -1 },
  unameLater: { symbol: "uname", args: [buffer], returns: int, fails: -1, nonblocking: true },
});
const now = new Uint8Array(utsname.size);
libc.symbols.uname(now);
const later = new Uint8Array(utsname.size);
await libc.symbols.unameLater(later);
console.log(JSON.stringify([utsname.cast(now).release, utsname.cast(later).release]));
`,
  );
  const release = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  assert.deepEqual(JSON.parse(output), [release, release]);
});

test("Deno type-checks a program on the Deno package against the sources' types", () => {
  // Outside the repository (whose deno.json leaves .cache/ unchecked), with its compiler options.
  const dir = mkdtempSync(join(tmpdir(), "ffikit-typed-"));
  const check = (body: string) => {
    const path = join(dir, "typed.ts");
    const entry = pathToFileURL(join(packages(), "deno", "mod.js")).href;
    writeFileSync(
      path,
      `import { struct, u32 } from "${entry}";\nconst point = struct({ x: u32 });\n${body}\n`,
    );
    return spawnSync(DENO, ["check", "--config", join(ROOT, "deno.json"), path], { encoding: "utf8" });
  };
  try {
    const good = check("const x: number = point.read(new Uint8Array(4)).x;\nconsole.log(x);");
    assert.equal(good.status, 0, good.stderr);
    const bad = check("const x: string = point.read(new Uint8Array(4)).x;\nconsole.log(x);");
    assert.notEqual(bad.status, 0, "a number read into a string passes the check");
    assert.match(bad.stderr, /TS2322/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the Bun package carries bytecode, which Bun uses only while it matches the bundle beside it", () => {
  const dir = mkdtempSync(join(tmpdir(), "ffikit-bytecode-"));
  try {
    cpSync(join(packages(), "bun"), dir, { recursive: true });
    const bundle = join(dir, BUNDLE);
    const text = readFileSync(bundle, "utf8");
    assert.match(text, /^\/\/ @bun @bytecode @bun-cjs\n/);
    assert.ok(readFileSync(`${bundle}.jsc`).length > text.length, "the bytecode file is there");
    writeFileSync(join(dir, "probe.mjs"), 'import { u32 } from "./mod.js";\nconsole.log(u32.size);\n');
    assert.equal(execFileSync(BUN, ["probe.mjs"], { cwd: dir, encoding: "utf8" }), "4\n");
    // A bundle changed after its bytecode was made runs as its text says, not as the old bytecode would.
    writeFileSync(bundle, text.replace("{var ", '{console.log("changed");var '));
    assert.equal(execFileSync(BUN, ["probe.mjs"], { cwd: dir, encoding: "utf8" }), "changed\n4\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("isCurrent() takes a build for current only with the fingerprint of every module mod.ts loads", () => {
  const dir = packages();
  assert.equal(isCurrent(dir), true);
  const path = join(dir, "build.json");
  const record = JSON.parse(readFileSync(path, "utf8")) as BuildRecord;
  writeFileSync(path, JSON.stringify({ ...record, fingerprint: "0".repeat(64) }));
  assert.equal(isCurrent(dir), false);
  writeFileSync(path, JSON.stringify(record));
  assert.equal(isCurrent(dir), true);
  // Every local module of the sources' graph is fingerprinted (Deno's own account of the graph).
  const graph = JSON.parse(
    execFileSync(DENO, ["info", "--json", join(ROOT, "mod.ts")], { cwd: ROOT, encoding: "utf8" }),
  ) as { modules: { specifier: string }[] };
  const local = graph.modules.map((m) => m.specifier).filter((s) => s.startsWith("file:"))
    .map((s) => s.slice(`file://${ROOT}/`.length));
  assert.ok(local.length > 100, `${local.length} modules`);
  const sources = new Set(packageSources());
  assert.deepEqual(local.filter((file) => !sources.has(file)), []);
  assert.ok(sources.has(join("ffi", "_call_worker.js")), "the pool threads' body is fingerprinted");
  assert.ok(BUN && DENO);
});

test("a program that loads the built package beside the sources is told so when one refuses the other's layout", async () => {
  const output = await runInPackages(`import { struct as builtStruct, u32 } from "./${runtime}/mod.js";
import { struct } from ${JSON.stringify(pathToFileURL(join(ROOT, "mod.ts")).href)};
try {
  struct({ inner: builtStruct({ x: u32 }) });
  console.log("accepted");
} catch (error) {
  console.log(error.name + ": " + error.message);
}
`);
  assert.match(
    output,
    /^TypeError: Cannot lay out "struct": field "inner" has no field type \(a \w+, which may be another copy's: this program loaded 2 copies of ffikit/,
  );
});

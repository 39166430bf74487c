/**
 * ffikit installed as a user installs it, from a temporary folder: `npm pack` of this checkout, then a Bun
 * project that installs the tarball and imports "ffikit" by name, and a Deno project that maps
 * "@ffikit/ffikit" to the packed files (what `deno add jsr:@ffikit/ffikit` would fetch), then to the packed
 * built package for Deno (build/). Each calls `getpid` through `dlopen` and runs `examples/tcp_sockets.ts` with
 * its imports pointed at the package; Bun's import by name loads the built package for Bun.
 *
 * @module
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "../harness.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUN = join(ROOT, "node_modules", ".bin", "bun");
const DENO = join(ROOT, "node_modules", ".bin", "deno");

/** Runs a command, returning its standard output; a failure throws with what the command printed. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe", timeout: 60_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`, {
      cause: error,
    });
  }
}

// The script a user writes first: libc's getpid through the package, beside the runtime's own pid.
const GETPID = `import process from "node:process";
import { dlopen, i32 } from "NAME";
using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
console.log(libc.symbols.getpid(), process.pid);
`;

/** `examples/tcp_sockets.ts` importing the package `name` instead of this checkout. */
function exampleImporting(name: string): string {
  const source = readFileSync(join(ROOT, "examples", "tcp_sockets.ts"), "utf8");
  const rewritten = source.replaceAll('"../mod.ts"', `"${name}"`).replaceAll(
    '"../linux/mod.ts"',
    `"${name}/linux"`,
  );
  assert.match(rewritten, new RegExp(`from "${name}/linux"`), "the example imports the package");
  assert.doesNotMatch(rewritten, /from "\.\.?\//, "the example imports nothing from the checkout");
  return rewritten;
}

/** Checks what `getpid` printed: the same pid twice. */
function assertGetpid(output: string, runtime: string): void {
  const [ffi, own] = output.trim().split(" ").map(Number);
  assert.ok(Number.isSafeInteger(ffi) && ffi! > 0, `${runtime}: getpid printed ${JSON.stringify(output)}`);
  assert.equal(ffi, own, `${runtime}: getpid() through the package is the process's pid`);
}

/** Checks the example's output: its own listener is among the sockets it lists. */
function assertExample(output: string, runtime: string): void {
  const port = /this example listens on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  assert.ok(port, `${runtime}: the example ran:\n${output}`);
  assert.match(output, new RegExp(`^ipv4\\s+LISTEN\\s+127\\.0\\.0\\.1:${port}\\s`, "m"));
}

interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

test(
  "npm pack gives a package that Bun installs and imports by name and Deno imports by path, and an example runs from it",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "ffikit-pack-"));
    try {
      const [packed] = JSON.parse(
        run("npm", ["pack", "--json", "--pack-destination", dir], ROOT),
      ) as PackResult[];
      const files = packed!.files.map((file) => file.path);
      for (
        const path of [
          "LICENSE",
          "README.md",
          "package.json",
          "mod.ts",
          "structs/mod.ts",
          "ffi/mod.ts",
          // The built packages (build/), made by `npm pack` itself (package.json's "prepack").
          "dist/build.json",
          "dist/bun/mod.js",
          "dist/bun/ffikit.cjs",
          "dist/bun/ffikit.cjs.jsc",
          "dist/deno/mod.js",
          "dist/deno/_call_worker.js",
        ]
      ) {
        assert.ok(files.includes(path), `the package holds ${path}`);
      }
      for (
        const folder of ["tests/", "bench/", "dashboard/", "examples/", "windows/wine/", "node_modules/"]
      ) {
        assert.deepEqual(
          files.filter((path) => path.startsWith(folder)),
          [],
          `the package holds nothing of ${folder}`,
        );
      }
      const tarball = join(dir, packed!.filename);

      // Bun: a new npm project installs the tarball; nothing else is installed with it.
      const bunProject = join(dir, "bun");
      mkdirSync(bunProject);
      run("npm", ["init", "-y"], bunProject);
      run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], bunProject);
      assert.deepEqual(
        readdirSync(join(bunProject, "node_modules")).filter((name) => !name.startsWith(".")),
        ["ffikit"],
        "the package brings no dependencies",
      );
      writeFileSync(join(bunProject, "getpid.ts"), GETPID.replace("NAME", "ffikit"));
      writeFileSync(join(bunProject, "tcp_sockets.ts"), exampleImporting("ffikit"));
      assertGetpid(run(BUN, ["getpid.ts"], bunProject), "bun");
      assertExample(run(BUN, ["tcp_sockets.ts"], bunProject), "bun");
      // Deno in the same npm project: its "deno" export condition gives it the built package for Deno.
      // Deno type-checks it with the sources' types, through the "types" condition.
      writeFileSync(
        join(bunProject, "typed.ts"),
        'import { dlopen, i32 } from "ffikit";\nusing libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });\n' +
          "const pid: number = libc.symbols.getpid();\nconsole.log(pid);\n",
      );
      run(DENO, ["check", "typed.ts"], bunProject);
      assertGetpid(run(DENO, ["run", "-A", "getpid.ts"], bunProject), "deno (npm)");
      assert.match(
        run(DENO, ["info", "getpid.ts"], bunProject),
        /node_modules\/ffikit\/dist\/deno\/mod\.js/,
        "Deno resolves the package to its built package for Deno",
      );

      // Deno: the same files, unpacked outside node_modules (Deno strips no types there), under the JSR name.
      const denoProject = join(dir, "deno");
      mkdirSync(join(denoProject, "ffikit"), { recursive: true });
      run("tar", ["xzf", tarball, "-C", join(denoProject, "ffikit"), "--strip-components=1"], dir);
      writeFileSync(
        join(denoProject, "deno.json"),
        JSON.stringify({
          imports: { "@ffikit/ffikit": "./ffikit/mod.ts", "@ffikit/ffikit/linux": "./ffikit/linux/mod.ts" },
        }),
      );
      writeFileSync(join(denoProject, "getpid.ts"), GETPID.replace("NAME", "@ffikit/ffikit"));
      writeFileSync(join(denoProject, "tcp_sockets.ts"), exampleImporting("@ffikit/ffikit"));
      assertGetpid(run(DENO, ["run", "-A", "getpid.ts"], denoProject), "deno");
      assertExample(run(DENO, ["run", "-A", "tcp_sockets.ts"], denoProject), "deno");
      // The same through the built package for Deno, with the sources' types.
      writeFileSync(
        join(denoProject, "deno.json"),
        JSON.stringify({
          imports: {
            "@ffikit/ffikit": "./ffikit/dist/deno/mod.js",
            "@ffikit/ffikit/linux": "./ffikit/dist/deno/linux/mod.js",
          },
        }),
      );
      run(DENO, ["check", "getpid.ts", "tcp_sockets.ts"], denoProject);
      assertGetpid(run(DENO, ["run", "-A", "getpid.ts"], denoProject), "deno (built)");
      assertExample(run(DENO, ["run", "-A", "tcp_sockets.ts"], denoProject), "deno (built)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  { timeout: 90_000 },
);

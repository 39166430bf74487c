/**
 * Layouts are placed when declared and built on first use (issue 24): a declaration checks itself at once, its
 * members and accessors (generated code included) wait for the first read, write, view, cast or array; nested
 * layouts are built before an outer one keeps their functions; importing the OS bindings builds none.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtime, test } from "../harness.ts";
import { bothPaths } from "./_both_paths.ts";
import { codecOf, PENDING } from "../../structs/_codec.ts";
import { array, i32, struct, u16, u32, u8 } from "../../structs/mod.ts";

/** Bytes of `{ a: u8, b: u32 }` (a at 0, b at 4), written by hand. */
function pair(a: number, b: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const dv = new DataView(bytes.buffer);
  dv.setUint8(0, a);
  dv.setUint32(4, b, true);
  return bytes;
}

bothPaths("struct() places a layout at once and builds its accessors on its first read", (make) => {
  const T = make(() => struct({ a: u8, b: u32 }, { name: "pair" }));
  assert.ok(PENDING.has(T), "built before its first use");
  // Placement is there before the build: it is what the declaration is checked with.
  assert.deepEqual([T.size, T.align, T.fields.map((f) => f.offset)], [8, 4, [0, 4]]);
  assert.ok(PENDING.has(T), "size, align and fields build nothing");
  assert.deepEqual(T.read(pair(7, 0x01020304)), { a: 7, b: 0x01020304 });
  assert.ok(!PENDING.has(T), "built by its first read");
  assert.ok(Object.isFrozen(T), "frozen once built");
  assert.deepEqual(T.read(pair(9, 5)), { a: 9, b: 5 });
});

bothPaths("every first use builds a layout: write, encode, view, cast, array", (make) => {
  const uses: [string, (T: ReturnType<typeof declare>) => unknown][] = [
    ["write", (T) => T.write(new Uint8Array(8), { a: 1, b: 2 })],
    ["encode", (T) => T.encode({ a: 1, b: 2 })],
    ["view", (T) => T.view(pair(3, 4)).b],
    ["cast", (T) => T.cast(pair(3, 4)).a],
    ["array", (T) => T.array(new Uint8Array(16)).at(1).b],
  ];
  const declare = () => make(() => struct({ a: u8, b: u32 }));
  for (const [what, use] of uses) {
    const T = declare();
    assert.ok(PENDING.has(T), what);
    use(T);
    assert.ok(!PENDING.has(T), `${what} built it`);
  }
  const T = declare();
  assert.deepEqual(T.encode({ a: 1, b: 0x0a0b0c0d }), pair(1, 0x0a0b0c0d));
  assert.equal(declare().view(pair(3, 4)).b, 4);
  assert.equal(declare().array(new Uint8Array([...pair(1, 2), ...pair(5, 6)])).at(1).b, 6);
});

bothPaths("a bad declaration fails at struct(), not at its first use", (make) => {
  assert.throws(() => make(() => struct({ a: u8, b: 5 as never })), TypeError);
  assert.throws(() => make(() => struct({ a: u8 }, { pack: 3 })), RangeError);
  assert.throws(() => make(() => struct({ a: u8 }, { packd: true } as never)), /unknown option "packd"/);
});

bothPaths("nested layouts are built before the outer layout keeps their functions", (make) => {
  const Inner = make(() => struct({ x: u16, y: i32 }));
  const Row = make(() => struct({ id: u8, x: u16 }));
  const Outer = make(() => struct({ inner: Inner, rows: array(Row, 3) }));
  assert.ok(PENDING.has(Inner) && PENDING.has(Row) && PENDING.has(Outer));
  const bytes = new Uint8Array(Outer.size);
  const dv = new DataView(bytes.buffer);
  // inner at 0 (x at 0, y at 4), rows at 8, each 4 bytes (id at 0, x at 2).
  dv.setUint16(0, 11, true);
  dv.setInt32(4, -12, true);
  dv.setUint8(8 + 4, 13);
  dv.setUint16(8 + 4 + 2, 14, true);
  const view = Outer.view(bytes);
  assert.ok(!PENDING.has(Inner) && !PENDING.has(Row), "built with the outer layout");
  assert.deepEqual([view.inner.x, view.inner.y, view.rows.at(1).id, view.rows.at(1).x], [11, -12, 13, 14]);
  assert.deepEqual(Outer.read(bytes).inner, { x: 11, y: -12 });
});

bothPaths("a codec's functions kept before the first use read and write as the built ones", (make) => {
  const T = make(() => struct({ a: u8, b: u32 }));
  const { readAt, writeAt } = codecOf(T);
  const bytes = new Uint8Array(8);
  writeAt(new DataView(bytes.buffer), 0, { a: 2, b: 3 }, "T");
  assert.deepEqual(bytes, pair(2, 3));
  assert.deepEqual(readAt(new DataView(pair(4, 5).buffer), 0), { a: 4, b: 5 });
  assert.ok(!PENDING.has(T));
});

test(
  "importing mod.ts places and builds none of the layouts linux/ and windows/ export, makes no codec, and asks for no permission",
  () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), "ffikit-lazy-"));
    try {
      const script = join(dir, "count.ts");
      writeFileSync(
        script,
        `import "${join(root, "mod.ts")}";
import * as linux from "${join(root, "linux", "mod.ts")}";
import * as windows from "${join(root, "windows", "mod.ts")}";
import { PENDING } from "${join(root, "structs", "_codec.ts")}";
import { SCALAR_CODECS } from "${join(root, "structs", "_scalar_codec.ts")}";
const layouts = [...Object.values(linux), ...Object.values(windows)].filter((v) => PENDING.has(v as object));
const built = [...Object.entries(linux), ...Object.entries(windows)]
  .filter(([, v]) => typeof v === "object" && v !== null && "fields" in v && "size" in v && !PENDING.has(v))
  .map(([k]) => k);
// A deferred layout not yet placed has no size of its own yet, only a getter (structs/_deferred.ts).
const placed = [...Object.entries(linux), ...Object.entries(windows)]
  .filter(([, v]) => PENDING.has(v as object) && "value" in (Object.getOwnPropertyDescriptor(v, "size") ?? {}))
  .map(([k]) => k);
// The arrays those layouts hold make their codecs, and their scalar elements', with the layout's build.
const scalarCodecs = [...SCALAR_CODECS.keys()];
console.log(JSON.stringify({ pending: layouts.length, built, placed, scalarCodecs }));
`,
      );
      // Deno with no permission but reading: importing must not prompt for env, FFI or anything else.
      const args = runtime === "bun" ? [script] : ["run", "--allow-read", "--no-prompt", script];
      const child = spawnSync(process.execPath, args, { encoding: "utf8" });
      assert.equal(child.status, 0, child.stderr);
      const { pending, built, placed, scalarCodecs } = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
      assert.deepEqual(built, [], "built at import");
      assert.deepEqual(placed, [], "placed at import");
      assert.deepEqual(scalarCodecs, [], "scalar codecs made at import");
      assert.ok(pending >= 20, `${pending} layouts pending`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  { timeout: 60_000 },
);

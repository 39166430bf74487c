/**
 * The generated zlib module at work: a 1 MiB buffer through `deflate` and `inflate` (the `z_stream` streaming
 * API, in 64 KiB output chunks) comes back the same, and `node:zlib` (another implementation) reads what it
 * wrote and writes what it reads. The variadic `gzprintf` writes a gzip file that `node:zlib` reads as C's
 * printf formats, and the allocator zlib puts in `z_stream.zalloc` is called through its generated signature.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, gunzipSync, inflateSync } from "node:zlib";
import {
  alloc,
  cstring,
  cstringArg,
  dlopen,
  f64,
  i32,
  pointer,
  readCString,
  unsafeFunctionFromPointer,
  usize,
} from "../../mod.ts";
import { test } from "../harness.ts";
import { EXAMPLES, missingHeader } from "./_examples.ts";

const missing = missingHeader(EXAMPLES.find((e) => e.name === "zlib")!);

// Text-like bytes: compressible, yet not one repeated run.
function sample(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let seed = 12345;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = 97 + ((seed >>> 16) % 20);
  }
  return bytes;
}

if (missing) {
  test("the generated zlib module", () => {}, { ignore: missing });
} else {
  const { deflateBytes, inflateBytes } = await import("../../examples/zlib/stream.ts");

  test("deflate and inflate through the generated z_stream give 1 MiB back, as node:zlib reads it", () => {
    const input = sample(1 << 20);
    const compressed = deflateBytes(input, 6);
    assert.ok(compressed.length < input.length / 2, `compressed to ${compressed.length} bytes`);
    assert.deepEqual(inflateBytes(compressed), input);
    assert.deepEqual(new Uint8Array(inflateSync(compressed)), input);
    assert.deepEqual(inflateBytes(new Uint8Array(deflateSync(input))), input);
  }, { timeout: 120_000 });

  test("inflate through the generated module refuses bytes that are not zlib's", () => {
    assert.throws(
      () => inflateBytes(sample(1000)),
      /zlib could not run: status -3 \(incorrect header check\)/,
    );
  });

  test("the generated variadic gzprintf writes a gzip file that node:zlib reads", async () => {
    const { symbols } = await import("../../examples/zlib/zlib.ts");
    // `gzFile` points to a complete struct, so the table passes it as a buffer: gzopen hands out a pointer.
    using z = dlopen("libz.so.1", {
      gzopen: symbols.gzopen,
      gzprintf: { ...symbols.gzprintf, args: [pointer, cstringArg] },
      gzclose: { ...symbols.gzclose, args: [pointer] },
    });
    const dir = mkdtempSync(join(tmpdir(), "gzprintf-"));
    try {
      const path = join(dir, "out.gz");
      const file = z.symbols.gzopen(cstring(path), cstring("wb"));
      assert.ok(file !== null);
      const text = "zlib 42 -7 2.75 bindgen\n";
      const written = z.symbols.gzprintf(
        [cstringArg, i32, i32, f64, cstringArg],
        file,
        cstring("%s %d %d %.2f %s\n"),
        cstring("zlib"),
        42,
        -7,
        2.75,
        cstring("bindgen"),
      );
      assert.equal(written, text.length);
      assert.equal(z.symbols.gzclose(file), 0);
      assert.equal(new TextDecoder().decode(gunzipSync(readFileSync(path))), text);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test("the allocator deflateInit puts in z_stream is called through the generated alloc_func_signature", async () => {
    const zlib = await import("../../examples/zlib/zlib.ts");
    using z = zlib.open();
    using libc = dlopen("libc.so.6", { malloc_usable_size: { args: [pointer], returns: usize } });
    // Native memory: zlib keeps the stream's address (a JavaScript array may move or be copied on the way).
    using native = alloc(zlib.z_stream.size);
    const stream = native.bytes;
    const version = cstring(readCString(z.symbols.zlibVersion()!));
    assert.equal(z.symbols.deflateInit_(stream, 6, version, zlib.z_stream.size), zlib.Z_OK);
    try {
      // With zalloc left NULL, deflateInit puts zlib's own malloc-based allocator there.
      const fields = zlib.z_stream.cast(stream);
      assert.ok(fields.zalloc !== null && fields.zfree !== null);
      const zalloc = unsafeFunctionFromPointer(fields.zalloc, zlib.alloc_func_signature);
      const zfree = unsafeFunctionFromPointer(fields.zfree, zlib.free_func_signature);
      const block = zalloc(null, 100, 40);
      assert.ok(block !== null);
      assert.ok(libc.symbols.malloc_usable_size(block) >= 4000);
      zfree(null, block);
    } finally {
      assert.equal(z.symbols.deflateEnd(stream), zlib.Z_OK);
    }
  });
}

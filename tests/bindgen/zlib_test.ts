/**
 * The generated zlib module at work: a 1 MiB buffer through `deflate` and `inflate` (the `z_stream` streaming
 * API, in 64 KiB output chunks) comes back the same, and `node:zlib` (another implementation) reads what it
 * wrote and writes what it reads.
 */
import assert from "node:assert/strict";
import { deflateSync, inflateSync } from "node:zlib";
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
}

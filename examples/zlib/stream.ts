/**
 * zlib's streaming API through the module `deno task bindgen` generated from `zlib.h` (`zlib.ts`): a
 * `z_stream` in native memory (zlib keeps its address), input and output in native memory, and the output
 * drained one chunk at a time, as zlib's own `zpipe.c` does. `deflateInit()` and `inflateInit()` are macros
 * over `deflateInit_`/`inflateInit_`, which the generated symbol table has.
 *
 * @example Compressing and decompressing
 * ```ts
 * import { deflateBytes, inflateBytes } from "./stream.ts";
 * const text = new TextEncoder().encode("hello hello hello hello");
 * console.log(new TextDecoder().decode(inflateBytes(deflateBytes(text)))); // hello hello hello hello
 * ```
 *
 * @module
 */
import { alloc, cstring, type NativeMemory, readCString } from "../../mod.ts";
import { open, Z_FINISH, Z_OK, z_stream, Z_STREAM_END } from "./zlib.ts";

const zlib = open();
const CHUNK = 64 * 1024;

// Runs deflate or inflate over all of the input, one output chunk at a time, and returns the output.
function pump(
  input: Uint8Array,
  begin: (stream: Uint8Array, version: Uint8Array) => number,
  step: (stream: Uint8Array) => number,
  end: (stream: Uint8Array) => number,
): Uint8Array {
  using stream = alloc(z_stream.size);
  using source = alloc(Math.max(1, input.length));
  using chunk = alloc(CHUNK);
  source.bytes.set(input);
  const version = cstring(readCString(zlib.symbols.zlibVersion()!));
  check(begin(stream.bytes, version), "initialize", stream);
  const fields = z_stream.view(stream.bytes);
  fields.next_in = source.pointer;
  fields.avail_in = input.length;
  const parts: Uint8Array[] = [];
  let status: number;
  try {
    do {
      fields.next_out = chunk.pointer;
      fields.avail_out = CHUNK;
      status = step(stream.bytes);
      if (status !== Z_OK && status !== Z_STREAM_END) check(status, "run", stream);
      parts.push(chunk.bytes.slice(0, CHUNK - fields.avail_out));
    } while (status !== Z_STREAM_END);
  } finally {
    end(stream.bytes);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, offset), offset += part.length;
  return out;
}

function check(status: number, what: string, stream: NativeMemory): void {
  if (status === Z_OK) return;
  const message = z_stream.view(stream.bytes).msg;
  throw new Error(`zlib could not ${what}: status ${status}${message ? ` (${readCString(message)})` : ""}`);
}

/**
 * Compresses bytes into the zlib format.
 *
 * @param input The bytes.
 * @param level 0 to 9, or -1 for zlib's default.
 * @returns The compressed bytes.
 */
export function deflateBytes(input: Uint8Array, level = -1): Uint8Array {
  const { deflateInit_, deflate, deflateEnd } = zlib.symbols;
  return pump(
    input,
    (s, version) => deflateInit_(s, level, version, z_stream.size),
    (s) => deflate(s, Z_FINISH),
    deflateEnd,
  );
}

/**
 * Decompresses bytes in the zlib format.
 *
 * @param input The compressed bytes.
 * @returns The bytes.
 */
export function inflateBytes(input: Uint8Array): Uint8Array {
  const { inflateInit_, inflate, inflateEnd } = zlib.symbols;
  return pump(
    input,
    (s, version) => inflateInit_(s, version, z_stream.size),
    (s) => inflate(s, 0),
    inflateEnd,
  );
}

/**
 * Seed 003's lesson, runnable: native code that keeps a pointer into JavaScript memory outlives the call that
 * lent it. With the raw runtime API (`Deno.dlopen`, `bun:ffi`) nothing ties the pointer to the buffer: the
 * buffer can be transferred to a new owner, resized, or collected while C still holds its address. The
 * toolkit's owned memory (`alloc()`) stays put until `close()`, and `close()` refuses to free memory whose view
 * was transferred. The seed's remedy — copy many small arguments into one long-lived buffer and make one call
 * — is `CallBatch`.
 *
 * Nothing here reads freed memory: where C's pointer dangles, the example only compares addresses.
 *
 * Run: `deno run -A examples/pointer_lifetime.ts` or `bun examples/pointer_lifetime.ts` (needs `cc`).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import process from "node:process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alloc, buffer, dlopen, f64, pointer, size_t, struct, u32, void_ } from "../mod.ts";
import { i32 } from "../mod.ts";
import { CallBatch } from "../linux/mod.ts";

const C_SOURCE = `
#include <stddef.h>
#include <stdint.h>
#include <string.h>
static unsigned char *kept; static size_t kept_length;
/* Keeps the pointer it is given: exactly what the raw API's "buffer" parameters do not allow. */
void keep(unsigned char *p, size_t n) { kept = p; kept_length = n; }
/* Compares an address with the kept one, without reading either. */
int kept_is(const unsigned char *p) { return p == kept; }
/* Reads through the kept pointer (only called while it is known to be valid). */
void read_kept(unsigned char *out) { memcpy(out, kept, kept_length); }
struct sample { uint32_t id; double value; };
static double total;
void add_sample(uint32_t id, double value) { (void)id; total += value; }
void add_samples(const struct sample *s, size_t n) { for (size_t i = 0; i < n; i++) total += s[i].value; }
double sample_total(void) { return total; }
`;

function compile(source: string): string {
  const dir = join(tmpdir(), "ffikit-examples");
  mkdirSync(dir, { recursive: true });
  const out = join(
    dir,
    `pointer_lifetime-${createHash("sha256").update(source).digest("hex").slice(0, 12)}.so`,
  );
  if (!existsSync(out)) {
    const src = `${out}.c`;
    writeFileSync(src, source);
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", out, src]);
  }
  return out;
}

// The example builds its C library first: without a compiler, say so before anything else.
try {
  execFileSync("cc", ["--version"], { stdio: "ignore" });
} catch {
  console.error(
    "examples/pointer_lifetime.ts needs a C compiler (cc) on PATH to build its C library; install gcc (apt-get install gcc)",
  );
  process.exit(1);
}
const library = compile(C_SOURCE);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (s: string) => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------------------------
// The raw runtime API: the same three functions through Deno.dlopen or bun:ffi, nothing in between.

interface Raw {
  keep(p: Uint8Array, n: number): void;
  keptIs(p: Uint8Array): boolean;
  readKept(out: Uint8Array): void;
}

async function rawLibrary(): Promise<Raw> {
  if ("Bun" in globalThis) {
    const specifier = "bun:ffi"; // held in a variable so that `deno check` does not resolve it
    const ffi = await import(specifier);
    const { symbols } = ffi.dlopen(library, {
      keep: { args: ["ptr", "usize"], returns: "void" },
      kept_is: { args: ["ptr"], returns: "i32" },
      read_kept: { args: ["ptr"], returns: "void" },
    });
    return {
      keep: (p, n) => symbols.keep(p, n),
      keptIs: (p) => symbols.kept_is(p) === 1,
      readKept: (out) => symbols.read_kept(out),
    };
  }
  const { symbols } = Deno.dlopen(library, {
    keep: { parameters: ["buffer", "usize"], result: "void" },
    kept_is: { parameters: ["buffer"], result: "i32" },
    read_kept: { parameters: ["buffer"], result: "void" },
  });
  return {
    keep: (p, n) => symbols.keep(p, BigInt(n)),
    keptIs: (p) => symbols.kept_is(p) === 1,
    readKept: (out) => symbols.read_kept(out),
  };
}

const raw = await rawLibrary();
const runtime = "Bun" in globalThis ? "Bun" : "Deno";
console.log(`# The raw ${runtime} FFI: C keeps a pointer into a JavaScript buffer\n`);

// 1. Transfer: the buffer's bytes get a new owner; the old view is detached, C's pointer is not.
{
  const original = new Uint8Array(8);
  original.set(bytesOf("AAAAAAAA"));
  raw.keep(original, 8);
  const out = new Uint8Array(8);
  raw.readKept(out);
  console.log(`1. keep(buffer) lent "${text(original)}"; C reads "${text(out)}" through the pointer it kept`);
  const moved = new Uint8Array(original.buffer.transfer());
  moved.set(bytesOf("BBBBBBBB"));
  console.log(
    `   ArrayBuffer.prototype.transfer(): the old view now has ${original.byteLength} bytes (detached)`,
  );
  if (raw.keptIs(moved)) {
    raw.readKept(out);
    console.log(
      `   the new owner's buffer is the same memory, so C reads the new owner's bytes: "${
        text(out)
      }" — and could write them`,
    );
  } else {
    console.log("   the new owner's buffer is elsewhere: C's pointer dangles (not read)");
  }
  const cloned = new Uint8Array(structuredClone(moved.buffer, { transfer: [moved.buffer] }));
  cloned.set(bytesOf("CCCCCCCC"));
  if (raw.keptIs(cloned)) {
    raw.readKept(out);
    console.log(
      `   structuredClone(…, { transfer }) hands it on again; C reads the third owner's "${text(out)}"`,
    );
  } else {
    console.log("   structuredClone(…, { transfer }) copied it elsewhere: C's pointer dangles (not read)");
  }

  // 2. Resize: transfer to a larger length reallocates; the memory C points at is released.
  const grown = new Uint8Array(cloned.buffer.transfer(1 << 20));
  console.log(
    `2. transfer(1 MiB) to grow it: C's pointer ${
      raw.keptIs(grown)
        ? "still matches (grown in place)"
        : "no longer matches the buffer — it points at released memory; reading it would be a use-after-free"
    }`,
  );
  void grown;
}

// 3. Collection: the buffer becomes garbage while C holds its address.
{
  let collected = -1;
  const registry = new FinalizationRegistry<string>(() => void 0);
  const seen = new FinalizationRegistry<number>((round) => collected = round);
  (() => {
    const temporary = new Uint8Array(1 << 16);
    raw.keep(temporary, temporary.byteLength);
    seen.register(temporary.buffer, 0);
  })();
  const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;
  for (let round = 1; round <= 300 && collected < 0; round++) {
    gc?.(true);
    const pressure = new Uint8Array(4 << 20);
    pressure[round] = 1;
    registry.register(pressure, "");
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (collected === 0) collected = round;
  }
  console.log(
    collected > 0
      ? `3. a buffer lent to keep() was collected (FinalizationRegistry fired after ${collected} rounds of allocation); C still holds its address`
      : "3. the collector did not run within the time allowed; the lent buffer may be collected at any later point",
  );
}

// ---------------------------------------------------------------------------------------------------------
// The toolkit: memory JavaScript owns, that native code may keep until close().

console.log("\n# The toolkit: owned memory from alloc()\n");
using lib = dlopen(library, {
  keep: { args: [pointer, size_t], returns: void_ }, // void keep(unsigned char *p, size_t n)
  kept_is: { args: [pointer], returns: i32 }, // int kept_is(const unsigned char *p)
  read_kept: { args: [buffer], returns: void_ }, // void read_kept(unsigned char *out)
  add_sample: { args: [u32, f64], returns: void_ }, // void add_sample(uint32_t id, double value)
  add_samples: { args: [buffer, size_t], returns: void_ }, // void add_samples(const struct sample *s, size_t n)
  sample_total: { args: [], returns: f64 }, // double sample_total(void)
});
{
  const memory = alloc(8);
  memory.bytes.set(bytesOf("DDDDDDDD"));
  lib.symbols.keep(memory.pointer, 8n);
  const out = new Uint8Array(8);
  lib.symbols.read_kept(out);
  console.log(`4. keep(memory.pointer): C reads "${text(out)}"; the address is fixed until close()`);
  const stolen = new Uint8Array(structuredClone(memory.buffer, { transfer: [memory.buffer] }));
  memory.close();
  lib.symbols.read_kept(out);
  console.log(
    `   its view was transferred away, so close() kept the memory (leaked: ${memory.leaked}) instead of freeing it under the new owner and under C: C still reads "${
      text(out)
    }", the new owner "${text(stolen)}"`,
  );
  const resizable = new ArrayBuffer(8, { maxByteLength: 64 });
  const window = new Uint8Array(resizable, 0, 8);
  resizable.resize(4);
  try {
    lib.symbols.read_kept(window);
  } catch (error) {
    console.log(
      `   a view its resizable buffer shrank away from is refused at the call: ${(error as Error).message}`,
    );
  }
  const owned = alloc(8);
  owned.close();
  try {
    void owned.bytes;
  } catch (error) {
    console.log(`5. after close() the memory is freed and every view detached: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The seed's remedy: copy many small arguments into one long-lived buffer, make one call.

{
  const Sample = struct({ id: u32, value: f64 }, { name: "sample" });
  const count = 100_000;
  let started = performance.now();
  for (let i = 0; i < count; i++) lib.symbols.add_sample(i, 0.5);
  const separate = performance.now() - started;
  const total = lib.symbols.sample_total();
  let calls = 0;
  using batch = new CallBatch(Sample, {
    capacity: 1024,
    flush: (memory, n) => {
      calls++;
      lib.symbols.add_samples(memory, BigInt(n));
    },
  });
  started = performance.now();
  for (let i = 0; i < count; i++) batch.push({ id: i, value: 0.5 });
  batch.flush();
  const batched = performance.now() - started;
  console.log(
    `\n6. CallBatch: ${count} add_sample() calls (${
      separate.toFixed(1)
    } ms) became ${calls} add_samples() calls over one owned buffer (${
      batched.toFixed(1)
    } ms); totals ${total} and ${
      lib.symbols.sample_total() - total
    } agree. the batch group of bench/calls.ts measures it properly.`,
  );
}

/**
 * Probe: what `readCString(pointer)`'s checks cost over the runtime's own C-string read, and which order of them
 * costs least: the checks in their first order (is it a buffer? a pointer? is the offset an integer ≥ 0? then
 * the read), the pointer at offset 0 tested first, or the read first with the pointer test only on a throw.
 *
 * - A 12-byte string in native memory, 1e6 reads per round, the contestants interleaved round by round in one
 *   process (each its own code). Toolkit pointers as the toolkit makes them (Deno: a pointer object; Bun: a
 *   box whose address is private), and the revoked test the backends make.
 * - Found, on Deno: the pointer test (`Object.getPrototypeOf(p) === null && !Object.isExtensible(p)`, which
 *   tells Deno's pointer objects from other null-prototype objects) is the check that costs, 1.3-1.5× the raw
 *   read; the rest is noise. Deno's own read refuses anything but a pointer object ("expected external", or
 *   "pointer is null"), without a crash.
 * - Decided (ffi/strings.ts, `readCString`): a non-buffer at offset 0 goes straight to the backend's read, and
 *   the pointer test runs only when that throws, to put the refusal in the toolkit's words (Deno 1.03-1.26×
 *   the raw read against 1.32-1.58× for the first order; Bun within noise either way).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/read_cstring_checks.ts` and
 * `./node_modules/.bin/bun bench/probes/read_cstring_checks.ts`.
 *
 * @module
 */
import { bunFfi } from "./_raw_ffi.ts";
import { timeInterleaved } from "./_interleaved.ts";
import { report } from "./_time.ts";
import { alloc, readCString } from "../../mod.ts";

interface BunCString {
  CString: new (address: number, byteOffset?: number) => { toString(): string };
}
const bunCString = bunFfi as unknown as BunCString | undefined;

const READS = 1_000_000;
const TEXT = "hello world!";

// Bun: the toolkit's box (ffi/_bun.ts).
let addressOf: (box: Box) => number;
class Box {
  #address: number;
  constructor(address: number) {
    this.#address = address;
  }
  static {
    addressOf = (box) => box.#address;
  }
}
// The revoked table and its count (ffi/_revoked.ts).
const revoked = new WeakMap<object, unknown>();
const reachable = (): number => 0;

const memory = alloc(TEXT.length + 1);
memory.bytes.set(new TextEncoder().encode(TEXT));
const address = Number(
  bunFfi ? bunFfi.ptr(memory.bytes) : Deno.UnsafePointer.value(Deno.UnsafePointer.of(memory.bytes)),
);

/** The runtime's own read, and the toolkit-shaped pointer and backend read. */
const rawRead: (p: unknown) => string = bunCString
  ? (p) => new bunCString.CString(p as number).toString()
  : (p) => Deno.UnsafePointerView.getCString(p as Deno.PointerObject);
const rawPointer: unknown = bunCString ? address : Deno.UnsafePointer.create(BigInt(address));
const toolkitPointer: unknown = bunCString ? new Box(address) : Deno.UnsafePointer.create(BigInt(address));

function isPointer(value: unknown): boolean {
  if (bunCString) return value instanceof Box;
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === null &&
    !Object.isExtensible(value);
}
function backendRead(value: unknown, byteOffset: number): string {
  if (bunCString) {
    if (!(value instanceof Box)) throw new TypeError("not a pointer");
    const at = addressOf(value);
    if (at === -1) throw new TypeError("revoked");
    return new bunCString.CString(at, byteOffset).toString();
  }
  if (reachable() !== 0 && revoked.has(value as object)) throw new TypeError("revoked");
  try {
    return Deno.UnsafePointerView.getCString(value as Deno.PointerObject, byteOffset);
  } catch (error) {
    throw error;
  }
}

const FORMS: Record<string, (source: unknown, byteOffset?: number) => string> = {
  "raw runtime read (baseline)": (p) => rawRead(p),
  "checks in their first order": (source, byteOffset = 0) => {
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) throw new TypeError("a buffer");
    if (!isPointer(source)) throw new TypeError("not a pointer");
    if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) throw new RangeError("offset");
    return backendRead(source, byteOffset);
  },
  "pointer at offset 0 first": (source, byteOffset = 0) => {
    if (byteOffset === 0 && isPointer(source)) return backendRead(source, 0);
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) throw new TypeError("a buffer");
    if (!isPointer(source)) throw new TypeError("not a pointer");
    if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) throw new RangeError("offset");
    return backendRead(source, byteOffset);
  },
  "the read first, the checks on a throw (chosen)": (source, byteOffset = 0) => {
    if (byteOffset === 0 && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source)) {
      try {
        return backendRead(source, 0);
      } catch (error) {
        if (isPointer(source)) throw error;
      }
    }
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) throw new TypeError("a buffer");
    if (!isPointer(source)) throw new TypeError("not a pointer");
    if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) throw new RangeError("offset");
    return backendRead(source, byteOffset);
  },
  "the library's readCString": (source) => readCString(source as never),
  "raw read + the pointer test": (p) => {
    if (!isPointer(p)) throw new TypeError("not a pointer");
    return rawRead(bunCString ? addressOf(p as Box) : p);
  },
  "raw read + the prototype test alone": (p) => {
    if (bunCString) return rawRead(addressOf(p as Box));
    if (typeof p !== "object" || p === null || Object.getPrototypeOf(p) !== null) throw new TypeError("no");
    return rawRead(p);
  },
  "raw read + the backend's read": (p) => backendRead(p, 0),
};

// A loop of its own per contestant: its own source text (V8 caches a `new Function` by its text, and two
// closures of one cached function share their call sites' feedback: bench/probes/numbered_sources.ts).
function loop(read: (p: unknown) => string, pointer: unknown, name: string): () => number {
  const source = `// ${name}\n` +
    `return () => {\n  let n = 0;\n  for (let i = 0; i < ${READS}; i++) n += read(pointer).length;\n` +
    `  return n;\n};`;
  return new Function("read", "pointer", source)(read, pointer);
}

const names = Object.keys(FORMS);
const runs = names.map((name) => {
  const pointer = name === "raw runtime read (baseline)"
    ? rawPointer
    : name === "the library's readCString"
    ? memory.pointer
    : toolkitPointer;
  if (FORMS[name]!(pointer) !== TEXT) throw new Error(`${name} did not read "${TEXT}"`);
  return loop(FORMS[name]!, pointer, name);
});
const timings = timeInterleaved(
  Object.fromEntries(names.map((name, i) => [name, { run: runs[i]!, ops: READS }])),
  21,
);
report("readCString(pointer)'s checks: a 12-byte string, ns per read", timings);

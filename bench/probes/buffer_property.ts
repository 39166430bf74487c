/**
 * Question: what does reading `.buffer` of a fresh small typed array cost, and what does it do to a foreign
 * call that is passed a fresh array? JavaScriptCore makes a small typed array's `ArrayBuffer` only when
 * asked.
 *
 * Decided: the check every `buffer` argument passes in `ffi/_buffer.ts` (`bufferArgument`) reads `.buffer`
 * only for an empty view (the only kind that can be detached or out of bounds); a view with bytes passes on
 * `ArrayBuffer.isView` and `byteLength`. When decided (Bun 1.4): `.buffer` cost 147 ns against 4 for the
 * array itself, and a call with a fresh array through the toolkit took 6x the raw call on Bun.
 *
 * Contestants, each in a process of its own. A fresh `new Uint8Array(8)`: alone (baseline), with its
 * `byteLength` read, with its `.buffer` read. `strlen()` of a fresh `Uint8Array(8)` (declared as returning
 * `i32`, so that no BigInt is made): the raw runtime call (baseline), the toolkit's `strlen` from `dlopen()`,
 * and the raw call behind the check that read `.buffer` of every view (the toolkit's before).
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/buffer_property.ts` and
 * `./node_modules/.bin/bun bench/probes/buffer_property.ts`.
 *
 * @module
 */
import { buffer, dlopen, i32 } from "../../mod.ts";
import { rawStrlen, type Strlen } from "./_raw_ffi.ts";
import { report, separately, time, timeEach, type Timing } from "./_time.ts";

/** The raw call behind a check that looks at every view's `ArrayBuffer`, as the toolkit's check once did. */
function checkingBuffer(raw: Strlen): Strlen {
  return (s) => {
    if (!ArrayBuffer.isView(s)) throw new TypeError("Cannot pass argument 0 of strlen(): not a buffer");
    const memory = s.buffer as { detached?: boolean; resizable?: boolean };
    if (memory.detached || memory.resizable) throw new TypeError("Cannot pass argument 0 of strlen()");
    return raw(s);
  };
}

const arrays: Record<string, () => unknown> = {
  "new Uint8Array(8)": () => new Uint8Array(8),
  "new Uint8Array(8).byteLength": () => new Uint8Array(8).byteLength,
  "new Uint8Array(8).buffer": () => new Uint8Array(8).buffer,
};

const calls: Record<string, (raw: Strlen) => Strlen> = {
  "raw strlen(new Uint8Array(8))": (raw) => raw,
  "toolkit strlen (reads byteLength)": () =>
    dlopen("libc.so.6", { strlen: { args: [buffer], returns: i32 } }).symbols.strlen,
  "raw behind a .buffer check": checkingBuffer,
};

const OPS = 20_000;
const raw = rawStrlen();

const timings = separately(
  import.meta.url,
  [...Object.keys(arrays), ...Object.keys(calls)],
  (name): Timing => {
    const make = arrays[name];
    if (make) return timeEach(name, make, OPS);
    const strlen = calls[name]!(raw);
    if (strlen(new Uint8Array([104, 105, 0])) !== 2) throw new Error(`${name}: strlen("hi") is not 2`);
    return time(name, () => {
      let sum = 0;
      for (let i = 0; i < OPS; i++) sum += strlen(new Uint8Array(8));
      return sum;
    }, { ops: OPS });
  },
);
const arrayNames = Object.keys(arrays);
report("A fresh small typed array, ns each", timings.filter((t) => arrayNames.includes(t.name)));
report("A call passed a fresh array, ns each", timings.filter((t) => !arrayNames.includes(t.name)));

/**
 * Question (Bun): what does freezing each pointer box cost, where a function returns a pointer on every call
 * (`sqlite3_column_text`, `readdir`, a list walk)?
 *
 * Decided: Bun's pointer box in `ffi/_bun.ts` (`BunPointer`) holds its address in a private field and is not
 * frozen: it has no property to change, and its address is reachable only through the class. When decided
 * (Bun 1.4.5, the libraries benchmark's select of 10,000 rows): a frozen box cost 17.1 ns to make against 4.7
 * unfrozen, and `column_text` through the toolkit went from 51 to 34 ns a call (the raw call: 26-29).
 *
 * Contestants, each in a process of its own: a plain number (the raw `bun:ffi` result, baseline), a box with a
 * private field, the same box frozen in its constructor, and the toolkit's own box (`unsafePointerFromAddress`,
 * which makes one). The addresses are numbers, as `bun:ffi` returns them; no memory is read.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/pointer_box_freeze.ts` and
 * `./node_modules/.bin/bun bench/probes/pointer_box_freeze.ts` (on Deno, pointers are the runtime's own
 * objects: the boxes are timed all the same, as plain JavaScript).
 *
 * @module
 */
import { unsafePointerFromAddress } from "../../mod.ts";
import { report, timeSeparately } from "./_time.ts";

class Box {
  #address: number;
  constructor(address: number) {
    this.#address = address;
  }
  get address(): number {
    return this.#address;
  }
}

class FrozenBox {
  #address: number;
  constructor(address: number) {
    this.#address = address;
    Object.freeze(this);
  }
  get address(): number {
    return this.#address;
  }
}

const CALLS = 1_000_000;
let address = 0x10000;
const next = () => (address = (address + 16) & 0xfffffff) + 0x10000;

// Each contestant makes CALLS boxes (or numbers) per timed call; the last one is kept.
const loop = (make: (address: number) => unknown) => () => {
  let last: unknown;
  for (let i = 0; i < CALLS; i++) last = make(next());
  return last;
};
const timings = timeSeparately(import.meta.url, {
  "number (baseline)": () => loop((a) => a),
  "box, private field": () => loop((a) => new Box(a)),
  "box, frozen": () => loop((a) => new FrozenBox(a)),
  "toolkit unsafePointerFromAddress": () => loop((a) => unsafePointerFromAddress(BigInt(a))),
}, { ops: CALLS, rounds: 15 });
report("A pointer box per returned address, ns per box", timings, "number (baseline)");

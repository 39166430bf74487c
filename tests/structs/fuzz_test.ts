/**
 * The project's own fuzzing of `structs/`: random layouts (structs, unions, bitfields, nested, arrays, flexible
 * arrays, strings, rows of no bytes) over every kind of bytes (`_fuzz_buffers.ts`), through every operation
 * (`_fuzz_operations.ts`, `_fuzz_arrays.ts`), checked against a reference decoder written apart from the library
 * (`_fuzz_reference.ts`), with guard bytes around every region. Every error must be one of the toolkit's.
 *
 * Bounded for `npm test` (about 10 s per run); `FFIKIT_FUZZ_ITERATIONS` and `FFIKIT_FUZZ_SEED` set a long run or
 * replay one. The seed is printed, and every finding names its iteration.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import { checkArray } from "./_fuzz_arrays.ts";
import { makeRegion } from "./_fuzz_buffers.ts";
import { fuzzLayouts } from "./_fuzz_layouts.ts";
import {
  below,
  checkBadOffsets,
  checkCast,
  checkEncode,
  checkPartialWrite,
  checkRead,
  checkShrunkView,
  checkView,
  checkViewSet,
  checkWrite,
  type Context,
  extent,
  reference,
  sourceBytes,
  tally,
} from "./_fuzz_operations.ts";
import { generator } from "./_generated_layouts.ts";
import { withOpaquePointers } from "./_opaque_pointers.ts";

const DEFAULT_ITERATIONS = 15_000;
const LAYOUTS = 150;

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got "${text}"`);
  }
  return n;
}

test(
  "structs survive the fuzzer: random layouts × bytes of every kind × every operation",
  () =>
    withOpaquePointers(() => {
      const iterations = envNumber("FFIKIT_FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
      const seed = envNumber("FFIKIT_FUZZ_SEED", Math.floor(Math.random() * 2 ** 31));
      console.log(`fuzz: seed ${seed}, ${iterations} iterations (FFIKIT_FUZZ_SEED=${seed} replays it)`);
      const random = generator(seed);
      const layouts = fuzzLayouts(seed ^ 0x5eed, LAYOUTS, 8);
      const findings: string[] = [];
      const started = performance.now();
      for (let i = 0; i < iterations && findings.length < 20; i++) {
        const fuzz = layouts[below(random, layouts.length)]!;
        const { layout } = fuzz;
        const size = layout.size;
        const roll = random();
        const length = roll < 0.3
          ? size
          : roll < 0.45
          ? size * (1 + below(random, 4))
          : below(random, size * 3 + 9);
        const region = makeRegion(random, length, (bytes) => {
          for (let j = 0; j < bytes.length; j++) bytes[j] = below(random, 256);
        });
        const label =
          `iteration ${i} (seed ${seed}): ${layout.name} (${fuzz.path}) over ${region.kind} of ${length}`;
        const c: Context = { random, fuzz, region, findings, label };
        const offset = () => below(random, Math.max(region.length - size, 0) + 3);
        // A value to write: the library's copy of random bytes, which must equal the reference's.
        const source = sourceBytes(c, size + 16);
        const expected = reference(layout, source, 0, source.length);
        const value = expected === undefined ? undefined : layout.read(source) as Record<string, unknown>;
        checkRead(c, offset());
        checkView(c, offset());
        checkCast(c, false);
        checkCast(c, true);
        if (value !== undefined) {
          checkEncode(c, value, extent(layout, expected));
          checkWrite(c, offset(), value, extent(layout, expected));
          checkViewSet(c, offset(), value);
          checkPartialWrite(c, offset(), value);
        }
        if (random() < 0.1) checkBadOffsets(c, value);
        // Last, as either may shrink the buffer: an array or a view whose bytes then shrink.
        const shrink = random();
        checkArray(c, offset(), value ?? {}, shrink < 0.4);
        if (shrink > 0.7) checkShrunkView(c, offset());
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `fuzz: ${iterations} iterations in ${seconds} s: ${tally.valid} calls on valid input, ${tally.refused} on input ` +
          `that must be refused; ${findings.length} findings`,
      );
      assert.deepEqual(findings, []);
    }),
  { timeout: 600_000 },
);

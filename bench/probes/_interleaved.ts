/**
 * Timing contestants interleaved in one process: each round times every contestant once, in turn (starting one
 * further along each round), so that a
 * slower moment of a shared machine falls on all of them alike; the ratios of the best rounds are what to read.
 *
 * @module
 */
import { consume, type Timing } from "./_time.ts";

/** A contestant: one call of `run` does `ops` operations. */
export interface Interleaved {
  readonly run: () => unknown;
  readonly ops: number;
}

/**
 * Times each contestant in `rounds` interleaved rounds, after a warm-up of each, and returns ns per operation:
 * best, median, worst.
 */
export function timeInterleaved(contestants: Record<string, Interleaved>, rounds = 31): Timing[] {
  const names = Object.keys(contestants);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (const name of names) for (let i = 0; i < 5; i++) consume(contestants[name]!.run());
  for (let round = 0; round < rounds; round++) {
    // Starting one further along each round, so that no contestant always runs first.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      const { run, ops } = contestants[name]!;
      const start = performance.now();
      consume(run());
      samples.get(name)!.push(((performance.now() - start) * 1e6) / ops);
    }
  }
  return names.map((name) => {
    const sorted = samples.get(name)!.sort((a, b) => a - b);
    return { name, best: sorted[0]!, median: sorted[sorted.length >> 1]!, worst: sorted[sorted.length - 1]! };
  });
}

let loops = 0;

/**
 * A loop of `calls` calls of `add` with a call site of its own: one loop shared by the contestants would see
 * several functions at one call site, which keeps V8 from making the fast foreign call inline. Numbered, since
 * V8 shares the feedback of two functions made from the same source text (bench/probes/numbered_sources.ts).
 */
export function ownAddLoop(add: (a: number, b: number) => number, calls: number): () => number {
  return new Function(
    "add",
    `// loop ${loops++}
return function () { let sum = 0; for (let i = 0; i < ${calls}; i++) sum = add(sum & 0xffff, i); return sum; };`,
  )(add);
}

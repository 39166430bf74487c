/**
 * The mitata context a result file keeps per timed suite: runtime, CPU and the no-op calibration. Plain
 * JavaScript, so that koffi's Node peer (`node/koffi_peer.mjs`) shares it; types in `_context.d.mts`.
 *
 * A full run takes mitata's own `run()` context, whose four no-op measurements use mitata's default budget
 * (642 ms of CPU each, twice that for the one with a collection per sample): 4.5 s per process. A quick run
 * (the dashboard's first run) measures the same four no-ops in the same shape with the quick budget's 8 ms each,
 * and says so (`calibration: "quick"`): nothing the summary or the dashboard shows reads the calibration, which
 * is mitata's reference for what an optimised-out benchmark looks like.
 *
 * @module
 */
import os from "node:os";
import process from "node:process";
import { measure, run as mitataRun } from "mitata";

/** A no-op's stats without the raw samples and loop source (megabytes of numbers and text). */
function thin(stats) {
  const { samples: _samples, debug: _debug, ...rest } = stats;
  return rest;
}

/** The runtime's name and version, as mitata's context spells them. */
function runtimeOf() {
  if (globalThis.Bun) return { runtime: "bun", version: globalThis.Bun.version };
  if (globalThis.Deno) return { runtime: "deno", version: globalThis.Deno.version.deno };
  return { runtime: "node", version: process.versions.node };
}

/**
 * The context of a run.
 *
 * @param {boolean} quick Whether the no-op calibration takes the quick budget.
 * @returns {Promise<Record<string, unknown>>} mitata's context (full) or one of the same shape (quick).
 */
export async function mitataContext(quick) {
  if (!quick) {
    const { context } = await mitataRun({ format: "quiet", print: () => {} });
    for (const key of Object.keys(context.noop)) context.noop[key] = thin(context.noop[key]);
    return context;
  }
  const budget = { min_cpu_time: 8e6, min_samples: 12 };
  const noop = await measure(() => {}, budget);
  const cpu = await measure(() => {}, { ...budget, batch_unroll: 1 });
  const fnGc = await measure(() => {}, { ...budget, inner_gc: true });
  const iter = await measure((state) => {
    for (const _ of state);
  }, budget);
  return {
    now: Date.now(),
    arch: globalThis.Deno ? globalThis.Deno.build.target : `${os.arch()}-${os.platform()}`,
    ...runtimeOf(),
    cpu: { name: os.cpus()[0]?.model ?? null, freq: 1 / cpu.avg },
    noop: { fn: thin(noop), iter: thin(iter), fn_gc: thin(fnGc) },
    calibration: "quick",
  };
}

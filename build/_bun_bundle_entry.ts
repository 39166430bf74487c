// The entry of the package for Bun's bundle (build/bun.ts): every name of mod.ts as a plain property of
// `module.exports`. Bun's bundler would otherwise export an ES module's names from CommonJS through two getters
// each, made and read when a program imports the package: 1-1.5 ms of its start-up
// (bench/probes/startup_bundle.ts compares the package with and without; see docs/runtime-notes.md).
import * as toolkit from "../mod.ts";

declare const module: { exports: unknown };
module.exports = Object.assign({}, toolkit);

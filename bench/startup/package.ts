// Start-up suite (bench/startup.ts): a process that imports the package "ffikit" by name and does nothing else:
// package.json's exports give each runtime its built package (build/), dist/deno/ or dist/bun/.
import "ffikit";

/**
 * The backend of the running runtime, chosen when the toolkit loads. The built packages (build/) put a static
 * import of their runtime's backend in this module's place.
 *
 * @module
 */
import { engineHints, setEngineHints } from "../structs/_internal.ts";
import type { Backend } from "./_backend.ts";

// Bun's backend is loaded through a variable so that `deno check` never follows it into Bun's built-in modules.
const bunImplementation = "./_bun.ts";

// Told before the backend loads: while this module awaits it, modules that make layouts (windows/, linux/) run,
// and a layout's generated read() takes its form when the layout is made. The backends say the same.
setEngineHints({ ...engineHints(), readChecksChooseView: "Bun" in globalThis });

/** The backend of the running runtime. */
const backend: Backend = "Bun" in globalThis
  ? (await import(bunImplementation)).default
  : (await import("./_deno.ts")).default;
export default backend;

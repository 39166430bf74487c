// Start-up suite (bench/startup.ts): a process that imports ffi/mod.ts and does nothing else.
import "../../ffi/mod.ts";

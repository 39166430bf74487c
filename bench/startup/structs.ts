// Start-up suite (bench/startup.ts): a process that imports structs/mod.ts and does nothing else.
import "../../structs/mod.ts";

// Start-up suite (bench/startup.ts): a process that imports windows/mod.ts and does nothing else.
import "../../windows/mod.ts";

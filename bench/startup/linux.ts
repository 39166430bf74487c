// Start-up suite (bench/startup.ts): a process that imports linux/mod.ts and does nothing else.
import "../../linux/mod.ts";

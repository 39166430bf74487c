// Start-up suite (bench/startup.ts): a process that imports mod.ts and does nothing else.
import "../../mod.ts";

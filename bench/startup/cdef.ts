// Start-up suite (bench/startup.ts): a process that imports cdef/mod.ts and does nothing else.
import "../../cdef/mod.ts";

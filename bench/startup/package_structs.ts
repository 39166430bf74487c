// Start-up suite (bench/startup.ts): a process that imports "ffikit/structs", the layout engine alone, from the
// built package of its runtime (build/), and does nothing else.
import "ffikit/structs";

// Start-up suite (bench/startup.ts): a process that imports mod.ts and makes the first uses a program would
// (bench/startup/_first_uses.ts).
import * as ffikit from "../../mod.ts";
import { firstUses } from "./_first_uses.ts";

firstUses(ffikit);

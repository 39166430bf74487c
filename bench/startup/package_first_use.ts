// Start-up suite (bench/startup.ts): first_use.ts through the package "ffikit" (its built form, build/).
import * as ffikit from "ffikit";
import { firstUses } from "./_first_uses.ts";

firstUses(ffikit);

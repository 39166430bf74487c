// Start-up suite (bench/startup.ts): first_use.ts through the package "ffikit" (its built form, build/).
import { alloc, dlopen, errnoName, i32, struct, u32 } from "ffikit";
import { winsize } from "ffikit/linux";

using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
if (libc.symbols.getpid() <= 0) throw new Error("getpid() returned no process id");
using memory = alloc(64);
const Point = struct({ x: i32, y: u32 });
const bytes = Point.encode({ x: -1, y: 2 });
if (Point.read(bytes).x !== -1 || memory.bytes.length !== 64) throw new Error("a first use read back wrong");
if (winsize.read(new Uint8Array(winsize.size)).ws_row !== 0) throw new Error("winsize read back wrong");
if (errnoName(2) !== "ENOENT") throw new Error(`errnoName(2) is ${errnoName(2)}`);

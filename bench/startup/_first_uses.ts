// Start-up suite (bench/startup.ts): the first uses a program makes after its import, the same through the
// sources (first_use.ts) and through the built package (package_first_use.ts): a libc call through dlopen(),
// native memory, a struct written and read, a toolkit layout read, an errno name. What import defers (layouts
// placed, libraries opened, tables made on first use) is paid here, once.
import type * as Toolkit from "../../mod.ts";

/** Makes the first uses with `ffikit` (either copy), checking what each gives back. */
export function firstUses(ffikit: typeof Toolkit): void {
  const { alloc, dlopen, errnoName, i32, struct, u32, winsize } = ffikit;
  using libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
  if (libc.symbols.getpid() <= 0) throw new Error("getpid() returned no process id");
  using memory = alloc(64);
  const Point = struct({ x: i32, y: u32 });
  const bytes = Point.encode({ x: -1, y: 2 });
  if (Point.read(bytes).x !== -1 || memory.bytes.length !== 64) {
    throw new Error("a first use read back wrong");
  }
  if (winsize.read(new Uint8Array(winsize.size)).ws_row !== 0) throw new Error("winsize read back wrong");
  if (errnoName(2) !== "ENOENT") throw new Error(`errnoName(2) is ${errnoName(2)}`);
}

/**
 * Deno: the system loader's `dladdr` and `dlsym`, which `Deno.dlopen` does not offer; bound once, lazily, where
 * the system has them (Linux and macOS).
 *
 * @module
 */

/** The loader functions, or `null` on a system without them (Windows, glibc before 2.34's libdl). */
export interface DenoLoader {
  /** `int dladdr(const void *addr, Dl_info *info)`: Dl_info is four pointers (fname, fbase, sname, saddr). */
  dladdr(address: Deno.PointerObject, info: BigUint64Array): number;
  /** `void *dlsym(void *handle, const char *symbol)`. */
  dlsym(handle: Deno.PointerObject | null, name: Uint8Array): Deno.PointerObject | null;
}

let loader: DenoLoader | null | undefined;

export function denoLoader(): DenoLoader | null {
  if (loader !== undefined) return loader;
  loader = null;
  const library = Deno.build.os === "linux"
    ? "libc.so.6"
    : Deno.build.os === "darwin"
    ? "libSystem.B.dylib"
    : null;
  if (library === null) return loader;
  try {
    loader = Deno.dlopen(library, {
      dladdr: { parameters: ["pointer", "buffer"], result: "i32" },
      dlsym: { parameters: ["pointer", "buffer"], result: "pointer" },
    }).symbols as unknown as DenoLoader;
  } catch {
    // none: the callers fall back
  }
  return loader;
}

/**
 * The address the dynamic loader binds `name` to in the global scope (`RTLD_DEFAULT`), or `null`. A program
 * that refers to a library's variable gets a copy of it in its own data (a copy relocation: Bun has `environ`
 * so), and the library's own code then uses that copy; the library's symbol still names the unused original.
 */
export function globalScopeAddress(name: string): bigint | null {
  const system = denoLoader();
  if (system === null) return null;
  // RTLD_DEFAULT: 0 on Linux, (void *)-2 on macOS.
  const handle = Deno.build.os === "darwin" ? Deno.UnsafePointer.create(2n ** 64n - 2n) : null;
  const found = system.dlsym(handle, new TextEncoder().encode(name + "\0"));
  return found === null ? null : BigInt(Deno.UnsafePointer.value(found));
}

/**
 * The host's platform and environment variables, read without `globalThis.process` on Deno: there, the first
 * touch of `process` loads Node's process module, which took 10 ms of the 20 ms of JavaScript a profile of
 * `import "mod.ts"` showed (docs/runtime-notes.md, "Start-up"). `Deno.build` and `Deno.env` answer the same.
 *
 * @module
 */

interface DenoLike {
  build?: { os?: string; arch?: string };
  env?: { get?(name: string): string | undefined };
  permissions?: { querySync?(d: { name: "env"; variable: string }): { state: string } };
}

const deno = (globalThis as { Deno?: DenoLike }).Deno;

/** Node's platform name (`"linux"`, `"win32"`, `"darwin"`, …) of the host. */
export function hostPlatform(): string | undefined {
  const os = deno?.build?.os;
  if (os !== undefined) return os === "windows" ? "win32" : os;
  return (globalThis as { process?: { platform?: string } }).process?.platform;
}

/** Node's name of the host's processor architecture (`"x64"`, `"arm64"`, …). */
export function hostArch(): string | undefined {
  const arch = deno?.build?.arch;
  if (arch !== undefined) return arch === "x86_64" ? "x64" : arch === "aarch64" ? "arm64" : arch;
  return (globalThis as { process?: { arch?: string } }).process?.arch;
}

/**
 * An environment variable, or `undefined`. Deno asks before it reads a variable not granted, where the others
 * just read it: only a granted one is read, so that a program that uses `structs/` alone never prompts.
 */
export function environmentVariable(name: string): string | undefined {
  try {
    if (deno?.permissions?.querySync) {
      if (deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
      if (deno.env?.get) return deno.env.get(name);
    }
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
}

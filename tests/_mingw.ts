/**
 * The mingw-w64 cross compiler (`x86_64-w64-mingw32-gcc`, Debian's `gcc-mingw-w64-x86-64`) as the judge of
 * Windows x64 layouts: it compiles against the real SDK headers and lays bitfields out as Visual C++ does
 * (`-mms-bitfields` is its default). Nothing runs on Windows: the compiler writes what we ask into the
 * assembly of constant objects (`-S`), and we read their bytes back. Compilations are cached by content.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { compileCached } from "./harness.ts";

/** The cross compiler's command. */
export const MINGW_CC = "x86_64-w64-mingw32-gcc";

/** Why the tests that need the cross compiler cannot run here, or `false` when it is installed. */
export const mingwMissing: string | false = spawnSync(MINGW_CC, ["-dumpversion"]).status === 0
  ? false
  : `${MINGW_CC} is not installed (Debian: apt-get install gcc-mingw-w64-x86-64; CI installs it)`;

/**
 * Compiles C source for Windows x64 to assembly (`-S`), cached by content, and returns the bytes of every
 * initialized global object by its name (`const unsigned long long v[] = { sizeof(T), … };` gives `v`).
 *
 * @param source C source, including the SDK headers it needs.
 * @param flags Extra compiler flags.
 * @returns The objects' bytes, little-endian as Windows x64 stores them.
 * @throws {Error} When the compiler is missing or the source does not compile, with the compiler's output.
 */
export function mingwObjects(source: string, flags: string[] = []): Map<string, Uint8Array> {
  const out = compileCached(source, {
    compiler: MINGW_CC,
    args: ["-S", "-O0", "-w", ...flags],
    ext: ".s",
    failure: `Cannot compile with ${MINGW_CC}`,
  });
  return dataObjects(readFileSync(out, "utf8"));
}

/**
 * The numbers of `const unsigned long long name[] = { … };` in a `mingwObjects` result.
 *
 * @throws {Error} When there is no such object.
 */
export function quads(objects: Map<string, Uint8Array>, name: string): number[] {
  const bytes = objects.get(name);
  if (!bytes) throw new Error(`${MINGW_CC} emitted no object "${name}"`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => Number(dv.getBigUint64(8 * i, true)));
}

const WIDTHS: Record<string, number> = { byte: 1, value: 2, word: 2, short: 2, long: 4, int: 4, quad: 8 };

/** The bytes of each labelled object in GNU assembly: the data directives after the label, to the next one. */
function dataObjects(assembly: string): Map<string, Uint8Array> {
  const objects = new Map<string, number[]>();
  let current: number[] | undefined;
  for (const raw of assembly.split("\n")) {
    const line = raw.trim();
    const label = /^([A-Za-z_.$][\w.$]*):$/.exec(line);
    if (label) {
      current = [];
      objects.set(label[1]!, current);
      continue;
    }
    const directive = /^\.(\w+)\s*(.*)$/.exec(line);
    if (!current || !directive) continue;
    const [, name, operand] = directive as unknown as [string, string, string];
    if (name in WIDTHS) {
      let v = BigInt.asUintN(64, BigInt(operand));
      for (let i = 0; i < WIDTHS[name]!; i++, v >>= 8n) current.push(Number(v & 0xffn));
    } else if (name === "space" || name === "zero") {
      for (let i = Number(operand.split(",")[0]); i > 0; i--) current.push(0);
    } else if (name === "ascii" || name === "string" || name === "asciz") {
      throw new Error(
        `Cannot read the .${name} directive of ${MINGW_CC}'s output: declare numbers, not text`,
      );
    } else {
      // Anything else (`.globl`, `.section`, `.align`, `.text`) ends the object.
      current = undefined;
    }
  }
  return new Map([...objects].map(([k, v]) => [k, Uint8Array.from(v)]));
}

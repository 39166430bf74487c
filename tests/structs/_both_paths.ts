/**
 * `bothPaths`: one test run with layouts made on the generated code path, then on the plain one.
 */
import { test } from "../harness.ts";
import { useGeneratedCode } from "../../structs/_codegen.ts";

/** Runs `body` with layouts made on the generated path, then on the plain one. */
export function bothPaths(name: string, body: (make: <T>(f: () => T) => T) => void): void {
  for (const mode of ["generated", "plain"] as const) {
    test(`${name} (${mode} code)`, () => {
      body(<T>(f: () => T): T => {
        const previous = useGeneratedCode(mode === "generated");
        try {
          return f();
        } finally {
          useGeneratedCode(previous);
        }
      });
    });
  }
}

/**
 * `bothPaths`: one test run with layouts made on the generated code path, then on the plain one; `onPath`: one
 * piece of code run on a given path.
 */
import { test } from "../harness.ts";
import { useGeneratedCode } from "../../structs/_codegen.ts";

/** Runs `f` with the code-generation choice set to `generated`, and puts the previous choice back. */
export function onPath<T>(generated: boolean, f: () => T): T {
  const previous = useGeneratedCode(generated);
  try {
    return f();
  } finally {
    useGeneratedCode(previous);
  }
}

/** Runs `body` with layouts made on the generated path, then on the plain one. */
export function bothPaths(name: string, body: (make: <T>(f: () => T) => T) => void): void {
  for (const mode of ["generated", "plain"] as const) {
    test(`${name} (${mode} code)`, () => {
      body(<T>(f: () => T): T => onPath(mode === "generated", f));
    });
  }
}

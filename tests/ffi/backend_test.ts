/**
 * The backend conformance suite: the one list of cases in tests/ffi/_backend_cases.ts, run against the backend
 * of the runtime this runs on (tests/run.ts runs it on Deno and on Bun).
 *
 * @module
 */
import { backend } from "../../ffi/_backend.ts";
import { compileC, test } from "../harness.ts";
import { backendCases, conformanceSource } from "./_backend_cases.ts";

const path = compileC(conformanceSource);

for (const { name, run } of backendCases) {
  test(`${backend.runtime} backend: ${name}`, () => run(backend, path));
}

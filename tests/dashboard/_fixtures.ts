/**
 * The dashboard tests' fixture result files (`fixtures/`, written by `fixtures/make_fixtures.ts`) and the
 * ways the tests use them.
 *
 * @module
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ResultFile } from "../../bench/schema.ts";

/** The fixtures folder. */
export const FIXTURES: string = fileURLToPath(new URL("./fixtures/", import.meta.url));
/** The fixture result files, sorted. */
export const FIXTURE_FILES: string[] = readdirSync(FIXTURES).filter((name) => name.endsWith(".json")).sort();
/** A quick run of Deno on the devbox, with every suite. */
export const DENO_DEVBOX = "2026-11-20T09-30-00-000Z-deno.json";
/** A quick run of Bun on the devbox, 70 s later, with every suite. */
export const BUN_DEVBOX = "2026-11-20T09-31-10-000Z-bun.json";
/** A quick run of Deno on the CI machine, a day earlier. */
export const DENO_CI = "2026-11-19T17-02-45-000Z-deno.json";

/**
 * Reads a fixture.
 *
 * @param name The file name.
 * @returns The parsed file.
 */
export function fixture(name: string): ResultFile {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}

/**
 * A results folder of its own, with the fixtures copied in.
 *
 * @returns The folder.
 */
export function resultsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "dashboard-test-"));
  for (const name of FIXTURE_FILES) copyFileSync(join(FIXTURES, name), join(dir, name));
  return dir;
}

/** The files of one run of Deno, Bun and Node (one date, one machine), written by `fixtures/make_fixtures.ts`. */
export const ONE_RUN_DIR: string = fileURLToPath(new URL("./fixtures/one_run/", import.meta.url));
/** That run's files, Deno's, Bun's and Node's. */
export const ONE_RUN_FILES: readonly string[] = ["deno", "bun", "node"].map((r) =>
  `2026-11-22T07-00-00-000Z-${r}.json`
);
/** That run's key in `GET /api/runs`. */
export const ONE_RUN_KEY = "2026-11-22T07:00:00.000Z devbox";

/**
 * Reads a file of the one run.
 *
 * @param name The file name.
 * @returns The parsed file.
 */
export function oneRunFixture(name: string): ResultFile {
  return JSON.parse(readFileSync(join(ONE_RUN_DIR, name), "utf8"));
}

/**
 * A results folder with the fixtures and the one run's files.
 *
 * @returns The folder.
 */
export function resultsWithRun(): string {
  const dir = resultsCopy();
  for (const name of ONE_RUN_FILES) copyFileSync(join(ONE_RUN_DIR, name), join(dir, name));
  return dir;
}

/**
 * A newer run of the rows suite alone, Deno's and Bun's, without the row with arrays inside (as a checkout from
 * before it wrote it), written by `fixtures/make_fixtures.ts`.
 */
export const TWO_ROW_TYPES_DIR: string = fileURLToPath(new URL("./fixtures/two_row_types/", import.meta.url));
/** That run's files, Deno's and Bun's. */
export const TWO_ROW_TYPES_FILES: readonly string[] = ["deno", "bun"].map((r) =>
  `2026-11-24T06-00-00-000Z-${r}.json`
);
/** That run's key in `GET /api/runs`. */
export const TWO_ROW_TYPES_KEY = "2026-11-24T06:00:00.000Z devbox";

/**
 * Copies the run without the row with arrays inside into a results folder.
 *
 * @param dir The results folder.
 * @returns The paths written.
 */
export function addTwoRowTypesRun(dir: string): string[] {
  return TWO_ROW_TYPES_FILES.map((name) => {
    copyFileSync(join(TWO_ROW_TYPES_DIR, name), join(dir, name));
    return join(dir, name);
  });
}

/**
 * The shared part of the peer ports (tests/ffi/peers/*_cases_test.ts): the compiled fixture
 * (tests/fixtures/peer_cases.c) and a tally per peer, printed as one summary line after the peer's cases.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { compileC, runtime, test } from "../../harness.ts";

/** Path of the compiled fixture library. */
export const peerCasesPath: string = compileC(
  readFileSync(new URL("../../fixtures/peer_cases.c", import.meta.url), "utf8"),
  { flags: ["-pthread"] },
);

/** The cases of one peer's suite: each is a test named "<peer>: <case>", counted for the summary. */
export class PeerTally {
  #peer: string;
  #run = 0;
  #passed = 0;
  #notExpressible: string[] = [];
  #notRunHere: string[] = [];

  constructor(peer: string) {
    this.#peer = peer;
  }

  /** A case ffikit expresses: `where` is the peer's case name or file:line. */
  case(where: string, fn: () => void | Promise<void>, options: { timeout?: number } = {}): void {
    this.#run++;
    test(`${this.#peer}: ${where}`, async () => {
      await fn();
      this.#passed++;
    }, options);
  }

  /** A case ffikit cannot express (or that behaves differently): kept, counted, skipped with its reason. */
  notExpressible(where: string, reason: string): void {
    this.#notExpressible.push(`${where} (${reason})`);
    test(`${this.#peer}: ${where}`, () => {}, { ignore: `not expressible: ${reason}` });
  }

  /** A case that needs what this machine lacks (another OS, a library not installed): kept, counted apart. */
  notRunHere(where: string, reason: string): void {
    this.#notRunHere.push(`${where} (${reason})`);
    test(`${this.#peer}: ${where}`, () => {}, { ignore: `not run here: ${reason}` });
  }

  /** The summary line; registered last, so it runs after every case of the file. */
  summary(): void {
    test(`${this.#peer}: summary`, () => {
      const skipped = this.#notExpressible.length;
      console.log(
        `${this.#peer} cases on ${runtime}: ${this.#run} run, ${this.#passed} passed, ${skipped} not expressible` +
          (skipped ? `: ${this.#notExpressible.join("; ")}` : "") +
          (this.#notRunHere.length ? `; not run here: ${this.#notRunHere.join("; ")}` : ""),
      );
    });
  }
}

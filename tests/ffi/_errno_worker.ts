// A worker thread hammering errno with its own codes while the main thread checks its own.
import { openFixture } from "./_fixture.ts";

const lib = openFixture();
let mismatches = 0;
let calls = 0;
const deadline = Date.now() + 1500;
while (Date.now() < deadline) {
  for (let i = 0; i < 1000; i++) {
    const code = 100 + (i % 7);
    if (lib.symbols.fail_with(code).errno !== code) mismatches++;
    calls++;
  }
}
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage({ calls, mismatches });

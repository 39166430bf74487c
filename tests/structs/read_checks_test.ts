/**
 * `T.read()`'s checks once its loop is hot: the generated `read()` leaves them to the choice of its `DataView`
 * and to its last field's read (bench/probes/read_scalar_replacement.ts), so they are tested here after many
 * reads, on both code paths.
 */
import assert from "node:assert/strict";
import { bothPaths } from "./_both_paths.ts";
import { struct, u32, u8 } from "../../mod.ts";
import { engineHints, setEngineHints } from "../../structs/_internal.ts";

/** Runs `body` with layouts made under each form of the generated `read()` (the engine hint), then restores it. */
function eachReadForm(body: (form: string) => void): void {
  const previous = engineHints();
  try {
    for (const readChecksChooseView of [false, true]) {
      setEngineHints({ ...previous, readChecksChooseView });
      body(readChecksChooseView ? "checks choosing the DataView" : "checks on branches");
    }
  } finally {
    setEngineHints(previous);
  }
}

/** Enough reads for both engines to compile the loop's code. */
const HOT = 20_000;

function sumAt<B>(read: (bytes: B, offset: number) => { a: number }, bytes: B, offset: number) {
  let sum = 0;
  for (let i = 0; i < HOT; i++) sum += read(bytes, offset).a;
  return sum;
}

bothPaths(
  "T.read() refuses a row whose trailing padding passes the end, the loop hot",
  (make) =>
    eachReadForm(() => {
      // struct { uint32_t a; uint8_t b; }: 8 bytes in C, its last 3 bytes padding.
      const Padded = make(() => struct({ a: u32, b: u8 }, { name: "Padded" }));
      assert.equal(Padded.size, 8);
      const bytes = new Uint8Array(12);
      new DataView(bytes.buffer).setUint32(4, 7, true);
      const read = (b: Uint8Array, o: number) => Padded.read(b, o);
      assert.equal(sumAt(read, bytes, 4), 7 * HOT);
      // Fields a and b fit at offset 5 (bytes 5 to 9), the padding does not.
      assert.throws(() => read(bytes, 5), {
        name: "RangeError",
        message: `Cannot read "Padded": it needs 8 bytes at offset 5 but the buffer has 12`,
      });
      assert.equal(read(bytes, 4).a, 7, "reads again after the error");
    }),
);

bothPaths(
  "T.read() gives each buffer its own rows and the toolkit's errors, the loop hot",
  (make) =>
    eachReadForm(() => {
      const Row = make(() => struct({ a: u32, b: u32, c: u32 }, { name: "Row" }));
      const first = new Uint8Array(24), second = new Uint8Array(12);
      new DataView(first.buffer).setUint32(12, 1, true);
      new DataView(second.buffer).setUint32(0, 2, true);
      const read = (b: Uint8Array, o: number) => Row.read(b, o);
      assert.equal(sumAt(read, first, 12), HOT);
      assert.equal(sumAt(read, second, 0), 2 * HOT);
      assert.equal(read(first, 12).a, 1, "the first buffer again");
      for (
        const [offset, message] of [
          [12, `Cannot read "Row": it needs 12 bytes at offset 12 but the buffer has 12`],
          [-12, `Cannot read "Row": byte offset "-12" is not a non-negative integer`],
          [0.5, `Cannot read "Row": byte offset "0.5" is not a non-negative integer`],
          ["0", `Cannot read "Row": byte offset must be a number, got "0"`],
        ] as const
      ) {
        assert.throws(() => read(second, offset as number), { message }, String(offset));
      }
      const transferred = second.buffer.transfer();
      assert.throws(() => read(second, 0), {
        name: "TypeError",
        message: `Cannot read "Row": the buffer is detached`,
      });
      assert.equal(new DataView(transferred).getUint32(0, true), 2);
    }),
);

bothPaths(
  "T.read() gives the toolkit's error for a caller's DataView whose buffer was detached, the loop hot",
  (make) =>
    eachReadForm(() => {
      const Row = make(() => struct({ a: u32, b: u32 }, { name: "Row" }));
      const buffer = new ArrayBuffer(16);
      const dv = new DataView(buffer);
      dv.setUint32(8, 3, true);
      const read = (b: DataView, o: number) => Row.read(b, o);
      assert.equal(sumAt(read, dv, 8), 3 * HOT);
      const transferred = buffer.transfer();
      // The DataView's own getters now throw the engine's error; the toolkit names the condition.
      assert.throws(() => read(dv, 8), {
        name: "TypeError",
        message: `Cannot read "Row": the buffer is detached`,
      });
      assert.equal(new DataView(transferred).getUint32(8, true), 3);
    }),
);

bothPaths(
  "T.read() of a layout of no bytes refuses a detached buffer, the loop hot",
  (make) =>
    eachReadForm(() => {
      // Its row fits in the 0 bytes a detached buffer reports: the detached test must not be the fit's.
      const Empty = make(() => struct({}, { name: "Empty" }));
      assert.equal(Empty.size, 0);
      const bytes = new Uint8Array(8);
      let rows = 0;
      for (let i = 0; i < HOT; i++) rows += Object.keys(Empty.read(bytes, 8) as object).length + 1;
      assert.equal(rows, HOT);
      bytes.buffer.transfer();
      assert.throws(() => Empty.read(bytes, 0), {
        name: "TypeError",
        message: `Cannot read "Empty": the buffer is detached`,
      });
    }),
);

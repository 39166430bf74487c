/**
 * Probe: what reading one element of an array field in place costs (`row.dwLocalAddr.at(0)`, the field a
 * `u8[4]`), and which shape of the field's array view removes the cost. Each access of the field makes a fresh
 * array view; the shapes differ in what that view makes and checks:
 *
 * - an index probe made with the view (a `Uint8Array` over the elements' bytes, whose bounds are the index
 *   check), as `ArrayView` did: a typed array allocated per access, which neither engine removes;
 * - no probe: the index tested as `typeof i === "number" && i >>> 0 === i && i < length`, and the elements'
 *   end against the DataView's `byteLength` (which throws once the buffer is detached, or shrank under a
 *   DataView of fixed length), inside a `try` whose `catch` takes the checked path with the named error;
 * - the same with the field's last byte read instead of the `byteLength` test (the read throws where the test
 *   fails);
 * - the same with neither (an element still in the buffer reads even when a later one is cut).
 *
 * Baselines: a raw `DataView` loop reading the same three values, and the library's `at(i)` reading three
 * scalar fields of the same row in place (the addresses as `u32`). Then the library's own `at(i)` and cursor
 * over the row with `u8[4]` addresses, as they are now.
 *
 * Decided: the last byte read. An array field of scalars reads through a class of the field's own on the
 * generated path, which holds only the row's DataView and offset (structs/_field_elements.ts), and `ArrayView`
 * makes its probe on first need, checking as that class does until then (`#inPlaceAt` in structs/array_view.ts).
 * The `byteLength` test cost about 2-3 times the last byte read on Bun; reading neither is no faster there, and
 * would answer from what is left of a shrunk buffer where the rows refuse. Even with no probe, a full
 * `ArrayView` made per access was not removed by either engine (one run each: Deno 28-114 ns per row, Bun
 * 79), hence the class of the field's own. Figures: docs/runtime-notes.md, "Array fields read in place".
 *
 * Each contestant runs in a process of its own.
 *
 * Run: `./node_modules/.bin/deno run -A bench/probes/array_field_view.ts` and
 * `./node_modules/.bin/bun bench/probes/array_field_view.ts`.
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { TcpBytesRow } from "../_toolkit_rows.ts";
import { ROW_SIZE, table } from "./_table.ts";
import { type Contestants, report, timeSeparately } from "./_time.ts";

const N = 100_000;
const bytes = table(N);

// The rows suite's row with arrays inside.
const BytesRow = TcpBytesRow;

function gone(): never {
  throw new TypeError("Cannot access the element: the buffer is gone");
}
function badIndex(i: unknown): never {
  throw new RangeError(`Cannot access element "${String(i)}"`);
}
const readByte = (dv: DataView, o: number): number => dv.getUint8(o);

/** The former shape: a probe per view, the element read through the codec's function. */
class ProbedBytes {
  #dv: DataView;
  #base: number;
  #length: number;
  #get: (dv: DataView, o: number) => number;
  #probe: Uint8Array;
  constructor(dv: DataView, base: number, length: number) {
    this.#dv = dv;
    this.#base = base;
    this.#length = length;
    this.#get = readByte;
    this.#probe = new Uint8Array(dv.buffer, dv.byteOffset + base, length);
  }
  at(i: number): number {
    if (this.#probe[typeof i === "number" ? i : -1] === undefined) return badIndex(i);
    return this.#get(this.#dv, this.#base + i);
  }
  get length(): number {
    return this.#length;
  }
}

/** No probe: an index test and the elements' end against the DataView's length, in a `try`. */
class CheckedBytes {
  #dv: DataView;
  #base: number;
  #length: number;
  #get: (dv: DataView, o: number) => number;
  #probe: Uint8Array | undefined;
  constructor(dv: DataView, base: number, length: number) {
    this.#dv = dv;
    this.#base = base;
    this.#length = length;
    this.#get = readByte;
  }
  at(i: number): number {
    try {
      if (
        typeof i === "number" && (i >>> 0) === i && i < this.#length &&
        this.#base + this.#length <= this.#dv.byteLength
      ) return this.#get(this.#dv, this.#base + i);
    } catch {
      // The buffer is detached, or shrank under a DataView of fixed length.
    }
    return this.#slowAt(i);
  }
  #slowAt(i: number): number {
    this.#probe ??= new Uint8Array(this.#dv.buffer, this.#dv.byteOffset + this.#base, this.#length);
    return this.#probe[i] === undefined ? badIndex(i) : gone();
  }
  get length(): number {
    return this.#length;
  }
}

/** The same without the end test: the element's own read is the only bounds check. */
class ReadCheckedBytes {
  #dv: DataView;
  #base: number;
  #length: number;
  #get: (dv: DataView, o: number) => number;
  constructor(dv: DataView, base: number, length: number) {
    this.#dv = dv;
    this.#base = base;
    this.#length = length;
    this.#get = readByte;
  }
  at(i: number): number {
    try {
      if (typeof i === "number" && (i >>> 0) === i && i < this.#length) {
        return this.#get(this.#dv, this.#base + i);
      }
    } catch {
      // The buffer is detached or shrank.
    }
    return gone();
  }
  get length(): number {
    return this.#length;
  }
}

/** An index test, and the last element's last byte read as the test that every element is in the buffer. */
class LastByteBytes {
  #dv: DataView;
  #base: number;
  #length: number;
  #get: (dv: DataView, o: number) => number;
  constructor(dv: DataView, base: number, length: number) {
    this.#dv = dv;
    this.#base = base;
    this.#length = length;
    this.#get = readByte;
  }
  at(i: number): number {
    try {
      if (typeof i === "number" && (i >>> 0) === i && i < this.#length) {
        this.#dv.getUint8(this.#base + this.#length - 1);
        return this.#get(this.#dv, this.#base + i);
      }
    } catch {
      // The buffer is detached or shrank.
    }
    return gone();
  }
  get length(): number {
    return this.#length;
  }
}

type Bytes4 = { at(i: number): number };

/** A row view whose address fields are array views of the class given. */
function rowClass(Elements: new (dv: DataView, base: number, length: number) => Bytes4) {
  return class {
    #dv: DataView;
    #o: number;
    constructor(dv: DataView, o: number) {
      this.#dv = dv;
      this.#o = o;
    }
    get dwLocalAddr(): Bytes4 {
      return new Elements(this.#dv, this.#o + 4, 4);
    }
    get dwRemoteAddr(): Bytes4 {
      return new Elements(this.#dv, this.#o + 12, 4);
    }
    get dwOwningPid(): number {
      return this.#dv.getUint32(this.#o + 20, true);
    }
  };
}

function handWritten(
  Elements: new (dv: DataView, base: number, length: number) => Bytes4,
): () => () => number {
  const Row = rowClass(Elements);
  return () => () => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const row = new Row(dv, i * ROW_SIZE);
      sum += row.dwOwningPid + row.dwLocalAddr.at(0) + row.dwRemoteAddr.at(0);
    }
    return sum;
  };
}

const contestants: Contestants = {
  "DataView loop (baseline)": () => () => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sum = 0;
    for (let o = 0; o < N * ROW_SIZE; o += ROW_SIZE) {
      sum += dv.getUint32(o + 20, true) + dv.getUint8(o + 4) + dv.getUint8(o + 12);
    }
    return sum;
  },
  "library at(i), three scalar fields": () => () => {
    const rows = MIB_TCPROW_OWNER_PID.array(bytes);
    let sum = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows.at(i);
      sum += row.dwOwningPid + (row.dwLocalAddr & 0xff) + (row.dwRemoteAddr & 0xff);
    }
    return sum;
  },
  "library at(i), u8[4] fields .at(0)": () => () => {
    const rows = BytesRow.array(bytes);
    let sum = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows.at(i);
      sum += row.dwOwningPid + row.dwLocalAddr.at(0) + row.dwRemoteAddr.at(0);
    }
    return sum;
  },
  "library cursor, u8[4] fields .at(0)": () => () => {
    const cursor = BytesRow.array(bytes).cursor();
    let sum = 0;
    while (cursor.next()) {
      const row = cursor.row;
      sum += row.dwOwningPid + row.dwLocalAddr.at(0) + row.dwRemoteAddr.at(0);
    }
    return sum;
  },
  "hand-written, a probe per view": handWritten(ProbedBytes),
  "hand-written, index and end tests in a try": handWritten(CheckedBytes),
  "hand-written, index test, the last byte read first": handWritten(LastByteBytes),
  "hand-written, index test, the read as bounds check": handWritten(ReadCheckedBytes),
};

report(
  "array_field_view: sum the pid and one byte of each address per row, 1e5 rows, in place (ns per row)",
  timeSeparately(import.meta.url, contestants, { ops: N }),
);

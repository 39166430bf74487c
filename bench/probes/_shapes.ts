/**
 * Hand-written classes and scans over the probes' table (`_table.ts`) that several probes use unchanged: a view
 * per row, a cursor's row, the library's cursor shape, the sum and collect loops. A probe writes out the forms
 * it questions and imports these. Each contestant runs in a process of its own (`separately`), so a class
 * shared by two probes shares no type feedback between their contestants.
 *
 * @module
 */
import { LISTEN, swap16 } from "./_table.ts";

/** The error for an index outside the rows. */
export function outOfRange(i: number): never {
  throw new RangeError(`Cannot access row "${i}": it is outside the rows`);
}

/** The error for an index that is not an integer inside the rows (the index checks' probes). */
export function notAnIndex(i: unknown): never {
  throw new RangeError(`Cannot access row "${String(i)}": it is not an integer inside the rows`);
}

/** A view of one row made per row: private fields, a getter per field read in place. */
export class RowView {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView, o: number) {
    this.#dv = dv;
    this.#o = o;
  }
  /** `dwState`, at byte 0. */
  get state(): number {
    return this.#dv.getUint32(this.#o, true);
  }
  /** `dwLocalPort`, at byte 8 (network order in its low 16 bits). */
  get localPort(): number {
    return this.#dv.getUint32(this.#o + 8, true);
  }
  /** `dwOwningPid`, at byte 20. */
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}

/**
 * The per-layout rows class's shape in `structs/`: `at(i)` a method, the rows' own `DataView` (byte 0 is the
 * first row's), the row size a literal, a byte per row as the bounds test.
 */
export class RowsAt {
  #rows: DataView;
  #probe: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#rows = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#probe = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 24);
  }
  /** The number of rows. */
  get length(): number {
    return this.#probe.length;
  }
  /** A fresh view of row `i`. */
  at(i: number): RowView {
    if (this.#probe[i] === undefined) outOfRange(i);
    return new RowView(this.#rows, i * 24);
  }
}

/**
 * One column class for every field: `at(i)` reads `array[i * step]`, bounds tested by a byte per row, its
 * numeric field starting as a number.
 */
export class StepColumn<T extends number | bigint = number> {
  #array: ArrayLike<T>;
  #probe: Uint8Array;
  #step = 0;
  constructor(array: ArrayLike<T>, probe: Uint8Array, step: number) {
    this.#array = array;
    this.#probe = probe;
    this.#step = step;
  }
  /** The number of rows. */
  get length(): number {
    return this.#probe.length;
  }
  /** Row `i`'s value. */
  at(i: number): T {
    if (this.#probe[i] === undefined) outOfRange(i);
    return this.#array[i * this.#step]!;
  }
}

/** A cursor's row view, one per cursor, moved to each row by the cursor. */
export class CursorRow {
  #dv: DataView;
  #o = 0;
  constructor(dv: DataView) {
    this.#dv = dv;
  }
  /** Moves the view to the row at byte `o`. */
  move(o: number): void {
    this.#o = o;
  }
  /** `dwOwningPid`, at byte 20. */
  get pid(): number {
    return this.#dv.getUint32(this.#o + 20, true);
  }
}

/**
 * The per-layout cursor class's shape in `structs/`: private fields starting as numbers, a separate row view
 * over the rows' own `DataView`, the row size a literal, the offset stored before the end test.
 */
export class RowCursor {
  #o = 0;
  #last = 0;
  /** The row the cursor is on. */
  readonly row: CursorRow;
  constructor(bytes: Uint8Array) {
    this.row = new CursorRow(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#o = -24;
    this.#last = bytes.byteLength - 24;
  }
  /** Moves to the next row; false past the last. */
  next(): boolean {
    const o = this.#o + 24;
    this.#o = o;
    if (o > this.#last) return false;
    this.row.move(o);
    return true;
  }
}

/** The sum of pid by `at(i)`, the bound read from the rows. */
export function sumPidAt(rows: { readonly length: number; at(i: number): { readonly pid: number } }): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows.at(i).pid;
  return sum;
}

/** The sum of pid by a cursor's `next()`. */
export function sumPidNext(cursor: { next(): boolean; readonly row: { readonly pid: number } }): number {
  let sum = 0;
  while (cursor.next()) sum += cursor.row.pid;
  return sum;
}

/** The collect scan with a fresh `RowView` per row, the bound a local and the port expression inline. */
export function viewCollect(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / 24;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new RowView(dv, i * 24);
    if (row.state === LISTEN) ports.push(swap16(row.localPort & 0xffff));
  }
  return ports;
}

let fresh = 0;
/**
 * A function compiled anew for each call (numbered, so that no engine reuses its code): a loop in it runs in
 * on-stack-replacement (OSR) code, made while the loop runs.
 */
export function freshFunction<T>(body: string, ...names: string[]): T {
  return new Function(...names, `// fresh scan #${++fresh}\n${body}`) as T;
}

/** The strided sum of a pid column (`pidColumn`) in fresh, OSR code: the baseline of the OSR scans. */
export function freshStridedSum(pids: Uint32Array): number {
  const scan = freshFunction<(pids: Uint32Array) => number>(
    "let total = 0; for (let i = 0; i < pids.length; i += 6) total += pids[i]; return total;",
    "pids",
  );
  return scan(pids);
}

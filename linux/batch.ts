/**
 * Batching calls through one long-lived native buffer: seed 003's remedy. Instead of lending a fresh
 * JavaScript buffer (or passing many small arguments) to native code on every call, copy each call's
 * arguments as one record into memory that JavaScript owns and native code may keep (`alloc()`), and make one
 * call for the whole batch. The address never moves and is never freed while the batch is open, and one
 * foreign call replaces many; the batch group of `bench/calls.ts` measures the saving.
 *
 * @module
 */
import { alloc, ClosedError, type NativeMemory } from "../ffi/mod.ts";
import { checkOptions } from "../structs/_internal.ts";
import type {
  ArrayView,
  ColumnName,
  ColumnNative,
  Fields,
  InferStructInput,
  Strided,
  StructType,
} from "../structs/mod.ts";

/** Options of `CallBatch`. */
export interface CallBatchOptions {
  /** How many records the buffer holds. */
  capacity: number;
  /**
   * The one call that consumes the records: it receives the owned memory (pass it as a `buffer` argument, or
   * its `pointer`) and the record count. `push` calls it when the buffer is full; `flush` calls it on demand.
   */
  flush?: (memory: NativeMemory, count: number) => void;
}

const CALL_BATCH_OPTIONS = ["capacity", "flush"];

/**
 * A long-lived native buffer of `capacity` records of a struct layout, filled by `push` and handed to native
 * code in one call by `flush`.
 *
 * @example Many `(id, value)` calls as one
 * ```ts
 * import { f64, struct, u32 } from "../structs/mod.ts";
 * import { CallBatch } from "./batch.ts";
 * const Record = struct({ id: u32, value: f64 });
 * let seen = 0;
 * using batch = new CallBatch(Record, { capacity: 64, flush: (_memory, count) => void (seen += count) });
 * for (let i = 0; i < 100; i++) batch.push({ id: i, value: i / 2 });
 * batch.flush();
 * console.log(seen); // 100
 * ```
 */
export class CallBatch<F extends Fields> implements Disposable {
  /** The record layout. */
  readonly layout: StructType<F>;
  /** How many records fit. */
  readonly capacity: number;
  readonly #memory: NativeMemory;
  readonly #view: DataView;
  readonly #flush: ((memory: NativeMemory, count: number) => void) | undefined;
  #count = 0;

  /**
   * Allocates the buffer: `layout.size × capacity` bytes of owned, zeroed native memory.
   *
   * @param layout The struct each record is written as; the native side reads an array of it.
   * @param options `capacity`, and the `flush` call.
   * @throws {RangeError} When `capacity` is not a positive integer.
   * @throws {TypeError} When `options` is missing, or an option's name is unknown.
   */
  constructor(layout: StructType<F>, options: CallBatchOptions) {
    // Required, so undefined is refused too (checkOptions lets it through as "no options").
    if (options === undefined) throw new TypeError("Cannot make a call batch: expected { capacity, flush? }");
    checkOptions(options, CALL_BATCH_OPTIONS, "call", "new CallBatch");
    const capacity = options.capacity;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot make a call batch of ${capacity} records: expected a positive integer`);
    }
    this.layout = layout;
    this.capacity = capacity;
    this.#memory = alloc(layout.size * capacity);
    this.#view = new DataView(this.#memory.buffer);
    this.#flush = options.flush;
  }

  /** The owned memory the records are written to: stable for the life of the batch. */
  get memory(): NativeMemory {
    return this.#memory;
  }

  /** How many records are waiting. */
  get length(): number {
    return this.#count;
  }

  /**
   * Copies one call's arguments into the next record. When the buffer is then full and a `flush` call was
   * given, it is made.
   *
   * A push that throws (a value the layout refuses) adds no record: `length` is unchanged and the slot, which
   * may hold part of the record, is written over by the next push. Only a flush made first to free a slot
   * stands, and it handed over complete records.
   *
   * @param record The arguments, as the layout's fields.
   * @returns The record's index in the batch, before any automatic flush.
   * @throws {RangeError} When the buffer is full and there is no `flush` call to empty it, or a field's value is
   * out of its type's range.
   * @throws {ClosedError} When the batch was closed.
   */
  push(record: InferStructInput<F>): number {
    const index = this.#free("push to a call batch", "push");
    // Counted only once written: a write that throws part-way must not leave a slot that the next flush would
    // hand over with the previous batch's bytes in it.
    this.layout.write(this.#view, record, index * this.layout.size);
    this.#count = index + 1;
    if (this.#count === this.capacity && this.#flush !== undefined) this.flush();
    return index;
  }

  /**
   * Takes the next record slot without writing it, for hot loops that write fields through `column()`: the
   * record is handed over with the others at the next flush. When the buffer is full and a `flush` call was
   * given, it is made first, so the slot returned is always free.
   *
   * @returns The slot's index (row of every `column()`).
   * @throws {RangeError} When the buffer is full and there is no `flush` call to empty it.
   * @throws {ClosedError} When the batch was closed.
   */
  reserve(): number {
    const index = this.#free("reserve a record in a call batch", "reserve");
    this.#count = index + 1;
    return index;
  }

  // The next free slot, after a flush when the buffer is full and there is a call to empty it; not yet counted.
  #free(action: string, verb: string): number {
    if (this.#memory.closed) throw new ClosedError(action, "the batch");
    if (this.#count === this.capacity) {
      if (this.#flush === undefined) {
        throw new RangeError(`Cannot ${verb} record ${this.capacity + 1}: the batch holds ${this.capacity}`);
      }
      this.flush();
    }
    return this.#count;
  }

  /**
   * One scalar field of every slot, as positions in a typed array over the batch's memory: write record `i`'s
   * field at `array[start + i * stride]`. The fastest way to fill a batch (the batch group of `bench/calls.ts`).
   *
   * @param name A numeric scalar field of the layout.
   * @returns The typed array, start and stride.
   * @throws {TypeError} When the field is not a host-order numeric scalar aligned to its size.
   */
  column<K extends ColumnName<StructType<F>>>(name: K): Strided<ColumnNative<StructType<F>, K>> {
    const rows = this.layout.array(this.#memory.bytes, { count: this.capacity }) as ArrayView<StructType<F>>;
    const strided = rows.column(name).strided();
    if (strided === undefined) {
      throw new TypeError(
        `Cannot write field "${name}" as a typed array: it is not aligned or not in host order`,
      );
    }
    return strided as Strided<ColumnNative<StructType<F>, K>>;
  }

  /**
   * The waiting records in place, for reading or for writing them field by field (`at(i)`, `column()`).
   *
   * @returns An array view of the first `length` records.
   */
  records(): ArrayView<StructType<F>> {
    return this.layout.array(this.#memory.bytes, { count: this.#count }) as ArrayView<StructType<F>>;
  }

  /**
   * Makes the one call for the waiting records and empties the batch.
   *
   * @param call The call; default the `flush` call given at construction.
   * @returns The number of records handed over.
   * @throws {TypeError} When there is no call to make.
   */
  flush(call: ((memory: NativeMemory, count: number) => void) | undefined = this.#flush): number {
    if (call === undefined) throw new TypeError("Cannot flush a call batch: no flush call was given");
    const count = this.#count;
    if (count === 0) return 0;
    // Empty first, so a call that throws does not hand the same records over twice.
    this.#count = 0;
    call(this.#memory, count);
    return count;
  }

  /** Forgets the waiting records without a call. */
  clear(): void {
    this.#count = 0;
  }

  /** Frees the buffer (`NativeMemory.close()`: kept, not freed, if its view was transferred away). */
  close(): void {
    this.#count = 0;
    this.#memory.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * An out-parameter for a pointer: the `T **` or `char **` that C fills in (`getaddrinfo`'s `res`,
 * `strtol`'s `endptr`, `sqlite3_open`'s `ppDb`).
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { pointer } from "../structs/scalars.ts";
import { deferredStruct } from "../structs/_internal.ts";

// One pointer slot, so that its size and the pointer's encoding are the layout engine's (8 bytes, or 4 where
// pointers are 32-bit), and a pointer written to it is checked as a struct field's is.
const Slot = deferredStruct({ value: pointer });

/**
 * A cell C writes a pointer into: pass it where a `buffer` parameter stands for the `T **`, then read `value`.
 * Reading it is safe (a pointer is a value); what it points to is read with `unsafeRead`/`unsafeView`, since
 * the toolkit cannot know that memory is valid.
 */
export class OutPointer {
  /** The cell's bytes: what a `buffer` parameter passes to C (the cell itself may be passed too). */
  readonly bytes: Uint8Array<ArrayBuffer>;

  /** @internal Use `outPointer()`. */
  constructor(initial: Pointer | null) {
    this.bytes = new Uint8Array(Slot.size);
    if (initial !== null) this.value = initial;
  }

  /** The pointer in the cell: what C wrote, or `null` for NULL. */
  get value(): Pointer | null {
    return Slot.read(this.bytes).value;
  }

  /** Sets the pointer in the cell, for C to read (an in-out `T **`). */
  set value(value: Pointer | null) {
    Slot.write(this.bytes, { value });
  }
}

/**
 * A new out-parameter cell for a pointer, holding NULL (or `initial`).
 *
 * @param initial The pointer C reads first, for an in-out parameter; NULL unless given.
 * @returns The cell: pass it (or its `bytes`) as a `buffer` argument, then read `value`.
 * @throws {ClosedError} When `initial` is a pointer the toolkit revoked.
 *
 * @example C's `char **endptr`
 * ```ts
 * import { alloc, buffer, dlopen, i32, long, outPointer, pointer, readCString } from "../mod.ts";
 * using libc = dlopen("libc.so.6", {
 *   strtol: { args: [pointer, buffer, i32], returns: long }, // long strtol(const char *s, char **endptr, int base)
 * });
 * using text = alloc(8);
 * text.bytes.set(new TextEncoder().encode("42abc"));
 * const end = outPointer();
 * console.log(libc.symbols.strtol(text.pointer, end, 10)); // 42n
 * console.log(readCString(end.value!)); // "abc"
 * ```
 */
export function outPointer(initial: Pointer | null = null): OutPointer {
  return new OutPointer(initial);
}

/**
 * Bitfields: `T name : width`, placed by the GCC/SysV rules (x86-64 and AArch64 psABI) or by MSVC's.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import type { NativeType, Scalar } from "./scalars.ts";
import type { BitField, Padding } from "./types.ts";

/** The declared types a bitfield may have: the integer scalars. */
export type BitFieldStorage = Exclude<NativeType, "f32" | "f64" | "bool" | "pointer">;

/**
 * Declares a bitfield `T name : width`. Values are numbers up to 32 bits wide and `bigint`s above (a 64-bit
 * declared type, as in `uint64_t page : 52`); a signed declared type sign-extends.
 *
 * Placement follows GCC on the System V ABI (x86-64, AArch64; little-endian, bits allocated from the least
 * significant end): a bitfield goes at the next free bit unless it would straddle a boundary of its declared
 * type's size, in which case it starts at the next such boundary; the declared type's alignment counts toward
 * the struct's. Under `{ packed: true }` or `{ pack: n }` (`#pragma pack(n)`) bits follow each other with no
 * boundaries at all; the declared type's alignment still counts, capped at `n` under `pack` (even when also
 * packed) and at 1 under `packed` alone. A width of 0 moves to the next boundary of its declared type, packed
 * or not, and adds nothing to the struct's alignment. In a union a bitfield takes `ceil(width / 8)` bytes,
 * which the union's alignment then rounds up.
 *
 * With `struct(fields, { bitfields: "msvc" })` placement follows Visual C++ (as GCC's `ms_struct` and the
 * mingw-w64 compiler for Windows do, which the tests check against): each bitfield takes a whole unit of its declared type, and the next one shares it
 * only when its declared type has the same size and its bits fit; any other field starts after the unit. A
 * width of 0 right after a bitfield closes the unit and aligns the next field (and the struct) to its declared
 * type; anywhere else it does nothing. `packed` there means `#pragma pack(1)`: units stay whole. In a union
 * a bitfield takes a whole unit of its declared type, as in Visual C++ (GCC's `ms_struct` takes its bytes).
 *
 * An unnamed bitfield such as `unsigned : 3` is not a field: declare it with `padding`, which GCC places the
 * same way but leaves out of the struct's alignment.
 *
 * The declared type must be in host (or explicitly little-endian) byte order. A big-endian one such as
 * `u16be` is refused: GCC on a little-endian target has no big-endian bitfields, and a struct with
 * `scalar_storage_order("big-endian")` numbers its bits from the other end (its first field takes the most
 * significant bits), which one big-endian unit in a little-endian layout cannot mean. For flags in a wire
 * format, declare the whole `u16be` and take its bits with shifts and masks.
 *
 * @param storage The declared type, e.g. `u32` for `unsigned int flag : 1`.
 * @param width The width in bits, from 0 to the declared type's width.
 * @returns The bitfield specification.
 * @throws {TypeError} When `storage` is not an integer scalar, or is big-endian.
 * @throws {RangeError} When `width` is out of range.
 *
 * @example Flags packed into one unsigned int
 * ```ts
 * import { bits, struct, u32 } from "./mod.ts";
 * const Flags = struct({ ready: bits(u32, 1), level: bits(u32, 3) });
 * console.log(Flags.size, Flags.read(new Uint8Array([0b1011, 0, 0, 0])).level); // 4 5
 * ```
 *
 * @example A 52-bit page number in a 64-bit word, read as a bigint
 * ```ts
 * import { bits, struct, u64 } from "./mod.ts";
 * const Block = struct({ flags: bits(u64, 12), page: bits(u64, 52) });
 * const bytes = Block.encode({ flags: 0x5, page: 0xabcde12345678n });
 * console.log(Block.size, Block.read(bytes).page.toString(16)); // 8 abcde12345678
 * ```
 *
 * @example The same declaration under GCC's rules and under MSVC's
 * ```ts
 * import { bits, struct, u8, u32 } from "./mod.ts";
 * const fields = { kind: bits(u8, 3), count: bits(u32, 20), last: bits(u8, 5) };
 * console.log(struct(fields).size, struct(fields, { bitfields: "msvc" }).size); // 4 12
 * ```
 */
export function bits<N extends BitFieldStorage, W extends number>(
  storage: Scalar<N>,
  width: W,
): BitField<N, W> {
  checkBitField(storage, width);
  return Object.freeze({ kind: "bits", storage, width });
}

/**
 * Declares an unnamed bitfield `T : width`: bits a C header skips, as in `struct { char a; unsigned : 3; }`.
 * It still takes a key in the fields object (JS objects need one), but it is not a field: `read`, views,
 * `toJSON`, printing, `write` and `encode` (and `Infer`, `InferInput`, `View`) leave it out, and so does the
 * introspected `fields` list (`fieldsOf`, `offsetOf`). Give each one its own key, e.g. `_1`, `_2`.
 *
 * It is placed as `bits(T, width)` would be, by the same rules (a width of 0 included), with one difference
 * that GCC makes: under the default `"sysv"` rules an unnamed bitfield adds nothing to the struct's (or
 * union's) alignment, packed or not, under `pack` or not. Under `{ bitfields: "msvc" }` (Visual C++, and
 * GCC's `ms_struct`) an unnamed bitfield is placed exactly as a named one, alignment included.
 *
 * @param storage The declared type, e.g. `u32` for `unsigned int : 3`.
 * @param width The width in bits, from 0 to the declared type's width.
 * @returns The unnamed bitfield specification.
 * @throws {TypeError} When `storage` is not an integer scalar, or is big-endian.
 * @throws {RangeError} When `width` is out of range.
 *
 * @example An unnamed bitfield, which adds no alignment under GCC's rules
 * ```ts
 * import { bits, padding, struct, u32, u8 } from "./mod.ts";
 * const Unnamed = struct({ a: u8, _: padding(u32, 3), b: u8 });
 * const Named = struct({ a: u8, pad: bits(u32, 3), b: u8 });
 * console.log(Unnamed.size, Unnamed.align, Named.size, Named.align); // 3 1 4 4
 * console.log(Unnamed.read(Unnamed.encode({ a: 1, b: 2 }))); // { a: 1, b: 2 }
 * ```
 */
export function padding<N extends BitFieldStorage, W extends number>(
  storage: Scalar<N>,
  width: W,
): Padding<N, W> {
  checkBitField(storage, width);
  return Object.freeze({ kind: "padding", storage, width });
}

function checkBitField(storage: Scalar, width: number): void {
  if (storage?.kind !== "scalar" || ["f32", "f64", "bool", "pointer"].includes(storage.native)) {
    throw new TypeError(
      `Cannot declare a bitfield of ${
        describe((storage as { name?: string })?.name ?? storage)
      }: expected an integer scalar`,
    );
  }
  if (storage.endian === "big") {
    throw new TypeError(
      `Cannot declare a bitfield of "${storage.name}": bitfields are laid out little-endian, so a big-endian declared type is not supported (declare the whole field and take its bits)`,
    );
  }
  if (!Number.isInteger(width) || width < 0 || width > storage.size * 8) {
    throw new RangeError(
      `Cannot declare a bitfield of "${storage.name}": width ${describe(width)} is not between 0 and ${
        storage.size * 8
      }`,
    );
  }
}

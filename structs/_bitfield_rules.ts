/**
 * Where bitfields go: one interface, `BitfieldRules`, with the System V rules (GCC and Clang on Linux and
 * macOS) and the MSVC rules (Visual C++, and GCC's `ms_struct`). The layout pass (`_layout.ts`) asks them where
 * each bitfield starts and what it adds to the struct; everything else about placement is the same for both.
 *
 * @module
 */
import type { Scalar } from "./scalars.ts";

/** What the layout pass keeps while it places members, in bits and bytes; the rules move it on. */
export interface LayoutState {
  /** The next free bit of a struct. */
  bit: number;
  /** The largest alignment met so far. */
  maxAlign: number;
  /** An alignment the next member must also meet (MSVC: after a `T : 0`). */
  nextAlign: number;
  /** Whether the last member was a bitfield with bits. */
  afterBits: boolean;
  /** MSVC: the open bitfield unit's size in bytes (0 when none is open) and the bit it ends at. */
  unitSize: number;
  unitEnd: number;
}

/** The rules that place bitfields, for one struct's options. */
export interface BitfieldRules {
  /** The alignment a bitfield of `storage` has, and counts toward the struct's. */
  alignOf(storage: Scalar): number;
  /** Moves `at.bit` to where a bitfield of `width` bits (0 for `T : 0`) of `storage` starts in a struct. */
  place(at: LayoutState, storage: Scalar, width: number, align: number): void;
  /** The bytes a bitfield takes in a union. */
  unionBytes(at: LayoutState, storage: Scalar, width: number): number;
  /** Whether an unnamed bitfield counts toward the struct's alignment. */
  readonly unnamedAligns: boolean;
  /** Closes an open bitfield unit: before a member that is not a bitfield, and at the end. */
  close(at: LayoutState): void;
}

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/**
 * GCC's rules. A bitfield starts a new unit of its declared type only where it would straddle one, except
 * under `packed` or `#pragma pack` (`contiguous`), where bitfields follow each other bit by bit.
 *
 * @param contiguous Whether bitfields are packed bit by bit.
 * @param cap The alignment a bitfield's declared type is capped to: `#pragma pack` when there is one (even in
 *   a packed struct), else 1 under `packed`.
 */
export function sysvBitfields(contiguous: boolean, cap: number): BitfieldRules {
  return {
    alignOf: (storage) => Math.min(storage.align, cap),
    place(at, storage, width) {
      const unitBits = storage.size * 8;
      if (width === 0) {
        // `T : 0` moves to the next boundary of T, which neither `packed` nor `#pragma pack` changes; it
        // adds no alignment to the struct.
        at.bit = roundUp(at.bit, storage.align * 8);
      } else if (
        !contiguous && Math.floor(at.bit / unitBits) !== Math.floor((at.bit + width - 1) / unitBits)
      ) {
        // GCC: start a new unit only if the field would straddle a unit of its declared type.
        at.bit = roundUp(at.bit, storage.align * 8);
      }
    },
    // GCC: a union holds a bitfield's bytes, which its alignment pads to the declared type's size unless packed.
    unionBytes: (_at, _storage, width) => Math.ceil(width / 8),
    // An unnamed bitfield is placed as a named one, but GCC leaves it out of the struct's alignment.
    unnamedAligns: false,
    close() {},
  };
}

/**
 * MSVC's rules: bitfields share a unit of their declared type only when their types have the same size and
 * the bits fit; a `T : 0` right after a bitfield closes the unit and aligns the next member to T.
 *
 * @param cap What `#pragma pack` (or `packed`, which MSVC reads as `#pragma pack(1)`) caps alignments to.
 */
export function msvcBitfields(cap: number): BitfieldRules {
  return {
    alignOf: (storage) => Math.min(storage.align, cap),
    place(at, storage, width, align) {
      if (width === 0) {
        // `T : 0` closes the open unit and aligns the next field to T, but only right after a bitfield
        // with bits; anywhere else it does nothing.
        if (at.afterBits) {
          at.bit = at.unitEnd;
          at.nextAlign = Math.max(at.nextAlign, align);
          at.maxAlign = Math.max(at.maxAlign, align);
        }
        at.unitSize = 0;
        at.afterBits = false;
      } else if (at.unitSize !== storage.size || at.bit + width > at.unitEnd) {
        // A new unit of the declared type: bitfields share one only when their types have the same size
        // and the bits fit.
        if (at.unitSize !== 0) at.bit = at.unitEnd;
        at.bit = roundUp(at.bit, Math.max(align, at.nextAlign) * 8);
        at.nextAlign = 1;
        at.unitSize = storage.size;
        at.unitEnd = at.bit + storage.size * 8;
      }
    },
    // A whole unit of the declared type, and for a `T : 0` only right after a bitfield.
    unionBytes: (at, storage, width) => width > 0 || at.afterBits ? storage.size : 0,
    unnamedAligns: true,
    close(at) {
      // A member after bitfields starts after their whole unit.
      if (at.unitSize !== 0) {
        at.bit = at.unitEnd;
        at.unitSize = 0;
      }
    },
  };
}

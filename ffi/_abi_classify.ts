/**
 * How the x86-64 System V ABI passes a struct or union by value: its classification (AMD64 psABI §3.2.3), worked
 * out from a `structs/` layout the way GCC's `classify_argument` does.
 *
 * A struct of more than 16 bytes, or one holding a scalar at an offset that is not a multiple of its size
 * (packed), has class MEMORY: a copy on the stack as an argument, a buffer the caller hands over as a result.
 * Otherwise each eightbyte is INTEGER when any scalar in it is an integer or a pointer (a bitfield always is),
 * and SSE when all are floating point; union members overlap and merge the same way.
 *
 * Two structs with the same classes and size travel alike, whatever their fields: that is what lets a union or
 * a packed struct cross Deno's FFI as another struct (`canonicalMembers`) and Bun's as a C shim's scalars.
 *
 * @module
 */
import type { Scalar } from "../structs/scalars.ts";
import type { Aligned, FieldSpec, FieldType } from "../structs/types.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { NativeType } from "../structs/scalars.ts";

/** The class of one eightbyte passed in registers. */
export type EightbyteClass = "integer" | "sse";

/** A struct's System V classification. */
export interface Classification {
  /** Its size in bytes. */
  readonly size: number;
  /** One class per eightbyte, or `"memory"`. */
  readonly classes: readonly EightbyteClass[] | "memory";
  /** Why it is MEMORY (for documents and errors), when it is. */
  readonly memoryBecause?: string;
}

/** Why a layout cannot be classified (the error's words). */
export class Unclassifiable extends Error {}

interface Piece {
  offset: number;
  size: number;
  class: EightbyteClass;
  /** Whether a scalar sits at an offset that is not a multiple of its size; bitfields never are. */
  misaligned: boolean;
}

function scalarClass(type: Scalar): EightbyteClass {
  // A byte-swapped float is an integer of its size in C.
  return type.endian === "native" && (type.native === "f32" || type.native === "f64") ? "sse" : "integer";
}

function pieces(type: FieldType, offset: number, out: Piece[]): void {
  switch (type.kind) {
    case "scalar":
      out.push({ offset, size: type.size, class: scalarClass(type), misaligned: offset % type.size !== 0 });
      return;
    case "array":
      for (let i = 0; i < type.length; i++) pieces(type.element, offset + i * type.element.size, out);
      return;
    case "struct":
    case "union":
      layoutPieces(type, offset, out);
      return;
  }
}

function layoutPieces(layout: StructType | UnionType, base: number, out: Piece[]): void {
  for (const field of layout.fields) {
    const spec: Exclude<FieldSpec, Aligned> = field.type.kind === "aligned" ? field.type.type : field.type;
    if (spec.kind === "flexible") throw new Unclassifiable(`it ends in a flexible array ("${field.name}")`);
    if (spec.kind === "bits") {
      if (spec.width === 0) continue;
      // GCC: a bitfield makes every eightbyte its bits touch INTEGER, wherever it sits.
      const first = base + Math.floor(field.bitOffset! / 8);
      const last = base + Math.floor((field.bitOffset! + spec.width - 1) / 8);
      out.push({ offset: first, size: last - first + 1, class: "integer", misaligned: false });
      continue;
    }
    pieces(spec, base + field.offset, out);
  }
}

/**
 * The System V x86-64 classification of a struct or union.
 *
 * @param layout The struct or union.
 * @returns Its size and classes.
 * @throws {Unclassifiable} For a layout no C compiler passes by value the way it is declared here: empty, a
 * flexible array, alignment above 8 (not implemented: it moves the copy on the stack), or an eightbyte of
 * padding alone (GCC then skips a register, which no runtime type expresses).
 */
export function classify(layout: StructType | UnionType): Classification {
  const { size } = layout;
  if (size === 0) throw new Unclassifiable(`"${layout.name}" has no members`);
  if (layout.align > 8) {
    throw new Unclassifiable(
      `"${layout.name}" is aligned to ${layout.align}: alignment above 8 is not implemented by value`,
    );
  }
  const list: Piece[] = [];
  layoutPieces(layout, 0, list);
  if (size > 16) return { size, classes: "memory", memoryBecause: "it is larger than 16 bytes" };
  const misaligned = list.find((piece) => piece.misaligned);
  if (misaligned !== undefined) {
    return {
      size,
      classes: "memory",
      memoryBecause: `it has a ${misaligned.size}-byte member at byte ${misaligned.offset} (unaligned)`,
    };
  }
  const classes: (EightbyteClass | undefined)[] = new Array(Math.ceil(size / 8)).fill(undefined);
  for (const piece of list) {
    for (let eb = Math.floor(piece.offset / 8); eb <= Math.floor((piece.offset + piece.size - 1) / 8); eb++) {
      classes[eb] = classes[eb] === "integer" || piece.class === "integer" ? "integer" : "sse";
    }
  }
  const empty = classes.indexOf(undefined);
  if (empty !== -1) {
    throw new Unclassifiable(`"${layout.name}" has an eightbyte of padding alone (bytes ${8 * empty}..)`);
  }
  return { size, classes: classes as EightbyteClass[] };
}

/**
 * Members of a plain C struct, each at its natural alignment, with the same classification as `c`: what a
 * runtime that lays structs out from their members (libffi) is handed in place of a union or a packed struct.
 * An INTEGER eightbyte is bytes, an SSE one floats; a MEMORY struct is its bytes, and one of up to 16 bytes
 * (packed) 24 bytes, the least that is MEMORY too: right only for a call's result, whose buffer the caller
 * hands over. Otherwise the members may be a few bytes longer than `c.size` (floats after a short eightbyte
 * round them up to 4), never past the last eightbyte.
 *
 * @param c The classification.
 * @returns The members, and the size those members make.
 */
export function canonicalMembers(c: Classification): { members: NativeType[]; size: number } {
  if (c.classes === "memory") {
    const size = Math.max(c.size, 24);
    return { members: new Array(size).fill("u8"), size };
  }
  const members: NativeType[] = [];
  let end = 0;
  let align = 1;
  c.classes.forEach((cls, eb) => {
    const bytes = Math.min(8, c.size - 8 * eb);
    if (cls === "integer") {
      for (let i = 0; i < bytes; i++) members.push("u8");
      end += bytes;
    } else {
      const floats = Math.ceil(bytes / 4);
      for (let i = 0; i < floats; i++) members.push("f32");
      end = Math.ceil(end / 4) * 4 + 4 * floats;
      align = 4;
    }
  });
  return { members, size: Math.ceil(end / align) * align };
}

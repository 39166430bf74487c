/**
 * Structs passed and returned by value: a `structs/` layout spelled out as the C ABI sees it, and the
 * conversions on each side of the call.
 *
 * libffi (under `Deno.dlopen`) lays a struct out from its members' natural alignment and classifies it for
 * registers from their types. A layout is spelled out member by member, arrays element by element and
 * bitfields as their storage units, and then laid out again by those rules. On x86-64 System V, a layout they
 * cannot reproduce (packed, `pack`, extra alignment, a union) is handed over as other members of the same
 * classification (ffi/_abi_classify.ts), which the ABI passes alike; elsewhere it is refused rather than
 * passed wrong, as are a flexible array and, as an argument or a callback's result, a packed struct of up to
 * 16 bytes with an unaligned member (class MEMORY at a size no runtime type has).
 *
 * @module
 */
import { codecOf, MACHINE_TYPES } from "../structs/_internal.ts";
import type { StructType, UnionType } from "../structs/struct.ts";
import type { NativeType, Scalar } from "../structs/scalars.ts";
import type { Aligned, FieldSpec, FieldType } from "../structs/types.ts";
import type { Backend, Converter, StructKind } from "./_backend.ts";
import { ByValueUnsupportedError } from "./errors.ts";
import { canonicalMembers, type Classification, classify, Unclassifiable } from "./_abi_classify.ts";

/** A member as the ABI sees it: its type and where our layout put it. */
interface Member {
  kind: NativeType | StructKind;
  offset: number;
  size: number;
  align: number;
}

// An explicit-endian field holds bytes in another order: in C it is an integer of the same size.
// A byte-swapped scalar travels as the unsigned integer of its size (it is swapped in memory, not in a register):
// the first such machine type of each size, so u64 rather than usize.
const UNSIGNED_BY_SIZE = new Map<number, NativeType>();
for (const name of Object.keys(MACHINE_TYPES) as NativeType[]) {
  const record = MACHINE_TYPES[name];
  if (record.range !== undefined && !record.signed && !UNSIGNED_BY_SIZE.has(record.size)) {
    UNSIGNED_BY_SIZE.set(record.size, name);
  }
}

function scalarKind(type: Scalar): NativeType {
  return type.endian === "native" ? type.native : UNSIGNED_BY_SIZE.get(type.size)!;
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Why a layout cannot travel by value, for the error. */
class Unrepresentable extends Error {}

function element(type: FieldType, offset: number, out: Member[]): void {
  switch (type.kind) {
    case "scalar":
      out.push({ kind: scalarKind(type), offset, size: type.size, align: type.size });
      return;
    case "array":
      for (let i = 0; i < type.length; i++) element(type.element, offset + i * type.element.size, out);
      return;
    case "struct":
      out.push({ kind: spellOut(type), offset, size: type.size, align: type.align });
      return;
    case "union":
      throw new Unrepresentable(`it holds a union ("${type.name}"), which libffi cannot classify`);
  }
}

function members(layout: StructType): Member[] {
  const out: Member[] = [];
  let unitsEnd = 0;
  for (const field of layout.fields) {
    // Extra alignment is checked below, with every other placement.
    const spec: Exclude<FieldSpec, Aligned> = field.type.kind === "aligned" ? field.type.type : field.type;
    if (spec.kind === "flexible") {
      throw new Unrepresentable(`it ends in a flexible array ("${field.name}")`);
    }
    if (spec.kind === "bits") {
      // A bitfield travels as the unit of its declared type that holds its first bit; the bitfields after it
      // in the same unit add nothing.
      const unit = spec.storage.size;
      const offset = Math.floor(field.bitOffset! / (8 * unit)) * unit;
      if (spec.width === 0 || offset < unitsEnd) continue;
      out.push({ kind: scalarKind(spec.storage), offset, size: unit, align: unit });
      unitsEnd = offset + unit;
      continue;
    }
    element(spec, field.offset, out);
  }
  return out;
}

/**
 * The members of a struct as libffi will see them, checked to land where the layout put them.
 *
 * @param layout The struct.
 * @returns The ABI's view of it.
 * @throws {Unrepresentable} When libffi would lay it out differently.
 */
function spellOut(layout: StructType): StructKind {
  if (layout.kind !== "struct") {
    throw new Unrepresentable(`"${layout.name}" is a union, which libffi cannot classify`);
  }
  if (layout.size === 0) throw new Unrepresentable(`"${layout.name}" has no members`);
  const list = members(layout);
  let end = 0;
  let align = 1;
  for (const member of list) {
    const at = alignUp(end, member.align);
    if (at !== member.offset) {
      throw new Unrepresentable(
        `"${layout.name}" has a member at byte ${member.offset} where C's natural alignment puts it at ${at} ` +
          "(packed, pack, extra alignment or an unnamed bitfield)",
      );
    }
    end = at + member.size;
    align = Math.max(align, member.align);
  }
  if (align !== layout.align || alignUp(end, align) !== layout.size) {
    throw new Unrepresentable(
      `"${layout.name}" is ${layout.size} bytes aligned to ${layout.align}, where its members' natural ` +
        `alignment makes it ${alignUp(end, align)} aligned to ${align}`,
    );
  }
  return { struct: list.map((member) => member.kind), size: layout.size, bytes: layout.size };
}

/**
 * The runtime kind of a struct declared by value.
 *
 * @param layout The struct (or union).
 * @param runtime The backend: whether it passes structs by value, its ABI, and its name for the error.
 * @param what The declaration, for errors: `argument 0 of "div"`.
 * @param callResult Whether it is a call's result, the one place a MEMORY struct of up to 16 bytes can go
 * (the caller hands the callee a buffer, of any size).
 * @returns Its kind.
 * @throws {ByValueUnsupportedError} When the runtime cannot pass structs by value.
 * @throws {TypeError} When the struct cannot be passed by value here, naming why.
 */
export function structKind(
  layout: StructType | UnionType,
  runtime: Pick<Backend, "runtime" | "structsByValue" | "os" | "arch">,
  what: string,
  callResult: boolean = what.startsWith('the result of "'),
): StructKind {
  if (!runtime.structsByValue) throw new ByValueUnsupportedError(what, layout.name, runtime.runtime);
  const name = `Cannot declare ${what} as "${layout.name}" by value`;
  const systemV = runtime.arch === "x86_64" && runtime.os !== "windows";
  try {
    if (!systemV) return spellOut(layout as StructType);
    const classes = classify(layout);
    if (classes.classes === "memory" && classes.size <= 16 && !callResult) {
      throw new Unrepresentable(
        `${classes.memoryBecause}, so it is passed in memory at ${classes.size} bytes, which neither ` +
          "runtime's types can express here (only a call's result can be)",
      );
    }
    return { ...membersOf(layout, classes), size: layout.size, classes: classes.classes };
  } catch (error) {
    if (error instanceof Unrepresentable || error instanceof Unclassifiable) {
      const elsewhere = systemV
        ? ""
        : " (unions and packed structs by value are implemented for x86-64 System V)";
      throw new TypeError(`${name}: ${error.message}${elsewhere}`);
    }
    throw error;
  }
}

/** The members handed to the runtime: the struct's own when libffi lays them out the same, else the canonical. */
function membersOf(layout: StructType | UnionType, c: Classification): Pick<StructKind, "struct" | "bytes"> {
  // A MEMORY result over 16 bytes as its own members would be as good; bytes are simplest and exact.
  try {
    if (layout.kind === "struct") return spellOut(layout as StructType);
  } catch (error) {
    if (!(error instanceof Unrepresentable)) throw error;
  }
  const canonical = canonicalMembers(c);
  return { struct: canonical.members, bytes: canonical.size };
}

function isBytes(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * A struct on its way to native code (a call's argument, a callback's result): an object is written into a
 * buffer of the encoder's own (its padding stays 0: writes touch only fields), bytes of exactly the struct's
 * size pass as they are.
 *
 * The buffer is reused from call to call: libffi copies a struct argument into the call's registers or stack
 * before the function runs, so a call made from inside the function (a callback) cannot disturb it. Written
 * through the layout's own codec, near the raw call with typed arrays filled by hand:
 * bench/probes/by_value_buffers.ts.
 *
 * @param layout The struct.
 * @param what What is passed, for errors: `argument 0 of "div"`, `the result of a callback`.
 * @returns The converter.
 */
export function structEncoder(layout: StructType, what: string, bytes: number = layout.size): Converter {
  const scratch = new Uint8Array(Math.max(bytes, layout.size));
  const dv = new DataView(scratch.buffer);
  const { writeAt } = codecOf(layout);
  return (value) => {
    if (isBytes(value)) {
      if (value.byteLength !== layout.size) {
        throw new RangeError(
          `Cannot pass ${what}: "${layout.name}" is ${layout.size} bytes, got ${value.byteLength}` +
            (value.byteLength === 0 ? " (is the buffer detached?)" : ""),
        );
      }
      if (scratch.length === layout.size) return value;
      // The runtime reads the longer canonical struct: the bytes go into the scratch, whose tail stays 0.
      scratch.set(
        ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, layout.size)
          : new Uint8Array(value),
      );
      return scratch;
    }
    if (typeof value !== "object" || value === null) {
      throw new TypeError(`Cannot pass ${what}: expected an object or the bytes of "${layout.name}"`);
    }
    writeAt(dv, 0, value, layout.name);
    return scratch;
  };
}

/**
 * A struct on its way from native code (a call's result, a callback's argument): the bytes the runtime hands
 * over, copied out as a plain object.
 *
 * Deno returns a new `Uint8Array` per call; the bytes are copied into one reused array whose `DataView` is
 * made once, rather than a `DataView` per call: bench/probes/by_value_buffers.ts. Bun's shim returns the same
 * array each call, read in place (bench/probes/by_value_shim.ts).
 *
 * @param layout The struct.
 * @returns The converter.
 */
export function structDecoder(layout: StructType): Converter {
  const scratch = new Uint8Array(layout.size);
  const dv = new DataView(scratch.buffer);
  const { readAt } = codecOf(layout);
  const size = layout.size;
  // Bun's shim hands back the same array every call: once it comes twice, it is read through a view made
  // once, with no copy. Deno's arrays are new every call, and copied as above.
  let previous: Uint8Array | null = null;
  let reused: Uint8Array | null = null;
  let reusedView: DataView = dv;
  return (bytes) => {
    const given = bytes as Uint8Array;
    if (given === reused) return readAt(reusedView, 0);
    if (given === previous && given.length >= size) {
      reused = given;
      reusedView = new DataView(given.buffer, given.byteOffset, size);
      return readAt(reusedView, 0);
    }
    previous = given;
    // A canonical struct (ffi/_abi_classify.ts) may come back a few bytes longer: its tail is not the struct's.
    scratch.set(given.length === size ? given : given.subarray(0, size));
    return readAt(dv, 0);
  };
}

/**
 * The decoding of an owned string result (`ownedCString`, `ownedWString`): read, then freed, in the call.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import type { Converter } from "./_backend.ts";
import type { OwnedStringType } from "./owned_strings.ts";
import { readCString, readWString } from "./strings.ts";
import { readWcharString } from "./wchar_strings.ts";

/**
 * The conversion of an owned string result: `null` for NULL, else the string, the pointer freed whether or not
 * reading it threw.
 *
 * @param type The declared result.
 * @param free The deallocator, bound.
 * @returns The converter.
 */
export function ownedDecoder(type: OwnedStringType, free: (pointer: Pointer) => unknown): Converter {
  // No limit on the length: C allocated the string, NUL and all.
  const read = type.encoding === "utf8"
    ? (pointer: Pointer) => readCString(pointer)
    : type.encoding === "utf16"
    ? (pointer: Pointer) => readWString(pointer, { maxUnits: Number.MAX_SAFE_INTEGER })
    : (pointer: Pointer) => readWcharString(pointer, { maxUnits: Number.MAX_SAFE_INTEGER });
  return (value) => {
    if (value === null) return null;
    const pointer = value as Pointer;
    try {
      return read(pointer);
    } finally {
      free(pointer);
    }
  };
}

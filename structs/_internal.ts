/**
 * The internal entry of `structs/` for the toolkit's own `ffi/`, `linux/` and `windows/`: not public, not
 * covered by the compatibility promise of `mod.ts`. Those folders import `structs/` internals from here and
 * from nowhere else, so that this file lists everything they rely on.
 *
 * @module
 */
export { decodeCString } from "./_c_string.ts";
export { isDetached } from "./_bytes.ts";
export { checkOptions } from "./_checks.ts";
export { otherCopiesNote } from "./_copies.ts";
// Built first: ffi/ keeps the functions of the codecs it asks for.
export { type Codec, preparedCodecOf as codecOf } from "./_codec.ts";
export { environmentVariable, hostArch } from "./_environment.ts";
export { generatedCode, useGeneratedCode } from "./_codegen.ts";
export { type EngineHints, engineHints, setEngineHints } from "./_engine_hints.ts";
export {
  type DataViewGetter,
  type DataViewSetter,
  MACHINE_TYPES,
  type MachineType,
  type TypedArrayConstructor,
} from "./_machine_types.ts";
export { loneSurrogate } from "./_wide_string.ts";
export { detachedPointerCodec, type PointerCodec, pointerCodec, setPointerCodec } from "./scalars.ts";
export { struct } from "./struct.ts";
export { deferredStruct, deferredUnion } from "./_deferred.ts";

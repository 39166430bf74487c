/**
 * Which runtime the toolkit runs on, and what it tells `structs/` about it: the pointer codec and the engine
 * hints.
 *
 * @module
 */
import { setEngineHints, setPointerCodec } from "../structs/_internal.ts";
import { backend } from "./_backend.ts";

setPointerCodec({
  fromAddress: backend.fromAddress,
  toAddress: backend.toAddress,
  isPointer: backend.isPointer,
});
setEngineHints({
  integerTestIsFree: backend.integerTestIsFree,
  readChecksChooseView: backend.readChecksChooseView,
});

/** The runtime and platform the toolkit is calling native code on. */
export const ffiRuntime: { readonly runtime: "deno" | "bun"; readonly os: string; readonly arch: string } =
  Object
    .freeze({ runtime: backend.runtime, os: backend.os, arch: backend.arch });

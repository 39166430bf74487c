/**
 * Which runtime the toolkit runs on, and the pointer codec it installs for `structs/`.
 *
 * @module
 */
import { setPointerCodec } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";

setPointerCodec({ fromAddress: backend.fromAddress, toAddress: backend.toAddress });

/** The runtime and platform the toolkit is calling native code on. */
export const ffiRuntime: { readonly runtime: "deno" | "bun"; readonly os: string; readonly arch: string } =
  Object
    .freeze({ runtime: backend.runtime, os: backend.os, arch: backend.arch });

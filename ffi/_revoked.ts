/**
 * The pointers the toolkit handed out for memory or callbacks it owns, once their owner closed: each use of one
 * through the toolkit is refused with a `ClosedError` naming where it came back. A stale pointer to freed memory
 * let `memset` overwrite the next allocation, and one to a closed callback crashed Deno.
 *
 * Each backend tests a pointer its own cheap way (Deno: a look-up here; Bun: its box's address, set to an
 * impossible value); this table holds the words for the error.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { ClosedError } from "./errors.ts";

/**
 * What a revoked pointer pointed to, for the error: `{ resource: "the pointer's native memory", state: "was
 * freed" }`.
 */
export interface Revocation {
  readonly resource: string;
  readonly state: string;
}

/** Revoked pointers (only objects the toolkit made for an owner ever get in). */
export const revoked: WeakMap<object, Revocation> = new WeakMap();

let reachable = 0;
// Counts a revoked pointer out once the garbage collector has collected it: none of them can come back then.
const collected = new FinalizationRegistry<null>(() => void reachable--);

/**
 * How many revoked pointers the garbage collector has not collected yet. While it is 0, no pointer can be
 * revoked, so a backend may skip its look-up (Deno's costs a `WeakMap` look-up on every pointer argument).
 */
export function revokedReachable(): number {
  return reachable;
}

/** Records that `pointer` may no longer be used, and why. */
export function markRevoked(pointer: Pointer, revocation: Revocation): void {
  if (revoked.has(pointer as unknown as object)) return;
  revoked.set(pointer as unknown as object, revocation);
  reachable++;
  collected.register(pointer as unknown as object, null);
}

/**
 * The error for a revoked pointer used as `where` says: `Cannot use argument 0 of memset(): the pointer's native
 * memory was freed`.
 *
 * @param pointer The pointer (revoked).
 * @param where How the use is named: `"argument 0 of memset()"`, `"a pointer"`.
 */
export function revokedError(pointer: unknown, where: string): ClosedError {
  const revocation = revoked.get(pointer as object) ??
    { resource: "the pointer's owner", state: "is closed" };
  return new ClosedError(`use ${where}`, revocation.resource, { state: revocation.state });
}

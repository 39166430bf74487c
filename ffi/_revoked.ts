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

// The pointers the backends made for an owner (`own`): the only ones that can ever be revoked.
const owned: WeakSet<object> = new WeakSet();

/** Records that `pointer` was made for an owner, which may revoke it; returns it. */
export function markOwned(pointer: Pointer): Pointer {
  owned.add(pointer as unknown as object);
  return pointer;
}

/**
 * Whether `pointer` was made for an owner, and so may be revoked some day (then `onRevoke` tells).
 */
export function isOwned(pointer: Pointer): boolean {
  return owned.has(pointer as unknown as object);
}

// What to run when a pointer is revoked: a function made from it stops calling it.
const listeners: WeakMap<object, (() => void)[]> = new WeakMap();

/**
 * Runs `listener` once `pointer` is revoked, so that a function made from it can test a flag of its own before
 * each call instead of the pointer (that test cost Bun's call of `add` 4 ns: bench/probes/function_pointer.ts).
 */
export function onRevoke(pointer: Pointer, listener: () => void): void {
  const key = pointer as unknown as object;
  if (revoked.has(key)) return listener();
  const list = listeners.get(key);
  if (list === undefined) listeners.set(key, [listener]);
  else list.push(listener);
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
  for (const listener of listeners.get(pointer as unknown as object) ?? []) listener();
  listeners.delete(pointer as unknown as object);
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

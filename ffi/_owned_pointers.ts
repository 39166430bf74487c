/**
 * The pointers an owner (`NativeMemory`, `Callback`) hands out, and the pointers derived from them by
 * `unsafeOffsetPointer`: when the owner closes, every one of them is revoked (ffi/_revoked.ts), so that
 * `unsafeOffsetPointer(memory.pointer, 8)` kept past `close()` is refused as `memory.pointer` itself is.
 *
 * Derived pointers are held weakly: one the program dropped costs nothing at `close()`.
 *
 * @module
 */
import type { Pointer } from "../structs/scalars.ts";
import { backend } from "./_backend.ts";
import { markOwned, type Revocation } from "./_revoked.ts";

interface Family {
  readonly derived: WeakRef<object>[];
  // When `derived` reaches this length, the collected ones are dropped first: the list stays within twice
  // what is alive, however many pointers a loop derives.
  prune: number;
}

// The owner's pointer → its family; a derived pointer → its owner's pointer.
const families = new WeakMap<object, Family>();
const ownerOf = new WeakMap<object, object>();

/** A pointer for an owner to hand out (`backend.own`), revoked with all pointers derived from it by `revokeOwned`. */
export function ownPointer(pointer: Pointer): Pointer {
  const lent = backend.own(pointer);
  families.set(lent as unknown as object, { derived: [], prune: 64 });
  return lent;
}

/** Records that `child` points into the memory of `parent`'s owner, if `parent` has one the toolkit knows. */
export function deriveFrom(parent: Pointer, child: Pointer): void {
  const root = families.has(parent as unknown as object)
    ? parent as unknown as object
    : ownerOf.get(parent as unknown as object);
  if (root === undefined) return;
  const family = families.get(root)!;
  if (family.derived.length >= family.prune) {
    const alive = family.derived.filter((ref) => ref.deref() !== undefined);
    family.derived.length = 0;
    family.derived.push(...alive);
    family.prune = Math.max(64, 2 * alive.length);
  }
  ownerOf.set(child as unknown as object, root);
  family.derived.push(new WeakRef(child as unknown as object));
  // Revoked with its owner, so a function made from it tests a flag before each call, as from the owner's own.
  markOwned(child);
}

/** Revokes an owner's pointer and every pointer derived from it still reachable. */
export function revokeOwned(pointer: Pointer, why: Revocation): void {
  backend.revoke(pointer, why);
  const family = families.get(pointer as unknown as object);
  if (family === undefined) return;
  families.delete(pointer as unknown as object);
  for (const ref of family.derived) {
    const child = ref.deref();
    if (child !== undefined) backend.revoke(child as unknown as Pointer, why);
  }
}

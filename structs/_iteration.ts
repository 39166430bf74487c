/**
 * Iteration: what `for...of` over an array or a column walks. The iterator class is chosen by the class of
 * its owner, which was chosen when the owner was made: the plain path's classes walk with the one plain
 * iterator, the others with an iterator compiled for their class.
 *
 * @module
 */
import { compile } from "./_codegen.ts";

/** What `for...of` over an array or a column walks: the engine's `Iterator`, for its helpers (`map`, `take`, …). */
export const IteratorBase = ((globalThis as { Iterator?: unknown }).Iterator ??
  class {
    [Symbol.iterator](): unknown {
      return this;
    }
  }) as new () => object;

/** Anything `walk()` iterates: an array or a column. */
interface Indexed<T> {
  at(i: number): T;
}

type WalkClass = new (owner: Indexed<unknown>, length: number) => IteratorObject<unknown, undefined>;

/** The plain path's iterator, shared by every class: `at` is called through one site for all of them. */
class Walk extends IteratorBase {
  #owner: Indexed<unknown>;
  #i = 0;
  #length = 0;
  constructor(owner: Indexed<unknown>, length: number) {
    super();
    this.#owner = owner;
    this.#length = length;
  }
  next(): IteratorResult<unknown> {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: this.#owner.at(i), done: false };
  }
}

const walkClasses = new WeakMap<object, WalkClass>();

// An iterator object compiled per owner class, not a generator nor one shared class: bench/probes/iterator_objects.ts
// Nothing is stored when the walk ends (as in `cursorClassOf`): bench/probes/cursor_store_first.ts
export function walk<T>(owner: Indexed<T>, length: number): IteratorObject<T, undefined> {
  let Walker = walkClasses.get(owner.constructor);
  if (Walker === undefined) {
    Walker = compile<WalkClass>(
      ["Base"],
      `
return class extends Base {
  #owner; #i = 0; #length = 0;
  constructor(owner, length) {
    super();
    this.#owner = owner;
    this.#length = length;
  }
  next() {
    const i = this.#i;
    if (i >= this.#length) return { value: undefined, done: true };
    this.#i = i + 1;
    return { value: this.#owner.at(i), done: false };
  }
};`,
      [IteratorBase],
    );
    walkClasses.set(owner.constructor, Walker);
  }
  return new Walker(owner, length) as IteratorObject<T, undefined>;
}

/**
 * Registers a class of the plain path: its objects walk with the plain iterator, `Walk`. Every other owner's
 * class was made with generated code, and gets an iterator compiled for it.
 */
export function plainWalk(owner: abstract new (...args: never[]) => object): void {
  walkClasses.set(owner, Walk as unknown as WalkClass);
}

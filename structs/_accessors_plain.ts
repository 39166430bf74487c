/**
 * The plain accessors of a layout: closures over its members and a view class with a getter and setter per
 * member, no generated code. The fallback where code generation is off, under the same tests.
 *
 * @module
 */
import { describe } from "./_checks.ts";
import { type Accessors, inheritedName, type Member, memberKeys, ownValue, zeroBytes } from "./_members.ts";
import { StructView, VIEW_CLASS } from "./_view.ts";

/**
 * The plain path: closures over the members, no generated code. `size` is the layout's: a union's `write` zeroes
 * it before it writes the members present.
 */
export function plainAccessors(members: Member[], union: boolean, name: string, size: number): Accessors {
  const checkKeys = memberKeys(members, name, union);
  const inherited = members.map((m) => inheritedName(m.name));
  let dvOf!: (view: object) => DataView;
  let offsetOf!: (view: object) => number;
  const View = class {
    #dv: DataView;
    #o = 0;
    constructor(dv: DataView, o: number) {
      this.#dv = dv;
      this.#o = o;
    }
    [VIEW_CLASS](): unknown {
      return View;
    }
    static move(view: object, o: number): void {
      (view as InstanceType<typeof View>).#o = o;
    }
    static locate(view: object): [DataView, number] {
      return [(view as InstanceType<typeof View>).#dv, (view as InstanceType<typeof View>).#o];
    }
    static {
      dvOf = (view) => (view as InstanceType<typeof View>).#dv;
      offsetOf = (view) => (view as InstanceType<typeof View>).#o;
    }
  };
  Object.setPrototypeOf(View.prototype, StructView.prototype);
  for (const member of members) {
    const { read, write, view } = member;
    const path = `${name}.${member.name}`;
    Object.defineProperty(View.prototype, member.name, {
      get: view
        ? function (this: object) {
          return view(dvOf(this), offsetOf(this));
        }
        : function (this: object) {
          return read(dvOf(this), offsetOf(this));
        },
      ...(view ? {} : {
        set(this: object, value: unknown) {
          write(dvOf(this), offsetOf(this), value, path);
        },
      }),
      enumerable: true,
      configurable: false,
    });
  }
  return {
    View,
    readAt(dv, o) {
      const out: Record<string, unknown> = {};
      for (const member of members) out[member.name] = member.read(dv, o);
      return out;
    },
    writeAt(dv, o, value, path) {
      if (typeof value !== "object" || value === null) {
        throw new TypeError(`Cannot write "${path}": expected an object for ${name}, got ${describe(value)}`);
      }
      const record = value as Record<string, unknown>;
      if (union) {
        checkKeys(record, path);
        zeroBytes(dv, o, size);
      }
      // A field left out (`undefined`) is written as zeros, as C's `{ .a = 1 }` zeroes the others; then the keys
      // are checked, so that a misspelt one is not a field silently zeroed.
      let missing = false;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        const x = inherited[i] ? ownValue(record, member.name) : record[member.name];
        if (x !== undefined) member.write(dv, o, x, `${path}.${member.name}`);
        else if (!union) {
          member.zero(dv, o, `${path}.${member.name}`);
          missing = true;
        }
      }
      if (missing) checkKeys(record, path);
    },
  };
}

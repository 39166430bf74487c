/**
 * The generated accessors of a layout: per-layout source with every scalar access inlined, compiled once.
 *
 * @module
 */
import { checkSpanSlowly, dataViewOf, keepsLength } from "./_bytes.ts";
import { describe } from "./_checks.ts";
import { compile } from "./_codegen.ts";
import { fieldElementsClass } from "./_field_elements.ts";
import { engineHints } from "./_engine_hints.ts";
import { type Accessors, inheritedName, type Member, memberKeys, ownValue, zeroBytes } from "./_members.ts";
import { badValue, readNumber, readSource, writeSource, zeroSource } from "./_scalar_codec.ts";
import { StructView, VIEW_CLASS } from "./_view.ts";
import { pointerCodec } from "./scalars.ts";
import type { ArrayView } from "./array_view.ts";

/**
 * From this many fields (rows times top-level fields), `toArray()` makes its objects at an allocation site of
 * its own, so that V8 learns big copies live on: bench/probes/to_array_sites.ts
 */
const BULK_FIELDS = 2 ** 21;

/**
 * Arrays of scalars up to this many elements are read as an array literal written out in the source, not
 * through the array's codec (a call and a `new Array(length)` loop): bench/probes/read_scalar_replacement.ts
 */
const INLINE_ELEMENTS = 16;

/**
 * The generated path: per-layout source with every scalar access inlined as one `DataView` call at a constant
 * offset, so the JIT sees a view or a copy like a hand-written class or object literal. Timed against the plain
 * path on 1e6 MIB_TCPROW_OWNER_PID rows (ns/row, Deno 2.9 / Bun 1.4): `read` 11.5 vs 76 / 13 vs 45, `toArray`
 * 101 vs 341 / 33 vs 79, `at(i)` with two fields read 4.1 vs 12.4 / 6.8 vs 10.9. Both paths run the same tests.
 */
export function generatedAccessors(members: Member[], union: boolean, name: string, size: number): Accessors {
  const deps: unknown[] = [
    StructView,
    badValue,
    readNumber,
    pointerCodec,
    describe,
    dataViewOf,
    checkSpanSlowly,
    keepsLength,
    VIEW_CLASS,
  ];
  const names = [
    "Base",
    "bad",
    "N",
    "P",
    "describe",
    "dataViewOf",
    "checkSpanSlowly",
    "keepsLength",
    "VIEW_CLASS",
  ];
  const dep = (value: unknown): string => {
    names.push(`d${deps.length}`);
    deps.push(value);
    return `d${deps.length - 1}`;
  };
  const key = (field: string): string => JSON.stringify(field);
  // A name `Object.prototype` answers is read as an own property only (see `inheritedName`).
  let own: string | undefined;
  const valueOf = (field: string): string =>
    inheritedName(field) ? `${own ??= dep(ownValue)}(v, ${key(field)})` : `v[${key(field)}]`;
  const reads: string[] = [];
  const writes: string[] = [];
  const accessors: string[] = [];
  for (const m of members) {
    const path = JSON.stringify(`.${m.name}`);
    const viewPath = JSON.stringify(`${name}.${m.name}`);
    if (m.scalar) {
      reads.push(`${key(m.name)}: ${readSource(m.scalar, "dv", `o + ${m.offset}`)}`);
      // A field left out is zeros (in a union, the bytes were zeroed first): see `plainAccessors`.
      const at = `o + ${m.offset}`;
      const write = union
        ? `if (x !== undefined) { ${writeSource(m.scalar, "dv", at, "x", `path + ${path}`)} }`
        : writeSource(
          m.scalar,
          "dv",
          at,
          "x",
          `path + ${path}`,
          `${zeroSource(m.scalar, "dv", at)} m = true;`,
        );
      writes.push(`x = ${valueOf(m.name)}; ${write}`);
      accessors.push(
        `get [${key(m.name)}]() { return ${readSource(m.scalar, "this.#dv", `this.#o + ${m.offset}`)}; }`,
        `set [${key(m.name)}](x) { ${
          writeSource(m.scalar, "this.#dv", `this.#o + ${m.offset}`, "x", viewPath)
        } }`,
      );
      continue;
    }
    const d = dep(m);
    const elements = m.elements;
    if (elements && elements.length <= INLINE_ELEMENTS) {
      const { type, length } = elements;
      const values = Array.from(
        { length },
        (_, i) => readSource(type, "dv", `o + ${m.offset + i * type.size}`),
      );
      reads.push(`${key(m.name)}: [${values.join(", ")}]`);
    } else reads.push(`${key(m.name)}: ${d}.read(dv, o)`);
    const write = `${d}.write(dv, o, x, path + ${path});`;
    writes.push(
      `x = ${valueOf(m.name)}; if (x !== undefined) { ${write} }${
        union ? "" : ` else { ${d}.zero(dv, o, path + ${path}); m = true; }`
      }`,
    );
    if (m.view && elements) {
      // A class of the field's own, not the member's ArrayView: structs/_field_elements.ts
      const view = m.view;
      const Elements = fieldElementsClass(
        elements.type,
        elements.length,
        m.offset,
        (dv, o) => view(dv, o) as ArrayView,
      );
      accessors.push(`get [${key(m.name)}]() { return new ${dep(Elements)}(this.#dv, this.#o); }`);
    } else if (m.view) accessors.push(`get [${key(m.name)}]() { return ${d}.view(this.#dv, this.#o); }`);
    else {
      accessors.push(
        `get [${key(m.name)}]() { return ${d}.read(this.#dv, this.#o); }`,
        `set [${key(m.name)}](x) { ${d}.write(this.#dv, this.#o, x, ${viewPath}); }`,
      );
    }
  }
  // The read that leaves its checks to a DataView of no bytes needs the first member read from the DataView,
  // so that nothing else runs before it throws. Only where the engine hint says so (JavaScriptCore): in V8, a
  // read failing inside compiled code stops its speculation there for good.
  const first = members[0];
  const fastRead = engineHints().readChecksChooseView && size > 0 && first !== undefined &&
    first.offset < size &&
    (first.scalar !== undefined || (first.elements !== undefined && first.elements.length > 0 &&
      first.elements.length <= INLINE_ELEMENTS));
  // When reads written in the source end at the row's end, the last of them checks that the row fits.
  const sourceEnd = Math.max(
    0,
    ...members.map((m) =>
      m.scalar
        ? m.offset + m.scalar.size
        : m.elements && m.elements.length <= INLINE_ELEMENTS
        ? m.offset + m.elements.length * m.elements.type.size
        : 0
    ),
  );
  const fits = sourceEnd === size ? "" : ` &&\n          byteOffset + size <= lastView.byteLength`;
  // Two copies of the same loop: two object literals, so two allocation sites (see `BULK_FIELDS`).
  const copyRows = (fn: string): string =>
    `const ${fn} = function (dv, base, length, stride) {
  const out = new Array(length);
  for (let i = 0, o = base; i < length; i++, o += stride) out[i] = { ${reads.join(",\n")} };
  return out;
};`;
  const body = `
const readAt = function (dv, o) { return { ${reads.join(",\n")} }; };
const writeAt = function (dv, o, v, path) {
  if (typeof v !== "object" || v === null) {
    throw new TypeError("Cannot write \\"" + path + "\\": expected an object for " + ${
    JSON.stringify(name)
  } + ", got " + describe(v));
  }
  ${union ? `${dep(memberKeys(members, name, true))}(v, path); ${dep(zeroBytes)}(dv, o, ${size});` : ""}
  let x, m = false;
  ${writes.join("\n  ")}
  ${union ? "" : `if (m) ${dep(memberKeys(members, name, false))}(v, path);`}
};
// A base class whose prototype continues into Base's (see StructView).
const View = class {
  #dv; #o = 0;
  constructor(dv, o) { this.#dv = dv; this.#o = o; }
  static move(view, o) { view.#o = o; }
  static locate(view) { return [view.#dv, view.#o]; }
  [VIEW_CLASS]() { return View; }
  ${accessors.join("\n  ")}
};
Object.setPrototypeOf(View.prototype, Base.prototype);
const viewAt = function (dv, o) { return new View(dv, o); };
${copyRows("readFew")}
${copyRows("readMany")}
const readAll = function (dv, base, length, stride) {
  return length < ${Math.ceil(BULK_FIELDS / Math.max(1, members.length))}
    ? readFew(dv, base, length, stride)
    : readMany(dv, base, length, stride);
};
// A DataView of no bytes: other bytes than the last read's get it, so that their first read throws.
const NO_BYTES = new DataView(new ArrayBuffer(0));
const makeRead = function (size) {
  // Starts as an object no caller holds, so a first call with undefined bytes takes the checked path.
  let lastBytes = {}, lastView;
  // A function of its own: with these lines inline, read() grew past what JavaScriptCore inlines, and a read
  // per row took 18 ns instead of 12 on Bun 1.4: bench/probes/read_miss_function.ts.
  const miss = function (bytes) {
    const dv = dataViewOf(bytes, "read", ${JSON.stringify(name)});
    // Bytes whose length may change keep no DataView: the next call makes one of their length then. Where
    // checks are on branches, neither does a caller's DataView (dataViewOf checks it each time): the test for
    // a detached buffer below asks the bytes their length, which a detached DataView answers by throwing.
    if (${fastRead ? "" : "dv !== bytes && "}keepsLength(bytes, dv)) {
      lastBytes = bytes;
      lastView = dv;
    }
    return dv;
  };
  ${
    fastRead
      ? `// Every check, and the errors, after a failed read: the first read of new bytes, a bad offset, offsets of
  // 4 GiB and more. The last bytes may be a DataView whose buffer was detached since: dataViewOf says so.
  const readChecked = function (bytes, byteOffset = 0) {
    const dv = miss(bytes);
    // As checkSpan: typeof first (a bigint fails >>> in the engine); 4 GiB and more take the slow check.
    if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + size > dv.byteLength) {
      checkSpanSlowly(dv, byteOffset, size, "read", ${JSON.stringify(name)});
    }
    return readAt(dv, byteOffset);
  };
  // Every check picks the DataView: the last bytes' one, or one of no bytes whose first read throws;
  // readChecked() then redoes the read with the toolkit's error. No branch inside read() throws or calls,
  // which cost 1.6 times a hand-written literal per row on Bun: bench/probes/read_scalar_replacement.ts
  return function read(bytes, byteOffset = 0) {
    try {
      const dv = bytes === lastBytes && typeof byteOffset === "number" && (byteOffset >>> 0) === byteOffset${fits}
        ? lastView
        : NO_BYTES;
      const o = byteOffset;
      return { ${reads.join(",\n")} };
    } catch {
      return readChecked(bytes, byteOffset);
    }
  };`
      : `// The errors, or a DataView of bytes whose length may change that the row fits after all.
  const checkedView = function (bytes, byteOffset) {
    const dv = miss(bytes);
    checkSpanSlowly(dv, byteOffset, size, "read", ${JSON.stringify(name)});
    return dv;
  };
  // A row of no bytes fits in a detached buffer's 0 bytes: one test more, which the JIT drops for the others.
  const empty = size === 0;
  // The last bytes are never a DataView here (see miss): their own length, read once, is both the test that
  // the row fits and the detached test (a detached buffer's views report 0 bytes), where the DataView's length
  // and a test of the bytes' for 0 were two; the errors come from a call that chooses the DataView, not from a
  // return, which grew read() past what JavaScriptCore inlines. 1.57-1.63 times a hand-written literal per row
  // on Deno against 1.65-1.73 (Bun, when not told its engine: 1.29-1.55 against 1.35-1.80):
  // bench/probes/read_checks_cost.ts
  return function read(bytes, byteOffset = 0) {
    let dv = lastView;
    if (bytes !== lastBytes) dv = miss(bytes);
    const length = bytes.byteLength;
    // As checkSpan: typeof first (a bigint fails >>> in the engine); 4 GiB and more take the slow check.
    if (typeof byteOffset !== "number" || (byteOffset >>> 0) !== byteOffset || byteOffset + size > length || empty && length === 0) {
      dv = checkedView(bytes, byteOffset);
    }
    return readAt(dv, byteOffset);
  };`
  }
};
return { readAt, writeAt, View, viewAt, readAll, makeRead };`;
  return compile<Accessors>(names, body, deps);
}

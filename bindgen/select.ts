/**
 * What the module binds: the declarations of the headers asked for (those `--match` keeps), and every record
 * they use (by value, or through a pointer), in an order where each layout comes after the layouts it holds.
 * Records get their TypeScript names here: the tag, or the typedef that names an anonymous one.
 *
 * @module
 */
import type { CReading } from "../cdef/cdef.ts";
import { type CFunctionDefinition, definitionOf } from "../cdef/functions.ts";
import { NotExpressible } from "../cdef/layouts.ts";
import type { CVariableDefinition } from "../cdef/variables.ts";
import type { CObject, CRecord, CSpan, CType } from "../cdef/declarations.ts";
import type { IntegerMacro } from "./macros.ts";

/** A record the module lays out. */
export interface PlannedRecord {
  readonly record: CRecord;
  /** Its TypeScript name. */
  readonly name: string;
  /** Its C name: `struct tag`, or the typedef that names it. */
  readonly cName: string;
  readonly span: CSpan | undefined;
}

/** A typedef the module exports. */
export interface PlannedTypedef {
  /** Its TypeScript name. */
  readonly name: string;
  /** Its C name. */
  readonly cName: string;
  readonly type: CType;
  readonly span: CSpan | undefined;
  /**
   * For a pointer to a function type, its definition for `unsafeFunctionFromPointer()` and the name it is
   * exported as (`<typedef>_signature`); undefined when a parameter cannot cross the ffi boundary.
   */
  readonly signature?: { readonly name: string; readonly definition: CFunctionDefinition };
}

/** A function of the symbol table. */
export interface PlannedFunction {
  readonly object: CObject;
  readonly definition: CFunctionDefinition;
  readonly span: CSpan | undefined;
}

/** A global variable of the symbol table. */
export interface PlannedVariable {
  readonly object: CObject;
  readonly definition: CVariableDefinition;
  readonly span: CSpan | undefined;
}

/** An enum constant. */
export interface PlannedConstant {
  readonly name: string;
  readonly value: number | bigint;
  readonly span: CSpan | undefined;
}

/** Something of the headers the module leaves out, and why. */
export interface LeftOut {
  readonly name: string;
  readonly reason: string;
  readonly file: string;
  readonly line: number;
}

/** The module's contents. */
export interface Plan {
  readonly records: PlannedRecord[];
  readonly typedefs: PlannedTypedef[];
  readonly functions: PlannedFunction[];
  readonly variables: PlannedVariable[];
  readonly constants: PlannedConstant[];
  readonly macros: IntegerMacro[];
  /** Structs declared but never defined: handles, passed as `pointer`. */
  readonly opaque: string[];
  /** Declarations `cdef` cannot bind (a `long double` by value, …) and types the layout engine cannot express. */
  readonly leftOut: LeftOut[];
  /** The TypeScript name of each named record. */
  readonly names: Map<CRecord, string>;
}

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with yield let static implements interface package private protected public await symbols variables open")
    .split(" "),
);

function unwrap(type: CType): CType {
  while (type.kind === "aligned") type = type.type;
  return type;
}

/**
 * Chooses what the module binds.
 *
 * @param reading What `cdef` read.
 * @param roots The headers asked for (as the line markers name them).
 * @param match `--match`, or undefined for everything.
 * @param macros The integer macros of every header.
 * @returns The plan.
 */
export function plan(
  reading: CReading,
  roots: ReadonlySet<string>,
  match: RegExp | undefined,
  macros: readonly IntegerMacro[],
): Plan {
  const { declared, layouts, definitions } = reading;
  const wanted = (name: string, file: string | undefined): boolean =>
    file !== undefined && roots.has(file) && (match === undefined || match.test(name));
  const taken = new Set<string>();
  const identifier = (name: string): string => {
    let id = RESERVED.has(name) ? `${name}_` : name;
    while (taken.has(id)) id = `${id}_`;
    taken.add(id);
    return id;
  };

  // Names: an anonymous record takes its first typedef's; a tag its own, unless a typedef of that name means
  // something else.
  const names = new Map<CRecord, string>();
  const cNames = new Map<CRecord, string>();
  for (const [name, { type }] of declared.typedefs) {
    if (type.kind === "record" && type.tag === undefined && !names.has(type)) {
      names.set(type, identifier(name));
      cNames.set(type, name);
    }
  }
  for (const [key, tagged] of declared.tags) {
    if (tagged.kind !== "record" || tagged.members === undefined) continue;
    const tag = tagged.tag!;
    const typedef = declared.typedefs.get(tag);
    const clash = typedef !== undefined && typedef.type !== tagged;
    names.set(tagged, identifier(clash ? key.replace(" ", "_") : tag));
    cNames.set(tagged, key);
  }

  const records: PlannedRecord[] = [];
  const planned = new Set<CRecord>();
  const visiting = new Set<CRecord>();
  const pending: CRecord[] = [];
  const leftOut: LeftOut[] = [];
  const refusedTypes = new Set<CRecord>();

  const need = (record: CRecord): void => {
    if (planned.has(record) || visiting.has(record) || record.members === undefined) return;
    const reason = layouts.check(record);
    if (reason !== undefined) {
      if (!refusedTypes.has(record)) {
        refusedTypes.add(record);
        const name = cNames.get(record) ?? "an anonymous record";
        leftOut.push({ name, reason, file: record.file, line: record.line });
      }
      return;
    }
    visiting.add(record);
    for (const member of record.members) visit(member.type, true);
    visiting.delete(record);
    if (names.has(record)) {
      planned.add(record);
      records.push({
        record,
        name: names.get(record)!,
        cName: cNames.get(record)!,
        span: declared.spans.get(record),
      });
    }
  };
  // Walks a type: records held by value are laid out first; records behind pointers later.
  const visit = (type: CType, byValue: boolean): void => {
    type = unwrap(type);
    switch (type.kind) {
      case "array":
      case "vector":
        return visit(type.of, byValue);
      case "pointer": {
        const to = unwrap(type.to);
        if (to.kind === "record") pending.push(to);
        else visit(to, false);
        return;
      }
      case "function":
        visit(type.result, false);
        for (const p of type.params) visit(p, false);
        return;
      case "record":
        if (byValue || names.has(type)) need(type);
        else pending.push(type);
        return;
    }
  };
  const drain = (): void => {
    while (pending.length > 0) need(pending.shift()!);
  };

  for (const [, tagged] of declared.tags) {
    if (tagged.kind !== "record" || tagged.members === undefined) continue;
    const span = declared.spans.get(tagged);
    if (wanted(tagged.tag ?? "", span?.file)) need(tagged);
    drain();
  }
  const unnamedRecord = (type: CType): boolean => {
    const t = unwrap(type);
    return t.kind === "record" && !names.has(t);
  };
  // A function pointer type's definition, when its parameters and result can cross the ffi boundary.
  const signatureOf = (type: CType): CFunctionDefinition | undefined => {
    if (type.kind !== "pointer") return undefined;
    const to = unwrap(type.to);
    if (to.kind !== "function" || [to.result, ...to.params].some(unnamedRecord)) return undefined;
    try {
      const definition = definitionOf(to, layouts, undefined);
      return to.variadic ? { ...definition, variadic: true } : definition;
    } catch (error) {
      if (error instanceof NotExpressible) return undefined;
      throw error;
    }
  };
  const typedefs: PlannedTypedef[] = [];
  const opaque: string[] = [];
  for (const [name, { type, file, line }] of declared.typedefs) {
    const span = declared.spans.get(`typedef ${name}`);
    if (!wanted(name, span?.file ?? file)) continue;
    const t = unwrap(type);
    if (t.kind === "record") {
      if (t.members === undefined) {
        opaque.push(name);
        continue;
      }
      need(t);
      drain();
      if (names.get(t) === name || !planned.has(t)) continue;
    } else if (t.kind === "function" || t.kind === "void") continue;
    const reason = layouts.check(type);
    if (reason !== undefined) {
      leftOut.push({ name, reason, file, line });
      continue;
    }
    visit(type, true);
    drain();
    const typedefName = identifier(name);
    const signature = signatureOf(t);
    typedefs.push(
      signature === undefined ? { name: typedefName, cName: name, type, span } : {
        name: typedefName,
        cName: name,
        type,
        span,
        signature: { name: identifier(`${name}_signature`), definition: signature },
      },
    );
  }
  for (const [key, tagged] of declared.tags) {
    if (tagged.kind === "record" && tagged.members === undefined && roots.has(tagged.file)) {
      const name = key.slice(key.indexOf(" ") + 1);
      if ((match === undefined || match.test(name)) && !opaque.includes(name)) opaque.push(key);
    }
  }

  const functions: PlannedFunction[] = [];
  const variables: PlannedVariable[] = [];
  for (const object of declared.objects) {
    const span = declared.spans.get(object);
    if (!wanted(object.name, span?.file ?? object.file)) continue;
    if (object.type.kind === "function") {
      const definition = definitions.functions[object.name];
      if (definition === undefined) continue;
      // A record by value is named by its layout's export: an anonymous one has none.
      if ([object.type.result, ...object.type.params].some(unnamedRecord)) {
        const reason = "an anonymous struct or union by value (no layout name to declare it by)";
        leftOut.push({ name: object.name, reason, file: object.file, line: object.line });
        continue;
      }
      visit(object.type, false);
      drain();
      taken.add(object.name);
      functions.push({ object, definition, span });
    } else {
      let definition = definitions.variables[object.name];
      if (definition === undefined) continue;
      // An anonymous record has no layout name to view it by: its address it is.
      if (definition.type !== undefined && unnamedRecord(object.type)) {
        const { type: _, ...address } = definition;
        definition = address;
      }
      // A variable viewed through its record needs that record's layout.
      visit(object.type, definition.type !== undefined);
      drain();
      taken.add(object.name);
      variables.push({ object, definition, span });
    }
  }
  for (const s of definitions.skipped) {
    if (wanted(s.name, s.file)) leftOut.push({ name: s.name, reason: s.reason, file: s.file, line: s.line });
  }

  const constants: PlannedConstant[] = [];
  for (const [name] of declared.constants) {
    const span = declared.spans.get(`constant ${name}`);
    if (!wanted(name, span?.file)) continue;
    constants.push({ name: identifier(name), value: definitions.constants[name]!, span });
  }
  const integerMacros = macros.filter((m) => wanted(m.macro.name, m.macro.file) && !taken.has(m.macro.name));
  for (const m of integerMacros) taken.add(m.macro.name);
  return {
    records,
    typedefs,
    functions,
    variables,
    constants,
    macros: integerMacros,
    opaque,
    leftOut,
    names,
  };
}

/**
 * Every case of the by-value table (tests/ffi/_by_value_cases.ts) against C compiled here: a struct made by C,
 * a struct stepped by C, eight of them at once (past the registers, onto the stack), and callbacks that take
 * and return them, through C that calls them. Values are checked leaf by leaf against what the C step does.
 */
import assert from "node:assert/strict";
import { compileC, test } from "../harness.ts";
import {
  array,
  callback,
  dlopen,
  ffiRuntime,
  functionPointer,
  i32,
  struct,
  type StructType,
  u8,
} from "../../mod.ts";
import { at, build, CASES, initial, type Leaf, prepare, type Prepared, stepped } from "./_by_value_cases.ts";

const prepared = CASES.map(prepare);
const path = compileC(
  ["#include <stdint.h>", "#include <string.h>", ...prepared.map((p) => p.source)].join("\n\n"),
);
const systemV = ffiRuntime.arch === "x86_64" && ffiRuntime.os !== "windows";

function values(p: Prepared, set: number): unknown {
  const map = new Map<string, number | bigint>();
  p.leaves.forEach((leaf, i) => map.set(JSON.stringify(leaf.path), initial(leaf, i, set)));
  return build(p.case.spec, map);
}

/** The struct `step` makes from `value`, worked out in JavaScript (for callbacks). */
function stepValue(p: Prepared, value: unknown, k: number): unknown {
  const map = new Map<string, number | bigint>();
  p.leaves.forEach((leaf, i) =>
    map.set(JSON.stringify(leaf.path), stepped(leaf, i, at(value, leaf.path) as never, k))
  );
  return build(p.case.spec, map);
}

function check(p: Prepared, got: unknown, set: number, k: number, what: string): void {
  p.leaves.forEach((leaf: Leaf, i) => {
    const expected = stepped(leaf, i, initial(leaf, i, set), k);
    assert.equal(at(got, leaf.path), expected, `${p.case.name}: ${what}: leaf ${leaf.c}`);
  });
}

for (const p of prepared) {
  const { name } = p.case;
  const T = p.type as StructType;
  const Wide = struct({ s: T, pad: array(u8, 24) }, { name: `${name}_wide_t` });
  test(`dlopen() and callback() pass ${name} (${T.size} bytes) by value`, () => {
    const table = {
      [`${name}_make`]: { args: [i32], returns: T },
      ...(p.case.resultOnly ? {} : {
        [`${name}_step`]: { args: [T, i32], returns: T },
        [`${name}_apply`]: { args: [functionPointer, T, i32], returns: T },
      }),
      ...(p.case.many
        ? {
          [`${name}_many`]: { args: [T, T, T, T, T, T, T, T, i32, i32], returns: T },
          [`${name}_apply_many`]: { args: [functionPointer, T, T, T, T, T, T, T, T, i32], returns: T },
          [`${name}_many_wide`]: { args: [T, T, T, T, T, T, T, T, i32, i32], returns: Wide },
          [`${name}_apply_many_wide`]: {
            args: [functionPointer, T, T, T, T, T, T, T, T, i32],
            returns: Wide,
          },
        }
        : {}),
    };
    const lib = dlopen(path, table);
    // deno-lint-ignore no-explicit-any
    const c = lib.symbols as Record<string, (...args: any[]) => unknown>;
    check(p, c[`${name}_make`]!(3), 0, 3, "make");
    if (p.case.resultOnly) {
      if (systemV) {
        assert.throws(() => dlopen(path, { [`${name}_step`]: { args: [T, i32], returns: T } }), {
          name: "TypeError",
          message: /passed in memory at \d+ bytes/,
        });
      }
      lib.close();
      return;
    }
    check(p, c[`${name}_step`]!(values(p, 1), 5), 1, 5, "step");
    {
      using cb = callback({ args: [T, i32], returns: T }, (s, k) => stepValue(p, s, k) as never);
      check(p, c[`${name}_apply`]!(cb.pointer, values(p, 2), 7), 2, 7, "apply");
    }
    if (p.case.many) {
      const sets = Array.from({ length: 8 }, (_, j) => values(p, j));
      for (let which = 0; which < 8; which++) {
        check(p, c[`${name}_many`]!(...sets, which, which + 1), which, which + 1, `many, argument ${which}`);
      }
      let received: unknown[] = [];
      using cb = callback(
        { args: [T, T, T, T, T, T, T, T, i32], returns: T },
        (...args: unknown[]) => {
          received = args;
          return stepValue(p, args[args[8] as number], 0) as never;
        },
      );
      for (let which = 0; which < 8; which++) {
        check(
          p,
          c[`${name}_apply_many`]!(cb.pointer, ...sets, which),
          which,
          0,
          `apply_many, argument ${which}`,
        );
      }
      // Every argument reached the callback, not only the one it returned.
      received.slice(0, 8).forEach((got, j) =>
        check(p, stepValue(p, got, 0), j, 0, `callback argument ${j}`)
      );
      for (let which = 0; which < 8; which++) {
        const got = c[`${name}_many_wide`]!(...sets, which, which + 2) as { s: unknown };
        check(p, got.s, which, which + 2, `many_wide, argument ${which}`);
      }
      using wide = callback(
        { args: [T, T, T, T, T, T, T, T, i32], returns: Wide },
        (...args: unknown[]) =>
          ({ s: stepValue(p, args[args[8] as number], 0), pad: new Array(24).fill(0) }) as never,
      );
      for (let which = 0; which < 8; which++) {
        const got = c[`${name}_apply_many_wide`]!(wide.pointer, ...sets, which) as { s: unknown };
        check(p, got.s, which, 0, `apply_many_wide, argument ${which}`);
      }
    }
    lib.close();
  });
}

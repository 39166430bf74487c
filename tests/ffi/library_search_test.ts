import assert from "node:assert/strict";
import { resolve } from "node:path";
import process from "node:process";
import { test } from "../harness.ts";
import { dlopen, LibraryNotFoundError } from "../../ffi/mod.ts";
import { i32 } from "../../structs/mod.ts";

// The path a LibraryNotFoundError names is worked out without node:path (not loaded at import on Deno): checked
// here against node:path's resolve, for relative paths with `.` and `..` steps, and absolute ones.
test("LibraryNotFoundError names a path as node:path's resolve() gives it", () => {
  const names = [
    "./missing/libnone.so",
    "missing/../other/./libnone.so",
    "../../libnone.so",
    "/nonexistent//dir/../libnone.so",
    "a/b/",
  ];
  for (const name of names) {
    assert.throws(
      () => dlopen(name, { f: { args: [], returns: i32 } }),
      (error: unknown) => {
        assert.ok(error instanceof LibraryNotFoundError, String(error));
        assert.deepEqual(error.searched, [resolve(process.cwd(), name)], name);
        return true;
      },
    );
  }
});

/**
 * Following native pointers: `unsafeRead`/`unsafeView` of a struct at a pointer, `outPointer()` for `T **`
 * out-parameters, and a linked list walked from `getaddrinfo` (checked against a C program walking the same).
 */
import assert from "node:assert/strict";
import { runC, test } from "../harness.ts";
import {
  alloc,
  array,
  buffer,
  ClosedError,
  cstring,
  cstringArg,
  dlopen,
  i32,
  int,
  long,
  offsetOf,
  outPointer,
  pointer,
  pointerEquals,
  readCString,
  struct,
  u16,
  u16be,
  u32,
  u8,
  unsafeOffsetPointer,
  unsafePointerAddress,
  unsafeRead,
  unsafeView,
} from "../../mod.ts";

// struct addrinfo (<netdb.h>)
const addrinfo = struct({
  ai_flags: int,
  ai_family: int,
  ai_socktype: int,
  ai_protocol: int,
  ai_addrlen: u32, // socklen_t
  ai_addr: pointer, // struct sockaddr *
  ai_canonname: pointer, // char *
  ai_next: pointer, // struct addrinfo *
});
// struct sockaddr_in (<netinet/in.h>)
const sockaddr_in = struct({
  sin_family: u16,
  sin_port: u16be,
  sin_addr: array(u8, 4),
  sin_zero: array(u8, 8),
});

const AI_NUMERICHOST = 0x4;
const AI_NUMERICSERV = 0x400;

const C_WALK = `
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
int main(void) {
  printf("layout %zu %zu %zu %zu\\n", sizeof(struct addrinfo), offsetof(struct addrinfo, ai_addr),
         offsetof(struct addrinfo, ai_canonname), offsetof(struct addrinfo, ai_next));
  struct addrinfo hints, *res, *p;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  if (getaddrinfo("127.0.0.1", "8080", &hints, &res) != 0) return 1;
  for (p = res; p != NULL; p = p->ai_next) {
    struct sockaddr_in *in = (struct sockaddr_in *)p->ai_addr;
    printf("%d %d %d %u %s %d\\n", p->ai_family, p->ai_socktype, p->ai_protocol, (unsigned)p->ai_addrlen,
           inet_ntoa(in->sin_addr), ntohs(in->sin_port));
  }
  freeaddrinfo(res);
  return 0;
}
`;

test("unsafeRead() walks getaddrinfo()'s linked list through ai_next, as C walks it", () => {
  const [layout, ...expected] = runC(C_WALK).trim().split("\n");
  assert.equal(
    layout,
    `layout ${addrinfo.size} ${offsetOf(addrinfo, "ai_addr")} ${offsetOf(addrinfo, "ai_canonname")} ` +
      `${offsetOf(addrinfo, "ai_next")}`,
  );
  using libc = dlopen("libc.so.6", {
    // int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
    getaddrinfo: { args: [cstringArg, cstringArg, buffer, buffer], returns: int },
    freeaddrinfo: { args: [pointer], returns: int }, // void freeaddrinfo(struct addrinfo *res)
  });
  const hints = addrinfo.encode({
    ai_flags: AI_NUMERICHOST | AI_NUMERICSERV,
    ai_family: 0,
    ai_socktype: 0,
    ai_protocol: 0,
    ai_addrlen: 0,
    ai_addr: null,
    ai_canonname: null,
    ai_next: null,
  });
  const result = outPointer();
  assert.equal(libc.symbols.getaddrinfo(cstring("127.0.0.1"), cstring("8080"), hints, result), 0);
  const lines: string[] = [];
  for (let p = result.value; p !== null;) {
    const info = unsafeRead(p, addrinfo);
    const address = unsafeRead(info.ai_addr!, sockaddr_in);
    lines.push(
      `${info.ai_family} ${info.ai_socktype} ${info.ai_protocol} ${info.ai_addrlen} ` +
        `${address.sin_addr.join(".")} ${address.sin_port}`,
    );
    p = info.ai_next;
  }
  libc.symbols.freeaddrinfo(result.value);
  assert.deepEqual(lines, expected);
  assert.ok(lines.length >= 2, "a list of one node would not test the walk");
});

test("unsafeView() shows a struct in place at a pointer; unsafeRead() copies it out", () => {
  const Point = struct({ x: i32, y: i32, next: pointer });
  using memory = alloc(2 * Point.size);
  const second = unsafeOffsetPointer(memory.pointer, Point.size);
  const first = unsafeView(memory.pointer, Point);
  first.x = 1;
  first.y = -2;
  first.next = second;
  unsafeView(memory.pointer, Point, Point.size).x = 3;
  const view = new DataView(memory.buffer);
  assert.deepEqual([view.getInt32(0, true), view.getInt32(4, true)], [1, -2]);
  assert.equal(view.getInt32(Point.size, true), 3);
  const copy = unsafeRead(memory.pointer, Point);
  assert.deepEqual({ x: copy.x, y: copy.y }, { x: 1, y: -2 });
  assert.ok(pointerEquals(copy.next, second));
  assert.equal(unsafeRead(copy.next!, Point).x, 3);
  assert.equal(unsafeRead(memory.pointer, Point, Point.size).next, null);
  // The copy is a copy; the view is the memory.
  memory.bytes[0] = 9;
  assert.equal(copy.x, 1);
  assert.equal(first.x, 9);
});

test("unsafeRead() and unsafeView() of a struct refuse a revoked pointer, null, and what is no struct", () => {
  const Point = struct({ x: i32, y: i32 });
  const memory = alloc(Point.size);
  const stale = memory.pointer;
  const derived = unsafeOffsetPointer(stale, 0);
  memory.close();
  for (const p of [stale, derived]) {
    assert.throws(() => unsafeRead(p, Point), {
      name: "ClosedError",
      message: "Cannot use argument 0 of unsafeRead(): the pointer's native memory was freed",
    });
    assert.throws(() => unsafeView(p, Point), {
      name: "ClosedError",
      message: "Cannot use argument 0 of unsafeView(): the pointer's native memory was freed",
    });
  }
  assert.throws(() => unsafeRead(null as never, Point), /Cannot use null as a pointer/);
  assert.throws(() => unsafeView(null as never, Point), /Cannot use null as a pointer/);
  using live = alloc(8);
  assert.throws(() => unsafeView(live.pointer, "i32" as never), /expected a scalar, struct or union type/);
  assert.throws(() => unsafeRead(live.pointer, {} as never), TypeError);
  assert.throws(() => unsafeRead(live.pointer, Point, -1), RangeError);
  // A struct of no bytes still checks its pointer.
  assert.throws(() => unsafeView(stale, struct({})), ClosedError);
  assert.deepEqual(unsafeRead(live.pointer, struct({})), {});
});

test("outPointer() is a T ** cell C fills in: strtol's endptr", () => {
  using libc = dlopen("libc.so.6", {
    strtol: { args: [pointer, buffer, i32], returns: long }, // long strtol(const char *s, char **endptr, int base)
  });
  using text = alloc(8);
  text.bytes.set(new TextEncoder().encode("42abc"));
  const end = outPointer();
  assert.equal(end.value, null);
  assert.equal(end.bytes.byteLength, pointer.size);
  assert.equal(BigInt(libc.symbols.strtol(text.pointer, end, 10)), 42n);
  assert.equal(unsafePointerAddress(end.value) - unsafePointerAddress(text.pointer), 2n);
  assert.equal(readCString(end.value!), "abc");
  // Its bytes may be passed as well, and an initial value is what C reads.
  const again = outPointer(text.pointer);
  assert.ok(pointerEquals(again.value, text.pointer));
  assert.equal(BigInt(libc.symbols.strtol(unsafeOffsetPointer(text.pointer, 1), again.bytes, 10)), 2n);
  assert.equal(readCString(again.value!), "abc");
  again.value = null;
  assert.ok(again.bytes.every((b) => b === 0));
});

test("outPointer() refuses a revoked pointer as its initial value", () => {
  const memory = alloc(8);
  const stale = memory.pointer;
  memory.close();
  assert.throws(() => outPointer(stale), ClosedError);
});

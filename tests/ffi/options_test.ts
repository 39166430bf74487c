/**
 * The one options check (structs' `checkOptions`) in every public function of `ffi/`, `linux/` and `windows/`
 * that takes an options object: a misspelt key is a `TypeError` naming the function, the key and the keys it
 * takes, never an option silently ignored. The list below is checked against the sources, so that a new function
 * with options cannot be left out of it. Windows' functions check their options before the platform, so they
 * are checked here on any system. It sits with the ffi tests, whose check it is, though it walks all three
 * folders.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../harness.ts";
import {
  alloc,
  CallBatch,
  createJobObject,
  dlopen,
  GenericNetlink,
  getExtendedTcpTable,
  getLocalCid,
  growRetry,
  listTcpSockets,
  NETLINK,
  NetlinkSocket,
  readTcpSockets,
  readWcharString,
  readWString,
  struct,
  TaskstatsClient,
  threadedCallback,
  u32,
  unsafeCopyFromPointer,
  void_,
} from "../../mod.ts";
import type { GenericFamily } from "../../linux/mod.ts";

const root = new URL("../..", import.meta.url).pathname;

interface Case {
  /** The function as the sources name it: `growRetry`, `NetlinkSocket.open`, `NetlinkSocket#receive`. */
  name: string;
  /** The keys it takes, in the order its message lists them. */
  accepted: readonly string[];
  /** A misspelling of one of them. */
  misspelt: string;
  /** What its message says it cannot do, when not `call "<name>"`. */
  action?: string;
  /** Calls it with `options` where its options go. */
  call(options: Record<string, unknown>): unknown;
}

/** Runs `use` with an open netlink socket (NETLINK_ROUTE needs no privilege). */
function withSocket(use: (socket: NetlinkSocket) => unknown): unknown {
  using socket = NetlinkSocket.open(NETLINK.ROUTE);
  return use(socket);
}

const SOCKET_OPTIONS = ["receiveTimeout", "receiveBufferSize"];
const someFamily = { name: "nlctrl", id: 0x10, version: 1, headerSize: 0 } as GenericFamily;

const CASES: readonly Case[] = [
  // ffi/
  {
    name: "dlopen",
    action: 'load library "libc.so.6"',
    accepted: ["lazy", "systemOnly"],
    misspelt: "lazzy",
    call: (o) => dlopen("libc.so.6", {}, o),
  },
  {
    name: "threadedCallback",
    accepted: ["ref"],
    misspelt: "refs",
    call: (o) => threadedCallback({ args: [], returns: void_ }, () => {}, o),
  },
  {
    name: "growRetry",
    accepted: ["initialSize", "maxSize", "maxAttempts", "headroom"],
    misspelt: "maxsize",
    call: (o) => growRetry(() => ({ done: true, value: 1 }), o),
  },
  {
    name: "readWString",
    accepted: ["byteOffset", "maxUnits"],
    misspelt: "bogus",
    call: (o) => readWString(new Uint16Array(2), o),
  },
  {
    name: "readWcharString",
    accepted: ["byteOffset", "maxUnits"],
    misspelt: "bogus",
    call: (o) => readWcharString(new Uint32Array(2), o),
  },
  {
    name: "unsafeCopyFromPointer",
    accepted: ["byteOffset", "into"],
    misspelt: "bogus",
    call: (o) => {
      using memory = alloc(8);
      return unsafeCopyFromPointer(memory.pointer, 8, o);
    },
  },
  // linux/
  {
    name: "NetlinkSocket.open",
    accepted: SOCKET_OPTIONS,
    misspelt: "recieveTimeout",
    call: (o) => NetlinkSocket.open(NETLINK.ROUTE, o).close(),
  },
  {
    name: "NetlinkSocket.adopt",
    accepted: SOCKET_OPTIONS,
    misspelt: "receiveBufferSise",
    call: (o) => NetlinkSocket.adopt(-1, NETLINK.ROUTE, o),
  },
  {
    name: "NetlinkSocket#receive",
    accepted: ["fresh"],
    misspelt: "frsh",
    call: (o) => withSocket((socket) => socket.receive(o)),
  },
  {
    name: "NetlinkSocket#request",
    accepted: ["name", "keep"],
    misspelt: "kepp",
    call: (o) => withSocket((socket) => socket.request({ type: 0x10 }, o)),
  },
  {
    name: "GenericNetlink.open",
    accepted: SOCKET_OPTIONS,
    misspelt: "recieveTimeout",
    call: (o) => GenericNetlink.open(o).close(),
  },
  {
    name: "GenericNetlink#request",
    accepted: ["name", "flags", "version", "attributes", "keep"],
    misspelt: "attributs",
    call: (o) => {
      using netlink = GenericNetlink.open();
      return netlink.request(someFamily, 3, o);
    },
  },
  {
    name: "TaskstatsClient.open",
    accepted: SOCKET_OPTIONS,
    misspelt: "timeout",
    call: (o) => TaskstatsClient.open(o).close(),
  },
  {
    name: "readTcpSockets",
    accepted: ["family", "states", "socket", "socketOptions"],
    misspelt: "famliy",
    call: (o) => readTcpSockets(o),
  },
  {
    name: "listTcpSockets",
    accepted: ["family", "states", "socket", "socketOptions"],
    misspelt: "famliy",
    call: (o) => listTcpSockets(o),
  },
  {
    name: "getLocalCid",
    accepted: ["device"],
    misspelt: "devcie",
    call: (o) => getLocalCid(o),
  },
  {
    name: "new CallBatch",
    accepted: ["capacity", "flush"],
    misspelt: "capactiy",
    call: (o) => new CallBatch(struct({ a: u32 }), { capacity: 4, ...o }).close(),
  },
  // windows/
  {
    name: "getExtendedTcpTable",
    accepted: ["family", "tableClass", "sorted", "initialSize", "maxAttempts"],
    misspelt: "sort",
    call: (o) => getExtendedTcpTable(o),
  },
  {
    name: "createJobObject",
    accepted: ["encoding", "inheritHandle", "securityDescriptor"],
    misspelt: "encodng",
    call: (o) => createJobObject("ffikit-options-test", o),
  },
];

/**
 * The public functions and methods whose parameters include `options`, read from the sources: `export
 * function f`, `static f` (`Class.f`), methods (`Class#f`) and constructors (`new Class`), except those marked
 * `@internal`, the error classes' `ErrorOptions` and files whose names start with `_`.
 */
function declaredWithOptions(): string[] {
  const found = new Set<string>();
  for (const folder of ["ffi", "linux", "windows"]) {
    for (const file of readdirSync(join(root, folder)).sort()) {
      if (!file.endsWith(".ts") || file.startsWith("_") || file === "errors.ts") continue;
      const lines = readFileSync(join(root, folder, file), "utf8").split("\n");
      let className = "";
      let current: string | undefined;
      let inParameters = false;
      for (const [i, line] of lines.entries()) {
        const internal = (lines[i - 1] ?? "").includes("@internal");
        const declared = /^export class (\w+)/.exec(line);
        if (declared) className = declared[1]!;
        let name: string | undefined;
        let match: RegExpExecArray | null;
        if ((match = /^export function (\w+)/.exec(line))) name = match[1];
        else if ((match = /^ {2}static (\w+)[<(]/.exec(line))) name = `${className}.${match[1]}`;
        else if (/^ {2}constructor\(/.test(line)) name = `new ${className}`;
        else if ((match = /^ {2}(?!get |set |if |for |return )([a-z]\w*)[<(]/.exec(line))) {
          name = `${className}#${match[1]}`;
        }
        if (name !== undefined) {
          current = internal ? undefined : name;
          inParameters = true;
        }
        if (inParameters && current !== undefined && /\boptions\??: (?!ErrorOptions)/.test(line)) {
          found.add(current);
        }
        // The parameter list ends at the line that opens the body or ends an overload.
        if (inParameters && /(\{|;)$/.test(line.trimEnd()) && !/[(,]$/.test(line.trimEnd())) {
          inParameters = false;
        }
      }
    }
  }
  return [...found].sort();
}

test("every public function with options is in the list of options checks", () => {
  assert.deepEqual(declaredWithOptions(), CASES.map((c) => c.name).sort());
});

for (const c of CASES) {
  test(`${c.name}() refuses a misspelt option, naming it and the options it takes`, () => {
    const action = c.action ?? `call "${c.name.replace("#", ".")}"`;
    assert.throws(() => c.call({ [c.misspelt]: 1 }), {
      name: "TypeError",
      message: `Cannot ${action}: unknown option "${c.misspelt}" (expected ${c.accepted.join(", ")})`,
    });
  });
}

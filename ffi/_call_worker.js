// The body of one pool thread of non-blocking calls (ffi/nonblocking.ts, ffi/_call_pool.ts): it opens the
// libraries it is asked for, makes each call synchronously on its own thread and reads that thread's errno in
// the next statement, as a blocking call does on the JavaScript thread (ffi/errno.ts). Pointers are
// process-wide, so they travel as addresses; lent buffers are views of a SharedArrayBuffer both threads see.
// A call arrives in shared cells (the layout of ffi/_call_pool.ts, mirrored below): the thread sleeps in
// Atomics.wait, reads the call, answers in the same cells and wakes the JavaScript thread; it reads what came
// as messages (functions to open, arena slabs, arguments that did not fit) synchronously, before the call.
//
// Plain JavaScript that talks to the runtime directly, importing nothing of the toolkit: Deno type-checks a
// worker's TypeScript graph when the thread starts under `deno test` (1 to 5 s a thread, measured), and the
// thread needs only these few lines of each runtime's FFI. The runtime-level types arrive ready (`native`).
import { receiveMessageOnPort, workerData } from "node:worker_threads";

const isBun = "Bun" in globalThis;
const bunSpecifier = "bun:ffi";
const bun = isBun ? await import(bunSpecifier) : null;
const os = isBun ? globalThis.process.platform : globalThis.Deno.build.os;

function open(path, symbols) {
  if (isBun) return bun.dlopen(path, symbols);
  const table = {};
  for (const [name, { args, returns }] of Object.entries(symbols)) {
    table[name] = { parameters: args, result: returns };
  }
  return globalThis.Deno.dlopen(path, table);
}

// The thread's error cell: errno (its address is stable for the thread's life), or GetLastError on Windows.
let cell;
function errorCell() {
  if (cell) return cell;
  if (os === "windows" || os === "win32") {
    const k = open("kernel32.dll", {
      GetLastError: { args: [], returns: "u32" },
      SetLastError: { args: ["u32"], returns: "void" },
    }).symbols;
    cell = { get: () => k.GetLastError(), set: (v) => k.SetLastError(v) };
    return cell;
  }
  const locator = os === "darwin" ? "__error" : "__errno_location";
  const library = os === "darwin" ? "libSystem.B.dylib" : "libc.so.6";
  const at = open(library, { [locator]: { args: [], returns: isBun ? "ptr" : "pointer" } }).symbols
    [locator]();
  const view = new Int32Array(
    isBun ? bun.toArrayBuffer(at, 0, 4) : globalThis.Deno.UnsafePointerView.getArrayBuffer(at, 4),
  );
  cell = { get: () => view[0], set: (v) => void (view[0] = v) };
  return cell;
}

function pointerFrom(address) {
  return isBun ? Number(address) : globalThis.Deno.UnsafePointer.create(address);
}

function addressOf(pointer) {
  if (pointer === null || pointer === 0) return null;
  return BigInt(isBun ? pointer : globalThis.Deno.UnsafePointer.value(pointer));
}

const WIDE = new Set(["i64", "u64", "isize", "usize"]);
const POINTER = new Set(["pointer", "function", "ptr"]);
const UNSIGNED = new Set(["u64", "usize"]);

const REQUEST = 0;
const ANSWER = 1;
const FUNCTION = 2;
const FLAGS = 3;
const STATUS = 4;
const ERRNO = 5;
const RESULT_TAG = 6;
const MESSAGES = 7;
const TEXT_LENGTH = 8;
const COUNT = 9;
const TAGS = 16;
const SLAB = 32;
const OFFSET = 48;
const LENGTH = 64;
const SLOTS = 40;
const RESULT = 56;
const TEXT = 256;
const TEXT_MAX = 256;

const { port } = workerData;
const cells = new Int32Array(workerData.cells);
const slots = new Float64Array(workerData.cells);
const wide = new BigInt64Array(workerData.cells);
const text = new Uint16Array(workerData.cells);

// Each library stays open for the thread's life: a call in flight when its Library was closed still runs
// through mapped code.
const functions = [];
const slabs = [];
let messageArgs = null;

function receive(count) {
  for (let got = 0; got < count;) {
    const message = receiveMessageOnPort(port)?.message;
    if (message === undefined) { // posted but not yet deliverable: look again shortly
      Atomics.wait(cells, COUNT, cells[COUNT], 1);
      continue;
    }
    got++;
    if ("open" in message) {
      functions[message.open] = { ...message, fn: null };
    } else if ("slab" in message) {
      slabs[message.slab] = message.buffer;
    } else {
      messageArgs = message.args;
    }
  }
}

function argumentsOf(kinds) {
  if (messageArgs !== null) {
    const args = messageArgs.map((value, i) => {
      if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
        return pointerFrom(value.address);
      }
      return !isBun && WIDE.has(kinds[i]) && typeof value === "number" ? BigInt(value) : value;
    });
    messageArgs = null;
    return args;
  }
  const count = cells[COUNT];
  const args = new Array(count);
  for (let i = 0; i < count; i++) {
    switch (cells[TAGS + i]) {
      case 0:
        args[i] = !isBun && WIDE.has(kinds[i]) ? BigInt(slots[SLOTS + i]) : slots[SLOTS + i];
        break;
      case 1:
        args[i] = UNSIGNED.has(kinds[i]) ? BigInt.asUintN(64, wide[SLOTS + i]) : wide[SLOTS + i];
        break;
      case 2:
        args[i] = null;
        break;
      case 3:
        args[i] = pointerFrom(BigInt.asUintN(64, wide[SLOTS + i]));
        break;
      case 4:
        args[i] = new Uint8Array(slabs[cells[SLAB + i]], cells[OFFSET + i], cells[LENGTH + i]);
        break;
      default:
        args[i] = cells[TAGS + i] === 5;
    }
  }
  return args;
}

function writeResult(result, returns) {
  if (POINTER.has(returns)) {
    const address = addressOf(result);
    cells[RESULT_TAG] = address === null ? 3 : 4;
    if (address !== null) wide[RESULT] = BigInt.asIntN(64, address);
  } else if (typeof result === "number") {
    cells[RESULT_TAG] = 0;
    slots[RESULT] = result;
  } else if (typeof result === "bigint") {
    cells[RESULT_TAG] = UNSIGNED.has(returns) ? 2 : 1;
    wide[RESULT] = BigInt.asIntN(64, result);
  } else if (typeof result === "boolean") {
    cells[RESULT_TAG] = result ? 5 : 6;
  } else {
    cells[RESULT_TAG] = 7;
  }
}

function call() {
  try {
    receive(cells[MESSAGES]);
    const entry = functions[cells[FUNCTION]];
    entry.fn ??= open(entry.path, { [entry.symbol]: entry.native }).symbols[entry.symbol];
    const { args: kinds, returns } = entry.native;
    const args = argumentsOf(kinds);
    const errors = cells[FLAGS] & 1 ? errorCell() : null;
    errors?.set(0);
    const result = entry.fn(...args);
    cells[ERRNO] = errors ? errors.get() : 0;
    writeResult(result, returns);
    cells[STATUS] = 0;
  } catch (error) {
    messageArgs = null;
    const words = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
      0,
      TEXT_MAX,
    );
    for (let i = 0; i < words.length; i++) text[TEXT + i] = words.charCodeAt(i);
    cells[TEXT_LENGTH] = words.length;
    cells[STATUS] = 1;
  }
}

for (let seen = 0;;) {
  Atomics.wait(cells, REQUEST, seen);
  seen = Atomics.load(cells, REQUEST);
  if (cells[FUNCTION] === -1) break;
  call();
  Atomics.store(cells, ANSWER, seen);
  Atomics.notify(cells, ANSWER);
}
port.close();

// The body of one pool thread of non-blocking calls (ffi/nonblocking.ts, ffi/_call_pool.ts): it opens the
// libraries it is asked for, makes each call synchronously on its own thread and reads that thread's errno in
// the next statement, as a blocking call does on the JavaScript thread (ffi/errno.ts). Pointers are
// process-wide, so they travel as addresses; lent buffers are views of a SharedArrayBuffer both threads see.
//
// Plain JavaScript that talks to the runtime directly, importing nothing of the toolkit: Deno type-checks a
// worker's TypeScript graph when the thread starts under `deno test` (1 to 5 s a thread, measured), and the
// thread needs only these few lines of each runtime's FFI. The runtime-level types arrive ready (`native`).
import { parentPort } from "node:worker_threads";

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

// Each library stays open for the thread's life: a call in flight when its Library was closed still runs
// through mapped code.
const functions = new Map();

function functionOf(request) {
  const key = `${request.path}\0${request.symbol}\0${JSON.stringify(request.native)}`;
  let fn = functions.get(key);
  if (fn === undefined) {
    fn = open(request.path, { [request.symbol]: request.native }).symbols[request.symbol];
    functions.set(key, fn);
  }
  return fn;
}

function answer(request) {
  try {
    const fn = functionOf(request);
    const { args: kinds, returns } = request.native;
    const args = request.args.map((value, i) => {
      if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
        return pointerFrom(value.address);
      }
      return !isBun && WIDE.has(kinds[i]) && typeof value === "number" ? BigInt(value) : value;
    });
    const errors = request.errno ? errorCell() : null;
    errors?.set(0);
    const result = fn(...args);
    const errno = errors ? errors.get() : 0;
    const value = POINTER.has(returns)
      ? (addressOf(result) === null ? null : { address: addressOf(result) })
      : result;
    return { id: request.id, value, errno };
  } catch (error) {
    return {
      id: request.id,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

parentPort.on("message", (request) => parentPort.postMessage(answer(request)));

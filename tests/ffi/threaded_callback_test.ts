import assert from "node:assert/strict";
import { runtime, test } from "../harness.ts";
import { ClosedError, i32, i64, threadedCallback, ThreadSafetyError, void_ } from "../../mod.ts";
import { runScript, toolkitUrl } from "./_child.ts";
import { openThreadsFixture, threadsFixturePath } from "./_threads_fixture.ts";

const THREADS = 8;
const CALLS = 10_000;

/** Waits until `done()` holds, letting the event loop run the queued calls; false after `ms`. */
async function until(done: () => boolean, ms = 60_000): Promise<boolean> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

test("threadedCallback() delivers every call of 8 threads × 10,000 exactly once, in each thread's order", async () => {
  const fixture = openThreadsFixture();
  const counts = new Array<number>(THREADS).fill(0);
  let outOfOrder = 0;
  let checksum = 0;
  let total = 0;
  using cb = threadedCallback({ args: [i32, i32], returns: void_ }, (thread, sequence) => {
    if (sequence !== counts[thread]) outOfOrder++;
    counts[thread]!++;
    checksum += sequence;
    total++;
  });
  try {
    assert.equal(fixture.symbols.thr_start(cb.pointer, THREADS, CALLS), 0);
    assert.equal(await fixture.symbols.thr_join(), THREADS);
    assert.ok(await until(() => total >= THREADS * CALLS), `${total} of ${THREADS * CALLS} delivered`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // nothing more arrives
    assert.deepEqual(counts, new Array(THREADS).fill(CALLS));
    assert.equal(outOfOrder, 0);
    assert.equal(checksum, THREADS * (CALLS * (CALLS - 1)) / 2);
    assert.equal(cb.deliveredCalls, THREADS * CALLS);
    assert.equal(cb.droppedCalls, 0);
  } finally {
    fixture.close();
  }
});

test("a threadedCallback() closed while threads still call it drops the rest and never crashes", () => {
  // In a child process: a crash is counted, not fatal.
  const child = runScript(
    `
    import { dlopen, functionPointer, i32, threadedCallback, void_ } from ${JSON.stringify(toolkitUrl)};
    const fixture = dlopen(${JSON.stringify(threadsFixturePath)}, {
      thr_start: { args: [functionPointer, i32, i32], returns: i32 },
      thr_join: { args: [], returns: i32, nonblocking: true },
    });
    let seen = 0;
    const cb = threadedCallback({ args: [i32, i32], returns: void_ }, () => {
      if (++seen === 1000) cb.close();
    });
    fixture.symbols.thr_start(cb.pointer, 4, 50000);
    await fixture.symbols.thr_join();
    while (cb.deliveredCalls + cb.droppedCalls < 200000) await new Promise((r) => setTimeout(r, 5));
    console.log(JSON.stringify({ seen, delivered: cb.deliveredCalls, dropped: cb.droppedCalls }));
  `,
    120_000,
  );
  assert.equal(child.signal, null, child.stderr);
  assert.equal(child.status, 0, child.stderr);
  const outcome = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
  assert.deepEqual(outcome, { seen: 1000, delivered: 1000, dropped: 199_000 });
});

test("ThreadedCallback.close() refuses its pointer and is safe twice", () => {
  const cb = threadedCallback({ args: [i32, i32], returns: void_ }, () => {});
  const pointer = cb.pointer;
  cb.close();
  cb.close();
  assert.equal(cb.closed, true);
  assert.throws(() => cb.pointer, ClosedError);
  const fixture = openThreadsFixture();
  try {
    assert.throws(() => fixture.symbols.thr_start(pointer, 1, 1), ClosedError);
  } finally {
    fixture.close();
  }
});

test("a threadedCallback() keeps the program running until unref() or close()", () => {
  const script = (then: string) => `
    import { i32, threadedCallback, void_ } from ${JSON.stringify(toolkitUrl)};
    const cb = threadedCallback({ args: [i32, i32], returns: void_ }, () => {});
    ${then}
    console.log("end of module");
  `;
  const kept = runScript(script(""), 3000);
  assert.notEqual(kept.signal, null, "a registered callback kept the child running until it was killed");
  for (const then of ["cb.unref();", "cb.close();"]) {
    const released = runScript(script(then), 20_000);
    assert.equal(released.status, 0, released.stderr);
    assert.match(released.stdout, /end of module/);
  }
  const unreffed = runScript(
    script("").replace("() => {});", "() => {}, { ref: false });"),
    20_000,
  );
  assert.equal(unreffed.status, 0, unreffed.stderr);
});

test("a threadedCallback() returning a value: the foreign thread waits for it on Deno, refused on Bun", async () => {
  if (runtime === "bun") {
    assert.throws(
      () => threadedCallback({ args: [i32], returns: i32 }, (x) => x * 2),
      (error: unknown) => error instanceof ThreadSafetyError && /declare it void/.test(error.message),
    );
    assert.throws(() => threadedCallback({ args: [i64], returns: void_ }, () => {}), ThreadSafetyError);
    return;
  }
  const fixture = openThreadsFixture();
  using double = threadedCallback({ args: [i32], returns: i32 }, (x) => x * 2);
  try {
    assert.equal(await fixture.symbols.thr_call_on_thread(double, 21), 42);
    assert.equal(await fixture.symbols.thr_call_on_thread(double, -5), -10);
  } finally {
    fixture.close();
  }
});

test("threadedCallback() refuses bad definitions and options", () => {
  assert.throws(() => threadedCallback({ args: [i32], returns: void_ }, 1 as never), TypeError);
  assert.throws(
    () => threadedCallback({ args: [i32], returns: void_ }, () => {}, { refs: true } as never),
    /unknown option "refs"/,
  );
  assert.throws(() => threadedCallback({ args: [void_ as never], returns: void_ }, () => {}), TypeError);
});

test("Bun's own threadsafe JSCallback gives C 0 at once for a result (why the toolkit refuses it)", () => {
  if (runtime !== "bun") return;
  const child = runScript(
    `
    import { dlopen, JSCallback } from "bun:ffi";
    const lib = dlopen(${JSON.stringify(threadsFixturePath)}, {
      thr_call_on_thread: { args: ["ptr", "i32"], returns: "i32" },
    });
    let ran = 0;
    const cb = new JSCallback((x) => { ran++; return x * 2; }, { args: ["i32"], returns: "i32", threadsafe: true });
    const got = lib.symbols.thr_call_on_thread(cb.ptr, 21);
    await new Promise((r) => setTimeout(r, 50));
    console.log(JSON.stringify({ got, ran }));
  `,
    20_000,
  );
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout.trim().split("\n").at(-1)!), { got: 0, ran: 1 });
});

test("a callback() for the JavaScript thread, called by another thread while JavaScript waits, hangs (shown)", () => {
  // Not detected: neither runtime runs any of the toolkit's code before its trampoline blocks. The child is
  // killed by its timeout; a non-blocking call of the same C (tested above) is the remedy.
  const child = runScript(
    `
    import { callback, dlopen, functionPointer, i32 } from ${JSON.stringify(toolkitUrl)};
    const lib = dlopen(${JSON.stringify(threadsFixturePath)}, {
      thr_call_on_thread: { args: [functionPointer, i32], returns: i32 },
    });
    const cb = callback({ args: [i32], returns: i32 }, (x) => x * 3);
    console.log(lib.symbols.thr_call_on_thread(cb, 5));
  `,
    4000,
  );
  assert.notEqual(child.signal, null, `ended by itself: ${child.stdout} ${child.stderr}`);
  assert.equal(child.stdout.trim(), "");
});

test("the runtimes' own thread-safe callbacks closed while threads call them: Deno crashes, Bun still calls", () => {
  // Why ThreadedCallback.close() keeps the trampoline: what the raw runtimes do, in a child process.
  const source = runtime === "deno"
    ? `
      const lib = Deno.dlopen(${JSON.stringify(threadsFixturePath)}, {
        thr_start: { parameters: ["function", "i32", "i32"], result: "i32" },
        thr_join: { parameters: [], result: "i32", nonblocking: true },
      });
      let calls = 0;
      const cb = Deno.UnsafeCallback.threadSafe({ parameters: ["i32", "i32"], result: "void" }, () => {
        if (++calls === 1000) cb.close();
      });
      lib.symbols.thr_start(cb.pointer, 4, 50000);
      await lib.symbols.thr_join();
      console.log(JSON.stringify({ calls }));`
    : `
      import { dlopen, JSCallback } from "bun:ffi";
      const lib = dlopen(${JSON.stringify(threadsFixturePath)}, {
        thr_start: { args: ["ptr", "i32", "i32"], returns: "i32" },
        thr_join: { args: [], returns: "i32" },
      });
      let calls = 0;
      const cb = new JSCallback(() => { if (++calls === 1000) cb.close(); }, {
        args: ["i32", "i32"], returns: "void", threadsafe: true,
      });
      lib.symbols.thr_start(cb.ptr, 4, 50000);
      await new Promise((r) => setTimeout(r, 300));
      lib.symbols.thr_join();
      await new Promise((r) => setTimeout(r, 100));
      console.log(JSON.stringify({ calls }));`;
  const child = runScript(source, 60_000);
  if (runtime === "deno") {
    assert.ok(
      child.signal === "SIGSEGV" || child.status === 139,
      `ended with ${child.signal ?? child.status}`,
    );
  } else {
    assert.equal(child.status, 0, child.stderr);
    const { calls } = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    assert.ok(calls > 1000, `the function ran ${calls} times, ${calls - 1000} of them after close()`);
  }
});

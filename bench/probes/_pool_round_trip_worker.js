// The other thread of bench/probes/pool_round_trip.ts: answers either each message with a message, or each
// request written to shared memory (Atomics.wait here, Atomics.waitAsync on the JavaScript thread).
import { parentPort } from "node:worker_threads";

parentPort.once("message", ({ mode, shared }) => {
  if (mode === "message") {
    parentPort.on("message", (request) => parentPort.postMessage({ id: request.id, value: 1, errno: 0 }));
    parentPort.postMessage("ready");
    return;
  }
  if (mode === "compact") {
    parentPort.on("message", (request) => parentPort.postMessage([request[0], 1, 0]));
    parentPort.postMessage("ready");
    return;
  }
  // [0] request count, [1] answer count, [2] argument, [3] result
  const cells = new Int32Array(shared);
  parentPort.postMessage("ready");
  let seen = 0;
  for (;;) {
    Atomics.wait(cells, 0, seen);
    seen = Atomics.load(cells, 0);
    cells[3] = cells[2] + 1;
    Atomics.store(cells, 1, seen);
    if (mode === "atomics") Atomics.notify(cells, 1);
    else parentPort.postMessage(seen);
  }
});

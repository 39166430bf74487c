// Runs for real under the Windows build of Deno (and Bun) under Wine: windows/wine/run.sh.
// Wine lists only the sockets of its own processes, so each test opens the listener it looks for.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import process from "node:process";
import { test } from "../harness.ts";
import { SyscallError } from "../../ffi/errors.ts";
import {
  AddressFamily,
  getExtendedTcpTable,
  portFromNetworkOrder,
  TcpState,
  TcpTableClass,
} from "../../windows/mod.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";

async function listen(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return { server, port: (server.address() as { port: number }).port };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

test("getExtendedTcpTable() lists a listener opened here with its port, LISTEN and owningPid", async () => {
  const { server, port } = await listen("127.0.0.1");
  try {
    const table = getExtendedTcpTable({
      family: AddressFamily.AF_INET,
      tableClass: TcpTableClass.TCP_TABLE_OWNER_PID_ALL,
    });
    const row = table.rows().find((r) => r.localPort === port);
    assert.ok(row, `port ${port} not in the table: ${JSON.stringify(table.rows())}`);
    assert.equal(row.state, TcpState.LISTEN);
    assert.equal(row.stateName, "LISTEN");
    assert.equal(row.owningPid, process.pid);
    assert.equal(row.localAddress, "127.0.0.1");
    assert.equal(row.remotePort, 0);
  } finally {
    await close(server);
  }
}, { ignore });

test("getExtendedTcpTable() copied rows and the in-place view agree", async () => {
  const { server, port } = await listen("127.0.0.1");
  try {
    const table = getExtendedTcpTable();
    const rows = table.rows();
    const view = table.view();
    assert.ok(rows.length > 0);
    assert.equal(view.length, rows.length);
    assert.equal(table.length, rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const inPlace = view.at(i);
      assert.equal(inPlace.dwState, row.state);
      assert.equal(portFromNetworkOrder(inPlace.dwLocalPort), row.localPort);
      assert.equal(portFromNetworkOrder(inPlace.dwRemotePort), row.remotePort);
      assert.equal(inPlace.dwOwningPid, row.owningPid);
    }
    // The view is in place: it reads the table's own bytes (row i starts at 4 + 24 i).
    const i = rows.findIndex((r) => r.localPort === port);
    assert.ok(i >= 0);
    const dv = new DataView(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
    assert.equal(dv.getUint32(0, true), rows.length);
    assert.equal(dv.getUint16(4 + 24 * i + 8, false), port);
    assert.equal(dv.getUint32(4 + 24 * i + 20, true), process.pid);
  } finally {
    await close(server);
  }
}, { ignore });

test(
  "getExtendedTcpTable() takes the retry path: a zero-size first call, then the size Windows asked for",
  async () => {
    const { server } = await listen("127.0.0.1");
    try {
      const table = getExtendedTcpTable({ initialSize: 0 });
      assert.ok(table.attempts >= 2, `attempts: ${table.attempts}`);
      assert.equal(table.bytes.byteLength >= 4 + 24 * table.length, true);
      // A buffer that is already big enough needs one call.
      const roomy = getExtendedTcpTable({ initialSize: 64 * 1024 });
      assert.equal(roomy.attempts, 1);
    } finally {
      await close(server);
    }
  },
  { ignore },
);

test("getExtendedTcpTable() reads MIB_TCP6TABLE_OWNER_PID for AF_INET6", async () => {
  const { server, port } = await listen("::1");
  try {
    const table = getExtendedTcpTable({
      family: AddressFamily.AF_INET6,
      tableClass: TcpTableClass.TCP_TABLE_OWNER_PID_LISTENER,
    });
    const rows = table.rows();
    const row = rows.find((r) => r.localPort === port);
    assert.ok(row, `port ${port} not in the IPv6 table: ${JSON.stringify(rows)}`);
    assert.equal(row.stateName, "LISTEN");
    assert.equal(row.owningPid, process.pid);
    assert.equal(row.localAddress, "::1");
    const view = table.view();
    const i = rows.indexOf(row);
    assert.equal(portFromNetworkOrder(view.at(i).dwLocalPort), port);
    assert.deepEqual([...view.at(i).ucLocalAddr], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  } finally {
    await close(server);
  }
}, { ignore });

test("getExtendedTcpTable() refuses table classes without owning pids", () => {
  assert.throws(
    () => getExtendedTcpTable({ tableClass: TcpTableClass.TCP_TABLE_BASIC_ALL as never }),
    RangeError,
  );
}, { ignore });

test(
  "getExtendedTcpTable() gives up with a SyscallError naming the call, ERROR_INSUFFICIENT_BUFFER and the sizes",
  async () => {
    const { server } = await listen("127.0.0.1");
    try {
      assert.throws(() => getExtendedTcpTable({ maxAttempts: 1 }), (error: unknown) => {
        assert.ok(error instanceof SyscallError, String(error));
        assert.equal(error.syscall, "GetExtendedTcpTable");
        assert.equal(error.errno, 122);
        assert.equal(error.code, "ERROR_INSUFFICIENT_BUFFER");
        assert.match(
          error.message,
          /^GetExtendedTcpTable failed: ERROR_INSUFFICIENT_BUFFER \(122\): .+: still too small after 1 call \(sizes tried: 0 bytes; the last call asked for \d+ bytes\)$/,
        );
        assert.ok(error.cause instanceof RangeError);
        return true;
      });
    } finally {
      await close(server);
    }
  },
  { ignore },
);

// Another process opens listeners as fast as it can while this one reads the table: each call may find more
// rows than the size the call before asked for. Retrying with that exact size failed 8 times in a row for
// about one read in three (Deno and Bun under Wine 10, 3000 listeners).
const GROWER = `
const { createServer } = await import("node:net");
const servers = [];
for (let i = 0; i < 3000; i += 10) {
  await Promise.all(Array.from({ length: 10 }, () => new Promise((resolve) => {
    const server = createServer();
    servers.push(server);
    server.listen(0, "127.0.0.1", resolve);
  })));
}
console.log("grown");
setTimeout(() => {}, 60000);
`;

test("getExtendedTcpTable() keeps up with a table that grows while it reads", async () => {
  const args = "Bun" in globalThis ? ["-e", GROWER] : ["eval", GROWER];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const grown = new Promise<void>((resolve) => {
    child.stdout!.on("data", (data) => {
      output += data;
      if (output.includes("grown")) resolve();
    });
  });
  let done = false;
  void grown.then(() => done = true);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    await new Promise((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    let reads = 0;
    let retried = 0;
    const failures: string[] = [];
    const started = Date.now();
    while (!done && Date.now() - started < 90_000) {
      try {
        if (getExtendedTcpTable().attempts > 2) retried++;
        reads++;
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    assert.equal(done, true, "the child did not open its listeners within 90 s");
    assert.deepEqual(
      failures.slice(0, 3),
      [],
      `${failures.length} of ${reads + failures.length} reads failed`,
    );
    console.log(`  (${reads} reads while the table grew, ${retried} needed more than one retry)`);
  } finally {
    child.kill();
    await exited;
  }
}, { ignore });

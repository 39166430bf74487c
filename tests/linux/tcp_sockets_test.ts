/**
 * The TCP table against independent sources: `/proc/net/tcp` and `/proc/net/tcp6`, this process's
 * `/proc/self/fd` socket links, and listeners and connections this test opens on ports it chose.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import process from "node:process";
import { test } from "../harness.ts";
import {
  formatIpAddress,
  listTcpSockets,
  NETLINK,
  NetlinkSocket,
  readTcpSockets,
  type TcpSocket,
  tcpSocketStateName,
} from "../../linux/mod.ts";

interface ProcRow {
  family: "ipv4" | "ipv6";
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: string;
  uid: number;
  inode: number;
}

// /proc/net/tcp prints each address as 32-bit words in host byte order (little-endian here), in hex.
function procAddress(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const word = parseInt(hex.slice(i, i + 8), 16);
    bytes.push(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
  }
  return formatIpAddress(bytes);
}

function readProc(): ProcRow[] {
  const rows: ProcRow[] = [];
  for (const [file, family] of [["/proc/net/tcp", "ipv4"], ["/proc/net/tcp6", "ipv6"]] as const) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // no IPv6
    }
    for (const line of text.trim().split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const [local, remote] = [f[1]!.split(":"), f[2]!.split(":")];
      rows.push({
        family,
        localAddress: procAddress(local[0]!),
        localPort: parseInt(local[1]!, 16),
        remoteAddress: procAddress(remote[0]!),
        remotePort: parseInt(remote[1]!, 16),
        state: tcpSocketStateName(parseInt(f[3]!, 16)),
        uid: Number(f[7]),
        inode: Number(f[9]),
      });
    }
  }
  return rows;
}

function key(
  r: { family: string; localAddress: string; localPort: number; remoteAddress: string; remotePort: number },
): string {
  return `${r.family} ${r.localAddress}:${r.localPort} ${r.remoteAddress}:${r.remotePort}`;
}

// The inodes of the sockets this process holds, from the /proc/self/fd links "socket:[inode]".
function ownSocketInodes(): Set<number> {
  const inodes = new Set<number>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(Number(m[1]));
    } catch { /* closed meanwhile */ }
  }
  return inodes;
}

async function listenOnChosenPort(host: string): Promise<{ server: Server; port: number }> {
  // A port chosen here, not by the kernel: from the top of the range, skipping ones in use.
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 40000 + ((process.pid * 7 + attempt * 131) % 20000);
    const server = createServer((socket) => socket.on("error", () => {}));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      return { server, port };
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    }
  }
  throw new Error("Cannot find a free port to listen on");
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function hasIpv6Loopback(): boolean {
  try {
    return readFileSync("/proc/net/if_inet6", "utf8").includes("00000000000000000000000000000001");
  } catch {
    return false;
  }
}

test("listTcpSockets() lists a listener opened here: LISTEN, its port, address, uid and inode", async () => {
  const { server, port } = await listenOnChosenPort("127.0.0.1");
  try {
    const rows = listTcpSockets().filter((r) => r.localPort === port && r.state === "LISTEN");
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const row = rows[0]!;
    assert.equal(row.family, "ipv4");
    assert.equal(row.localAddress, "127.0.0.1");
    assert.equal(row.remoteAddress, "0.0.0.0");
    assert.equal(row.remotePort, 0);
    assert.equal(row.uid, process.getuid!());
    const proc = readProc().find((r) => r.family === "ipv4" && r.localPort === port && r.state === "LISTEN");
    assert.ok(proc, `port ${port} not in /proc/net/tcp`);
    assert.equal(row.inode, proc.inode);
    assert.ok(row.inode > 0);
    assert.ok(ownSocketInodes().has(row.inode), `inode ${row.inode} is not one of this process's sockets`);
  } finally {
    await close(server);
  }
});

test("listTcpSockets() lists an IPv6 listener, as /proc/net/tcp6 does", async () => {
  const { server, port } = await listenOnChosenPort("::1");
  try {
    const row = listTcpSockets({ family: "ipv6" }).find((r) => r.localPort === port);
    assert.ok(row);
    assert.equal(row.family, "ipv6");
    assert.equal(row.state, "LISTEN");
    assert.equal(row.localAddress, "::1");
    assert.equal(row.remoteAddress, "::");
    const proc = readProc().find((r) => r.family === "ipv6" && r.localPort === port);
    assert.ok(proc, `port ${port} not in /proc/net/tcp6`);
    assert.equal(proc.localAddress, "::1");
    assert.equal(row.inode, proc.inode);
    assert.ok(ownSocketInodes().has(row.inode));
    assert.equal(listTcpSockets({ family: "ipv4" }).find((r) => r.localPort === port), undefined);
  } finally {
    await close(server);
  }
}, { ignore: hasIpv6Loopback() ? false : "this machine has no IPv6 loopback address" });

test("listTcpSockets() shows both ends of a connection made here as ESTABLISHED", async () => {
  const { server, port } = await listenOnChosenPort("127.0.0.1");
  const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
  const client = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("error", reject);
  });
  const serverSide = await accepted;
  try {
    const clientPort = client.localPort!;
    const rows = listTcpSockets({ family: "ipv4", states: ["ESTABLISHED"] });
    const outbound = rows.find((r) => r.localPort === clientPort && r.remotePort === port);
    const inbound = rows.find((r) => r.localPort === port && r.remotePort === clientPort);
    assert.ok(outbound && inbound, JSON.stringify(rows));
    assert.equal(outbound.state, "ESTABLISHED");
    assert.equal(inbound.remoteAddress, "127.0.0.1");
    assert.ok(rows.every((r) => r.state === "ESTABLISHED"), "the kernel filtered on the state");
    const proc = readProc();
    for (const row of [outbound, inbound]) {
      const p = proc.find((r) => key(r) === key(row));
      assert.ok(p, `${key(row)} not in /proc/net/tcp`);
      assert.equal(p.state, "ESTABLISHED");
      assert.equal(p.inode, row.inode);
      assert.ok(ownSocketInodes().has(row.inode));
    }
  } finally {
    client.destroy();
    serverSide.destroy();
    await close(server);
  }
});

test("listTcpSockets() has every listener /proc/net/tcp and /proc/net/tcp6 have, with the same uid and inode", () => {
  // Listeners of other processes can come and go between the two reads: retry a few times.
  let missing: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const ours = new Map<string, TcpSocket>(listTcpSockets({ states: ["LISTEN"] }).map((r) => [key(r), r]));
    const proc = readProc().filter((r) => r.state === "LISTEN");
    missing = [];
    for (const p of proc) {
      const r = ours.get(key(p));
      if (!r || r.inode !== p.inode || r.uid !== p.uid) {
        missing.push(`${key(p)} inode ${p.inode} uid ${p.uid}`);
      }
    }
    if (missing.length === 0 && ours.size === proc.length) return;
  }
  assert.deepEqual(missing, []);
});

test("readTcpSockets() views each inet_diag_msg in place in the receive buffers, equal to the copies", async () => {
  const { server, port } = await listenOnChosenPort("127.0.0.1");
  try {
    const table = readTcpSockets({ states: ["LISTEN"] });
    const rows = table.rows();
    assert.equal(table.length, rows.length);
    assert.ok(table.datagrams.length >= 1);
    let i = 0;
    for (const view of table) {
      const row = rows[i++]!;
      assert.equal(view.idiag_state, 10);
      assert.equal(view.id.idiag_sport, row.localPort);
      assert.equal(view.idiag_inode, row.inode);
      assert.equal(view.idiag_uid, row.uid);
    }
    const ours = rows.findIndex((r) => r.localPort === port);
    assert.ok(ours >= 0);
    const view = table.at(ours);
    assert.equal(view.id.idiag_src.at(0), 0x7f000001, "127.0.0.1 as a __be32");
    // Writing through the view changes the receive buffer the copies are made from.
    view.idiag_inode = 12345;
    assert.equal(table.rows()[ours]!.inode, 12345);
    assert.throws(() => table.at(table.length), RangeError);
  } finally {
    await close(server);
  }
});

test("readTcpSockets() reuses a socket it is given, and fails with EBADF once that socket is closed", () => {
  const socket = NetlinkSocket.open(NETLINK.SOCK_DIAG);
  const first = readTcpSockets({ socket, states: ["LISTEN"] }).length;
  const second = readTcpSockets({ socket, states: ["LISTEN"] }).length;
  assert.equal(socket.closed, false);
  assert.ok(Math.abs(first - second) <= 5);
  socket.close();
  assert.throws(() => readTcpSockets({ socket }), (e: unknown) => (e as { code?: string }).code === "EBADF");
});

test("readTcpSockets() refuses an unknown family or state, inherited names included, listing the valid ones", () => {
  const unknown = (options: object, pattern: RegExp) =>
    assert.throws(() => readTcpSockets(options), (error: unknown) => {
      assert.ok(error instanceof RangeError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  // Object.prototype's names: a plain TCP_STATE[name] lookup finds them.
  for (const state of ["constructor", "toString", "__proto__", "listen"]) {
    unknown(
      { states: [state] },
      new RegExp(
        `TCP state "${state}": expected one of ESTABLISHED, SYN_SENT, .*, LISTEN, .*BOUND_INACTIVE$`,
      ),
    );
  }
  for (const family of ["ipv5", "constructor", "IPV4", 4]) {
    unknown({ family }, new RegExp(`family "${family}": expected "ipv4", "ipv6" or "all"$`));
  }
  // The names that are valid still work.
  assert.ok(readTcpSockets({ family: "ipv4", states: ["LISTEN", "ESTABLISHED"] }).length >= 0);
});

test("formatIpAddress() writes RFC 5952 text", () => {
  const v6 = (s: string) => {
    const words = s.split(":").map((w) => parseInt(w || "0", 16));
    return words.flatMap((w) => [w >> 8, w & 0xff]);
  };
  assert.equal(formatIpAddress([10, 0, 0, 1]), "10.0.0.1");
  assert.equal(formatIpAddress(new Array(16).fill(0)), "::");
  assert.equal(formatIpAddress(v6("2001:db8:0:0:0:0:2:1")), "2001:db8::2:1");
  assert.equal(formatIpAddress(v6("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");
  assert.equal(formatIpAddress(v6("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");
  assert.equal(formatIpAddress(v6("0:0:0:0:0:ffff:c000:280")), "::ffff:192.0.2.128");
  assert.equal(formatIpAddress(v6("fe80:0:0:0:0:0:0:0")), "fe80::");
  assert.throws(() => formatIpAddress([1, 2, 3]), RangeError);
});

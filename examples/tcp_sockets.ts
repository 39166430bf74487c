/**
 * Prints the machine's TCP sockets like `ss -tan`: a `NETLINK_SOCK_DIAG` dump for IPv4 and IPv6. It opens a
 * listener of its own first, so there is always one row to see, and reads the table twice: copied rows, and
 * `inet_diag_msg` viewed in place in the receive buffers.
 *
 * Run: `deno run -A examples/tcp_sockets.ts` or `bun examples/tcp_sockets.ts`.
 *
 * @module
 */
import { createServer } from "node:net";
import { listTcpSockets, readTcpSockets } from "../linux/mod.ts";

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;

const rows = listTcpSockets();
console.log(`${rows.length} TCP sockets (this example listens on 127.0.0.1:${port})`);
console.log(
  "family state        local                                   remote                                  uid   inode",
);
for (const s of rows) {
  const local = `${s.family === "ipv6" ? `[${s.localAddress}]` : s.localAddress}:${s.localPort}`;
  const remote = `${s.family === "ipv6" ? `[${s.remoteAddress}]` : s.remoteAddress}:${s.remotePort}`;
  console.log(
    `${s.family.padEnd(6)} ${s.state.padEnd(12)} ${local.padEnd(39)} ${remote.padEnd(39)} ${
      String(s.uid).padEnd(5)
    } ${s.inode}`,
  );
}

const table = readTcpSockets({ states: ["LISTEN"] });
console.log(`\nin place: ${table.length} listeners in ${table.datagrams.length} receive buffers`);
for (const row of table) {
  if (row.id.idiag_sport === port) {
    console.log(
      `  inet_diag_msg { idiag_state: ${row.idiag_state}, id.idiag_sport: ${row.id.idiag_sport}, id.idiag_src[0]: 0x${
        row.id.idiag_src.at(0).toString(16)
      }, idiag_uid: ${row.idiag_uid}, idiag_inode: ${row.idiag_inode} }  ← this example's listener`,
    );
  }
}
server.close();

/**
 * Lists this machine's TCP sockets with the process that owns each, like `netstat -ano`, through
 * `GetExtendedTcpTable`. Windows only; elsewhere it says so in one line and exits with status 1.
 *
 * Run: `deno run -A examples/windows_tcp_table.ts [--listen]` (on Windows), or under Wine from Linux:
 * `windows/wine/run.sh --raw run -A examples/windows_tcp_table.ts --listen`.
 *
 * @module
 */
import process from "node:process";
import { createServer } from "node:net";
import { AddressFamily, getExtendedTcpTable, type TcpRow, TcpTableClass } from "../windows/mod.ts";

function format(row: TcpRow): string {
  const local = `${
    row.localAddress.includes(":") ? `[${row.localAddress}]` : row.localAddress
  }:${row.localPort}`;
  const remote = `${
    row.remoteAddress.includes(":") ? `[${row.remoteAddress}]` : row.remoteAddress
  }:${row.remotePort}`;
  return `${local.padEnd(28)} ${remote.padEnd(28)} ${row.stateName.padEnd(12)} ${row.owningPid}`;
}

if (process.platform !== "win32") {
  console.error(
    `examples/windows_tcp_table.ts needs Windows (or Wine: windows/wine/run.sh); this is ${process.platform}`,
  );
  process.exit(1);
}

// Wine lists only the sockets of its own processes: --listen opens one so there is something to see.
const server = process.argv.includes("--listen") ? createServer().listen(0, "127.0.0.1") : undefined;
if (server) await new Promise((resolve) => server.once("listening", resolve));

try {
  const rows = [AddressFamily.AF_INET, AddressFamily.AF_INET6].flatMap((family) =>
    getExtendedTcpTable({ family, tableClass: TcpTableClass.TCP_TABLE_OWNER_PID_ALL, sorted: true }).rows()
  );
  console.log(`${"Local".padEnd(28)} ${"Remote".padEnd(28)} ${"State".padEnd(12)} PID`);
  for (const row of rows) console.log(format(row));
  console.log(`(this process is ${process.pid})`);
} finally {
  server?.close();
}

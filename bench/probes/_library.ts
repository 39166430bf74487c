/**
 * The library's own contestants that several probes set beside their hand-written forms, written as a user
 * writes them, over the probes' table (`_table.ts`).
 *
 * @module
 */
import { MIB_TCPROW_OWNER_PID } from "../../mod.ts";
import { LISTEN, swap16 } from "./_table.ts";

/** The collect scan by the library's `at(i)`, the bound read once into a local. */
export function libraryCollect(bytes: Uint8Array): number[] {
  const rows = MIB_TCPROW_OWNER_PID.array(bytes);
  const n = rows.length;
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.at(i);
    if (row.dwState === LISTEN) ports.push(swap16(row.dwLocalPort & 0xffff));
  }
  return ports;
}

/** The sum of pid by the library's pid column and its `at(i)`, the array and the column made per call. */
export function libraryColumnSum(bytes: Uint8Array): number {
  const column = MIB_TCPROW_OWNER_PID.array(bytes).column("dwOwningPid");
  let total = 0;
  for (let i = 0; i < column.length; i++) total += column.at(i);
  return total;
}

/** The sum of pid by the library's cursor, made per call. */
export function libraryCursorSum(bytes: Uint8Array): number {
  const cursor = MIB_TCPROW_OWNER_PID.array(bytes).cursor();
  let sum = 0;
  while (cursor.next()) sum += cursor.row.dwOwningPid;
  return sum;
}

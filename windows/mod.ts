/**
 * Windows system calls from TypeScript: job objects (`kernel32.dll`) and the TCP table with owning processes
 * (`iphlpapi.dll`), ported from the Go patterns of the seed.
 *
 * The module imports on every operating system; its libraries load only on Windows, lazily and from the
 * system directory only. Anywhere else, calling a function throws `UnsupportedPlatformError` naming the
 * operating system. Each call captures `GetLastError()` with it; failures throw the toolkit's `SyscallError`.
 *
 * @example Create a job, limit it, and find this process's listener (Windows only)
 * ```ts ignore
 * import { AddressFamily, createJobObject, getExtendedTcpTable, TcpTableClass } from "./mod.ts";
 *
 * using job = createJobObject("ffikit-example");
 * if (job.alreadyExists) console.log("opened the existing job");
 * job.setActiveProcessLimit(4);
 * console.log(job.queryBasicAccounting().ActiveProcesses);
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const table = getExtendedTcpTable({
 *   family: AddressFamily.AF_INET,
 *   tableClass: TcpTableClass.TCP_TABLE_OWNER_PID_LISTENER,
 * });
 * console.log(table.rows().find((row) => row.localPort === listener.addr.port));
 * listener.close();
 * ```
 *
 * @module
 */
export * from "./_platform.ts";
export * from "./types.ts";
export * from "./constants.ts";
export * from "./layouts.ts";
export * from "./job_object.ts";
export * from "./tcp_table.ts";

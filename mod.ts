/**
 * ffikit: call C and the kernel from Deno and Bun with one API, and read what they fill in as C structs — by
 * copying rows out or by viewing them in place — correct to the byte and as fast as a hand-written loop.
 *
 * - `ffi/`: `dlopen` with symbol tables written once as data, `errno`/`GetLastError` captured with the call,
 *   pointers that never travel as numbers, owned native memory, strings, callbacks, `syscall`, `ioctl`.
 * - `structs/`: C layouts (`struct`, `union`, arrays, bitfields, flexible arrays) checked against the C
 *   compiler; `read`/`write` copies, in-place `view`s, checked `cast`s, arrays of rows with cursors and columns.
 * - `linux/`: the vsock CID, taskstats over generic netlink, the TCP socket table over sock_diag.
 * - `windows/`: Job Objects and `GetExtendedTcpTable`, loaded lazily from the system directory.
 *
 * @example A system call into a struct, read with the seed's size check
 * ```ts
 * import { array, buffer, char, dlopen, int, struct } from "./mod.ts";
 *
 * // struct utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; }
 * const field = array(char, 65, { string: true });
 * const utsname = struct({
 *   sysname: field, nodename: field, release: field, version: field, machine: field, domainname: field,
 * });
 *
 * using libc = dlopen("libc.so.6", { uname: { args: [buffer], returns: int, fails: -1 } });
 * const bytes = new Uint8Array(utsname.size);
 * libc.symbols.uname(bytes);
 * console.log(utsname.cast(bytes).release); // e.g. "6.18.44"
 * ```
 *
 * @module
 */
export * from "./ffi/mod.ts";
export * from "./structs/mod.ts";
export * from "./linux/mod.ts";
export * from "./windows/mod.ts";
export * from "./cdef/mod.ts";

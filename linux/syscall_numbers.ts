/**
 * Linux system call numbers for x86-64 (`arch/x86/entry/syscalls/syscall_64.tbl`) and arm64 (the generic table,
 * `include/uapi/asm-generic/unistd.h`). `SYS` is the table of the machine this runs on; loading it teaches
 * `syscall()`'s errors these names.
 *
 * @module
 */
import { ffiRuntime, nameSyscalls } from "../ffi/mod.ts";

/** x86-64 system call numbers. */
export const SYS_X86_64 = {
  read: 0,
  write: 1,
  close: 3,
  fstat: 5,
  lseek: 8,
  mmap: 9,
  munmap: 11,
  ioctl: 16,
  getpid: 39,
  socket: 41,
  connect: 42,
  sendto: 44,
  recvfrom: 45,
  sendmsg: 46,
  recvmsg: 47,
  bind: 49,
  getsockname: 51,
  setsockopt: 54,
  getsockopt: 55,
  uname: 63,
  kill: 62,
  getuid: 102,
  getgid: 104,
  geteuid: 107,
  getppid: 110,
  gettid: 186,
  openat: 257,
  pipe2: 293,
  getrandom: 318,
} as const;

/** arm64 system call numbers. */
export const SYS_AARCH64 = {
  read: 63,
  write: 64,
  close: 57,
  fstat: 80,
  lseek: 62,
  mmap: 222,
  munmap: 215,
  ioctl: 29,
  getpid: 172,
  socket: 198,
  connect: 203,
  sendto: 206,
  recvfrom: 207,
  sendmsg: 211,
  recvmsg: 212,
  bind: 200,
  getsockname: 204,
  setsockopt: 208,
  getsockopt: 209,
  uname: 160,
  kill: 129,
  getuid: 174,
  getgid: 176,
  geteuid: 175,
  getppid: 173,
  gettid: 178,
  openat: 56,
  pipe2: 59,
  getrandom: 278,
} as const;

/** The system call names both tables define. */
export type SyscallName = keyof typeof SYS_X86_64;

/** The system call numbers of this machine (x86-64 or arm64 Linux). */
export const SYS: Readonly<Record<SyscallName, number>> = ffiRuntime.arch === "aarch64"
  ? SYS_AARCH64
  : SYS_X86_64;

nameSyscalls(SYS);

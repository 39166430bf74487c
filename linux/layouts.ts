/**
 * Linux struct layouts (x86-64 and AArch64, glibc and the kernel's UAPI headers), declared with `structs/` and
 * named as in C. The C declaration each one mirrors is quoted above it. `tests/linux/layouts_test.ts` checks
 * every size, alignment and offset, and values both ways, against `cc` on the machine that runs the tests.
 *
 * Only `struct stat` differs between the two architectures; it is chosen when this module loads.
 *
 * @example Reading the kernel's taskstats, whichever version it sent
 * ```ts
 * import { taskstats, taskstatsVersions } from "./layouts.ts";
 * import { castOneOf } from "../structs/mod.ts";
 * const payload = taskstats.encode({ ...taskstats.read(new Uint8Array(taskstats.size)), version: 13, ac_pid: 42 });
 * const stats = castOneOf(payload, taskstatsVersions);
 * console.log(stats.version, stats.ac_pid); // 13 42
 * ```
 *
 * @module
 */
import {
  type Aligned,
  aligned,
  array,
  type ArrayType,
  char,
  i32,
  i64,
  int,
  long_lp64,
  type StructType,
  u16,
  u16be,
  u32,
  u32be,
  u64,
  u8,
  uchar,
  uint,
  ulong_lp64,
  ushort,
} from "../structs/mod.ts";
import { deferredStruct, hostArch } from "../structs/_internal.ts";

// An `array()` or `aligned()` field says its type with `as`: published types are read from declarations, never
// from calls (JSR's "no slow types"); tests/package/published_types_test.ts checks each equals the call's own type.
// Not `process.arch`: on Deno, touching `process` loads Node's process module (structs/_environment.ts).
const arm64 = hostArch() === "arm64";
// C's `long` here is `long_lp64`: Linux is LP64, so `long` fields read as `bigint` and are typed so.

// struct winsize {
//   unsigned short ws_row; unsigned short ws_col; unsigned short ws_xpixel; unsigned short ws_ypixel;
// };
/** The fields of `struct winsize`, as `winsize` declares them. */
export const winsizeFields = {
  ws_row: ushort,
  ws_col: ushort,
  ws_xpixel: ushort,
  ws_ypixel: ushort,
} as const;
/** `struct winsize` (`<sys/ioctl.h>`), filled by `ioctl(fd, TIOCGWINSZ, &ws)`. */
export const winsize: StructType<typeof winsizeFields> = deferredStruct(winsizeFields, {
  name: "winsize",
});

// struct sockaddr_vm {
//   __kernel_sa_family_t svm_family; unsigned short svm_reserved1; unsigned int svm_port; unsigned int svm_cid;
//   __u8 svm_flags;
//   unsigned char svm_zero[sizeof(struct sockaddr) - sizeof(sa_family_t) - sizeof(unsigned short) -
//                          sizeof(unsigned int) - sizeof(unsigned int) - sizeof(__u8)];
// };
/** The fields of `struct sockaddr_vm`, as `sockaddr_vm` declares them. */
export const sockaddrVmFields = {
  svm_family: u16,
  svm_reserved1: ushort,
  svm_port: uint,
  svm_cid: uint,
  svm_flags: u8,
  svm_zero: array(uchar, 3) as ArrayType<typeof uchar, false>,
} as const;
/** `struct sockaddr_vm` (`<linux/vm_sockets.h>`), the `AF_VSOCK` address. */
export const sockaddr_vm: StructType<typeof sockaddrVmFields> = deferredStruct(sockaddrVmFields, {
  name: "sockaddr_vm",
});

// struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; };
/** The fields of `struct nlmsghdr`, as `nlmsghdr` declares them. */
export const nlmsghdrFields = {
  nlmsg_len: u32,
  nlmsg_type: u16,
  nlmsg_flags: u16,
  nlmsg_seq: u32,
  nlmsg_pid: u32,
} as const;
/** `struct nlmsghdr` (`<linux/netlink.h>`), the header of every netlink message. */
export const nlmsghdr: StructType<typeof nlmsghdrFields> = deferredStruct(nlmsghdrFields, {
  name: "nlmsghdr",
});

// struct genlmsghdr { __u8 cmd; __u8 version; __u16 reserved; };
/** The fields of `struct genlmsghdr`, as `genlmsghdr` declares them. */
export const genlmsghdrFields = { cmd: u8, version: u8, reserved: u16 } as const;
/** `struct genlmsghdr` (`<linux/genetlink.h>`), the generic netlink header after `nlmsghdr`. */
export const genlmsghdr: StructType<typeof genlmsghdrFields> = deferredStruct(genlmsghdrFields, {
  name: "genlmsghdr",
});

// struct nlattr { __u16 nla_len; __u16 nla_type; };
/** The fields of `struct nlattr`, as `nlattr` declares them. */
export const nlattrFields = { nla_len: u16, nla_type: u16 } as const;
/** `struct nlattr` (`<linux/netlink.h>`), the header of a netlink attribute. */
export const nlattr: StructType<typeof nlattrFields> = deferredStruct(nlattrFields, { name: "nlattr" });

// struct inet_diag_sockid {
//   __be16 idiag_sport; __be16 idiag_dport; __be32 idiag_src[4]; __be32 idiag_dst[4];
//   __u32 idiag_if; __u32 idiag_cookie[2];
// };
/** The fields of `struct inet_diag_sockid`, as `inet_diag_sockid` declares them. */
export const inetDiagSockidFields = {
  idiag_sport: u16be,
  idiag_dport: u16be,
  idiag_src: array(u32be, 4) as ArrayType<typeof u32be, false>,
  idiag_dst: array(u32be, 4) as ArrayType<typeof u32be, false>,
  idiag_if: u32,
  idiag_cookie: array(u32, 2) as ArrayType<typeof u32, false>,
} as const;
/** `struct inet_diag_sockid` (`<linux/inet_diag.h>`): ports and addresses in network byte order. */
export const inet_diag_sockid: StructType<typeof inetDiagSockidFields> = deferredStruct(
  inetDiagSockidFields,
  {
    name: "inet_diag_sockid",
  },
);

// struct inet_diag_req_v2 {
//   __u8 sdiag_family; __u8 sdiag_protocol; __u8 idiag_ext; __u8 pad; __u32 idiag_states;
//   struct inet_diag_sockid id;
// };
/** The fields of `struct inet_diag_req_v2`, as `inet_diag_req_v2` declares them. */
export const inetDiagReqV2Fields = {
  sdiag_family: u8,
  sdiag_protocol: u8,
  idiag_ext: u8,
  pad: u8,
  idiag_states: u32,
  id: inet_diag_sockid,
} as const;
/** `struct inet_diag_req_v2` (`<linux/inet_diag.h>`), a `SOCK_DIAG_BY_FAMILY` request. */
export const inet_diag_req_v2: StructType<typeof inetDiagReqV2Fields> = deferredStruct(inetDiagReqV2Fields, {
  name: "inet_diag_req_v2",
});

// struct inet_diag_msg {
//   __u8 idiag_family; __u8 idiag_state; __u8 idiag_timer; __u8 idiag_retrans;
//   struct inet_diag_sockid id;
//   __u32 idiag_expires; __u32 idiag_rqueue; __u32 idiag_wqueue; __u32 idiag_uid; __u32 idiag_inode;
// };
/** The fields of `struct inet_diag_msg`, as `inet_diag_msg` declares them. */
export const inetDiagMsgFields = {
  idiag_family: u8,
  idiag_state: u8,
  idiag_timer: u8,
  idiag_retrans: u8,
  id: inet_diag_sockid,
  idiag_expires: u32,
  idiag_rqueue: u32,
  idiag_wqueue: u32,
  idiag_uid: u32,
  idiag_inode: u32,
} as const;
/** `struct inet_diag_msg` (`<linux/inet_diag.h>`), one socket in a `SOCK_DIAG_BY_FAMILY` reply. */
export const inet_diag_msg: StructType<typeof inetDiagMsgFields> = deferredStruct(inetDiagMsgFields, {
  name: "inet_diag_msg",
});

// struct timespec { time_t tv_sec; long tv_nsec; };
/** The fields of `struct timespec`, as `timespec` declares them. */
export const timespecFields = { tv_sec: i64, tv_nsec: long_lp64 } as const;
/** `struct timespec` (`<time.h>`). */
export const timespec: StructType<typeof timespecFields> = deferredStruct(timespecFields, {
  name: "timespec",
});

// struct timeval { time_t tv_sec; suseconds_t tv_usec; };
/** The fields of `struct timeval`, as `timeval` declares them. */
export const timevalFields = { tv_sec: i64, tv_usec: long_lp64 } as const;
/** `struct timeval` (`<sys/time.h>`), as used in `struct rusage`. */
export const timeval: StructType<typeof timevalFields> = deferredStruct(timevalFields, { name: "timeval" });

// x86-64 (glibc bits/struct_stat.h):
// struct stat {
//   __dev_t st_dev; __ino_t st_ino; __nlink_t st_nlink; __mode_t st_mode; __uid_t st_uid; __gid_t st_gid;
//   int __pad0; __dev_t st_rdev; __off_t st_size; __blksize_t st_blksize; __blkcnt_t st_blocks;
//   struct timespec st_atim; struct timespec st_mtim; struct timespec st_ctim;
//   __syscall_slong_t __glibc_reserved[3];
// };
/** The fields of `struct stat` on x86-64, as `stat_x86_64` declares them. */
export const statX86_64Fields = {
  st_dev: u64,
  st_ino: u64,
  st_nlink: u64,
  st_mode: u32,
  st_uid: u32,
  st_gid: u32,
  __pad0: int,
  st_rdev: u64,
  st_size: i64,
  st_blksize: i64,
  st_blocks: i64,
  st_atim: timespec,
  st_mtim: timespec,
  st_ctim: timespec,
  __glibc_reserved: array(i64, 3) as ArrayType<typeof i64, false>,
} as const;
/** `struct stat` as glibc lays it out on x86-64; `stat` is this layout there. */
export const stat_x86_64: StructType<typeof statX86_64Fields> = deferredStruct(statX86_64Fields, {
  name: "stat",
});

// AArch64 (glibc's generic layout, bits/struct_stat.h):
// struct stat {
//   __dev_t st_dev; __ino_t st_ino; __mode_t st_mode; __nlink_t st_nlink; __uid_t st_uid; __gid_t st_gid;
//   __dev_t st_rdev; __dev_t __pad1; __off_t st_size; __blksize_t st_blksize; int __pad2; __blkcnt_t st_blocks;
//   struct timespec st_atim; struct timespec st_mtim; struct timespec st_ctim; int __glibc_reserved[2];
// };
// Not checked by cc here (the test machine is x86-64); the offsets follow the header above.
/** The fields of `struct stat` on AArch64, as `stat_aarch64` declares them. */
export const statAarch64Fields = {
  st_dev: u64,
  st_ino: u64,
  st_mode: u32,
  st_nlink: u32,
  st_uid: u32,
  st_gid: u32,
  st_rdev: u64,
  __pad1: u64,
  st_size: i64,
  st_blksize: i32,
  __pad2: int,
  st_blocks: i64,
  st_atim: timespec,
  st_mtim: timespec,
  st_ctim: timespec,
  __glibc_reserved: array(int, 2) as ArrayType<typeof int, false>,
} as const;
/** `struct stat` as glibc lays it out on AArch64; `stat` is this layout there. */
export const stat_aarch64: StructType<typeof statAarch64Fields> = deferredStruct(statAarch64Fields, {
  name: "stat",
});

/**
 * `struct stat` (`<sys/stat.h>`), filled by `stat`/`fstat`: glibc's layout for the running architecture
 * (x86-64 or AArch64), which differ in field order and size.
 */
export const stat: typeof stat_x86_64 | typeof stat_aarch64 = arm64 ? stat_aarch64 : stat_x86_64;

// struct utsname {
//   char sysname[65]; char nodename[65]; char release[65]; char version[65]; char machine[65];
//   char domainname[65];
// };
/** The fields of `struct utsname`, as `utsname` declares them. */
export const utsnameFields = {
  sysname: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
  nodename: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
  release: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
  version: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
  machine: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
  domainname: array(char, 65, { string: true }) as ArrayType<typeof char, true>,
} as const;
/** `struct utsname` (`<sys/utsname.h>`), filled by `uname()`; every field reads as a string. */
export const utsname: StructType<typeof utsnameFields> = deferredStruct(utsnameFields, { name: "utsname" });

// struct sysinfo {
//   __kernel_long_t uptime; __kernel_ulong_t loads[3]; __kernel_ulong_t totalram; __kernel_ulong_t freeram;
//   __kernel_ulong_t sharedram; __kernel_ulong_t bufferram; __kernel_ulong_t totalswap;
//   __kernel_ulong_t freeswap; __u16 procs; __u16 pad; __kernel_ulong_t totalhigh; __kernel_ulong_t freehigh;
//   __u32 mem_unit; char _f[20-2*sizeof(__kernel_ulong_t)-sizeof(__u32)];
// };
/** The fields of `struct sysinfo`, as `sysinfo` declares them. */
export const sysinfoFields = {
  uptime: long_lp64,
  loads: array(ulong_lp64, 3) as ArrayType<typeof ulong_lp64, false>,
  totalram: ulong_lp64,
  freeram: ulong_lp64,
  sharedram: ulong_lp64,
  bufferram: ulong_lp64,
  totalswap: ulong_lp64,
  freeswap: ulong_lp64,
  procs: u16,
  pad: u16,
  totalhigh: ulong_lp64,
  freehigh: ulong_lp64,
  mem_unit: u32,
  _f: array(char, 0) as ArrayType<typeof char, false>,
} as const;
/** `struct sysinfo` (`<sys/sysinfo.h>`, from `<linux/sysinfo.h>`), filled by `sysinfo()`. `_f` is empty on 64-bit. */
export const sysinfo: StructType<typeof sysinfoFields> = deferredStruct(sysinfoFields, { name: "sysinfo" });

// struct rusage {
//   struct timeval ru_utime; struct timeval ru_stime;
//   long ru_maxrss; long ru_ixrss; long ru_idrss; long ru_isrss; long ru_minflt; long ru_majflt;
//   long ru_nswap; long ru_inblock; long ru_oublock; long ru_msgsnd; long ru_msgrcv; long ru_nsignals;
//   long ru_nvcsw; long ru_nivcsw;
// };
// (glibc wraps each long in an anonymous union with a __syscall_slong_t of the same size.)
/** The fields of `struct rusage`, as `rusage` declares them. */
export const rusageFields = {
  ru_utime: timeval,
  ru_stime: timeval,
  ru_maxrss: long_lp64,
  ru_ixrss: long_lp64,
  ru_idrss: long_lp64,
  ru_isrss: long_lp64,
  ru_minflt: long_lp64,
  ru_majflt: long_lp64,
  ru_nswap: long_lp64,
  ru_inblock: long_lp64,
  ru_oublock: long_lp64,
  ru_msgsnd: long_lp64,
  ru_msgrcv: long_lp64,
  ru_nsignals: long_lp64,
  ru_nvcsw: long_lp64,
  ru_nivcsw: long_lp64,
} as const;
/** `struct rusage` (`<sys/resource.h>`), filled by `getrusage()` and `wait4()`. */
export const rusage: StructType<typeof rusageFields> = deferredStruct(rusageFields, { name: "rusage" });

// struct taskstats {                                  (<linux/taskstats.h>, TASKSTATS_VERSION 13)
//   __u16 version; __u32 ac_exitcode; __u8 ac_flag; __u8 ac_nice;
//   __u64 cpu_count __attribute__((aligned(8))); __u64 cpu_delay_total;
//   __u64 blkio_count; __u64 blkio_delay_total; __u64 swapin_count; __u64 swapin_delay_total;
//   __u64 cpu_run_real_total; __u64 cpu_run_virtual_total;
//   char ac_comm[TS_COMM_LEN];                         /* TS_COMM_LEN is 32 */
//   __u8 ac_sched __attribute__((aligned(8))); __u8 ac_pad[3];
//   __u32 ac_uid __attribute__((aligned(8))); __u32 ac_gid; __u32 ac_pid; __u32 ac_ppid; __u32 ac_btime;
//   __u64 ac_etime __attribute__((aligned(8))); __u64 ac_utime; __u64 ac_stime; __u64 ac_minflt;
//   __u64 ac_majflt; __u64 coremem; __u64 virtmem; __u64 hiwater_rss; __u64 hiwater_vm;
//   __u64 read_char; __u64 write_char; __u64 read_syscalls; __u64 write_syscalls;
//   __u64 read_bytes; __u64 write_bytes; __u64 cancelled_write_bytes; __u64 nvcsw; __u64 nivcsw;
//   __u64 ac_utimescaled; __u64 ac_stimescaled; __u64 cpu_scaled_run_real_total;
//   __u64 freepages_count; __u64 freepages_delay_total; __u64 thrashing_count; __u64 thrashing_delay_total;
//   __u64 ac_btime64;                                   /* v10 */
//   __u64 compact_count; __u64 compact_delay_total;     /* v11 */
//   __u32 ac_tgid; __u64 ac_tgetime __attribute__((aligned(8))); __u64 ac_exe_dev; __u64 ac_exe_inode; /* v12 */
//   __u64 wpcopy_count; __u64 wpcopy_delay_total;       /* v13 */
// };
/** The fields of `struct taskstats` up to version 10, as `taskstats_v10` declares them. */
export const taskstatsV10Fields = {
  version: u16,
  ac_exitcode: u32,
  ac_flag: u8,
  ac_nice: u8,
  cpu_count: aligned(u64, 8) as Aligned<typeof u64>,
  cpu_delay_total: u64,
  blkio_count: u64,
  blkio_delay_total: u64,
  swapin_count: u64,
  swapin_delay_total: u64,
  cpu_run_real_total: u64,
  cpu_run_virtual_total: u64,
  ac_comm: array(char, 32, { string: true }) as ArrayType<typeof char, true>,
  ac_sched: aligned(u8, 8) as Aligned<typeof u8>,
  ac_pad: array(u8, 3) as ArrayType<typeof u8, false>,
  ac_uid: aligned(u32, 8) as Aligned<typeof u32>,
  ac_gid: u32,
  ac_pid: u32,
  ac_ppid: u32,
  ac_btime: u32,
  ac_etime: aligned(u64, 8) as Aligned<typeof u64>,
  ac_utime: u64,
  ac_stime: u64,
  ac_minflt: u64,
  ac_majflt: u64,
  coremem: u64,
  virtmem: u64,
  hiwater_rss: u64,
  hiwater_vm: u64,
  read_char: u64,
  write_char: u64,
  read_syscalls: u64,
  write_syscalls: u64,
  read_bytes: u64,
  write_bytes: u64,
  cancelled_write_bytes: u64,
  nvcsw: u64,
  nivcsw: u64,
  ac_utimescaled: u64,
  ac_stimescaled: u64,
  cpu_scaled_run_real_total: u64,
  freepages_count: u64,
  freepages_delay_total: u64,
  thrashing_count: u64,
  thrashing_delay_total: u64,
  ac_btime64: u64,
} as const;
/** The fields of `struct taskstats` up to version 11, as `taskstats_v11` declares them. */
export const taskstatsV11Fields = {
  ...taskstatsV10Fields,
  compact_count: u64,
  compact_delay_total: u64,
} as const;
/** The fields of `struct taskstats` up to version 12, as `taskstats_v12` declares them. */
export const taskstatsV12Fields = {
  ...taskstatsV11Fields,
  ac_tgid: u32,
  ac_tgetime: aligned(u64, 8) as Aligned<typeof u64>,
  ac_exe_dev: u64,
  ac_exe_inode: u64,
} as const;
/** The fields of `struct taskstats` up to version 13, as `taskstats_v13` declares them. */
export const taskstatsV13Fields = {
  ...taskstatsV12Fields,
  wpcopy_count: u64,
  wpcopy_delay_total: u64,
} as const;

/** `struct taskstats` as of version 10 (adds `ac_btime64`): the first fields of every later version. */
export const taskstats_v10: StructType<typeof taskstatsV10Fields> = deferredStruct(taskstatsV10Fields, {
  name: "taskstats_v10",
});
/** `struct taskstats` as of version 11 (adds `compact_*`). */
export const taskstats_v11: StructType<typeof taskstatsV11Fields> = deferredStruct(taskstatsV11Fields, {
  name: "taskstats_v11",
});
/** `struct taskstats` as of version 12 (adds `ac_tgid`, `ac_tgetime`, `ac_exe_dev`, `ac_exe_inode`). */
export const taskstats_v12: StructType<typeof taskstatsV12Fields> = deferredStruct(taskstatsV12Fields, {
  name: "taskstats_v12",
});
/** `struct taskstats` as of version 13 (adds `wpcopy_*`): the version in this machine's header. */
export const taskstats_v13: StructType<typeof taskstatsV13Fields> = deferredStruct(taskstatsV13Fields, {
  name: "taskstats_v13",
});
/** `struct taskstats`, the current header's version (13). */
export const taskstats: typeof taskstats_v13 = taskstats_v13;

/**
 * The taskstats versions a kernel may send, newest first, for `castOneOf(payload, taskstatsVersions)`. Each is a
 * prefix of the next, so fields present in all of them read the same through any. A kernel newer than
 * version 13 sends a longer struct: read its known prefix with `taskstats.cast(payload, { prefix: true })`.
 */
export const taskstatsVersions = [taskstats_v13, taskstats_v12, taskstats_v11, taskstats_v10] as const;

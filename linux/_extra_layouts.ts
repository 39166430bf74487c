/**
 * The kernel structures the Linux bindings need that `linux/layouts.ts` does not declare (yet): `sockaddr_nl`,
 * `nlmsgerr`, and the `struct taskstats` versions other than 10 to 13. Layouts for LP64 Linux (x86-64,
 * AArch64); each quotes the C declaration it mirrors. `tests/linux/netlink_test.ts` checks `sockaddr_nl` and
 * `nlmsgerr` against `cc`; `tests/linux/taskstats_test.ts` checks versions 14, 16 and 17 against `cc` (as
 * extensions of this machine's version-13 header) and version 16 against what the running kernel sends.
 *
 * @module
 */
import { i32, i64, type StructType, u16, u32, u64 } from "../structs/mod.ts";
import { deferredStruct } from "../structs/_internal.ts";
import { nlmsghdr, taskstats_v10, taskstats_v13 } from "./layouts.ts";

/*
 * struct sockaddr_nl {
 *   __kernel_sa_family_t nl_family;  // AF_NETLINK
 *   unsigned short       nl_pad;     // zero
 *   __u32                nl_pid;     // port ID
 *   __u32                nl_groups;  // multicast groups mask
 * };
 */
/** `struct sockaddr_nl` (linux/netlink.h): a netlink socket address, 12 bytes. */
export const sockaddr_nl = deferredStruct({
  nl_family: u16,
  nl_pad: u16,
  nl_pid: u32,
  nl_groups: u32,
}, { name: "sockaddr_nl" });

/*
 * struct nlmsgerr {
 *   int             error;
 *   struct nlmsghdr msg;
 * };
 */
/** `struct nlmsgerr` (linux/netlink.h): the payload of `NLMSG_ERROR`, 20 bytes. `error` is `-errno`, or 0 for an ACK. */
export const nlmsgerr = deferredStruct({
  error: i32,
  msg: nlmsghdr,
}, { name: "nlmsgerr" });

// struct taskstats (linux/taskstats.h): `linux/layouts.ts` declares versions 10 to 13 (this machine's header).
// The kernel only appends fields and bumps `version` — except version 15 (Linux 6.15-rc), which inserted
// `*_delay_max`/`*_delay_min` after each `*_delay_total` and was undone by version 16, which moved them to the
// end. Version 9 is version 10 without `ac_btime64`; the later versions extend version 13.

/*
 * struct taskstats {
 *   … version 13, as in linux/layouts.ts …
 *   __u64 irq_count;                      // v14 (Linux 6.8): delays from IRQ and softirq work
 *   __u64 irq_delay_total;
 *   __u64 cpu_delay_max;                  // v16 (Linux 6.16): the longest and shortest delay of each kind
 *   __u64 cpu_delay_min;
 *   __u64 blkio_delay_max;
 *   __u64 blkio_delay_min;
 *   __u64 swapin_delay_max;
 *   __u64 swapin_delay_min;
 *   __u64 freepages_delay_max;
 *   __u64 freepages_delay_min;
 *   __u64 thrashing_delay_max;
 *   __u64 thrashing_delay_min;
 *   __u64 compact_delay_max;
 *   __u64 compact_delay_min;
 *   __u64 wpcopy_delay_max;
 *   __u64 wpcopy_delay_min;
 *   __u64 irq_delay_max;
 *   __u64 irq_delay_min;
 *   struct __kernel_timespec cpu_delay_max_ts;       // v17: when each maximum happened
 *   struct __kernel_timespec blkio_delay_max_ts;
 *   struct __kernel_timespec swapin_delay_max_ts;
 *   struct __kernel_timespec freepages_delay_max_ts;
 *   struct __kernel_timespec thrashing_delay_max_ts;
 *   struct __kernel_timespec compact_delay_max_ts;
 *   struct __kernel_timespec wpcopy_delay_max_ts;
 *   struct __kernel_timespec irq_delay_max_ts;
 * };
 */

const { ac_btime64: _btime64, ...v9 } = taskstats_v10.declaration;
const v14 = { ...taskstats_v13.declaration, irq_count: u64, irq_delay_total: u64 } as const;
const delayExtremes = {
  cpu_delay_max: u64,
  cpu_delay_min: u64,
  blkio_delay_max: u64,
  blkio_delay_min: u64,
  swapin_delay_max: u64,
  swapin_delay_min: u64,
  freepages_delay_max: u64,
  freepages_delay_min: u64,
  thrashing_delay_max: u64,
  thrashing_delay_min: u64,
  compact_delay_max: u64,
  compact_delay_min: u64,
  wpcopy_delay_max: u64,
  wpcopy_delay_min: u64,
  irq_delay_max: u64,
  irq_delay_min: u64,
} as const;
const v16 = { ...v14, ...delayExtremes } as const;

/*
 * struct __kernel_timespec {
 *   __kernel_time64_t tv_sec;
 *   long long         tv_nsec;
 * };
 */
/** `struct __kernel_timespec` (linux/time_types.h): 16 bytes. */
export const __kernel_timespec = deferredStruct({ tv_sec: i64, tv_nsec: i64 }, { name: "__kernel_timespec" });

const v17 = {
  ...v16,
  cpu_delay_max_ts: __kernel_timespec,
  blkio_delay_max_ts: __kernel_timespec,
  swapin_delay_max_ts: __kernel_timespec,
  freepages_delay_max_ts: __kernel_timespec,
  thrashing_delay_max_ts: __kernel_timespec,
  compact_delay_max_ts: __kernel_timespec,
  wpcopy_delay_max_ts: __kernel_timespec,
  irq_delay_max_ts: __kernel_timespec,
} as const;

// Version 15: version 14's fields with each max/min pair right after its `*_delay_total`.
// Made at import (a layout's declaration is there before its placement): a suffix test, not a regular
// expression, which would be compiled for this one loop.
const v15: Record<string, unknown> = {};
for (const [name, type] of Object.entries(v14)) {
  v15[name] = type;
  if (name.endsWith("_delay_total")) {
    const kind = name.slice(0, -"_delay_total".length);
    v15[`${kind}_delay_max`] = u64;
    v15[`${kind}_delay_min`] = u64;
  }
}

/** `struct taskstats` version 9 (Linux 4.20): version 10 without `ac_btime64`. */
export const taskstats_v9: StructType<typeof v9> = deferredStruct(v9, { name: "taskstats_v9" });
/** `struct taskstats` version 14 (adds IRQ delays). */
export const taskstats_v14: StructType<typeof v14> = deferredStruct(v14, { name: "taskstats_v14" });
/**
 * `struct taskstats` version 15: the fields of version 16 in another order (max/min delays interleaved). The
 * same size as version 16, so told apart by `version`.
 */
export const taskstats_v15: StructType<typeof v16> = deferredStruct(v15 as typeof v16, {
  name: "taskstats_v15",
});
/** `struct taskstats` version 16 (max/min delays at the end): what Linux 6.16 to 6.18 send. */
export const taskstats_v16: StructType<typeof v16> = deferredStruct(v16, { name: "taskstats_v16" });
/** `struct taskstats` version 17 (adds the time of each maximum delay). */
export const taskstats_v17: StructType<typeof v17> = deferredStruct(v17, { name: "taskstats_v17" });

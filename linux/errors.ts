/**
 * The error of `linux/` beyond those of `ffi/errors.ts`: a kernel reply that lacks what was asked for.
 *
 * @module
 */

/**
 * The kernel answered a netlink request, but without the part the request is for: no message at all to a
 * generic netlink family lookup, no statistics in a taskstats reply. A kernel change or a filtering layer
 * between (a seccomp or LSM policy) can do this; the request itself succeeded.
 *
 * @example Telling it apart
 * ```ts
 * import { NetlinkReplyError } from "../mod.ts";
 * const error = new NetlinkReplyError('read taskstats of pid 1', "TASKSTATS_CMD_GET", "TASKSTATS_TYPE_STATS");
 * console.log(error.message); // Cannot read taskstats of pid 1: the TASKSTATS_CMD_GET reply has no TASKSTATS_TYPE_STATS
 * ```
 */
export class NetlinkReplyError extends Error {
  /** Always `"NetlinkReplyError"`. */
  override name = "NetlinkReplyError";
  /** What was attempted, e.g. `resolve generic netlink family "TASKSTATS"`. */
  readonly action: string;
  /** The request answered, e.g. `"CTRL_CMD_GETFAMILY"`. */
  readonly request: string;
  /** What its reply lacks, e.g. `"message"` or `"TASKSTATS_TYPE_STATS"`. */
  readonly missing: string;

  /**
   * Makes the error; the message reads `Cannot action: the request reply has no missing`.
   *
   * @param action What was attempted.
   * @param request The request answered.
   * @param missing What its reply lacks.
   * @param options The error's `cause`, if any.
   */
  constructor(action: string, request: string, missing: string, options?: ErrorOptions) {
    super(`Cannot ${action}: the ${request} reply has no ${missing}`, options);
    this.action = action;
    this.request = request;
    this.missing = missing;
  }
}

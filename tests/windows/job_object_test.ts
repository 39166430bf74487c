// Runs for real under the Windows build of Deno (and Bun) under Wine: windows/wine/run.sh.
import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../harness.ts";
import {
  createJobObject,
  JOBOBJECT_BASIC_LIMIT_INFORMATION,
  JobObjectInfoClass,
  JobObjectLimit,
  WinError,
} from "../../windows/mod.ts";
import { SyscallError } from "../../ffi/errors.ts";
import { spawnSleeper, underWine, within } from "./_helpers.ts";

const ignore = process.platform === "win32" ? false : "Windows only: run by windows/wine/run.sh";
// Job names live in the session's namespace, shared by every process of the Wine prefix: keep them unique.
const unique = `${process.pid}-${Date.now().toString(36)}`;
// Wine 10 stores only LimitFlags of a job's limits (for KILL_ON_JOB_CLOSE and breakaway), and its
// QueryInformationJobObject returns zeroed limit structures: read-backs are checked on Windows, and the
// limits' effect (KILL_ON_JOB_CLOSE) is checked everywhere.
const wine = ignore ? false : underWine();

test("createJobObject() creates a job that is queried and limited", () => {
  using job = createJobObject(`ffikit-job-${unique}`);
  assert.equal(job.alreadyExists, false);
  assert.equal(job.closed, false);

  const accounting = job.queryBasicAccounting();
  assert.equal(accounting.ActiveProcesses, 0);
  assert.equal(accounting.TotalProcesses, 0);
  assert.equal(typeof accounting.TotalUserTime, "bigint");

  const before = job.queryExtendedLimits();
  assert.equal(before.BasicLimitInformation.LimitFlags & JobObjectLimit.JOB_OBJECT_LIMIT_ACTIVE_PROCESS, 0);

  job.setActiveProcessLimit(3);
  if (wine) {
    console.log("  (under Wine: limits are not read back, Wine 10's query returns them zeroed)");
  } else {
    const after = job.queryExtendedLimits();
    assert.equal(
      after.BasicLimitInformation.LimitFlags & JobObjectLimit.JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
      JobObjectLimit.JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
    );
    assert.equal(after.BasicLimitInformation.ActiveProcessLimit, 3);
    // The basic-limit class reads the same limit through the generic query.
    const basic = job.query(
      JobObjectInfoClass.JobObjectBasicLimitInformation,
      JOBOBJECT_BASIC_LIMIT_INFORMATION,
    );
    assert.equal(basic.ActiveProcessLimit, 3);
  }
}, { ignore });

test(
  "createJobObject() reports ERROR_ALREADY_EXISTS (183) on a second create with the same name",
  async () => {
    const name = `ffikit-twice-${unique}`;
    using first = createJobObject(name, { encoding: "ansi" });
    using second = createJobObject(name, { encoding: "ansi" });
    assert.equal(first.alreadyExists, false);
    assert.equal(second.alreadyExists, true);
    assert.equal(WinError.ERROR_ALREADY_EXISTS, 183);
    // Both handles are the same job: a process assigned through one is counted through the other.
    const sleeper = await spawnSleeper();
    try {
      second.assignProcess(sleeper.pid);
      assert.equal(first.queryBasicAccounting().ActiveProcesses, 1);
    } finally {
      sleeper.kill();
      await sleeper.exited;
    }
    // The UTF-16 function opens the same ASCII-named job too.
    using third = createJobObject(name);
    assert.equal(third.alreadyExists, true);
  },
  { ignore },
);

test("createJobObject() takes a UTF-16 name with non-ASCII characters", () => {
  const name = `ffikit-Jöb-名前-🙂-${unique}`;
  using job = createJobObject(name);
  assert.equal(job.alreadyExists, false);
  assert.equal(job.name, name);
  using again = createJobObject(name);
  assert.equal(again.alreadyExists, true);
  // A different non-ASCII name is a different job: the name was not mangled to '?'.
  using other = createJobObject(`ffikit-Jöb-名称-🙃-${unique}`);
  assert.equal(other.alreadyExists, false);
}, { ignore });

test("createJobObject() with encoding 'ansi' refuses a non-ASCII name", () => {
  assert.throws(() => createJobObject("Jöb", { encoding: "ansi" }), RangeError);
}, { ignore });

test("createJobObject() passes SECURITY_ATTRIBUTES and creates unnamed jobs", () => {
  using inheritable = createJobObject(undefined, { inheritHandle: true });
  assert.equal(inheritable.name, null);
  assert.equal(inheritable.alreadyExists, false);
  assert.equal(inheritable.queryBasicAccounting().TotalProcesses, 0);
}, { ignore });

test("JobObject.assignProcess() puts the current process in the job", () => {
  using job = createJobObject(`ffikit-assign-${unique}`);
  job.assignProcess();
  const accounting = job.queryBasicAccounting();
  assert.equal(accounting.ActiveProcesses, 1);
  assert.equal(accounting.TotalProcesses, 1);
}, { ignore });

test(
  "JobObject.setExtendedLimits() with KILL_ON_JOB_CLOSE: closing the job kills its assigned child",
  async () => {
    const sleeper = await spawnSleeper(60_000);
    try {
      const job = createJobObject(`ffikit-kill-${unique}`);
      const limits = job.queryExtendedLimits();
      limits.BasicLimitInformation.LimitFlags = JobObjectLimit.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
      job.setExtendedLimits(limits);
      job.assignProcess(sleeper.pid);
      const accounting = job.queryBasicAccounting();
      assert.equal(accounting.ActiveProcesses, 1);
      assert.equal(accounting.TotalProcesses, 1);
      job.close();
      const elapsed = await within(sleeper.exited, 20_000);
      assert.notEqual(elapsed, null, "the child outlived its job");
    } finally {
      sleeper.kill();
    }
  },
  { ignore },
);

test(
  "createJobObject() failure throws SyscallError with the GetLastError code captured with the call",
  () => {
    // A name with a backslash names a directory of the object namespace that does not exist.
    for (const encoding of ["utf16", "ansi"] as const) {
      assert.throws(() => createJobObject(`no\\such\\ffikit-${unique}`, { encoding }), (error: unknown) => {
        assert.ok(error instanceof SyscallError, String(error));
        assert.equal(error.syscall, encoding === "ansi" ? "CreateJobObjectA" : "CreateJobObjectW");
        assert.equal(error.errno, 3);
        assert.equal(error.code, "ERROR_PATH_NOT_FOUND");
        assert.ok(error.description.length > 0);
        return true;
      });
    }
  },
  { ignore },
);

test(
  "JobObject.setExtendedLimits() puts LimitFlags where Windows reads them: an undefined flag is refused",
  () => {
    using job = createJobObject();
    const limits = job.queryExtendedLimits();
    limits.BasicLimitInformation.LimitFlags = 0x8000_0000; // outside JOB_OBJECT_EXTENDED_LIMIT_VALID_FLAGS
    assert.throws(() => job.setExtendedLimits(limits), (error: unknown) => {
      assert.ok(error instanceof SyscallError, String(error));
      assert.equal(error.syscall, "SetInformationJobObject");
      assert.equal(error.errno, WinError.ERROR_INVALID_PARAMETER);
      assert.equal(error.code, "ERROR_INVALID_PARAMETER");
      return true;
    });
  },
  { ignore },
);

test("JobObject methods throw SyscallError with the captured GetLastError code", () => {
  using job = createJobObject();
  // A buffer one byte short of the layout: Windows answers ERROR_BAD_LENGTH (24).
  const short = {
    size: JOBOBJECT_BASIC_LIMIT_INFORMATION.size - 1,
    read: () => ({}),
  } as unknown as typeof JOBOBJECT_BASIC_LIMIT_INFORMATION;
  assert.throws(
    () => job.query(JobObjectInfoClass.JobObjectBasicLimitInformation, short),
    (error: unknown) => {
      assert.ok(error instanceof SyscallError, String(error));
      assert.equal(error.syscall, "QueryInformationJobObject");
      assert.equal(error.errno, 24);
      assert.equal(error.code, "ERROR_BAD_LENGTH");
      return true;
    },
  );
}, { ignore });

test("JobObject.close() closes the handle once; using it after throws", () => {
  const job = createJobObject();
  job.close();
  assert.equal(job.closed, true);
  job.close();
  assert.throws(() => job.queryBasicAccounting(), /closed/);
}, { ignore });

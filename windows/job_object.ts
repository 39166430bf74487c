/**
 * Job objects: create or open a named job (`CreateJobObjectA`/`CreateJobObjectW`), query and set its
 * information, assign processes to it, and close its handle when done.
 *
 * @module
 */
import type { Infer, InferInput, StructType } from "../structs/mod.ts";
import type { Pointer } from "../structs/mod.ts";
import { BOOL, DWORD, HANDLE } from "./types.ts";
import {
  buffer,
  ClosedError,
  cstring,
  dlopen,
  type Library,
  LPCSTR,
  LPCWSTR,
  syscallError,
  unsafePointerAddress,
  wstring,
} from "./_ffi.ts";
import { JobObjectInfoClass, JobObjectLimit, WinError } from "./constants.ts";
import {
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION,
  JOBOBJECT_BASIC_LIMIT_INFORMATION,
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
  SECURITY_ATTRIBUTES,
} from "./layouts.ts";
import { requireWindows } from "./_platform.ts";
import { checkOptions } from "../structs/_internal.ts";

const KERNEL32 = {
  // HANDLE CreateJobObjectA(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCSTR lpName);
  // errno without `fails`: a successful call may still set ERROR_ALREADY_EXISTS, which the caller must see.
  CreateJobObjectA: { args: [buffer, LPCSTR], returns: HANDLE, errno: true },
  // HANDLE CreateJobObjectW(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCWSTR lpName);
  CreateJobObjectW: { args: [buffer, LPCWSTR], returns: HANDLE, errno: true },
  // BOOL QueryInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass,
  //   LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength, LPDWORD lpReturnLength);
  QueryInformationJobObject: { args: [HANDLE, DWORD, buffer, DWORD, buffer], returns: BOOL, fails: 0 },
  // BOOL SetInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass,
  //   LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength);
  SetInformationJobObject: { args: [HANDLE, DWORD, buffer, DWORD], returns: BOOL, fails: 0 },
  // BOOL AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess);
  AssignProcessToJobObject: { args: [HANDLE, HANDLE], returns: BOOL, fails: 0 },
  // HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId);
  OpenProcess: { args: [DWORD, BOOL, DWORD], returns: HANDLE, fails: null },
  // HANDLE GetCurrentProcess(void);  (a pseudo-handle that needs no closing)
  GetCurrentProcess: { args: [], returns: HANDLE },
  // BOOL CloseHandle(HANDLE hObject);
  CloseHandle: { args: [HANDLE], returns: BOOL, fails: 0 },
} as const;

type Kernel32 = Library<typeof KERNEL32>;
let kernel32: Kernel32 | undefined;

function library(api: string): Kernel32["symbols"] {
  requireWindows(api);
  return (kernel32 ??= dlopen("kernel32.dll", KERNEL32, { lazy: true, systemOnly: true })).symbols;
}

// What AssignProcessToJobObject needs of a process handle (winnt.h).
const PROCESS_TERMINATE = 0x0001;
const PROCESS_SET_QUOTA = 0x0100;
// The longest job name Windows documents (CreateJobObject: "The name is limited to MAX_PATH characters").
// Longer UTF-16 names went through up to 32766 units, and longer still were cut to 32766 without an error, so
// that two names differing after that opened the same job.
const MAX_PATH = 260;
// Pseudo-handles are small negative values: -1 is GetCurrentProcess()'s (and INVALID_HANDLE_VALUE), -2 the
// current thread's, -4 to -6 the current tokens'. On Bun, whose pointers are doubles, -1 reads back as 2^64.
const PSEUDO_HANDLES_FROM = 0xffff_ffff_ffff_ff00n;

/** The basic accounting of a job: times in 100-ns ticks and process counts. */
export type JobBasicAccounting = Infer<typeof JOBOBJECT_BASIC_ACCOUNTING_INFORMATION>;
/** The basic limits of a job. */
export type JobBasicLimits = Infer<typeof JOBOBJECT_BASIC_LIMIT_INFORMATION>;
/** The extended limits of a job: basic limits, I/O counts and memory limits. */
export type JobExtendedLimits = Infer<typeof JOBOBJECT_EXTENDED_LIMIT_INFORMATION>;

/** Options of `createJobObject`. */
export interface CreateJobObjectOptions {
  /**
   * Which function encodes the name: `"utf16"` (default, `CreateJobObjectW`, any Unicode name) or `"ansi"`
   * (`CreateJobObjectA`; ASCII names only, since the ANSI code page differs between machines).
   */
  encoding?: "utf16" | "ansi";
  /** `SECURITY_ATTRIBUTES.bInheritHandle`: whether child processes inherit the handle. Default `false`. */
  inheritHandle?: boolean;
  /** `SECURITY_ATTRIBUTES.lpSecurityDescriptor`; `null` (default) takes the default security descriptor. */
  securityDescriptor?: Pointer | null;
}

// Closes handles whose JobObject was dropped without close(), unless the handle was handed out through
// `handle`: a safety net, not the way to close them.
const finalizer = new FinalizationRegistry<Pointer>((handle) => {
  try {
    kernel32?.symbols.CloseHandle(handle);
  } catch {
    // Nothing to report to: the owner is gone.
  }
});

/**
 * A handle to a job object. Close it with `close()` or `using`; the job itself lives on while any handle to
 * it, or any process in it, remains.
 *
 * A `FinalizationRegistry` closes the handle of a `JobObject` dropped without `close()`, as a safety net, but
 * only while the raw `handle` was never read: once it was, the caller may be using the value, and only
 * `close()` closes it.
 */
export class JobObject implements Disposable {
  /** The name the job was created or opened with, or `null` for an unnamed job. */
  readonly name: string | null;
  /**
   * True when a job of this name already existed and this handle opened it: the call succeeded and
   * `GetLastError()` was `ERROR_ALREADY_EXISTS` (183). The caller may want to check that its settings hold.
   */
  readonly alreadyExists: boolean;
  #handle: Pointer | null;
  #handedOut = false;
  // The extended limits as this object last set them. Windows' answer is not enough to build on: Wine 10's
  // QueryInformationJobObject returns the limits zeroed, LimitFlags included.
  #limits: JobExtendedLimits | undefined;

  /** @internal Made by `createJobObject`. */
  constructor(handle: Pointer, name: string | null, alreadyExists: boolean) {
    this.#handle = handle;
    this.name = name;
    this.alreadyExists = alreadyExists;
    finalizer.register(this, handle, this);
  }

  /**
   * The job's `HANDLE`, for calls these bindings do not wrap. It stays valid until `close()`.
   *
   * Reading it turns the garbage-collection safety net off for this object: the collector never closes a
   * handle whose value was handed out, even once the `JobObject` is unreachable. Whoever reads it must see that
   * `close()` is called (or `CloseHandle` on the value, and then never `close()`), or the handle leaks.
   *
   * @throws {ClosedError} When the handle is closed.
   */
  get handle(): Pointer {
    const handle = this.#open();
    if (!this.#handedOut) {
      this.#handedOut = true;
      finalizer.unregister(this);
    }
    return handle;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#handle === null;
  }

  /** The handle, for the calls made here; unlike `handle`, it leaves the safety net on. */
  #open(): Pointer {
    if (this.#handle === null) {
      throw new ClosedError("use a job object", `job object ${describe(this.name)}`);
    }
    return this.#handle;
  }

  /**
   * `QueryInformationJobObject` for any information class with a fixed layout.
   *
   * @param infoClass A `JobObjectInfoClass` value.
   * @param layout The structure Windows fills for that class.
   * @returns The structure, copied out.
   * @throws {SyscallError} When the call fails, e.g. `ERROR_BAD_LENGTH` (24) for a layout of the wrong size.
   */
  query<L extends StructType>(infoClass: number, layout: L): Infer<L> {
    const symbols = library("JobObject.query");
    const bytes = new Uint8Array(layout.size);
    const returned = new Uint32Array(1);
    symbols.QueryInformationJobObject(this.#open(), infoClass, bytes, bytes.length, returned);
    return layout.read(bytes) as Infer<L>;
  }

  /**
   * `SetInformationJobObject` for any information class with a fixed layout.
   *
   * @param infoClass A `JobObjectInfoClass` value.
   * @param layout The structure Windows reads for that class.
   * @param value The structure's fields.
   * @throws {SyscallError} When the call fails.
   */
  set<L extends StructType>(infoClass: number, layout: L, value: InferInput<L>): void {
    const symbols = library("JobObject.set");
    const bytes = layout.encode(value as never);
    symbols.SetInformationJobObject(this.#open(), infoClass, bytes, bytes.byteLength);
    this.#remember(infoClass, bytes);
  }

  /** Keeps the limits just set, read back from the bytes Windows took, as Windows reads that class. */
  #remember(infoClass: number, bytes: Uint8Array): void {
    if (
      infoClass === JobObjectInfoClass.JobObjectExtendedLimitInformation &&
      bytes.byteLength === JOBOBJECT_EXTENDED_LIMIT_INFORMATION.size
    ) {
      this.#limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION.read(bytes);
    } else if (
      infoClass === JobObjectInfoClass.JobObjectBasicLimitInformation &&
      bytes.byteLength === JOBOBJECT_BASIC_LIMIT_INFORMATION.size
    ) {
      const limits = this.#limits ?? this.queryExtendedLimits();
      limits.BasicLimitInformation = JOBOBJECT_BASIC_LIMIT_INFORMATION.read(bytes);
      this.#limits = limits;
    }
  }

  /**
   * The job's basic accounting (`JobObjectBasicAccountingInformation`).
   *
   * @returns Total and per-period CPU times, page faults, and process counts.
   * @throws {SyscallError} When the call fails.
   */
  queryBasicAccounting(): JobBasicAccounting {
    return this.query(
      JobObjectInfoClass.JobObjectBasicAccountingInformation,
      JOBOBJECT_BASIC_ACCOUNTING_INFORMATION,
    );
  }

  /**
   * The job's extended limits (`JobObjectExtendedLimitInformation`), as Windows reports them. Wine 10 reports
   * them all zero, `LimitFlags` included, whatever was set.
   *
   * @returns The basic limits, I/O counters and memory limits.
   * @throws {SyscallError} When the call fails.
   */
  queryExtendedLimits(): JobExtendedLimits {
    return this.query(
      JobObjectInfoClass.JobObjectExtendedLimitInformation,
      JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    );
  }

  /**
   * Sets the job's extended limits (`JobObjectExtendedLimitInformation`). Only the limits whose flag is in
   * `BasicLimitInformation.LimitFlags` apply, and the call replaces them all: start from
   * `queryExtendedLimits()` to keep the others (on Windows; Wine 10's query returns them zeroed).
   *
   * @param limits The limits to set.
   * @throws {SyscallError} When the call fails.
   */
  setExtendedLimits(limits: InferInput<typeof JOBOBJECT_EXTENDED_LIMIT_INFORMATION>): void {
    this.set(
      JobObjectInfoClass.JobObjectExtendedLimitInformation,
      JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
      limits,
    );
  }

  /**
   * Limits how many processes may be active in the job at once, keeping the job's other limits: those this
   * object set last (through `setExtendedLimits`, `set` or here), else those Windows reports. It does not
   * build on Windows' answer once this object has set limits, since Wine 10 answers zeros, and a read-modify-
   * write dropped `KILL_ON_JOB_CLOSE` there; limits set since through another handle to the same job are
   * therefore replaced.
   *
   * @param count The limit, at least 1.
   * @throws {RangeError} When `count` is not an integer from 1 to 2^32 - 1.
   * @throws {SyscallError} When the call fails.
   */
  setActiveProcessLimit(count: number): void {
    if (!Number.isInteger(count) || count < 1 || count > 0xffff_ffff) {
      throw new RangeError(
        `Cannot set the active-process limit to ${count}: expected an integer from 1 to 4294967295`,
      );
    }
    // A copy: the record changes only once Windows took the new limits.
    const limits = this.#limits === undefined ? this.queryExtendedLimits() : structuredClone(this.#limits);
    limits.BasicLimitInformation.LimitFlags |= JobObjectLimit.JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    limits.BasicLimitInformation.LimitFlags >>>= 0;
    limits.BasicLimitInformation.ActiveProcessLimit = count;
    this.setExtendedLimits(limits);
  }

  /**
   * Assigns a process to the job (`AssignProcessToJobObject`). The process must be named: `null`,
   * `undefined` and pseudo-handles are refused, since Windows reads both `NULL` and `GetCurrentProcess()`'s
   * pseudo-handle as the calling process, which a job with `KILL_ON_JOB_CLOSE` then kills when it closes. Use
   * `assignCurrentProcess()` for that.
   *
   * @param process A process id (a `DWORD`), which is opened with `PROCESS_SET_QUOTA | PROCESS_TERMINATE` for
   *   the call; or a real process `HANDLE` with those rights.
   * @throws {TypeError} When `process` is neither a number nor a pointer (e.g. `null` or `undefined`).
   * @throws {RangeError} When a process id is not an integer from 0 to 2^32 - 1, or a `HANDLE` is a
   *   pseudo-handle.
   * @throws {SyscallError} When the process cannot be opened or assigned (e.g. `ERROR_ACCESS_DENIED` when it is
   *   in a job that does not allow nesting).
   */
  assignProcess(process: number | Pointer): void {
    const job = describe(this.name);
    const call = "with assignProcess()";
    if (typeof process === "number") {
      if (!Number.isInteger(process) || process < 0 || process > 0xffff_ffff) {
        throw new RangeError(
          `Cannot assign process ${process} to job object ${job} ${call}: ` +
            "a process id is an integer from 0 to 4294967295",
        );
      }
      const symbols = library("JobObject.assignProcess");
      const opened = symbols.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, 0, process);
      try {
        symbols.AssignProcessToJobObject(this.#open(), opened);
      } finally {
        symbols.CloseHandle(opened);
      }
      return;
    }
    let address: bigint | undefined;
    if (typeof process === "object" && process !== null) {
      try {
        address = unsafePointerAddress(process);
      } catch {
        // Not a pointer: refused below.
      }
    }
    if (address === undefined || address === 0n) {
      const got = typeof process === "string"
        ? `"${process}"`
        : process === null || process === undefined
        ? String(process)
        : address === 0n
        ? "a NULL HANDLE"
        : typeof process;
      throw new TypeError(
        `Cannot assign a process to job object ${job} ${call}: expected a process id or a process HANDLE, ` +
          `got ${got}; use assignCurrentProcess() for this process`,
      );
    }
    if (address >= PSEUDO_HANDLES_FROM) {
      throw new RangeError(
        `Cannot assign a process to job object ${job} ${call}: the HANDLE is a pseudo-handle (such as ` +
          "GetCurrentProcess()'s -1, which is also INVALID_HANDLE_VALUE); use assignCurrentProcess() for this process",
      );
    }
    library("JobObject.assignProcess").AssignProcessToJobObject(this.#open(), process);
  }

  /**
   * Assigns the calling process to the job (`AssignProcessToJobObject` with `GetCurrentProcess()`). If the job
   * kills its processes when closed (`KILL_ON_JOB_CLOSE`), closing its last handle then ends this process.
   *
   * @throws {SyscallError} When the process cannot be assigned.
   */
  assignCurrentProcess(): void {
    const symbols = library("JobObject.assignCurrentProcess");
    symbols.AssignProcessToJobObject(this.#open(), symbols.GetCurrentProcess());
  }

  /**
   * Closes the handle (`CloseHandle`). Closing twice does nothing.
   *
   * @throws {SyscallError} When `CloseHandle` fails.
   */
  close(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    finalizer.unregister(this);
    library("JobObject.close").CloseHandle(handle);
  }

  /** Closes the handle, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function describe(name: string | null): string {
  if (name === null) return "(unnamed)";
  return name.length > 48 ? `"${name.slice(0, 40)}…" (${name.length} UTF-16 units)` : `"${name}"`;
}

/**
 * Creates a job object, or opens the existing one of that name (`CreateJobObjectW`, or `CreateJobObjectA` with
 * `encoding: "ansi"`). `kernel32.dll` is loaded on first use, from the system directory only.
 *
 * Opening an existing job is not an error: the result's `alreadyExists` is true (Windows reported
 * `ERROR_ALREADY_EXISTS`, 183, after a successful call).
 *
 * @param name The job's name (in the session's namespace), or omitted for an unnamed job: at most MAX_PATH (260)
 *   UTF-16 units, the limit Windows documents (longer ones are refused rather than cut short). Windows' own
 *   conversion of an `"ansi"` name may refuse 260 characters (Wine 10 does: `ERROR_FILENAME_EXCED_RANGE`).
 * @param options Name encoding and `SECURITY_ATTRIBUTES`.
 * @returns The job handle; close it with `close()` or `using`.
 * @throws {UnsupportedPlatformError} When not running on Windows.
 * @throws {RangeError} When the name is longer than 260 UTF-16 units, or an `"ansi"` name is not ASCII.
 * @throws {TypeError} When an option's name is unknown (checked on every system).
 * @throws {SyscallError} When the call fails, with the `GetLastError()` code captured with it.
 *
 * @example Limiting a job to one process (Windows only)
 * ```ts ignore
 * import { createJobObject } from "./mod.ts";
 * using job = createJobObject("build-sandbox");
 * job.setActiveProcessLimit(1);
 * console.log(job.queryBasicAccounting().ActiveProcesses);
 * ```
 */
export function createJobObject(name?: string, options: CreateJobObjectOptions = {}): JobObject {
  checkOptions(options, ["encoding", "inheritHandle", "securityDescriptor"], "call", "createJobObject");
  const symbols = library("createJobObject");
  const encoding = options.encoding ?? "utf16";
  if (encoding !== "utf16" && encoding !== "ansi") {
    throw new RangeError(`Cannot create a job object: encoding "${encoding}" is neither "utf16" nor "ansi"`);
  }
  if (typeof name === "string" && name.length > MAX_PATH) {
    throw new RangeError(
      `Cannot create job object ${
        describe(name)
      }: Windows limits job names to MAX_PATH (${MAX_PATH}) characters`,
    );
  }
  // CreateJobObjectA reads its bytes in the ANSI code page, and cstring() writes UTF-8: only ASCII reads alike.
  if (encoding === "ansi" && name !== undefined && !/^\p{ASCII}*$/u.test(name)) {
    throw new RangeError(
      `Cannot create job object ${
        describe(name)
      } with CreateJobObjectA: the name is not ASCII; use the default "utf16"`,
    );
  }
  const attributes = options.inheritHandle === undefined && options.securityDescriptor === undefined
    ? null
    : SECURITY_ATTRIBUTES.encode({
      nLength: SECURITY_ATTRIBUTES.size,
      lpSecurityDescriptor: options.securityDescriptor ?? null,
      bInheritHandle: options.inheritHandle ? 1 : 0,
    });
  const call = encoding === "ansi" ? "CreateJobObjectA" : "CreateJobObjectW";
  const { value: handle, errno } = encoding === "ansi"
    ? symbols.CreateJobObjectA(attributes, name === undefined ? null : cstring(name))
    : symbols.CreateJobObjectW(attributes, name === undefined ? null : wstring(name));
  if (handle === null) throw syscallError(call, errno);
  return new JobObject(handle, name ?? null, errno === WinError.ERROR_ALREADY_EXISTS);
}
